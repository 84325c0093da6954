"""What the editor's templates show: the draft's values as typed, the actions the
document's status allows, findings as people read them. Plain strings only; the
templates escape them."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from editor.analysis import Analysis
from editor.backend import Branding, Draft, EditorSession
from editor.buttons import REQUIRED_BUTTONS
from editor.buyer_card import buyer_card_lines
from editor.due_dates import due_field_text
from editor.i18n import words
from editor.numbers import display_date, display_number
from editor.paths import PathError, Token, parse_path, shape_of
from editor.shown_findings import ShownFinding, shown_findings
from invoicing.amount_warnings import import_report
from invoicing.deposits import FINAL_AFTER_DEPOSIT_MODE
from invoicing.html import Formatter, payment_means_name, unit_name
from invoicing.model import DocumentKind
from invoicing.original_language import ORIGINAL_LANGUAGE

ISSUED = frozenset({"finalized", "sent", "paid", "cancelled"})
UNITS = ("C62", "HUR", "DAY", "MON", "LS", "E48", "KGM", "MTR", "MTK", "LTR", "KMT", "SET")
VAT_CATEGORIES = ("S", "Z", "E", "AE", "K", "G", "O")
VAT_RATES = ("20", "10", "5.5", "2.1", "0")
PAYMENT_MEANS = ("58", "30", "48", "59", "49", "20", "10")
OPERATIONS = (
    ("", "operation_none"),
    ("B1", "operation_goods"),
    ("S1", "operation_services"),
    ("M1", "operation_mixed"),
)
# The subject of a legal note (BT-21), named for people rather than by its code.
NOTE_SUBJECTS = {
    "PMT": ("indemnité de recouvrement", "recovery fee"),
    "PMD": ("pénalités de retard", "late-payment penalties"),
    "AAB": ("escompte", "early-payment discount"),
    "AAI": ("information générale", "general information"),
    "SUR": ("remarques du vendeur", "seller's remarks"),
    "REG": ("mention réglementaire", "regulatory note"),
    "TXD": ("mention fiscale", "tax note"),
}
_NOT_ID = re.compile(r"[^a-z0-9]+")


def field_id(path: str) -> str:
    """'lines[2].quantity' -> 'f-lines-2-quantity' (an HTML id)."""
    return "f-" + _NOT_ID.sub("-", path.lower()).strip("-")


def raw_value(content: Mapping[str, Any], tokens: Sequence[Token]) -> Any:
    node: Any = content
    for token in tokens:
        if isinstance(token, int):
            if not isinstance(node, list) or token >= len(node):
                return None
        elif not isinstance(node, Mapping):
            return None
        node = node[token] if isinstance(token, int) else node.get(token)
    return node


@dataclass(frozen=True, slots=True)
class Action:
    name: str
    label: str
    primary: bool = False


@dataclass(frozen=True, slots=True)
class ImportNotice:
    """An imported document: whether it states its file's amounts, and where
    those differ from EN 16931's computation (one text per amount)."""

    faithful: bool
    message: str
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LineView:
    index: int
    number: int
    amount: str
    category: str


