"""The API the embedded editor calls with its session: sessions minted by the
partner (`sessions`), the context it loads first (`context`), its autosaved drafts
(`drafts`) and a document's lifecycle with the PA (`lifecycle`)."""
