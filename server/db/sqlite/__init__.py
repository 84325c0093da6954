"""SQLite as the service uses it: a DBAPI driver with few thread trips, the writers'
queue across processes, and group commit."""
