"""The drafts open in this process: state, who writes, who watches, and the work
done when the user pauses (autosave, preview, official check).

One `LiveDraft` per document however many tabs show it. The first tab writes;
a second tab (another `tab` id) is a viewer: read-only, kept up to date, and
promoted when the writer leaves. The same tab reconnecting replaces its old
connection (a dropped socket the server has not noticed yet). Across processes,
`EditorBackend.save_draft` is a compare-and-set on the patch number: the
process that loses is told and its tabs become read-only.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from editor.analysis import PROFILE, Analysis, DraftReader, analyse
from editor.backend import (
    Branding,
    Draft,
    DraftConflict,
    EditorBackend,
    EditorSession,
    NotFound,
)
from editor.live_limits import LiveLimits, PartnerGates
from editor.loop_lag import LoopLag
from editor.patches import (
    AddLine,
    DraftSession,
    Patch,
    PatchError,
    Receipt,
    SetCustomer,
    SetField,
    changed_fields,
    parse_patch,
)
from editor.paths import parse_path
from editor.render import official_html, preview_html, profile_label
from editor.view import FormView, ShownFinding, shown_findings
from editor.work_pool import DeadlineMissed, PoolBusy, WorkPool
from invoicing.model import DocumentKind
from invoicing.rules import official_ids_of

logger = logging.getLogger("blanche.editor")

Message = dict[str, Any]
DRAFT_NUMBER = "DRAFT-0"
PENDING_SLICE = 0.005  # seconds of patches from a hello between two turns of the loop


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
    jitter: float = 0.25  # of autosave_max and preview_spacing (see _Debounce)
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

    async def close(self, code: int) -> None: ...

    async def promoted(self) -> None: ...


@dataclass(frozen=True, slots=True)
class PatchResult:
    receipt: Receipt
    blocks: tuple[str, ...] = ()
    values: Mapping[str, Any] | None = None
    validation_changed: bool = False


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


class _Debounce:
    """Runs `action` once the calls stop for `idle` seconds (or `longest` after the
    first), and never sooner than `spacing` seconds after its last run.

    `spacing` is also multiplied by `load_stretch()` (the process's load, see
    editor.loop_lag). `longest` and `spacing` are stretched by a random factor in
    1 ± `jitter`, drawn each round: drafts that started together (a crowd reconnecting
    after a restart) drift apart instead of saving and rendering all in the same instant.

    A poke only moves the deadline; the one timer, when it rings early, sleeps
    again until the deadline (a keystroke costs no timer of its own)."""

    def __init__(
        self,
        idle: float,
        longest: float | None,
        action: Callable[[], Coroutine[Any, Any, None]],
        spacing: float = 0.0,
        jitter: float = 0.0,
        load_stretch: Callable[[], float] | None = None,
    ):
        self._idle, self._longest, self._action = idle, longest, action
        self._spacing, self._jitter = spacing, jitter
        self._load_stretch = load_stretch
        self._stretch = 1.0
        self._handle: asyncio.TimerHandle | None = None
        self._first: float | None = None
        self._deadline = 0.0
        self._last_run = float("-inf")
        self._tasks: set[asyncio.Task[None]] = set()

    def poke(self) -> None:
        loop = asyncio.get_running_loop()
        now = loop.time()
        if self._first is None:
            self._first = now
            self._stretch = random.uniform(1 - self._jitter, 1 + self._jitter)
        self._deadline = now + self._idle
        if self._longest is not None:
            self._deadline = min(self._deadline, self._first + self._longest * self._stretch)
        spacing = self._spacing * self._stretch
        if self._load_stretch is not None:
            spacing *= self._load_stretch()
        self._deadline = max(self._deadline, self._last_run + spacing)
        if self._handle is None:
            self._handle = loop.call_at(self._deadline, self._ring)

    def _ring(self) -> None:
        loop = asyncio.get_running_loop()
        if loop.time() < self._deadline:
            self._handle = loop.call_at(self._deadline, self._ring)
            return
        self._handle, self._first, self._last_run = None, None, loop.time()
        task = loop.create_task(self._action())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def cancel(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
        self._handle, self._first = None, None

    async def drain(self) -> None:
        """Wait for the runs already started."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)


