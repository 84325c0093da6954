"""The documents in the API: create, read, update, delete and list (`crud`), how they
are shown (`views`), what happens after drafting (`actions`), downloads (`files`),
imports (`imports`) and sending by email (`emails`)."""
