"""The live channel: one WebSocket per tab (`connection`), the drafts open in this
process (`registry`, `draft`) and what they share (`services`), the work done when
the user pauses (`debounce`), per-partner limits (`limits`) and each socket's send
queue (`outbox`)."""