def _blocks_for(patch: Patch) -> tuple[str, ...]:
    """The blocks of the form to render again after `patch` (its structure changed)."""
    if isinstance(patch, SetCustomer):
        return ("customer",)
    if not isinstance(patch, SetField):
        return ("lines",)
    tokens = parse_path(patch.path)
    if isinstance(tokens[-1], int):  # a list item removed
        return {"lines": ("lines",), "notes": ("notes",), "buyer": ("customer",)}.get(
            str(tokens[0]), ("details",)
        )
    return ()


class LiveDraft:
    def __init__(
        self,
        key: str,
        draft: Draft,
        writer_session: EditorSession,
        services: Services,
        first: tuple[DraftReader, Analysis] | None = None,  # its analysis, made already
    ):
        self.keys = {key}
        self.draft = draft  # its metadata; the content is `state.content`
        self.state = DraftSession(draft.content, draft.contact_id, draft.seq)
        self.saved_seq = draft.seq
        self.session = writer_session  # used for backend calls
        self.services = services
        self.locale = writer_session.options.locale
        self._shown: dict[str, tuple[Analysis, str, tuple[ShownFinding, ...]]] = {}
        if first is not None and first[0].locale == self.locale:
            self._reader, self.analysis = first
        else:
            self._reader = DraftReader(self.locale)
            self.analysis = self._analyse()
        self.official: Message = {"state": "pending"}
        self.writer: Peer | None = None
        self.viewers: list[Peer] = []
        self.lock = asyncio.Lock()  # one backend write at a time
        self.conflicted = False
        timing = services.timing
        self._autosave = _Debounce(
            timing.autosave_idle, timing.autosave_max, self.autosave, jitter=timing.jitter
        )
        self._preview = _Debounce(
            timing.preview_idle,
            0.5,
            self.push_preview,
            spacing=timing.preview_spacing,
            jitter=timing.jitter,
            load_stretch=services.loop_lag.stretch,
        )
        services.loop_lag.start()
        self._official = _Debounce(timing.official_idle, None, self.run_official)
        self._official.poke()

    def _analyse(
        self, previous: Analysis | None = None, changed: tuple[str, ...] | None = None
    ) -> Analysis:
        if self._reader.locale != self.locale:  # the writer's language reads the numbers
            self._reader = DraftReader(self.locale)
            previous = None
        return analyse(
            self.state.content,
            self.locale,
            reader=self._reader,
            previous=previous,
            changed=changed,
        )

    def shown(self, locale: str) -> tuple[ShownFinding, ...]:
        """The findings as people read them in `locale`. A patch asks three times
        (the summary before and after, the acknowledgement): kept per analysis."""
        analysis, status = self.analysis, self.draft.status
        kept = self._shown.get(locale)
        if kept is None or kept[0] is not analysis or kept[1] != status:
            kept = (analysis, status, tuple(shown_findings(analysis.findings, self.draft, locale)))
            self._shown[locale] = kept
        return kept[2]

    def summary(self) -> tuple[int, int]:
        """(errors, warnings) the user is shown."""
        shown = self.shown(self.locale)
        errors = sum(1 for finding in shown if finding.severity == "error")
        return errors, len(shown) - errors

    # --- peers --------------------------------------------------------------------------

    @property
    def peers(self) -> list[Peer]:
        return ([self.writer] if self.writer else []) + self.viewers

    def is_editable(self) -> bool:
        return self.draft.status == "draft" and not self.conflicted

    def form(self, peer: Peer, read_only_reason: str | None) -> FormView:
        return FormView(
            session=peer.session,
            draft=self.draft,
            content=self.state.content,
            analysis=self.analysis,
            branding=peer.branding,
            read_only_reason=read_only_reason,
        )

    # --- patches ------------------------------------------------------------------------

    async def _resolve(self, patch: Patch) -> Patch:
        backend = self.services.backend
        try:
            if isinstance(patch, AddLine) and patch.product_id is not None:
                product = await backend.product(self.session, patch.product_id)
                return replace(patch, product=product)
            if isinstance(patch, SetCustomer) and patch.contact_id is not None:
                contact = await backend.contact(self.session, patch.contact_id)
                return replace(patch, contact=contact)
        except NotFound:
            raise PatchError("no such product or contact") from None
        return patch

    async def receive(self, message: Mapping[str, Any], seq: int) -> PatchResult:
        """Apply one patch message from the writer, exactly once."""
        expectation = self.state.expects(seq)
        if expectation != "next":
            return PatchResult(Receipt(expectation, self.state.seq))
        if not self.is_editable():
            return PatchResult(Receipt("rejected", self.state.seq, "read-only"))
        try:
            patch = await self._resolve(parse_patch(message))
        except PatchError as error:
            self.state.seq = seq  # the number is used up: a replay gives the same draft
            return PatchResult(Receipt("rejected", seq, str(error)))
        content_before = self.state.content
        receipt = self.state.receive(patch)
        if receipt.outcome != "applied":
            return PatchResult(receipt)
        previous, before = self.analysis, self.summary()
        self.analysis = self._analyse(previous, changed_fields(patch, content_before))
        self.official = {"state": "pending"}
        self._autosave.poke()
        self._preview.poke()
        self._official.poke()
        values = {patch.path: patch.value} if isinstance(patch, SetField) else None
        return PatchResult(
            receipt,
            blocks=_blocks_for(patch),
            values=values,
            validation_changed=before != self.summary(),
        )

    async def receive_pending(self, messages: Sequence[Mapping[str, Any]]) -> None:
        """The patches a `hello` carries (each with a valid `seq`), in order, exactly
        once, up to the first gap. They are applied to a copy of the draft, with a
        pause for the event loop every `PENDING_SLICE` seconds (other tabs and other
        partners are served meanwhile), then the copy is taken at once and analysed
        once: the analysis of a big draft, not the patches, is what costs."""
        if not self.is_editable():
            return
        base = self.state
        work = DraftSession(base.content, base.contact_id, base.seq)
        loop = asyncio.get_running_loop()
        slice_started = loop.time()
        for message in messages:
            seq = message["seq"]
            expectation = work.expects(seq)
            if expectation == "gap":
                break
            if expectation == "duplicate":
                continue
            try:
                patch = await self._resolve(parse_patch(message))
            except PatchError:
                work.seq = seq  # the number is used up, as in `receive`
                continue
            work.receive(patch)
            if loop.time() - slice_started >= PENDING_SLICE:
                await asyncio.sleep(0)
                slice_started = loop.time()
        if work.seq == base.seq:
            return
        # The analysis of a long draft takes a while: in a thread, so that the event
        # loop keeps its turns (the interpreter switches threads every few ms).
        reader = DraftReader(self.locale)
        analysis = await asyncio.to_thread(analyse, work.content, self.locale, reader=reader)
        if self.state is not base or not self.is_editable() or reader.locale != self.locale:
            return  # changed meanwhile (an action, this tab replaced): the tab resends
        self.state, self._reader, self.analysis = work, reader, analysis
        self.official = {"state": "pending"}
        self._autosave.poke()
        self._preview.poke()
        self._official.poke()

    # --- autosave -----------------------------------------------------------------------

    def snapshot(self) -> Draft:
        return replace(
            self.draft,
            content=self.state.content,
            seq=self.state.seq,
            contact_id=self.state.contact_id,
        )

    async def autosave(self) -> None:
        created = False
        async with self.lock:
            if not self.is_editable() or self.state.seq == self.saved_seq:
                return
            snapshot = self.snapshot()
            try:
                stored = await self.services.backend.save_draft(
                    self.session, snapshot, expected_seq=self.saved_seq
                )
            except DraftConflict:
                await self._conflict()
                return
            except Exception:
                logger.exception("autosave failed; retrying")
                self._autosave.poke()
                return
            created = self.draft.document_id is None and stored.document_id is not None
            self.draft = replace(self.draft, document_id=stored.document_id)
            self.saved_seq = snapshot.seq
        message: Message = {
            "type": "saved",
            "seq": self.saved_seq,
            "document_id": self.draft.document_id,
            "events": [created_event(self.draft)] if created else [],
        }
        for peer in self.peers:
            await peer.send(message)

    async def flush(self) -> None:
        self._autosave.cancel()
        await self.autosave()

    async def _conflict(self) -> None:
        self.conflicted = True
        for peer in self.peers:
            await peer.send({"type": "read_only", "reason": "read_only_other_tab"})

    # --- preview and official check -----------------------------------------------------

    def preview_for(self, branding: Branding, locale: str) -> str:
        return preview_html(
            self.analysis.document,
            self.analysis.totals,
            locale=locale,
            # The invoice is the seller's document: the partner's logo stays on the
            # editor around it, never on the invoice (the PDF prints none either).
            logo_data_uri=None,
            stylesheets=self.services.stylesheets(branding),
        )

    async def push_preview(self) -> None:
        rendered: dict[tuple[str, str | None], str] = {}
        for peer in self.peers:
            key = (peer.locale, peer.branding.theme_css_url)
            if key not in rendered:
                rendered[key] = self.preview_for(peer.branding, peer.locale)
            await peer.send({"type": "preview", "seq": self.state.seq, "html": rendered[key]})

    async def official_now(self) -> Message:
        """Run the official check on the current draft and tell every peer."""
        seq, analysis = self.state.seq, self.analysis
        official: Message
        if self.draft.kind is DocumentKind.QUOTE:
            official = {"state": "quote"}
        elif analysis.input_findings or self.services.checker is None:
            official = {"state": "skipped"}
        else:
            document = analysis.document
            if document.number is None:  # given at finalization; check the rest
                document = document.model_copy(update={"number": DRAFT_NUMBER})
            result = await self.services.checker.check(
                document, PROFILE, analysis.french, tenant=self.session.partner_id
            )
            official = {
                "state": "ok" if result["ok"] else "errors",
                "errors": result["errors"][:20],
                "error_count": len(result["errors"]),
                "profile": profile_label(analysis.french),
                # What the fast findings on screen already say (editor.official_view).
                "covered": sorted(official_ids_of(analysis.findings)),
            }
        official["seq"] = seq
        if seq == self.state.seq:
            self.official = official
            for peer in self.peers:
                await peer.show_official(official)
        return official

    async def run_official(self) -> None:
        try:
            official = await self.official_now()
        except (PoolBusy, DeadlineMissed) as busy:  # the pool is busy: later
            logger.info("official check postponed: %s", busy)
            self._official.poke()
            return
        except Exception:
            logger.exception("official check failed")
            return
        if official["seq"] != self.state.seq:
            self._official.poke()  # the draft changed meanwhile: check again later

    # --- lifecycle ----------------------------------------------------------------------

    def reset(self, draft: Draft) -> None:
        """After an action changed the stored document (finalized, paid...)."""
        self.draft = draft
        self.state = DraftSession(draft.content, draft.contact_id, draft.seq)
        self.saved_seq = draft.seq
        self.analysis = self._analyse()
        self.official = {"state": "pending"}
        self._official.poke()

    async def close(self) -> None:
        await self.flush()
        for debounce in (self._autosave, self._preview, self._official):
            debounce.cancel()
        for debounce in (self._autosave, self._preview, self._official):
            await debounce.drain()


