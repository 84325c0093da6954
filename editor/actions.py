"""What the toolbar's buttons and the search boxes ask of the server.

Each request carries an `id`; the answer is `{type: "result", id, ok, ...}`
with the events the page posts to its parent (`document.saved`...).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from editor import credit_dialog, deposit_flows, emailing, flows
from editor.backend import ActionRefused, Contact, Draft, NotFound
from editor.contact_form import ContactInvalid, lookups, read_contact, same_customer
from editor.i18n import words
from editor.live.messages import Message, created_event, validation_summary
from editor.refusals import (
    field_refusals,
    refusal_message,
    said_field_errors,
    server_refusal_message,
)
from editor.render import block_html, contact_options, product_options
from invoicing.field_errors import FieldError
from invoicing.totals import Totals

if TYPE_CHECKING:
    from editor.live.connection import Connection

logger = logging.getLogger("blanche.editor")

SEARCH_LIMIT = 8


class Refusal(Exception):
    """A refusal said in the user's words; `detail` is for the host page's logs."""

    def __init__(
        self, code: str, message: str, errors: tuple[FieldError, ...] = (), detail: str = ""
    ) -> None:
        super().__init__(message)
        self.code, self.message, self.errors, self.detail = code, message, errors, detail


def _request_id(message: Mapping[str, Any]) -> int | str | None:
    value = message.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return value[:40] if isinstance(value, str) else None


def _money(value: Any) -> str:
    return format(Decimal(value), ".2f")


def totals_payload(totals: Totals, currency: str) -> dict[str, str]:
    return {
        "currency": currency,
        "tax_exclusive": _money(totals.tax_exclusive_total),
        "vat": _money(totals.vat_total),
        "tax_inclusive": _money(totals.tax_inclusive_total),
        "amount_due": _money(totals.amount_due),
    }


def saved_payload(
    draft: Draft, totals: Totals, currency: str, valid: bool, saved_at: dt.datetime
) -> dict[str, Any]:
    """`document.saved` (embed/events/document.saved.schema.json)."""
    summary = totals_payload(totals, currency)
    return {
        "document_id": draft.document_id,
        "id": draft.document_id,  # the first names, kept in version 1
        "kind": draft.kind.value,
        "status": draft.status,
        "number": draft.number,
        "valid": valid,
        "saved_at": saved_at.isoformat(timespec="seconds"),
        "totals": summary,
        "currency": currency,
        "tax_exclusive_amount": summary["tax_exclusive"],
        "vat_amount": summary["vat"],
        "tax_inclusive_amount": summary["tax_inclusive"],
        "amount_due": summary["amount_due"],
    }


class Actions:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    @property
    def w(self) -> dict[str, str]:
        return words(self.connection.locale)

    async def run(self, message: Mapping[str, Any]) -> None:
        connection = self.connection
        request = _request_id(message)
        name = message.get("action")
        live = connection.live_draft
        allowed = {
            action.name for action in live.form(connection, connection.read_only_reason).actions
        }
        params = message.get("params")
        params = params if isinstance(params, Mapping) else {}
        handlers: dict[str, Callable[[], Awaitable[Message]]] = {
            "save": self.save,
            "finalize": self.finalize,
            "download_pdf": self.download_pdf,
            "record_payment": lambda: flows.record_payment(self, params),
            "convert": self.convert,
            "credit_note": lambda: flows.credit_note(self, params),
            "duplicate": lambda: flows.duplicate(self),
            "delete": lambda: flows.delete(self),
            "deposit": lambda: deposit_flows.create(self, params),
            "deduct_deposits": lambda: deposit_flows.deduct(self, params),
            "deposit_total": lambda: deposit_flows.set_total(self, params),
            "send_email": lambda: emailing.send(self, params),
            "download_xml": self.download_xml,
            "options": lambda: self._options(params),
        }
        handler = handlers.get(name) if isinstance(name, str) else None
        try:
            wanted = params.get("for") if name == "options" else name
            if handler is None or wanted not in allowed or not connection.writes:
                raise Refusal("not_available", refusal_message("not_available", self.locale))
            result = await handler()
        except Refusal as refusal:
            result = self._refused(refusal)
        except ActionRefused as refused:
            result = self._refused(self._translated(refused))
        except NotFound:
            result = self._refused(Refusal("not_found", refusal_message("not_found", self.locale)))
        await connection.send({"type": "result", "id": request, "action": name, **result})

    async def _options(self, params: Mapping[str, Any]) -> Message:
        wanted = params.get("for")
        if wanted == "credit_note":
            return await credit_dialog.options(self, params)
        if wanted in ("deposit", "deduct_deposits", "deposit_total"):
            return await deposit_flows.options(self, wanted)
        if wanted == "send_email":
            return await emailing.options(self)
        return await flows.options(self)

    @property
    def locale(self) -> str:
        return self.connection.locale

    def _translated(self, refused: ActionRefused) -> Refusal:
        """A refusal from the server in the user's words: its own sentence when it says
        it in the user's language, else the words of its code."""
        if refused.message is not None:
            return Refusal(
                refused.code,
                server_refusal_message(refused.code, refused.message, self.locale),
                said_field_errors(refused.errors),
                detail=refused.detail[:500],
            )
        return Refusal(
            refused.code,
            refusal_message(refused.code, self.locale),
            tuple(field_refusals(refused.errors, self.locale)),
            detail=refused.detail[:500],
        )

    def _refused(self, refusal: Refusal) -> Message:
        payload = {"code": refusal.code, "message": refusal.message}
        if refusal.detail:
            payload["detail"] = refusal.detail
        return {
            "ok": False,
            "code": refusal.code,
            "message": refusal.message,
            "errors": [error.as_dict() for error in refusal.errors],
            "events": [{"type": "error", "payload": payload}],
        }

    # --- document actions ---------------------------------------------------------------

    async def _save(self) -> tuple[Message, list[Message]]:
        connection = self.connection
        live = connection.live_draft
        analysis = live.analysis
        if analysis.input_findings:
            raise Refusal("unreadable", self.w["fix_input_first"])
        try:
            official = await live.official_now()
        except Exception:
            logger.exception("official check failed on save")
            official = {"state": "skipped"}
        async with live.lock:
            snapshot = live.snapshot()
            stored = await connection.backend.save_document(
                connection.session, snapshot, analysis.document
            )
            created = live.draft.document_id is None
            live.draft = replace(
                live.draft,
                document_id=stored.document_id,
                status=stored.status,
                number=stored.number,
                saved=True,
                deposits_to_deduct=stored.deposits_to_deduct,
            )
            live.saved_seq = snapshot.seq
        connection.registry.alias(live)
        valid = validation_summary(live)["valid"] and official.get("state") in ("ok", "quote")
        events = [created_event(live.draft)] if created else []
        events.append(
            {
                "type": "document.saved",
                "payload": saved_payload(
                    live.draft,
                    analysis.totals,
                    analysis.document.currency,
                    valid,
                    connection.clock(),
                ),
            }
        )
        return official, events

    async def save(self) -> Message:
        _, events = await self._save()
        return self._done(self.w["saved"], events, hide_preview=True)

    def _done(self, text: str, events: list[Message], *, hide_preview: bool = False) -> Message:
        connection = self.connection
        live = connection.live_draft
        form = live.form(connection, connection.read_only_reason)
        return {
            "ok": True,
            "message": text,
            "events": events,
            "saved_seq": live.saved_seq,
            "document_id": live.draft.document_id,
            "blocks": {"header": block_html("header", form)},
            "hide_preview": hide_preview and not form.show_preview,
        }

    async def _refresh_all(self, draft: Draft) -> None:
        """The stored document changed state: every tab shows it again."""
        from editor.live.connection import Connection

        live = self.connection.live_draft
        live.reset(draft)
        for peer in live.peers:
            if isinstance(peer, Connection):
                await peer.send(peer.welcome(form_current=False))

    async def finalize(self) -> Message:
        connection = self.connection
        official, events = await self._save()
        live = connection.live_draft
        shown = live.shown(connection.locale)
        if any(f.severity == "error" for f in shown) or official.get("state") == "errors":
            refusal = self._refused(Refusal("invalid", self.w["fix_errors_first"]))
            refusal["events"] = events + refusal["events"]
            return refusal
        assert live.draft.document_id is not None
        stored = await connection.backend.finalize(connection.session, live.draft.document_id)
        await self._refresh_all(
            await connection.backend.open_draft(connection.session, stored.document_id)
        )
        issued = connection.live_draft.analysis
        events.append(
            {
                "type": "document.finalized",
                "payload": {
                    "document_id": stored.document_id,
                    "id": stored.document_id,
                    "kind": stored.kind.value,
                    "number": stored.number,
                    "issue_date": str(issued.document.issue_date or connection.clock().date()),
                    "totals": totals_payload(issued.totals, issued.document.currency),
                },
            }
        )
        return self._done(self.w["finalized"].format(number=stored.number), events)

    async def _derive(self, make: Callable[[Any, int], Awaitable[Draft]]) -> Message:
        connection = self.connection
        source = connection.live_draft.draft.document_id
        assert source is not None
        created = await make(connection.session, source)
        assert created.document_id is not None
        await connection.switch(created.document_id)
        event = created_event(created)
        event["payload"]["source_id"] = source
        return self._done("", [event])

    async def convert(self) -> Message:
        return await self._derive(self.connection.backend.convert_quote)

    async def download_pdf(self) -> Message:
        connection = self.connection
        live = connection.live_draft
        events: list[Message] = []
        if live.draft.status == "draft":
            _, events = await self._save()
        assert live.draft.document_id is not None
        url = await connection.backend.pdf_url(connection.session, live.draft.document_id)
        result = self._done("", events)
        result["url"] = url
        return result

    async def download_xml(self) -> Message:
        connection = self.connection
        document_id = connection.live_draft.draft.document_id
        assert document_id is not None
        result = self._done("", [])
        result["url"] = await connection.backend.xml_url(connection.session, document_id)
        return result

    # --- searches and contacts ----------------------------------------------------------

    async def lookup(self, kind: str, message: Mapping[str, Any]) -> None:
        connection = self.connection
        request = _request_id(message)
        result: Message
        if kind == "contact.create":
            try:
                result = await self.create_contact(message.get("contact"))
            except Refusal as refusal:
                result = self._refused(refusal)
            except ActionRefused as refused:
                result = self._refused(self._translated(refused))
        else:
            query = message.get("query")
            query = query.strip()[:100] if isinstance(query, str) else ""
            if kind == "contacts.search":
                contacts = await connection.backend.search_contacts(
                    connection.session, query, SEARCH_LIMIT
                )
                html = contact_options(contacts, connection.locale)
                count = len(contacts)
            else:
                products = await connection.backend.search_products(
                    connection.session, query, SEARCH_LIMIT
                )
                html = product_options(products, connection.locale)
                count = len(products)
            result = {"ok": True, "html": html, "count": count, "query": query}
        await connection.send({"type": "result", "id": request, "action": kind, **result})

    async def create_contact(self, data: Any) -> Message:
        connection = self.connection
        if connection.session.options.contacts != "editor" or not connection.writes:
            raise Refusal("not_available", refusal_message("not_available", self.locale))
        try:
            contact = read_contact(data, self.locale)
        except ContactInvalid as invalid:
            message = refusal_message("validation_failed", self.locale)
            raise Refusal("validation_failed", message, invalid.errors) from None
        force = isinstance(data, Mapping) and data.get("force") is True
        if not force:
            for query in lookups(contact):
                found = await connection.backend.search_contacts(
                    connection.session, query, SEARCH_LIMIT
                )
                for existing in found:
                    if same_customer(existing, contact):
                        return self._duplicate(existing)
        created = await connection.backend.create_contact(connection.session, contact)
        return {
            "ok": True,
            "contact_id": created.id,
            "events": [
                {
                    "type": "contact.created",
                    "payload": {
                        "contact_id": created.id,
                        "id": created.id,
                        "kind": created.kind,
                        "name": created.name,
                    },
                }
            ],
        }

    def _duplicate(self, existing: Contact) -> Message:
        """Not an error: the customer exists already; the form proposes it."""
        detail = existing.siren or existing.email or existing.address.city or ""
        name = f"{existing.name} ({detail})" if detail else existing.name
        return {
            "ok": False,
            "code": "duplicate",
            "message": self.w["duplicate_customer"].format(name=name),
            "existing": {"id": existing.id, "name": existing.name},
            "errors": [],
        }
