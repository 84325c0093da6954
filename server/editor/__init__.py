"""The service's side of `editor.backend`: the editor's sessions (`tokens`, `auth`),
the backend on the database (`backend`, with `documents`, `catalogue`, `settlement`,
`emails`) and the files it links to (`pdf`, `xml`, `logo`)."""
