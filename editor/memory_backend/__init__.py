"""`EditorBackend` on dicts (`backend.MemoryBackend`), for the standalone demo and the
editor's tests: the records (`store`), sessions, drafts, the document lifecycle, the
catalogue (contacts, products) and the PDF links, one module each."""
