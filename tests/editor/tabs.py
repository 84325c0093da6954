"""A tab of the editor over Starlette's TestClient: its socket's messages, and the
patches and actions it sends."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import anyio

from editor.demo import DemoWorld
from tests.editor.conftest import TestClient as TestClient

Socket = Any


def receive(ws: Socket, timeout: float = 10.0) -> dict[str, Any]:
    """The next frame (a failing test times out instead of hanging)."""

    async def get() -> dict[str, Any]:
        with anyio.fail_after(timeout):
            message: dict[str, Any] = await ws._send_rx.receive()
            return message

    frame: dict[str, Any] = ws.portal.call(get)
    return frame


def next_json(ws: Socket, timeout: float = 10.0) -> dict[str, Any]:
    frame = receive(ws, timeout)
    assert frame["type"] == "websocket.send", frame

    message: dict[str, Any] = json.loads(frame["text"])
    return message


SKIPPED: dict[int, list[dict[str, Any]]] = {}


def until(ws: Socket, kind: str, timeout: float = 10.0) -> dict[str, Any]:
    """Skip messages until one of `kind` (pushes like preview come in between);
    the skipped ones are kept in SKIPPED[id(ws)]."""
    skipped = SKIPPED.setdefault(id(ws), [])
    for _ in range(200):
        message = next_json(ws, timeout)
        if message["type"] == kind:
            return message
        skipped.append(message)
    raise AssertionError(f"no {kind}")


def skipped(ws: Socket, kind: str) -> dict[str, Any]:
    """The last message of `kind` that `until` skipped."""
    return [m for m in SKIPPED[id(ws)] if m["type"] == kind][-1]


def close_code(ws: Socket) -> int:
    for _ in range(50):
        frame = receive(ws)
        if frame["type"] == "websocket.close":
            return int(frame.get("code", 1000))
    raise AssertionError("not closed")


@contextmanager
def tab(
    client: TestClient, token: str, tab_id: str = "tab-one-0001", **hello: Any
) -> Iterator[Any]:
    with client.websocket_connect("/editor/ws") as ws:
        ws.send_json({"type": "hello", "token": token, "tab": tab_id, **hello})
        yield ws


def patch(ws: Socket, seq: int, op: str = "set", **fields: Any) -> None:
    ws.send_json({"type": "patch", "seq": seq, "op": op, **fields})


def complete_invoice(ws: Socket, world: DemoWorld) -> int:
    """Customer, two lines, operation category: a valid invoice. Returns the last seq."""
    contact = next(c for _, c in world.backend.contacts.values() if c.siren == "552100554")
    product = next(p for _, p in world.backend.products.values() if p.unit == "HUR")
    patch(ws, 1, "set_customer", contact_id=contact.id)
    patch(ws, 2, "add_line", product_id=product.id)
    patch(ws, 3, path="lines[0].quantity", value="2,5")
    patch(ws, 4, "add_line")
    patch(ws, 5, path="lines[1].name", value="Câble")
    patch(ws, 6, path="lines[1].net_price", value="7,90")
    patch(ws, 7, path="business_process", value="M1")
    for seq in range(1, 8):
        assert until(ws, "ack")["seq"] == seq
    return 7


def action(ws: Socket, name: str, request: int = 1) -> dict[str, Any]:
    ws.send_json({"type": "action", "id": request, "action": name})
    return until(ws, "result")
