"""Fixtures for the editor: the demo world on the in-memory backend, the app, a clock."""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from starlette.applications import Starlette

from editor.backend import EditorOptions
from editor.demo import DemoWorld, demo_world
from editor.live.services import Timing
from editor.routes import create_editor_app
from editor.work_pool import WorkPool
from invoicing.model import DocumentKind

with warnings.catch_warnings():
    # Starlette asks for httpx2 instead of httpx (a deprecation at import time only).
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

__all__ = ["HOST", "KEYS", "Clock", "Mint", "TestClient", "make_app"]

KEYS = ("editor-tests-signing-key-0123456789",)
HOST = "https://app.partner.example"
FAST = Timing(
    autosave_idle=0.05,
    autosave_max=0.2,
    preview_idle=0.01,
    preview_spacing=0.0,
    official_idle=0.05,
)


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def world(clock: Clock) -> DemoWorld:
    world = demo_world(KEYS)
    world.backend.clock = clock
    return world


Mint = Callable[..., str]


@pytest.fixture
def mint(world: DemoWorld) -> Mint:
    def make(
        kind: DocumentKind | None = DocumentKind.INVOICE,
        document_id: int | None = None,
        **options: Any,
    ) -> str:
        return world.backend.mint(
            company=world.company,
            user_id=world.user_id,
            parent_origin=HOST,
            new_kind=None if document_id is not None else kind,
            document_id=document_id,
            options=EditorOptions(**options),
        )

    return make


def make_app(world: DemoWorld, clock: Clock, checker: WorkPool | None = None) -> Starlette:
    return create_editor_app(
        world.backend,
        signing_keys=KEYS,
        checker=checker,
        timing=FAST,
        clock=clock,
        extra_routes=world.backend.routes,
    )


@pytest.fixture
def client(world: DemoWorld, clock: Clock) -> Iterator[TestClient]:
    with TestClient(make_app(world, clock)) as client:
        yield client
