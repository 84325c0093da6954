"""BR-FR rules on the document itself: its number, dates, type, legal notes,
billing mode (BT-23) and attachments. Checked with the French option."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from invoicing.rules.engine import LINE_COUNT, TOTALS_READS, Context, Hit, rule
from invoicing.rules.french.codes import (
    ATTACHMENT_CODES,
    BILLING_MODES,
    FR_TYPE_CODES,
    MULTI_VENDOR_MODES,
    SELF_BILLED,
    SELF_BILLED_MULTI_MODES,
    valid_id,
)
from invoicing.rules.xpath import (
    normalize_space,
)

FAMILY = "french"


# --- identifiers of the invoice and of the preceding invoices ---------------


@rule(
    "BR-FR-01_BT-1",
    refs=("BR-FR-01_BT-1",),
    reads=("number",),
    french=True,
    fr="Le numéro de facture ne doit pas dépasser 35 caractères.",
    en="The invoice number must not exceed 35 characters.",
)
def number_length(ctx: Context) -> Iterator[Hit]:
    if len(ctx.doc.number or "") > 35:
        yield Hit(("number",))


@rule(
    "BR-FR-02_BT-1",
    refs=("BR-FR-02_BT-1",),
    reads=("number",),
    french=True,
    fr="Le numéro de facture ne peut contenir que lettres, chiffres et + - _ /, sans espace.",
    en="The invoice number may only hold letters, digits and + - _ /, without spaces.",
)
def number_format(ctx: Context) -> Iterator[Hit]:
    if not valid_id(ctx.doc.number or ""):
        yield Hit(("number",))


@rule(
    "BR-FR-01_BT-25",
    refs=("BR-FR-01_BT-25", "BR-FR-02_BT-25"),
    reads=("preceding_invoices.number",),
    french=True,
    fr="Le numéro de la facture antérieure ne peut contenir que lettres, chiffres et "
    "+ - _ /, sans espace, 35 caractères au plus.",
    en="The preceding invoice number may only hold letters, digits and + - _ /, without "
    "spaces, 35 characters at most.",
)
def preceding_number(ctx: Context) -> Iterator[Hit]:
    for index, preceding in enumerate(ctx.doc.preceding_invoices):
        refs = []
        if len(preceding.number) > 35:
            refs.append("BR-FR-01_BT-25")
        if not valid_id(preceding.number):
            refs.append("BR-FR-02_BT-25")
        if refs:
            yield Hit((f"preceding_invoices[{index}].number",), tuple(refs))


# --- dates ----------------------------------------------------------------------


@rule(
    "BR-FR-03",
    refs=(
        "BR-FR-03_BT-2",
        "BR-FR-03_BT-7",
        "BR-FR-03_BT-9",
        "BR-FR-03_BT-26",
        "BR-FR-03_BT-72",
        "BR-FR-03_BT-73",
        "BR-FR-03_BT-74",
        "BR-FR-03_EXT-FR-FE-134",
        "BR-FR-03_EXT-FR-FE-135",
    ),
    reads=(
        "issue_date",
        "tax_point_date",
        "due_date",
        "preceding_invoices.issue_date",
        "delivery.date",
        "invoicing_period",
        "lines.period",
        *TOTALS_READS,
    ),
    french=True,
    fr="Cette date doit être comprise entre 2000 et 2099.",
    en="This date must be between 2000 and 2099.",
)
def dates_in_range(ctx: Context) -> Iterator[Hit]:
    doc = ctx.doc

    def bad(value: dt.date) -> bool:
        return not 2000 <= value.year <= 2099

    if bad(ctx.issue_date):
        yield Hit(("issue_date",), ("BR-FR-03_BT-2",))
    if doc.tax_point_date and ctx.written_breakdown and bad(doc.tax_point_date):
        yield Hit(("tax_point_date",), ("BR-FR-03_BT-7",))
    if doc.due_date and bad(doc.due_date):
        yield Hit(("due_date",), ("BR-FR-03_BT-9",))
    for index, preceding in enumerate(doc.preceding_invoices):
        if preceding.issue_date and bad(preceding.issue_date):
            yield Hit((f"preceding_invoices[{index}].issue_date",), ("BR-FR-03_BT-26",))
    if doc.delivery and doc.delivery.date and bad(doc.delivery.date):
        yield Hit(("delivery.date",), ("BR-FR-03_BT-72",))
    period = doc.invoicing_period
    if period and period.start and bad(period.start):
        yield Hit(("invoicing_period.start",), ("BR-FR-03_BT-73",))
    if period and period.end and bad(period.end):
        yield Hit(("invoicing_period.end",), ("BR-FR-03_BT-74",))
    for index, line in enumerate(doc.lines):
        if line.period and line.period.start and bad(line.period.start):
            yield Hit((f"lines[{index}].period.start",), ("BR-FR-03_EXT-FR-FE-134",))
        if line.period and line.period.end and bad(line.period.end):
            yield Hit((f"lines[{index}].period.end",), ("BR-FR-03_EXT-FR-FE-135",))


# --- document type, notes, billing mode -------------------------------------------


@rule(
    "BR-FR-04_BT-3",
    refs=("BR-FR-04_BT-3",),
    reads=("type_code", "kind"),
    french=True,
    fr="Ce type de document n'est pas accepté en France (380 facture, 381 avoir, "
    "386 acompte, 384 rectificative, 389 autofacture...).",
    en="This document type is not accepted in France (380 invoice, 381 credit note, "
    "386 deposit, 384 corrective, 389 self-billed...).",
)
def french_type_code(ctx: Context) -> Iterator[Hit]:
    if ctx.type_code not in FR_TYPE_CODES:
        yield Hit(("type_code",))


_LEGAL_NOTES = (
    (
        "PMT",
        "l'indemnité forfaitaire pour frais de recouvrement (40 €)",
        "the fixed recovery fee (40 €)",
    ),
    ("PMD", "les pénalités de retard", "the late payment penalties"),
    (
        "AAB",
        "les conditions d'escompte (ou l'absence d'escompte)",
        "the early payment discount (or that there is none)",
    ),
)

for _code, _what_fr, _what_en in _LEGAL_NOTES:

    def _note_present(ctx: Context, code: str = _code) -> Iterator[Hit]:
        if not any(note.subject == code for note in ctx.doc.notes):
            yield Hit(("notes",))

    rule(
        f"BR-FR-05_BT-22_{_code}",
        refs=(f"BR-FR-05_BT-22_{_code}",),
        reads=("notes",),
        french=True,
        family="french",
        fr=f"Ajoutez la mention obligatoire sur {_what_fr} (note de sujet {_code}).",
        en=f"Add the mandatory mention of {_what_en} (note with subject {_code}).",
    )(_note_present)


@rule(
    "BR-FR-06",
    refs=("BR-FR-06_BT-21_PMT", "BR-FR-06_BT-21_PMD", "BR-FR-06_BT-21_AAB", "BR-FR-06_BT-21_TXD"),
    reads=("notes",),
    french=True,
    fr="Une seule note de sujet {code} est permise : fusionnez-les.",
    en="Only one note with subject {code} is allowed: merge them.",
)
def legal_notes_once(ctx: Context) -> Iterator[Hit]:
    for code in ("PMT", "PMD", "AAB", "TXD"):
        indices = [i for i, note in enumerate(ctx.doc.notes) if note.subject == code]
        if len(indices) > 1:
            yield Hit(
                tuple(f"notes[{i}].subject" for i in indices),
                (f"BR-FR-06_BT-21_{code}",),
                {"code": code},
            )


@rule(
    "BR-FR-08_BT-23",
    refs=("BR-FR-08_BT-23",),
    reads=("business_process",),
    french=True,
    fr="Choisissez le cadre de facturation : B1 (biens), S1 (services), M1 (mixte), "
    "ou une variante (déjà payée, après acompte...).",
    en="Choose the billing mode: B1 (goods), S1 (services), M1 (mixed), or a variant "
    "(already paid, after deposit...).",
)
def billing_mode(ctx: Context) -> Iterator[Hit]:
    if (ctx.doc.business_process or "") not in BILLING_MODES:
        yield Hit(("business_process",))


# --- attachments, objects, attributes --------------------------------------------------


@rule(
    "BR-FR-17_BT-123",
    refs=("BR-FR-17_BT-123",),
    reads=("supporting_documents.description",),
    french=True,
    fr="La description d'une pièce jointe doit être un code de la liste (RIB, BON_COMMANDE, "
    "BON_LIVRAISON, DOCUMENT_ANNEXE, LISIBLE...).",
    en="An attachment's description must be a code from the list (RIB, BON_COMMANDE, "
    "BON_LIVRAISON, DOCUMENT_ANNEXE, LISIBLE...).",
)
def attachment_code(ctx: Context) -> Iterator[Hit]:
    for index, item in enumerate(ctx.doc.supporting_documents):
        code = normalize_space(item.description)
        if code and code not in ATTACHMENT_CODES:
            yield Hit((f"supporting_documents[{index}].description",))


@rule(
    "BR-FR-18_BT-123",
    refs=("BR-FR-18_BT-123",),
    reads=("supporting_documents.description",),
    french=True,
    fr="Une seule pièce jointe peut être la version lisible (LISIBLE).",
    en="Only one attachment may be the readable copy (LISIBLE).",
)
def one_readable_copy(ctx: Context) -> Iterator[Hit]:
    indices = [
        i for i, item in enumerate(ctx.doc.supporting_documents) if item.description == "LISIBLE"
    ]
    if len(indices) > 1:
        yield Hit(tuple(f"supporting_documents[{i}].description" for i in indices))


@rule(
    "BR-FR-27_BT-160",
    refs=("BR-FR-27_BT-160",),
    reads=("lines.attributes",),
    french=True,
    fr="Ligne {line} : donnez un nom à chaque caractéristique de l'article.",
    en="Line {line}: give every item attribute a name.",
)
def attribute_name(ctx: Context) -> Iterator[Hit]:
    for index, line in enumerate(ctx.doc.lines):
        for position, attribute in enumerate(line.attributes):
            if not normalize_space(attribute.name):
                yield Hit(
                    (f"lines[{index}].attributes[{position}].name",), params={"line": index + 1}
                )


@rule(
    "BR-FR-29",
    refs=("BR-FR-29_AFL", "BR-FR-29_AVV"),
    reads=("invoiced_object",),
    french=True,
    fr="Indiquez l'identifiant de l'objet facturé.",
    en="Enter the invoiced object identifier.",
)
def invoiced_object_value(ctx: Context) -> Iterator[Hit]:
    item = ctx.doc.invoiced_object
    if item is not None and item.scheme in ("AFL", "AVV") and not normalize_space(item.value):
        yield Hit(("invoiced_object.value",), (f"BR-FR-29_{item.scheme}",))


# --- multi-vendor and self-billed multi-vendor billing modes -------------------------


@rule(
    "BR-FR-MV",
    refs=(
        "BR-FR-MV-02_EXT-FR-FE-163",
        "BR-FR-BD-02_EXT-FR-FE-163",
        "BR-FR-BD-02_BT-31",
        "BR-FR-BD-02_BT-47",
        "BR-FR-MV-06_EXT-FR-FE-167",
        "BR-FR-MV-07_BT-128",
        "BR-FR-MV-13_BT-3",
        "BR-FR-BD-13_BT-3",
    ),
    reads=("business_process", "type_code", "kind", LINE_COUNT, "lines.object_identifier"),
    french=True,
    fr="Les cadres de facturation multi-vendeurs (B8, S8, M8, B9, S9, M9) ne sont pas pris "
    "en charge par l'éditeur : choisissez un autre cadre.",
    en="Multi-vendor billing modes (B8, S8, M8, B9, S9, M9) are not supported by the "
    "editor: choose another billing mode.",
    why="These modes need line groups (EXT-FR-FE-163) the model cannot express; the rule "
    "mirrors what the official check reports for a document of our model.",
)
def multi_vendor(ctx: Context) -> Iterator[Hit]:
    mode = ctx.doc.business_process
    if mode not in MULTI_VENDOR_MODES and mode not in SELF_BILLED_MULTI_MODES:
        return
    refs: list[str] = []
    if mode in MULTI_VENDOR_MODES:
        refs.append("BR-FR-MV-02_EXT-FR-FE-163")
        if ctx.type_code in SELF_BILLED:
            refs.append("BR-FR-MV-13_BT-3")
    else:
        refs += ["BR-FR-BD-02_EXT-FR-FE-163", "BR-FR-BD-02_BT-31", "BR-FR-BD-02_BT-47"]
        if ctx.type_code not in SELF_BILLED:
            refs.append("BR-FR-BD-13_BT-3")
    if ctx.doc.lines:
        refs.append("BR-FR-MV-06_EXT-FR-FE-167")
    for line in ctx.doc.lines:
        item = line.object_identifier
        if not (item and item.scheme == "AFL" and normalize_space(item.value)):
            refs.append("BR-FR-MV-07_BT-128")
            break
    yield Hit(("business_process",), tuple(refs))
