"""The CII reader's parts (`invoicing.cii.reader`): values read and what was used
(`values`), the parties, lines, agreement and settlement."""
