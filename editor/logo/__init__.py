"""The seller's logo in the editor: served by digest (`image`), set or removed through
a signed upload link (`upload`)."""
