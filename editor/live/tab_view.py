"""What one tab shows now, so that an update after a patch carries only what
changed since it was last told (fragments, findings, line amounts)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from editor.amount_rows import line_amounts
from editor.live.draft import PatchResult
from editor.live.messages import Message, official_message, validation_summary
from editor.numbers import display_date, display_number
from editor.paths import parse_path, shape_of
from editor.render import block_html, editor_html, fragments, pending_official_html
from editor.shown_findings import ShownFinding
from invoicing.model import Party
from invoicing.totals import Totals

if TYPE_CHECKING:
    from editor.live.connection import Connection

_CLIENT_TEXTS = (
    "connection_online",
    "connection_saving",
    "connection_offline",
    "expired",
    "read_only_other_tab",
    "note",
    "action_failed",
    "errors_one",
    "errors_count",
    "no_problem",
)


def _display(path: str, value: Any, locale: str) -> Any:
    if not isinstance(value, str):
        return value
    shape = shape_of(parse_path(path))
    if shape.is_date:
        return display_date(value)
    return display_number(value, locale) if shape.is_decimal else value


class TabView:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.fragments: dict[str, str] = {}
        self.findings: tuple[ShownFinding, ...] | None = None
        self.line_amounts: list[str] | None = None
        self.totals: Totals | None = None
        self.official_state: str | None = None
        self.due: tuple[object, ...] | None = None  # what the totals panel's due date reads
        self.buyer: Party | None = None  # what the customer card and scope read

    def welcome(self, *, form_current: bool) -> Message:
        """Everything the tab shows (the form's HTML too, unless it has it already)."""
        connection = self.connection
        locale, read_only_reason = connection.locale, connection.read_only_reason
        live = connection.live_draft
        form = live.form(connection, read_only_reason)
        shown = live.shown(locale)
        self.fragments = fragments(live.analysis, shown, locale)
        self.findings = shown
        self.line_amounts = line_amounts(live.analysis, locale)
        self.totals = live.analysis.totals
        self.official_state = live.official["state"]
        message: Message = {
            "type": "welcome",
            "seq": live.state.seq,
            "saved_seq": live.saved_seq,
            "draft_key": sorted(live.keys)[0],
            "document_id": live.draft.document_id,
            "kind": live.draft.kind.value,
            "status": live.draft.status,
            "locale": locale,
            "parent_origin": connection.session.parent_origin,
            "theme_css_url": connection.branding.theme_css_url,
            "read_only": read_only_reason,
            "read_only_message": form.w[read_only_reason] if read_only_reason else None,
            "show_preview": form.show_preview,
            "fragments": self.fragments,
            "findings": [finding.as_json() for finding in shown],
            "line_amounts": self.line_amounts,
            "official": official_message(live.official, locale),
            "texts": {key: form.w[key] for key in _CLIENT_TEXTS},
        }
        if not form_current:
            message["html"] = editor_html(form, live.official)
        if form.show_preview or form.document_view:
            message["preview"] = live.preview_for(connection.branding, locale)
        return message

    def blocks(self, names: tuple[str, ...]) -> Message:
        """Blocks rendered again, as a remote update of the current patch number (the
        page swaps them as after another tab's patch), the official check as told."""
        connection = self.connection
        live = connection.live_draft
        form = live.form(connection, connection.read_only_reason)
        return {
            "type": "remote",
            "seq": live.state.seq,
            "outcome": "applied",
            "blocks": {name: block_html(name, form) for name in names},
            "official": official_message(live.official, connection.locale),
        }

    def update(self, result: PatchResult) -> Message:
        """What the tab is told after a patch of the writer's: the fragments,
        findings and line amounts that changed since it was last told."""
        connection = self.connection
        locale, writes = connection.locale, connection.writes
        live = connection.live_draft
        shown = live.shown(locale)
        message: Message = {
            "type": "ack" if writes else "remote",
            "seq": result.receipt.seq,
            "outcome": result.receipt.outcome,
            "error": result.receipt.error,
        }
        if live.official["state"] == "pending" != self.official_state:  # to run again
            message["official"] = {"state": "pending", "html": pending_official_html(locale)}
            self.official_state = "pending"
        # The fragments and amounts follow the totals and the findings: an edit that
        # changed neither (a name, a note) leaves them as told.
        totals = live.analysis.totals
        findings_changed = shown != self.findings
        document = live.analysis.document
        due = (document.due_date, document.payment_term, document.issue_date)
        due_changed, self.due = due != self.due, due  # the totals panel says when it is due
        buyer_changed, self.buyer = document.buyer != self.buyer, document.buyer  # its card
        if findings_changed or totals is not self.totals or due_changed or buyer_changed:
            current = fragments(live.analysis, shown, locale)
            told = self.fragments
            changed = {name: html for name, html in current.items() if html != told.get(name)}
            if changed:
                message["fragments"] = changed
                self.fragments = current
        if findings_changed:
            message["findings"] = [finding.as_json() for finding in shown]
            self.findings = shown
        if result.blocks or totals is not self.totals:
            amounts = line_amounts(live.analysis, locale)
            if result.blocks or amounts != self.line_amounts:
                message["line_amounts"] = amounts
                self.line_amounts = amounts
        self.totals = totals
        if result.blocks:
            form = live.form(connection, connection.read_only_reason)
            message["blocks"] = {name: block_html(name, form) for name in result.blocks}
        derived = result.derived or {}
        told = dict(derived) if writes else {**(result.values or {}), **derived}
        if told:
            message["values"] = {
                path: _display(path, value, locale) for path, value in told.items()
            }
        if result.validation_changed:
            message["events"] = [
                {"type": "validation.changed", "payload": validation_summary(live)}
            ]
        return message
