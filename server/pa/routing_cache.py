"""Directory answers kept a few minutes: the editor asks each time a customer
block is shown, the PA's directory changes rarely."""

from __future__ import annotations

import time
from collections import OrderedDict

from server.pa.adapter import Routing

TTL_SECONDS = 600.0
MAX_ENTRIES = 10_000


class RoutingCache:
    def __init__(self, ttl: float = TTL_SECONDS, size: int = MAX_ENTRIES) -> None:
        self._ttl, self._size = ttl, size
        self._entries: OrderedDict[tuple[int, str], tuple[float, Routing]] = OrderedDict()

    def get(self, company_id: int, siren: str) -> Routing | None:
        found = self._entries.get((company_id, siren))
        if found is None or found[0] < time.monotonic():
            return None
        return found[1]

    def put(self, company_id: int, siren: str, routing: Routing) -> None:
        self._entries[(company_id, siren)] = (time.monotonic() + self._ttl, routing)
        self._entries.move_to_end((company_id, siren))
        while len(self._entries) > self._size:
            self._entries.popitem(last=False)
