"""The editor's WebSocket channel (protocol: docs/editor-protocol.md).

The first message is `hello` with the session token; then the writer's tab
sends patches (acknowledged with fragments and findings), actions, searches.
All JSON text frames. Close codes: 4400 protocol error, 4401 invalid session,
4403 wrong parent origin or `Origin`, 4408 no hello in time, 4409 replaced by the
same tab reconnecting, 4413 too many pending patches in the hello, 4420 dropped:
the tab does not read what it is sent, 4429 over a per-partner limit (sessions,
message rate: editor.live.limits), 4440 session expired.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from editor.actions import Actions
from editor.backend import (
    Branding,
    EditorBackend,
    EditorSession,
    NotFound,
    SessionExpired,
    SessionInvalid,
)
from editor.i18n import words
from editor.live.draft import LiveDraft, PatchResult
from editor.live.limits import TokenBucket
from editor.live.messages import Message, official_message
from editor.live.outbox import Outbox
from editor.live.registry import LiveDrafts
from editor.live.tab_view import TabView
from editor.logo.upload import on_logo_message

logger = logging.getLogger("blanche.editor")

MAX_MESSAGE = 256 * 1024
CLOSE_PROTOCOL, CLOSE_INVALID, CLOSE_ORIGIN = 4400, 4401, 4403
CLOSE_TIMEOUT, CLOSE_REPLACED, CLOSE_EXPIRED = 4408, 4409, 4440
CLOSE_TOO_MANY_PENDING, CLOSE_SLOW, CLOSE_LIMIT = 4413, 4420, 4429

Clock = Callable[[], dt.datetime]


class ProtocolError(Exception):
    pass


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def own_origin(websocket: WebSocket) -> str | None:
    """The origin this socket was opened on (`ws://host` -> `http://host`)."""
    host = websocket.headers.get("host")
    if not host:
        return None
    scheme = "https" if websocket.url.scheme in ("wss", "https") else "http"
    return f"{scheme}://{host.lower()}"


class Connection:
    """One WebSocket: one tab showing one draft."""

    def __init__(
        self,
        websocket: WebSocket,
        registry: LiveDrafts,
        clock: Clock,
    ) -> None:
        self.websocket = websocket
        self.registry = registry
        self.clock = clock
        self.backend: EditorBackend = registry.services.backend
        self.tab = ""
        self.live: LiveDraft | None = None
        self.writes = False
        limits = registry.services.gates.limits
        self.outbox = Outbox(
            websocket,
            max_messages=limits.send_queue_messages,
            max_bytes=limits.send_queue_bytes,
        )
        self._closed = False
        self._left = False
        self._partner_id: int | None = None  # set once the session counts against it
        self._messages: TokenBucket = registry.services.gates.connection_bucket()
        self._tasks: set[asyncio.Task[None]] = set()
        self.actions = Actions(self)
        self.view = TabView(self)
        # set by hello
        self.session: EditorSession
        self.branding: Branding

    @property
    def locale(self) -> str:
        return self.session.options.locale

    @property
    def read_only_reason(self) -> str | None:
        if not self.writes:
            return "read_only_other_tab"
        assert self.live is not None
        if self.live.conflicted:
            return "read_only_other_tab"
        return None if self.live.draft.status == "draft" else "read_only_issued"

    # --- transport ----------------------------------------------------------------------

    async def send(self, message: Message) -> None:
        """Queue `message` for this tab; never waits on the socket. A tab that
        lets its queue fill up (it does not read) is dropped, alone."""
        if self._closed:
            return
        if self.outbox.broken:
            self._closed = True
            return
        if not self.outbox.put(json.dumps(message, separators=(",", ":"))):
            self._drop_slow()

    async def show_official(self, official: Mapping[str, Any]) -> None:
        self.view.official_state = official["state"]
        await self.send(official_message(official, self.locale))

    async def show_blocks(self, names: tuple[str, ...]) -> None:
        """Blocks of the form shown again, the draft's content unchanged (the
        toolbar after the customer's deposits were read: editor.live.draft)."""
        await self.send(self.view.blocks(names))

    async def close(self, code: int) -> None:
        """Close after what is queued has gone out."""
        if self._closed:
            return
        self._closed = True
        self.outbox.close(code)

    def _drop_slow(self) -> None:
        self._closed = True
        self.outbox.drop(CLOSE_SLOW)
        logger.info("editor tab dropped: it does not read what it is sent")
        task = asyncio.get_running_loop().create_task(self._leave())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _leave(self) -> None:
        if self.live is not None and not self._left:
            self._left = True
            await self.registry.leave(self.live, self)

    async def receive(self) -> Mapping[str, Any] | None:
        try:
            text = await self.websocket.receive_text()
        except (WebSocketDisconnect, RuntimeError):
            return None
        if len(text) > MAX_MESSAGE:
            raise ProtocolError("message too large")
        try:
            message = json.loads(text)
        except ValueError:
            raise ProtocolError("not JSON") from None
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            raise ProtocolError("a message is an object with a `type`")
        return message

    # --- the conversation ---------------------------------------------------------------

    async def serve(self) -> None:
        await self.websocket.accept()
        self.outbox.start()
        gates = self.registry.services.gates
        try:
            hello = await asyncio.wait_for(
                self.receive(), self.registry.services.timing.hello_timeout
            )
            if hello is None:
                return
            if hello.get("type") != "hello":
                raise ProtocolError("say hello first")
            if not await self.hello(hello):
                return
            partner = self.session.partner_id
            while not self._closed:
                message = await self.receive()
                if message is None or self._closed:
                    break
                if not gates.admit(partner, self._messages):
                    await self.refuse("rate_limited", CLOSE_LIMIT)
                    break
                if self.session.expires_at <= self.clock():
                    await self.expire()
                    break
                await gates.pace(partner)
                started = time.perf_counter()
                await self.dispatch(message)
                gates.charge(partner, time.perf_counter() - started)
                # Messages already received are handled without a pause otherwise: let the
                # send tasks (this tab's and its peers') write what this one queued.
                await asyncio.sleep(0)
        except TimeoutError:
            await self.close(CLOSE_TIMEOUT)
        except ProtocolError as error:
            await self.send({"type": "error", "code": "protocol", "message": str(error)})
            await self.close(CLOSE_PROTOCOL)
        finally:
            await self._leave()
            if self._partner_id is not None:
                gates.close_session(self._partner_id)
            self._closed = True
            await self.outbox.finish()

    async def refuse(self, code: str, close_code: int) -> None:
        await self.send({"type": "error", "code": code})
        await self.close(close_code)

    def origin_allowed(self) -> bool:
        """The socket's `Origin` (sent by every browser) is the service's own (the
        editor page, framed or not, is served by the service) or the session's
        parent origin. Without `Origin` the client is no browser: a page on
        another site cannot ride on the user's browser with it."""
        origin = self.websocket.headers.get("origin")
        if origin is None:
            return True
        allowed = {*self.registry.services.own_origins, self.session.parent_origin}
        allowed.add(own_origin(self.websocket) or "")
        return origin.lower().rstrip("/") in allowed

    async def expire(self) -> None:
        await self.send({"type": "session.expired", "message": words(self.locale)["expired"]})
        await self.close(CLOSE_EXPIRED)

    async def hello(self, hello: Mapping[str, Any]) -> bool:
        token = hello.get("token")
        tab = hello.get("tab")
        if not isinstance(token, str) or not isinstance(tab, str) or not 8 <= len(tab) <= 64:
            raise ProtocolError("hello needs `token` and `tab`")
        try:
            self.session = await self.backend.resolve_session(token)
        except SessionExpired as expired:
            # Without the session's language, the page says it in the browser's.
            text = words(expired.locale)["expired"] if expired.locale else None
            await self.send({"type": "session.expired", "message": text})
            await self.close(CLOSE_EXPIRED)
            return False
        except SessionInvalid:
            await self.send({"type": "error", "code": "invalid_session"})
            await self.close(CLOSE_INVALID)
            return False
        if self.session.expires_at <= self.clock():
            await self.expire()
            return False
        parent = hello.get("parent")
        if parent and parent != self.session.parent_origin:
            await self.refuse("wrong_parent_origin", CLOSE_ORIGIN)
            return False
        if not self.origin_allowed():
            await self.refuse("wrong_origin", CLOSE_ORIGIN)
            return False
        gates = self.registry.services.gates
        pending = hello.get("pending") or []
        if not isinstance(pending, list):
            raise ProtocolError("`pending` is a list of patches")
        if len(pending) > gates.limits.max_pending:
            await self.refuse("too_many_pending", CLOSE_TOO_MANY_PENDING)
            return False
        if not gates.open_session(self.session.partner_id):
            await self.refuse("too_many_sessions", CLOSE_LIMIT)
            return False
        self._partner_id = self.session.partner_id
        await gates.pace(self._partner_id)
        hello_started = time.perf_counter()
        self.tab = tab
        self.branding = await self.backend.branding(self.session)
        try:
            live = await self.registry.open(self.session)
        except NotFound:  # the document is gone
            await self.send({"type": "error", "code": "invalid_session"})
            await self.close(CLOSE_INVALID)
            return False
        await self.attach(live)
        patches: list[Mapping[str, Any]] = []
        for patch in pending:
            if not isinstance(patch, dict):
                break
            seq = patch.get("seq")
            if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
                raise ProtocolError("a patch has a positive integer `seq`")
            patches.append(patch)
        if self.writes and patches:
            await self.live_draft.receive_pending(patches)
        last_seq = hello.get("last_seq")
        current = hello.get("has_form") is True and last_seq == self.live_draft.state.seq
        # The whole form and preview of a long draft take a while to render: in a
        # thread, so that the event loop keeps its turns meanwhile.
        welcome = await asyncio.to_thread(self.welcome, form_current=current and self.writes)
        await self.send(welcome)
        if self._partner_id is not None:
            gates.charge(self._partner_id, time.perf_counter() - hello_started)
        return True

    @property
    def live_draft(self) -> LiveDraft:
        assert self.live is not None
        return self.live

    async def attach(self, live: LiveDraft) -> None:
        self.live = live
        self.writes = await self.registry.join(live, self)

    async def switch(self, document_id: int) -> None:
        """Show another document (after a conversion or a credit note)."""
        if self.live is not None:
            await self.registry.leave(self.live, self)
            self.live = None
        await self.attach(await self.registry.open(self.session, document_id))
        await self.send(self.welcome(form_current=False))

    async def promoted(self) -> None:
        self.writes = True
        await self.send(self.welcome(form_current=False))

    def welcome(self, *, form_current: bool) -> Message:
        return self.view.welcome(form_current=form_current)

    async def dispatch(self, message: Mapping[str, Any]) -> None:
        kind = message["type"]
        if kind == "patch":
            await self.on_patch(message)
        elif kind == "ping":
            await self.send({"type": "pong"})
        elif kind == "action":
            await self.actions.run(message)
        elif kind in ("contacts.search", "products.search", "contact.create"):
            await self.actions.lookup(kind, message)
        elif kind == "logo":
            await on_logo_message(self, message)
        else:
            raise ProtocolError(f"unknown message type {kind[:40]!r}")

    # --- patches ------------------------------------------------------------------------

    async def apply(self, message: Mapping[str, Any]) -> PatchResult:
        seq = message.get("seq")
        if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
            raise ProtocolError("a patch has a positive integer `seq`")
        return await self.live_draft.receive(message, seq)

    async def on_patch(self, message: Mapping[str, Any]) -> None:
        if not self.writes:
            await self.send({"type": "read_only", "reason": "read_only_other_tab"})
            return
        live = self.live_draft
        result = await self.apply(message)
        receipt = result.receipt
        if receipt.outcome == "gap":
            await self.send({"type": "nack", "expected": receipt.seq + 1})
            return
        if receipt.outcome == "duplicate":
            await self.send({"type": "ack", "seq": receipt.seq, "outcome": "duplicate"})
            return
        for peer in live.peers:
            if isinstance(peer, Connection):
                await peer.send(peer.update(result))

    def update(self, result: PatchResult) -> Message:
        return self.view.update(result)


class Channel:
    """The WebSocket endpoint: `Channel(registry).serve`."""

    def __init__(self, registry: LiveDrafts, clock: Clock = utcnow) -> None:
        self.registry = registry
        self.clock = clock

    async def serve(self, websocket: WebSocket) -> None:
        connection = Connection(websocket, self.registry, self.clock)
        try:
            await connection.serve()
        except Exception:
            logger.exception("editor connection failed")
            await connection.close(1011)
