"""Chorus Pro pre-checks, for buyers flagged as French public entities.

Chorus Pro (the State's invoicing portal for the public sector) identifies
the recipient by its SIRET and may require a service code and a commitment
(engagement) number; it rejects what its own format cannot hold. These
checks catch that before sending. The limits are module constants so that
they can follow the Chorus Pro external specifications.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import PurePath

from invoicing.model import CREDIT_NOTE_TYPE_CODES
from invoicing.rules.engine import TOTALS_READS, Check, Context, Hit, rule
from invoicing.rules.findings import Severity
from invoicing.rules.identifiers import is_ascii_digits, siret_key_ok

INVOICE_NUMBER_MAX = 20
SERVICE_CODE_MAX = 100
ENGAGEMENT_MAX = 50
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENTS_MAX = 10
ATTACHMENT_EXTENSIONS = frozenset(
    (
        "bmp",
        "csv",
        "doc",
        "docx",
        "fax",
        "gif",
        "jpeg",
        "jpg",
        "odp",
        "ods",
        "odt",
        "pdf",
        "png",
        "ppt",
        "pptx",
        "rtf",
        "svg",
        "tif",
        "tiff",
        "txt",
        "xhtml",
        "xls",
        "xlsx",
        "xml",
        "zip",
    )
)


def _chorus(
    rule_id: str,
    *,
    reads: tuple[str, ...],
    fr: str,
    en: str,
    severity: Severity = Severity.ERROR,
) -> Callable[[Check], Check]:
    return rule(rule_id, reads=reads, fr=fr, en=en, severity=severity, chorus=True, family="chorus")


@_chorus(
    "CPP-01",
    reads=("buyer.siret",),
    fr="Chorus Pro : indiquez le SIRET de l'entité publique destinataire.",
    en="Chorus Pro: enter the SIRET of the public entity you invoice.",
)
def buyer_siret_present(ctx: Context) -> Iterator[Hit]:
    if not ctx.doc.buyer.siret:
        yield Hit(("buyer.siret",))


@_chorus(
    "CPP-02",
    reads=("buyer.siret",),
    fr="Chorus Pro : le SIRET du destinataire est invalide (14 chiffres, clé de contrôle).",
    en="Chorus Pro: the recipient's SIRET is invalid (14 digits, check digit).",
)
def buyer_siret_valid(ctx: Context) -> Iterator[Hit]:
    siret = ctx.doc.buyer.siret
    if siret and not siret_key_ok(siret):
        yield Hit(("buyer.siret",))


@_chorus(
    "CPP-03",
    reads=("buyer.siret", "buyer.siren"),
    fr="Chorus Pro : le SIRET du destinataire ne correspond pas à son SIREN.",
    en="Chorus Pro: the recipient's SIRET does not match its SIREN.",
)
def buyer_siret_matches_siren(ctx: Context) -> Iterator[Hit]:
    buyer = ctx.doc.buyer
    if buyer.siret and buyer.siren and not buyer.siret.startswith(buyer.siren):
        yield Hit(("buyer.siret", "buyer.siren"))


@_chorus(
    "CPP-04",
    reads=("buyer_reference",),
    severity=Severity.WARNING,
    fr="Chorus Pro : de nombreuses entités exigent un code service ; demandez-le à votre "
    "client et saisissez-le en référence acheteur.",
    en="Chorus Pro: many entities require a service code; ask your customer and enter it "
    "as the buyer reference.",
)
def service_code_present(ctx: Context) -> Iterator[Hit]:
    if not ctx.doc.buyer_reference:
        yield Hit(("buyer_reference",))


@_chorus(
    "CPP-05",
    reads=("buyer_reference",),
    fr=f"Chorus Pro : le code service ne doit pas dépasser {SERVICE_CODE_MAX} caractères.",
    en=f"Chorus Pro: the service code must not exceed {SERVICE_CODE_MAX} characters.",
)
def service_code_length(ctx: Context) -> Iterator[Hit]:
    reference = ctx.doc.buyer_reference
    if reference and len(reference) > SERVICE_CODE_MAX:
        yield Hit(("buyer_reference",))


@_chorus(
    "CPP-06",
    reads=("order_reference",),
    severity=Severity.WARNING,
    fr="Chorus Pro : de nombreuses entités exigent un numéro d'engagement (bon de commande) ; "
    "saisissez-le en référence de commande.",
    en="Chorus Pro: many entities require a commitment (engagement) number; enter it as "
    "the order reference.",
)
def engagement_present(ctx: Context) -> Iterator[Hit]:
    if not ctx.doc.order_reference:
        yield Hit(("order_reference",))


@_chorus(
    "CPP-07",
    reads=("order_reference",),
    fr=f"Chorus Pro : le numéro d'engagement ne doit pas dépasser {ENGAGEMENT_MAX} caractères.",
    en=f"Chorus Pro: the commitment number must not exceed {ENGAGEMENT_MAX} characters.",
)
def engagement_length(ctx: Context) -> Iterator[Hit]:
    reference = ctx.doc.order_reference
    if reference and len(reference) > ENGAGEMENT_MAX:
        yield Hit(("order_reference",))


@_chorus(
    "CPP-08",
    reads=("number",),
    fr=f"Chorus Pro : le numéro de facture ne doit pas dépasser {INVOICE_NUMBER_MAX} caractères.",
    en=f"Chorus Pro: the invoice number must not exceed {INVOICE_NUMBER_MAX} characters.",
)
def invoice_number_length(ctx: Context) -> Iterator[Hit]:
    number = ctx.doc.number
    if number and len(number) > INVOICE_NUMBER_MAX:
        yield Hit(("number",))


@_chorus(
    "CPP-09",
    reads=("supporting_documents",),
    fr=f"Chorus Pro : {ATTACHMENTS_MAX} pièces jointes au plus, de 10 Mo chacune au plus.",
    en=f"Chorus Pro: at most {ATTACHMENTS_MAX} attachments, each of 10 MB at most.",
)
def attachment_limits(ctx: Context) -> Iterator[Hit]:
    attached = [(i, d) for i, d in enumerate(ctx.doc.supporting_documents) if d.content_base64]
    if len(attached) > ATTACHMENTS_MAX:
        yield Hit(("supporting_documents",))
    for index, item in attached:
        # base64 holds 3 bytes per 4 characters: no need to decode to know the size.
        if len(item.content_base64 or "") * 3 // 4 > ATTACHMENT_MAX_BYTES:
            yield Hit((f"supporting_documents[{index}].content_base64",))


@_chorus(
    "CPP-10",
    reads=("supporting_documents",),
    fr="Chorus Pro : ce type de fichier n'est pas accepté en pièce jointe (PDF, images, "
    "bureautique, CSV, XML, ZIP).",
    en="Chorus Pro: this file type is not accepted as an attachment (PDF, images, office "
    "files, CSV, XML, ZIP).",
)
def attachment_extension(ctx: Context) -> Iterator[Hit]:
    for index, item in enumerate(ctx.doc.supporting_documents):
        if not item.content_base64 or not item.filename:
            continue
        extension = PurePath(item.filename).suffix.lower().lstrip(".")
        if extension not in ATTACHMENT_EXTENSIONS:
            yield Hit((f"supporting_documents[{index}].filename",))


@_chorus(
    "CPP-11",
    reads=("type_code", "kind", *TOTALS_READS),
    fr="Chorus Pro : le montant d'une facture doit être positif ; pour rembourser, "
    "émettez un avoir.",
    en="Chorus Pro: an invoice's total must be positive; to refund, issue a credit note.",
)
def invoice_positive(ctx: Context) -> Iterator[Hit]:
    if ctx.type_code in CREDIT_NOTE_TYPE_CODES:
        return
    if ctx.totals.tax_inclusive_total < 0:
        yield Hit(("lines",))


@_chorus(
    "CPP-12",
    reads=("type_code", "kind", "preceding_invoices"),
    fr="Chorus Pro : un avoir doit indiquer la facture qu'il corrige.",
    en="Chorus Pro: a credit note must give the invoice it corrects.",
)
def credit_note_reference(ctx: Context) -> Iterator[Hit]:
    if ctx.type_code in CREDIT_NOTE_TYPE_CODES and not ctx.doc.preceding_invoices:
        yield Hit(("preceding_invoices",))


@_chorus(
    "CPP-13",
    reads=("seller.siret", "seller.address"),
    fr="Chorus Pro : indiquez le SIRET de votre établissement.",
    en="Chorus Pro: enter your establishment's SIRET.",
)
def seller_siret(ctx: Context) -> Iterator[Hit]:
    seller = ctx.doc.seller
    if seller.address.country in (None, "FR") and not (
        seller.siret and is_ascii_digits(seller.siret, 14)
    ):
        yield Hit(("seller.siret",))


@_chorus(
    "CPP-14",
    reads=("buyer.address",),
    severity=Severity.WARNING,
    fr="Chorus Pro ne dessert que des entités publiques françaises : vérifiez le pays du client.",
    en="Chorus Pro only serves French public entities: check the customer's country.",
)
def buyer_in_france(ctx: Context) -> Iterator[Hit]:
    country = ctx.doc.buyer.address.country
    if country and country != "FR":
        yield Hit(("buyer.address.country",))
