"""The French FEC (fichier des écritures comptables, LPF art. A47 A-1): the sales
journal of finalized documents, tab-separated, with a validator of the format
rules. See docs/fec.md."""
