"""One draft open in this process: its state, its tabs, and the work done when
the user pauses (autosave, preview, official check).

Across processes, `EditorBackend.save_draft` is a compare-and-set on the patch
number: the process that loses is told and its tabs become read-only.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from editor.analysis import PROFILE, Analysis, DraftReader, analyse
from editor.backend import (
    Branding,
    Draft,
    DraftConflict,
    DraftCustomer,
    EditorSession,
    NotFound,
)
from editor.live.debounce import Debounce
from editor.live.messages import Message, created_event
from editor.live.services import Peer, Services
from editor.patches import (
    AddLine,
    DraftSession,
    Patch,
    PatchError,
    Receipt,
    SetCustomer,
    SetField,
    changed_fields,
    derived_values,
    parse_patch,
)
from editor.paths import parse_path
from editor.render import preview_html, profile_label
from editor.shown_findings import ShownFinding, shown_findings
from editor.view import FormView
from editor.work_pool import DeadlineMissed, PoolBusy
from invoicing.legal_notes import without_company_b2b_notes
from invoicing.model import DocumentKind, Note
from invoicing.original_language import ORIGINAL_LANGUAGE
from invoicing.rules import official_ids_of

logger = logging.getLogger("blanche.editor")

DRAFT_NUMBER = "DRAFT-0"
PENDING_SLICE = 0.005  # seconds of patches from a hello between two turns of the loop
# An issued document has one original PDF (invoicing.original_language): the editor
# shows that one, not a translation of it.
ISSUED_LOCALE = ORIGINAL_LANGUAGE


@dataclass(frozen=True, slots=True)
class PatchResult:
    receipt: Receipt
    blocks: tuple[str, ...] = ()
    values: Mapping[str, Any] | None = None
    # Values the patch changed besides its own (the payment terms text following a
    # term): every tab is told them, the writer too.
    derived: Mapping[str, Any] | None = None
    validation_changed: bool = False


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
        logo: str | None = None,
        company_notes: Sequence[Note] = (),
    ):
        self.keys = {key}
        self.draft = draft  # its metadata; the content is `state.content`
        self.logo = logo  # the seller's logo the document prints (its path, by digest)
        self.company_notes = company_notes  # what issuing leaves out for a private buyer
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
        self._autosave = Debounce(
            timing.autosave_idle, timing.autosave_max, self.autosave, jitter=timing.jitter
        )
        self._preview = Debounce(
            timing.preview_idle,
            0.5,
            self.push_preview,
            spacing=timing.preview_spacing,
            jitter=timing.jitter,
            load_stretch=services.loop_lag.stretch,
        )
        services.loop_lag.start()
        self._official = Debounce(timing.official_idle, None, self.run_official)
        self._official.poke()
        # The customer `draft.deposits_to_deduct` answers for (the opened one's).
        self._deposits_customer: DraftCustomer | None = self.customer()

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

    def customer(self) -> DraftCustomer:
        """The customer as the form has it now, typed or chosen."""
        return DraftCustomer.of(self.analysis.document, self.state.contact_id)

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
            seller_logo=self.logo,
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
        derived = derived_values(patch, content_before, self.state.content)
        return PatchResult(
            receipt,
            blocks=_blocks_for(patch),
            values=values,
            derived=derived,
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
        await self.follow_customer_deposits()

    async def follow_customer_deposits(self) -> None:
        """ "Déduire des acomptes" follows the customer as the form has it: once the
        draft is stored (autosaved), a customer other than the one last asked about
        is asked about (one query per change of customer, not per keystroke), and
        the toolbar of every tab changes if the answer did."""
        draft = self.draft
        if draft.kind is not DocumentKind.INVOICE or not self.is_editable() or not self.peers:
            return  # no tab to show it to (closing): asked again when one opens it
        customer = self.customer()
        if draft.document_id is None or customer == self._deposits_customer:
            return
        self._deposits_customer = customer
        try:
            found = await self.services.backend.deposit_invoices(
                self.session, draft.document_id, customer
            )
        except Exception:
            logger.exception("deposits of the customer not read")
            self._deposits_customer = None  # asked again at the next autosave
            return
        if bool(found) == self.draft.deposits_to_deduct or self.draft is not draft:
            return
        self.draft = replace(draft, deposits_to_deduct=bool(found))
        for peer in self.peers:
            await peer.show_blocks(("header",))

    async def flush(self) -> None:
        self._autosave.cancel()
        await self.autosave()

    async def _conflict(self) -> None:
        self.conflicted = True
        for peer in self.peers:
            await peer.send({"type": "read_only", "reason": "read_only_other_tab"})

    # --- preview and official check -----------------------------------------------------

    def preview_for(self, branding: Branding, locale: str) -> str:
        document = self.analysis.document
        if self.draft.status != "draft":  # the original's language, as its PDF
            locale = ISSUED_LOCALE
        else:  # what issuing will print: no B2B-only notes to a private person
            document = without_company_b2b_notes(document, self.company_notes)
        return preview_html(
            document,
            self.analysis.totals,
            locale=locale,
            # The invoice is the seller's document: it prints the seller's logo (as
            # its PDF does); the partner's logo stays on the editor around it. A
            # path, not the image: this goes out again after every pause in typing.
            logo_url=self.logo,
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
        self._deposits_customer = self.customer()
        self.official = {"state": "pending"}
        self._official.poke()

    async def close(self) -> None:
        await self.flush()
        for debounce in (self._autosave, self._preview, self._official):
            debounce.cancel()
        for debounce in (self._autosave, self._preview, self._official):
            await debounce.drain()
