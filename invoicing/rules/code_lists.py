"""Code-list rules (BR-CL-*): each code must be in the list the official
stylesheet of the profile looks it up in (see `invoicing.rules.codes`).

The Factur-X stylesheets report these as FX-SCH-A-... ids, one per place the
code is written; a finding carries the ids of every place its value goes.
"""

from __future__ import annotations

from collections.abc import Iterator

from invoicing.rules import codes
from invoicing.rules.codes import is_listed
from invoicing.rules.engine import TOTALS_READS, Context, Hit, rule


@rule(
    "BR-CL-01",
    refs=(codes.TYPE_CODE,),
    reads=("type_code", "kind"),
    fr="Le code de type de document « {code} » n'existe pas (380 facture, 381 avoir, "
    "386 acompte...).",
    en="Document type code '{code}' does not exist (380 invoice, 381 credit note, 386 deposit...).",
)
def type_code(ctx: Context) -> Iterator[Hit]:
    if not is_listed(ctx.type_code, codes.TYPE_CODE, ctx.profile):
        yield Hit(("type_code",), params={"code": ctx.type_code})


@rule(
    "BR-CL-04",
    refs=(codes.CURRENCY, codes.TAX_TOTAL_CURRENCY),
    reads=("currency",),
    fr="La devise « {code} » n'existe pas (EUR, USD, GBP...).",
    en="Currency '{code}' does not exist (EUR, USD, GBP...).",
    quotes=True,
)
def currency(ctx: Context) -> Iterator[Hit]:
    code = ctx.doc.currency
    if not is_listed(code, codes.CURRENCY, ctx.profile):
        yield Hit(("currency",), params={"code": code})


@rule(
    "BR-CL-05",
    refs=(codes.TAX_CURRENCY, codes.TAX_TOTAL_ACCOUNTING_CURRENCY),
    reads=("currency", "vat_accounting_currency", "vat_total_accounting_currency"),
    fr="La devise de comptabilité TVA « {code} » n'existe pas.",
    en="VAT accounting currency '{code}' does not exist.",
)
def accounting_currency(ctx: Context) -> Iterator[Hit]:
    doc = ctx.doc
    code = doc.vat_accounting_currency
    if not code or is_listed(code, codes.TAX_CURRENCY, ctx.profile):
        return
    refs = [codes.TAX_CURRENCY]
    if code != doc.currency and doc.vat_total_accounting_currency is not None:
        refs.append(codes.TAX_TOTAL_ACCOUNTING_CURRENCY)
    yield Hit(("vat_accounting_currency",), tuple(refs), {"code": code})


@rule(
    "BR-CL-06",
    refs=(codes.VAT_POINT_CODE,),
    reads=("vat_point_date_code", *TOTALS_READS),
    fr="Code de date d'exigibilité de la TVA inconnu : 5 (débits), 29 (livraison) ou "
    "72 (paiement).",
    en="Unknown VAT point date code: 5 (invoice date), 29 (delivery) or 72 (payment).",
)
def vat_point_code(ctx: Context) -> Iterator[Hit]:
    code = ctx.doc.vat_point_date_code
    if ctx.written_breakdown and not is_listed(code, codes.VAT_POINT_CODE, ctx.profile):
        yield Hit(("vat_point_date_code",))


@rule(
    "BR-CL-07",
    refs=(codes.OBJECT_SCHEME, codes.LINE_OBJECT_SCHEME),
    reads=("invoiced_object.scheme", "lines.object_identifier"),
    fr="Le type d'identifiant d'objet « {code} » n'existe pas (liste UNTDID 1153).",
    en="Object identifier scheme '{code}' does not exist (UNTDID 1153 list).",
)
def object_scheme(ctx: Context) -> Iterator[Hit]:
    doc, profile = ctx.doc, ctx.profile
    invoiced = doc.invoiced_object
    if invoiced is not None and not is_listed(invoiced.scheme, codes.OBJECT_SCHEME, profile):
        yield Hit(("invoiced_object.scheme",), (codes.OBJECT_SCHEME,), {"code": invoiced.scheme})
    for index, line in enumerate(doc.lines):
        item = line.object_identifier
        if item is not None and not is_listed(item.scheme, codes.LINE_OBJECT_SCHEME, profile):
            yield Hit(
                (f"lines[{index}].object_identifier.scheme",),
                (codes.LINE_OBJECT_SCHEME,),
                {"code": item.scheme},
            )