def validation_summary(live: LiveDraft) -> dict[str, Any]:
    errors, warnings = live.summary()
    return {"valid": errors == 0, "errors": errors, "warnings": warnings}


def created_event(draft: Draft) -> Message:
    return {
        "type": "document.created",
        "payload": {
            "document_id": draft.document_id,
            "id": draft.document_id,  # its first name, kept (embed/events/)
            "kind": draft.kind.value,
        },
    }


def official_message(official: Mapping[str, Any], locale: str) -> Message:
    return {
        "type": "official",
        "seq": official.get("seq"),
        "state": official["state"],
        "ok": official["state"] == "ok",
        "html": official_html(official, locale),
    }


class LiveDrafts:
    """The registry: draft key -> LiveDraft, with who writes each."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self._drafts: dict[str, LiveDraft] = {}
        self._opening: dict[str, asyncio.Lock] = {}

    def __len__(self) -> int:
        return len({id(live) for live in self._drafts.values()})

    @staticmethod
    def session_key(session: EditorSession) -> str:
        return f"d{session.document_id}" if session.document_id is not None else f"s{session.key}"

    async def open(self, session: EditorSession, document_id: int | None = None) -> LiveDraft:
        key = f"d{document_id}" if document_id is not None else self.session_key(session)
        lock = self._opening.setdefault(key, asyncio.Lock())
        async with lock:
            live = self._drafts.get(key) or self._stored_as(document_id or session.document_id)
            if live is None:
                draft = await self.services.backend.open_draft(session, document_id)
                stored_key = f"d{draft.document_id}" if draft.document_id is not None else key
                live = self._drafts.get(stored_key)
                if live is None:
                    # A long draft's first analysis takes a while: in a thread, so that
                    # the event loop keeps its turns meanwhile.
                    locale = session.options.locale
                    reader = DraftReader(locale)
                    analysis = await asyncio.to_thread(
                        analyse, draft.content, locale, reader=reader
                    )
                    live = self._drafts.get(stored_key)  # opened meanwhile?
                if live is None:
                    live = LiveDraft(
                        stored_key, draft, session, self.services, first=(reader, analysis)
                    )
                    self._register(live, stored_key)
                self._register(live, key)
        if not lock.locked():
            self._opening.pop(key, None)
        return live

    def _stored_as(self, document_id: int | None) -> LiveDraft | None:
        """A draft opened as new here and stored since (autosave gave it an id)."""
        if document_id is None:
            return None
        for live in self._drafts.values():
            if live.draft.document_id == document_id:
                return live
        return None

    def _register(self, live: LiveDraft, key: str) -> None:
        live.keys.add(key)
        self._drafts[key] = live

    def alias(self, live: LiveDraft) -> None:
        """Once stored, a new draft is also found by its document id."""
        if live.draft.document_id is not None:
            self._register(live, f"d{live.draft.document_id}")

    async def join(self, live: LiveDraft, peer: Peer) -> bool:
        """Attach `peer`; True when it writes, False when it watches."""
        writer = live.writer
        if writer is not None and writer.tab == peer.tab:
            live.writer = None
            await writer.send({"type": "superseded"})
            await writer.close(4409)
        if live.writer is None:
            live.writer = peer
            live.session = peer.session
            live.locale = peer.session.options.locale
            return True
        live.viewers.append(peer)
        return False

    async def leave(self, live: LiveDraft, peer: Peer) -> None:
        if live.writer is peer:
            live.writer = None
            await live.flush()
            if live.viewers:
                successor = live.viewers.pop(0)
                live.writer = successor
                live.session = successor.session
                await successor.promoted()
        elif peer in live.viewers:
            live.viewers.remove(peer)
        if not live.peers:
            for key in live.keys:
                if self._drafts.get(key) is live:
                    del self._drafts[key]
            await live.close()
