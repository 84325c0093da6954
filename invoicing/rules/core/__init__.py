"""EN 16931 core rules (BR-01 .. BR-65) and the CII syntax rules (CII-SR-*)
that can fail for a document of our model, as the CII writer writes it.

One module a part of the document: the header and parties (`parties`), the lines
(`lines`), payment and references (`payment`), registered in that order.
"""