@rule(
    "BR-CL-08",
    refs=(codes.NOTE_SUBJECT,),
    reads=("notes",),
    fr="Le code sujet de note « {code} » n'existe pas (AAI, PMT, PMD, AAB...).",
    en="Note subject code '{code}' does not exist (AAI, PMT, PMD, AAB...).",
)
def note_subject(ctx: Context) -> Iterator[Hit]:
    for index, note in enumerate(ctx.doc.notes):
        if not is_listed(note.subject, codes.NOTE_SUBJECT, ctx.profile):
            yield Hit((f"notes[{index}].subject",), params={"code": note.subject})


@rule(
    "BR-CL-10",
    refs=(codes.SELLER_ID_SCHEME, codes.BUYER_ID_SCHEME, codes.PAYEE_ID_SCHEME),
    reads=("seller.identifiers", "buyer.identifiers", "payee.identifier"),
    fr="Le type d'identifiant « {code} » n'existe pas (liste ISO 6523, par exemple "
    "0009 pour un SIRET).",
    en="Identifier scheme '{code}' does not exist (ISO 6523 list, e.g. 0009 for a SIRET).",
)
def party_id_scheme(ctx: Context) -> Iterator[Hit]:
    doc, profile = ctx.doc, ctx.profile
    for side, reference in (("seller", codes.SELLER_ID_SCHEME), ("buyer", codes.BUYER_ID_SCHEME)):
        party = doc.seller if side == "seller" else doc.buyer
        for index, identifier in enumerate(party.identifiers):
            if identifier.scheme and not is_listed(identifier.scheme, reference, profile):
                yield Hit(
                    (f"{side}.identifiers[{index}].scheme",),
                    (reference,),
                    {"code": identifier.scheme},
                )
    payee = doc.payee
    if payee is not None and payee.identifier is not None:
        scheme = payee.identifier.scheme
        if scheme and not is_listed(scheme, codes.PAYEE_ID_SCHEME, profile):
            yield Hit(("payee.identifier.scheme",), (codes.PAYEE_ID_SCHEME,), {"code": scheme})


@rule(
    "BR-CL-11",
    refs=(codes.SELLER_LEGAL_SCHEME, codes.BUYER_LEGAL_SCHEME, codes.PAYEE_LEGAL_SCHEME),
    reads=(
        "seller.siren",
        "seller.legal_registration",
        "buyer.siren",
        "buyer.legal_registration",
        "payee.legal_registration",
    ),
    fr="Le type d'immatriculation « {code} » n'existe pas (liste ISO 6523, par exemple "
    "0002 pour un SIREN).",
    en="Registration scheme '{code}' does not exist (ISO 6523 list, e.g. 0002 for a SIREN).",
)
def legal_id_scheme(ctx: Context) -> Iterator[Hit]:
    doc, profile = ctx.doc, ctx.profile
    for side, reference in (
        ("seller", codes.SELLER_LEGAL_SCHEME),
        ("buyer", codes.BUYER_LEGAL_SCHEME),
    ):
        party = doc.seller if side == "seller" else doc.buyer
        registration = party.legal_registration
        if party.siren or registration is None:
            continue
        if not is_listed(registration.scheme, reference, profile):
            yield Hit(
                (f"{side}.legal_registration.scheme",),
                (reference,),
                {"code": registration.scheme},
            )
    payee = doc.payee
    if payee is not None and payee.legal_registration is not None:
        scheme = payee.legal_registration.scheme
        if not is_listed(scheme, codes.PAYEE_LEGAL_SCHEME, profile):
            yield Hit(
                ("payee.legal_registration.scheme",), (codes.PAYEE_LEGAL_SCHEME,), {"code": scheme}
            )