class FormView:
    """Everything the page's templates read for one draft."""

    def __init__(
        self,
        *,
        session: EditorSession,
        draft: Draft,
        content: Mapping[str, Any],
        analysis: Analysis,
        branding: Branding,
        read_only_reason: str | None = None,
        seller_logo: str | None = None,
    ) -> None:
        self.session = session
        self.seller_logo = seller_logo  # its path (editor.logo.image)
        self.draft = draft
        self.content = content
        self.analysis = analysis
        self.branding = branding
        self.locale = session.options.locale
        self.w = words(self.locale)
        self.fmt = Formatter(self.locale, analysis.document.currency)
        if read_only_reason is None and draft.status != "draft":
            read_only_reason = "read_only_issued"
        self.read_only_reason = read_only_reason

    # --- values -------------------------------------------------------------------------

    def value(self, path: str) -> str:
        try:
            tokens = parse_path(path)
            shape = shape_of(tokens)
        except PathError:
            return ""
        value = raw_value(self.content, tokens)
        if value is None or isinstance(value, Mapping | list):
            return ""
        if isinstance(value, bool):
            return "true" if value else ""
        text = str(value)
        if shape.is_date:
            return display_date(text)
        return display_number(text, self.locale) if shape.is_decimal else text

    original_language = ORIGINAL_LANGUAGE  # an issued document's, and its emails'

    @property
    def due_shown(self) -> str:
        """The due date an invoice's payment term gives (editor.due_dates)."""
        return due_field_text(self.analysis.document, self.fmt, self.locale)

    def checked(self, path: str, on: str) -> bool:
        return self.value(path) == on

    def id(self, path: str) -> str:
        return field_id(path)

    def count(self, path: str) -> int:
        items = raw_value(self.content, parse_path(path))
        return len(items) if isinstance(items, list) else 0

    # --- the document -------------------------------------------------------------------

    @property
    def kind(self) -> str:
        return self.draft.kind.value

    @property
    def scope(self) -> str:
        """The reform's scope: "e_invoicing", "b2g" or "e_reporting" (invoicing.scope)."""
        return self.analysis.scope.value

    @property
    def is_quote(self) -> bool:
        return self.draft.kind is DocumentKind.QUOTE

    @property
    def is_credit_note(self) -> bool:
        return self.draft.kind is DocumentKind.CREDIT_NOTE

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    @property
    def title(self) -> str:
        if self.draft.kind is DocumentKind.INVOICE and self.value("business_process")[1:] == (
            FINAL_AFTER_DEPOSIT_MODE
        ):
            return self.w["title_final_invoice"]
        return self.w[f"title_{self.draft.kind.value}"]

    @property
    def save_state(self) -> str:
        """The words key for what the server holds ('' for an issued document)."""
        if self.draft.status != "draft":
            return ""
        return "state_draft_saved" if self.draft.document_id is not None else "state_not_saved"

    @property
    def status_label(self) -> str:
        key = f"status_{self.draft.status}"
        masculine = self.is_credit_note or self.is_quote  # "un avoir émis", "un devis envoyé"
        if masculine and f"{key}_masculine" in self.w:
            key = f"{key}_masculine"
        return self.w[key]

    @property
    def has_buyer(self) -> bool:
        buyer = self.content.get("buyer")
        return isinstance(buyer, Mapping) and bool(buyer.get("name"))

    @property
    def buyer_siren(self) -> str | None:
        """Whose routing the page asks the PA's directory for."""
        siren = self.analysis.document.buyer.siren
        return siren if siren and len(siren) == 9 and siren.isdigit() else None

    @property
    def buyer_lines(self) -> tuple[str, ...]:
        return buyer_card_lines(self.analysis.document.buyer, self.w)

    @property
    def seller_name(self) -> str:
        return self.analysis.document.seller.name or ""

    @property
    def lines(self) -> list[LineView]:
        totals = self.analysis.totals.lines
        raw_lines = self.content.get("lines")
        count = len(raw_lines) if isinstance(raw_lines, list) else 0
        views = []
        for index in range(count):
            amount = self.fmt.money(totals[index].net_amount) if index < len(totals) else ""
            views.append(
                LineView(
                    index, index + 1, amount, self.value(f"lines[{index}].vat_category") or "S"
                )
            )
        return views

    @property
    def notes(self) -> list[tuple[int, str]]:
        notes = self.content.get("notes")
        if not isinstance(notes, list):
            return []
        return [
            (index, str(note.get("subject") or "") if isinstance(note, Mapping) else "")
            for index, note in enumerate(notes)
        ]

    def note_subject(self, code: str) -> str:
        names = NOTE_SUBJECTS.get(code)
        if names is None:
            return ""
        return names[0] if self.locale.startswith("fr") else names[1]

    # --- choices ------------------------------------------------------------------------

    def units(self) -> list[tuple[str, str]]:
        language = "fr" if self.locale.startswith("fr") else "en"
        return [(code, unit_name(code, language)) for code in UNITS]

    def vat_categories(self) -> list[tuple[str, str]]:
        return [(code, self.w[f"vat_{code}"]) for code in VAT_CATEGORIES]

    def vat_rates(self) -> list[tuple[str, str]]:
        return [
            (display_number(rate, self.locale), self.fmt.percent(Decimal(rate)))
            for rate in VAT_RATES
        ]

    def payment_means(self) -> list[tuple[str, str]]:
        language = "fr" if self.locale.startswith("fr") else "en"
        return [(code, payment_means_name(code, language)) for code in PAYMENT_MEANS]

    def operations(self) -> list[tuple[str, str]]:
        """Plain words for the billing mode (BT-23): the code is derived. A variant the
        document carries (already paid, final invoice after deposit) is named too."""
        choices = [(code, self.w[key]) for code, key in OPERATIONS]
        current = self.value("business_process")
        what = dict(choices).get(current[:1] + "1") if len(current) == 2 else None
        if current and current not in dict(choices) and what:
            suffix = {"2": "operation_paid", "4": "operation_final"}.get(current[1:])
            if suffix:
                choices.append((current, self.w[suffix].format(what=what)))
        return choices

    # --- actions and panels -------------------------------------------------------------

    @property
    def actions(self) -> list[Action]:
        draft, hidden = self.draft, self.session.options.hidden_buttons - REQUIRED_BUTTONS
        stored = draft.document_id is not None
        kind = draft.kind
        invoice_like = kind in (DocumentKind.INVOICE, DocumentKind.DEPOSIT_INVOICE)
        names: list[str] = []
        if draft.status == "draft" and self.read_only_reason is None:
            names += ["save", "finalize"]
        issued = stored and draft.status != "draft"
        if issued and self.session.can_email:
            names.append("send_email")
        if stored and (draft.saved or issued):
            names.append("download_pdf")
        if issued and kind is not DocumentKind.QUOTE:
            names.append("download_xml")
        if invoice_like and draft.status in ("finalized", "sent", "partially_paid"):
            names.append("record_payment")
        if kind is DocumentKind.QUOTE and stored and draft.saved and draft.status != "converted":
            names.append("convert")
        if kind is DocumentKind.QUOTE and draft.status in ("finalized", "sent", "accepted"):
            names.append("deposit")
        if kind is DocumentKind.INVOICE and draft.status == "draft" and draft.deposits_to_deduct:
            names.append("deduct_deposits")  # issued deposits of its customer exist
        deposit_draft = kind is DocumentKind.DEPOSIT_INVOICE and draft.status == "draft"
        if deposit_draft and self.read_only_reason is None:
            names.append("deposit_total")
        if invoice_like and draft.status in ("finalized", "sent", "partially_paid", "paid"):
            names.append("credit_note")
        if stored and kind is not DocumentKind.CREDIT_NOTE:
            names.append("duplicate")
        if stored and (draft.status == "draft" or kind is DocumentKind.QUOTE):
            names.append("delete")
        return [
            Action(name, self.w[name], primary=name in ("save", "credit_note", "record_payment"))
            for name in names
            if name not in hidden
        ]

    @property
    def document_view(self) -> bool:
        """An issued document is shown as the document itself (its printed HTML, as
        the PDF), not as a form of locked fields."""
        return self.draft.status != "draft"

    @property
    def show_preview(self) -> bool:
        """The preview panel beside the form (a draft's)."""
        if self.document_view:
            return False
        options = self.session.options
        if "preview" in options.hidden_buttons:
            return False
        return not (options.hide_preview_after_save and self.draft.saved)

    @property
    def contacts_inline(self) -> bool:
        return self.session.options.contacts == "editor"

    def findings(self) -> list[ShownFinding]:
        return shown_findings(self.analysis.findings, self.draft, self.locale)

    @property
    def import_notice(self) -> ImportNotice | None:
        """None unless the document was imported from a CII file."""
        report = import_report(self.analysis.document)
        if report is None:
            return None
        french = self.locale == "fr"
        return ImportNotice(
            faithful=report.faithful,
            message=report.message_fr if french else report.message_en,
            warnings=tuple(w.message_fr if french else w.message_en for w in report.warnings),
        )
