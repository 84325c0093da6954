"""What every live draft of the process shares, and what it asks of a tab."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from editor.backend import Branding, EditorBackend, EditorSession
from editor.live.limits import LiveLimits, PartnerGates
from editor.live.messages import Message
from editor.loop_lag import LoopLag
from editor.work_pool import WorkPool


@dataclass(frozen=True, slots=True)
class Timing:
    """Delays, in seconds, of the work done when the user pauses."""

    autosave_idle: float = 1.0
    autosave_max: float = 5.0
    preview_idle: float = 0.12
    # While the user keeps typing, the preview (the whole document's HTML: the most
    # expensive thing a keystroke can cause) follows at most once a second; the form's
    # totals follow every keystroke.
    preview_spacing: float = 1.0
    jitter: float = 0.25  # of autosave_max and preview_spacing (see editor.live.debounce)
    official_idle: float = 1.5
    hello_timeout: float = 15.0


class Peer(Protocol):
    """A connection showing a live draft."""

    tab: str
    session: EditorSession
    branding: Branding

    @property
    def locale(self) -> str: ...

    async def send(self, message: Message) -> None: ...

    async def show_official(self, official: Mapping[str, Any]) -> None: ...

    async def show_blocks(self, names: tuple[str, ...]) -> None: ...

    async def close(self, code: int) -> None: ...

    async def promoted(self) -> None: ...


class Services:
    """What every live draft of the process shares."""

    def __init__(
        self,
        backend: EditorBackend,
        checker: WorkPool | None,
        stylesheets: Callable[[Branding], list[str]],
        timing: Timing,
        limits: LiveLimits | None = None,
        own_origins: frozenset[str] = frozenset(),
    ) -> None:
        self.backend = backend
        self.checker = checker
        self.stylesheets = stylesheets
        self.timing = timing
        self.gates = PartnerGates(limits or LiveLimits())
        self.own_origins = own_origins  # where the editor page is served from
        self.loop_lag = LoopLag()