@rule(
    "BR-CL-13",
    refs=(codes.CLASSIFICATION_LIST,),
    reads=("lines.classifications",),
    fr="Ligne {line} : la nomenclature « {code} » n'existe pas (liste UNTDID 7143).",
    en="Line {line}: classification list '{code}' does not exist (UNTDID 7143 list).",
)
def classification_list(ctx: Context) -> Iterator[Hit]:
    for index, line in enumerate(ctx.doc.lines):
        for position, item in enumerate(line.classifications):
            if not is_listed(item.list_id, codes.CLASSIFICATION_LIST, ctx.profile):
                yield Hit(
                    (f"lines[{index}].classifications[{position}].list_id",),
                    params={"line": index + 1, "code": item.list_id},
                )


@rule(
    "BR-CL-14",
    refs=(
        codes.SELLER_COUNTRY,
        codes.BUYER_COUNTRY,
        codes.REPRESENTATIVE_COUNTRY,
        codes.SHIP_TO_COUNTRY,
    ),
    reads=("seller.address", "buyer.address", "tax_representative.address", "delivery"),
    fr="Le code pays « {code} » n'existe pas (FR, BE, DE...).",
    en="Country code '{code}' does not exist (FR, BE, DE...).",
    quotes=True,
)
def country(ctx: Context) -> Iterator[Hit]:
    doc, profile = ctx.doc, ctx.profile
    places = [
        ("seller.address.country", doc.seller.address.country, codes.SELLER_COUNTRY),
        ("buyer.address.country", doc.buyer.address.country, codes.BUYER_COUNTRY),
    ]
    if doc.tax_representative is not None:
        places.append(
            (
                "tax_representative.address.country",
                doc.tax_representative.address.country,
                codes.REPRESENTATIVE_COUNTRY,
            )
        )
    if doc.delivery is not None and doc.delivery.address is not None:
        places.append(
            ("delivery.address.country", doc.delivery.address.country, codes.SHIP_TO_COUNTRY)
        )
    for path, code, reference in places:
        if not is_listed(code, reference, profile):
            yield Hit((path,), (reference,), {"code": code})


@rule(
    "BR-CL-15",
    refs=(codes.ORIGIN_COUNTRY,),
    reads=("lines.origin_country",),
    fr="Ligne {line} : le pays d'origine « {code} » n'existe pas.",
    en="Line {line}: country of origin '{code}' does not exist.",
    quotes=True,
)
def origin_country(ctx: Context) -> Iterator[Hit]:
    for index, line in enumerate(ctx.doc.lines):
        if not is_listed(line.origin_country, codes.ORIGIN_COUNTRY, ctx.profile):
            yield Hit(
                (f"lines[{index}].origin_country",),
                params={"line": index + 1, "code": line.origin_country},
            )


@rule(
    "BR-CL-16",
    refs=(codes.PAYMENT_MEANS,),
    reads=("payment_means.code",),
    fr="Le moyen de paiement « {code} » n'existe pas (58 virement SEPA, 30 virement, "
    "48 carte, 59 prélèvement...).",
    en="Payment means code '{code}' does not exist (58 SEPA transfer, 30 transfer, "
    "48 card, 59 direct debit...).",
)
def payment_means(ctx: Context) -> Iterator[Hit]:
    for index, means in enumerate(ctx.doc.payment_means):
        if not is_listed(means.code, codes.PAYMENT_MEANS, ctx.profile):
            yield Hit((f"payment_means[{index}].code",), params={"code": means.code})


