"""What one WebSocket is sent, through a bounded queue and its own sender task.

Writing to a socket waits while the peer does not read (the server's buffer is
full: uvicorn's flow control). Nobody else waits on that: `put` never blocks,
the sender task alone waits on the socket. A peer that lets more than
`max_messages` messages or `max_bytes` pile up is dropped (`overflowed`), alone:
the writer of a draft keeps its acks whatever a second tab does.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque

from starlette.websockets import WebSocket, WebSocketState

MAX_MESSAGES = 256
MAX_BYTES = 8 * 1024 * 1024
CLOSE_SECONDS = 60.0  # a dropped peer that never reads again is left to uvicorn's pings


class Outbox:
    def __init__(
        self,
        websocket: WebSocket,
        *,
        max_messages: int = MAX_MESSAGES,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        self._websocket = websocket
        self._max_messages, self._max_bytes = max_messages, max_bytes
        self._queue: deque[str] = deque()
        self._bytes = 0
        self._ready = asyncio.Event()
        self._close_code: int | None = None
        self.overflowed = False
        self.broken = False  # the socket refused a write: the peer is gone
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    @property
    def closing(self) -> bool:
        return self._close_code is not None or self.overflowed or self.broken

    def put(self, text: str) -> bool:
        """Queue `text`; False when the peer is too far behind (then it is dropped)."""
        if self.closing:
            return True
        if len(self._queue) >= self._max_messages or self._bytes + len(text) > self._max_bytes:
            self.overflowed = True
            self._queue.clear()
            self._bytes = 0
            return False
        self._queue.append(text)
        self._bytes += len(text)
        self._ready.set()
        return True

    def close(self, code: int) -> None:
        """Send what is queued, then close with `code`."""
        if self._close_code is None:
            self._close_code = code
            self._ready.set()

    async def _run(self) -> None:
        websocket = self._websocket
        try:
            while True:
                while self._queue:
                    text = self._queue.popleft()
                    self._bytes -= len(text)
                    await websocket.send_text(text)
                if self._close_code is not None or self.overflowed:
                    break
                self._ready.clear()
                await self._ready.wait()
        except Exception:  # whatever the server says, the peer is gone
            self.broken = True
            return
        if websocket.application_state is WebSocketState.CONNECTED:
            with contextlib.suppress(Exception):
                await websocket.close(self._close_code or 1000)

    def drop(self, code: int) -> None:
        """Stop sending; close with `code` once the peer reads again (its writes
        wait on the socket, so the sender task is replaced by a close attempt)."""
        self.overflowed = True
        self._queue.clear()
        self._bytes = 0
        self._close_code = code
        if self._task is not None:
            self._task.cancel()
        self._task = asyncio.get_running_loop().create_task(self._close_later(code))

    async def _close_later(self, code: int) -> None:
        websocket = self._websocket
        if websocket.application_state is WebSocketState.CONNECTED:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(websocket.close(code), CLOSE_SECONDS)

    async def finish(self, seconds: float = 5.0) -> None:
        """At the end of the connection: let the queued messages and the close go
        out for up to `seconds`, then give up on them."""
        task = self._task
        if task is None:
            return
        if not self.closing:
            self.close(1000)
        done, _ = await asyncio.wait({task}, timeout=seconds)
        if not done:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
