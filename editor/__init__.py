"""The editor micro-frontend: server-rendered fragments kept live over one WebSocket.

`editor` uses `invoicing` and `themes`, never `server`: everything it needs from
storage goes through `editor.backend.EditorBackend`, which the service implements
(and `editor.memory_backend` for the standalone demo and the tests).
"""