@rule(
    "BR-CL-19",
    refs=(codes.ALLOWANCE_REASON, codes.LINE_ALLOWANCE_REASON),
    reads=("allowances_charges", "lines.allowances_charges"),
    fr="Le code motif de remise « {code} » n'existe pas (95 remise, 100 promotion...).",
    en="Allowance reason code '{code}' does not exist (95 discount, 100 promotion...).",
)
def allowance_reason_code(ctx: Context) -> Iterator[Hit]:
    yield from _reason_codes(ctx, False, codes.ALLOWANCE_REASON, codes.LINE_ALLOWANCE_REASON)


@rule(
    "BR-CL-20",
    refs=(codes.CHARGE_REASON, codes.LINE_CHARGE_REASON),
    reads=("allowances_charges", "lines.allowances_charges"),
    fr="Le code motif de frais « {code} » n'existe pas (ABL emballage, FC transport...).",
    en="Charge reason code '{code}' does not exist (ABL packaging, FC freight...).",
)
def charge_reason_code(ctx: Context) -> Iterator[Hit]:
    yield from _reason_codes(ctx, True, codes.CHARGE_REASON, codes.LINE_CHARGE_REASON)


def _reason_codes(ctx: Context, charges: bool, header: str, line_level: str) -> Iterator[Hit]:
    doc, profile = ctx.doc, ctx.profile
    for index, item in enumerate(doc.allowances_charges):
        if item.is_charge is charges and not is_listed(item.reason_code, header, profile):
            yield Hit(
                (f"allowances_charges[{index}].reason_code",),
                (header,),
                {"code": item.reason_code},
            )
    for index, line in enumerate(doc.lines):
        for position, item in enumerate(line.allowances_charges):
            if item.is_charge is charges and not is_listed(item.reason_code, line_level, profile):
                yield Hit(
                    (f"lines[{index}].allowances_charges[{position}].reason_code",),
                    (line_level,),
                    {"code": item.reason_code},
                )


@rule(
    "BR-CL-21",
    refs=(codes.ITEM_ID_SCHEME,),
    reads=("lines.standard_item_id",),
    fr="Ligne {line} : le type d'identifiant d'article « {code} » n'existe pas "
    "(0160 pour un GTIN).",
    en="Line {line}: item identifier scheme '{code}' does not exist (0160 for a GTIN).",
)
def item_id_scheme(ctx: Context) -> Iterator[Hit]:
    for index, line in enumerate(ctx.doc.lines):
        item = line.standard_item_id
        if item is not None and not is_listed(item.scheme, codes.ITEM_ID_SCHEME, ctx.profile):
            yield Hit(
                (f"lines[{index}].standard_item_id.scheme",),
                params={"line": index + 1, "code": item.scheme},
            )


@rule(
    "BR-CL-22",
    refs=(codes.VATEX,),
    reads=TOTALS_READS,
    fr="Le code d'exonération « {code} » n'existe pas (liste VATEX, par exemple "
    "VATEX-EU-132 ou VATEX-FR-FRANCHISE).",
    en="Exemption reason code '{code}' does not exist (VATEX list, e.g. VATEX-EU-132 or "
    "VATEX-FR-FRANCHISE).",
)
def exemption_code(ctx: Context) -> Iterator[Hit]:
    for group in ctx.vat_groups:
        code = group.breakdown.exemption_reason_code
        if not is_listed(code, codes.VATEX, ctx.profile):
            fields = tuple(
                f"lines[{i}].vat_exemption_reason_code"
                for i in group.lines
                if ctx.source.lines[i].vat_exemption_reason_code == code
            )
            yield Hit(fields, params={"code": code})


