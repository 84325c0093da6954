"""Cross Industry Invoice XML (Factur-X / EN 16931) with lxml: the namespaces and value
formats the writer and the reader share (`names`); the writer, `writer.to_xml_bytes`,
with its parts (`write/`) and the skeletons it copies them from (`skeletons`); the
reader, `reader.read_cii`, its input (`parsing`) and its parts (`read/`)."""
