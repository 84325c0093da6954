"""Cross Industry Invoice XML (Factur-X / EN 16931) with lxml: the namespaces and value
formats the writer and the reader share (`names`); the reader, `reader.read_cii`, and
the parts it reads with (`parsing`, `values`, `parties`, `lines`, `agreement`,
`settlement`); the writer's parts (`write_steps`, `write_lines`) and the skeletons it
copies them from (`skeletons`), used by `invoicing.cii_writer`."""