@rule(
    "BR-CL-23",
    refs=(codes.UNIT_BILLED, codes.UNIT_NET_BASIS, codes.UNIT_GROSS_BASIS),
    reads=(
        "lines.unit",
        "lines.base_quantity",
        "lines.base_quantity_unit",
        "lines.gross_price",
        "lines.gross_base_quantity",
        "lines.gross_base_quantity_unit",
    ),
    fr="Ligne {line} : l'unité « {code} » n'existe pas (C62 pièce, HUR heure, DAY jour, "
    "KGM kilo...).",
    en="Line {line}: unit '{code}' does not exist (C62 piece, HUR hour, DAY day, KGM kilo...).",
    quotes=True,
)
def unit_code(ctx: Context) -> Iterator[Hit]:
    profile = ctx.profile
    for index, line in enumerate(ctx.doc.lines):
        params = {"line": index + 1}
        if not is_listed(line.unit, codes.UNIT_BILLED, profile):
            yield Hit((f"lines[{index}].unit",), (codes.UNIT_BILLED,), params | {"code": line.unit})
        base_unit = line.base_quantity_unit or line.unit
        if line.base_quantity is not None and not is_listed(
            base_unit, codes.UNIT_NET_BASIS, profile
        ):
            path = "base_quantity_unit" if line.base_quantity_unit else "unit"
            yield Hit(
                (f"lines[{index}].{path}",), (codes.UNIT_NET_BASIS,), params | {"code": base_unit}
            )
        if line.gross_price is None:
            continue
        gross_base = line.gross_base_quantity
        if gross_base is None:
            gross_base = line.base_quantity
        gross_unit = line.gross_base_quantity_unit or base_unit
        if gross_base is not None and not is_listed(gross_unit, codes.UNIT_GROSS_BASIS, profile):
            if line.gross_base_quantity_unit:
                path = "gross_base_quantity_unit"
            else:
                path = "base_quantity_unit" if line.base_quantity_unit else "unit"
            yield Hit(
                (f"lines[{index}].{path}",),
                (codes.UNIT_GROSS_BASIS,),
                params | {"code": gross_unit},
            )


@rule(
    "BR-CL-24",
    refs=(codes.MIME_CODE,),
    reads=("supporting_documents",),
    fr="Pièce jointe {number} : ce type de fichier n'est pas accepté (PDF, PNG, JPEG, "
    "CSV, XLSX, ODS).",
    en="Attachment {number}: this file type is not accepted (PDF, PNG, JPEG, CSV, XLSX, ODS).",
)
def mime_code(ctx: Context) -> Iterator[Hit]:
    for index, item in enumerate(ctx.doc.supporting_documents):
        if item.content_base64 and not is_listed(item.mime_code, codes.MIME_CODE, ctx.profile):
            yield Hit((f"supporting_documents[{index}].mime_code",), params={"number": index + 1})


@rule(
    "BR-CL-25",
    refs=(codes.SELLER_EAS, codes.BUYER_EAS),
    reads=("seller.electronic_address", "buyer.electronic_address"),
    fr="Le type d'adresse électronique « {code} » n'existe pas (0225 SIREN, EM e-mail...).",
    en="Electronic address scheme '{code}' does not exist (0225 SIREN, EM e-mail...).",
)
def electronic_address_scheme(ctx: Context) -> Iterator[Hit]:
    for side, reference in (("seller", codes.SELLER_EAS), ("buyer", codes.BUYER_EAS)):
        address = (ctx.doc.seller if side == "seller" else ctx.doc.buyer).electronic_address
        if address is not None and not is_listed(address.scheme, reference, ctx.profile):
            yield Hit(
                (f"{side}.electronic_address.scheme",), (reference,), {"code": address.scheme}
            )


@rule(
    "BR-CL-26",
    refs=(codes.SHIP_TO_ID_SCHEME,),
    reads=("delivery",),
    fr="Le type d'identifiant du lieu de livraison « {code} » n'existe pas (liste ISO 6523).",
    en="Delivery location identifier scheme '{code}' does not exist (ISO 6523 list).",
)
def delivery_location_scheme(ctx: Context) -> Iterator[Hit]:
    delivery = ctx.doc.delivery
    if delivery is None or delivery.location_id is None:
        return
    scheme = delivery.location_id.scheme
    if scheme and not is_listed(scheme, codes.SHIP_TO_ID_SCHEME, ctx.profile):
        yield Hit(("delivery.location_id.scheme",), params={"code": scheme})
