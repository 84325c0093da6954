"""The VAT category rules: BR-S, BR-Z, BR-E, BR-AE, BR-IC (K), BR-G, BR-O,
BR-AF (L, Canary Islands) and BR-AG (M, Ceuta and Melilla).

Each family has the same shape in EN 16931: -01 one breakdown, -02..04 the
seller (and buyer) VAT identifiers a line / allowance / charge of the
category needs, -05..07 the rate they may carry, -08 the breakdown's taxable
amount, -09 its tax amount, -10 its exemption reason. They are declared from
one table, so that each rule keeps its official id.

In this package: the table of families (`families`), the rules each family gets
(`family_rules`), and the VAT rules of another shape (`category_rules`).
"""
