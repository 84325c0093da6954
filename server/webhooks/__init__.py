"""Webhooks: events written to an outbox in the transaction of the change,
delivered by a worker with signatures, retries, per-endpoint ordering and a log.
See docs/webhooks.md."""
