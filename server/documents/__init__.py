"""Document lifecycle rules: content, numbering, finalization, journal."""
