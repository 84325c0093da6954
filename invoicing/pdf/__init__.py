"""Documents as PDF/A-3b, and the Factur-X XML read back out of a PDF.

render: a document -> its Factur-X PDF (or a quote's plain PDF/A-3b);
pages, page_data, fonts: the pages, laid out by Typst from the preview's view;
finishing, incremental_update: the XML attached and the metadata made to agree;
facturx_reader: the XML of a Factur-X PDF someone sends us.
"""
