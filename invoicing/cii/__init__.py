"""Cross Industry Invoice XML (Factur-X / EN 16931), read with lxml: `reader.read_cii`
and the parts it reads with (`parsing`, `values`, `parties`, `lines`, `agreement`,
`settlement`)."""
