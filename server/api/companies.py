"""Companies: the end users' businesses, with their seller identity."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, TypeVar

from pydantic import Field, StringConstraints, ValidationError, model_validator
from sqlalchemy import func, select
from starlette.responses import Response

from invoicing.model import Note, Party, PaymentTerm
from invoicing.profiles import Profile
from invoicing.text import LongText, Text
from server.api.common import ExternalRef, Input, Output, respond
from server.api.operation import Operation
from server.db.base import utcnow
from server.db.documents import DocumentRow
from server.db.tenants import Company, User
from server.endpoint import ApiCall
from server.problems import field_problem, invalid_body
from server.rate_limits import consume_account_creation
from server.webhooks.events import company_created

SeriesPrefix = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{1,10}$")]
# A quote valid a day to a year after its issue date (its validity date, BT-9).
QuoteValidityDays = Annotated[int, Field(ge=1, le=366)]
_LOGO_URL_REFUSED = {
    "en": "logo_url is not accepted: nothing printed it. The seller's logo is the image"
    " itself, sent to PUT /companies/{id}/logo (printed on the company's documents).",
    "fr": "logo_url n'est pas accepté : rien ne l'imprimait. Le logo du vendeur est"
    " l'image elle-même, envoyée à PUT /companies/{id}/logo (imprimée sur ses documents).",
}


class Series(Input):
    """Number prefixes: numbers read `<prefix>-<year>-<00001>`."""

    invoice: SeriesPrefix = "F"
    credit_note: SeriesPrefix = "A"
    deposit_invoice: SeriesPrefix = "F"
    quote: SeriesPrefix = "D"

    @model_validator(mode="after")
    def _quotes_apart(self) -> Series:
        if self.quote in {self.invoice, self.credit_note, self.deposit_invoice}:
            raise ValueError("quotes need a prefix of their own: their numbers may have gaps")
        return self


class CompanyIn(Input):
    """A company. `logo_url` is refused (422, field `logo_url`): the seller's logo is
    the image sent to `PUT /companies/{id}/logo`."""

    name: Annotated[Text, StringConstraints(min_length=1)]
    external_ref: ExternalRef | None = Field(None, description="The partner's own id")
    seller: Party = Field(default_factory=Party, description="Seller identity on documents")
    series: Series = Field(default_factory=Series)
    payment_terms: LongText | None = None
    payment_term: PaymentTerm | None = Field(
        None, description="Default payment terms as data: new documents' due date"
    )
    legal_notes: list[Note] = Field(default_factory=list, max_length=20)
    quote_validity_days: QuoteValidityDays = 30
    profile: Profile = Profile.EN16931


class CompanyPatch(Input):
    """Fields to change. `logo_url` is refused (422, field `logo_url`): the seller's
    logo is the image sent to `PUT /companies/{id}/logo`."""

    name: Annotated[Text, StringConstraints(min_length=1)] | None = None
    external_ref: ExternalRef | None = None
    seller: Party | None = None
    series: Series | None = None
    payment_terms: LongText | None = None
    payment_term: PaymentTerm | None = None
    legal_notes: list[Note] | None = Field(None, max_length=20)
    quote_validity_days: QuoteValidityDays | None = None
    profile: Profile | None = None


class CompanyOut(Output):
    id: int
    name: str
    external_ref: str | None
    seller: Party
    series: Series
    payment_terms: str | None
    payment_term: PaymentTerm | None
    legal_notes: list[Note]
    quote_validity_days: int
    profile: Profile
    created_at: dt.datetime
    updated_at: dt.datetime


class CompanySummary(CompanyOut):
    user_count: int
    document_count: int


class CompanyList(Output):
    items: list[CompanySummary]


Body = TypeVar("Body", CompanyIn, CompanyPatch)


async def _company_body(call: ApiCall, model: type[Body]) -> Body:
    """The body, `logo_url` refused with what to do instead (it used to be taken and
    never printed: docs/decisions.md)."""
    data = await call.json()
    if "logo_url" in data:
        message = _LOGO_URL_REFUSED[call.language]
        raise field_problem("logo_url", message, "logo_url_not_accepted")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise invalid_body(error, language=call.language) from None


_REQUIRED = frozenset({"name", "seller", "series", "legal_notes", "quote_validity_days", "profile"})


async def create_company(call: ApiCall) -> Response:
    call.caller.require_unscoped_key()
    body = await _company_body(call, CompanyIn)
    await consume_account_creation(call)
    company = Company(partner_id=call.caller.partner_id, **body.model_dump(mode="json"))
    call.session.add(company)
    await call.session.flush()
    shown = CompanyOut.model_validate(company).model_dump(mode="json")
    await company_created(call.session, call.caller.partner_id, company.id, shown)
    return respond(CompanyOut, company, 201)


async def get_company(call: ApiCall) -> Response:
    company = await call.caller.company(call.session, call.path_id())
    return respond(CompanyOut, company)


async def update_company(call: ApiCall) -> Response:
    company = await call.caller.company(call.session, call.path_id())
    body = await _company_body(call, CompanyPatch)
    for key, value in body.model_dump(mode="json", exclude_unset=True).items():
        if value is None and key in _REQUIRED:
            continue  # these cannot be emptied, only replaced
        setattr(company, key, value)
    company.updated_at = utcnow()
    await call.session.flush()
    return respond(CompanyOut, company)


async def list_companies(call: ApiCall) -> Response:
    users = (
        select(func.count())
        .where(User.company_id == Company.id)
        .correlate(Company)
        .scalar_subquery()
    )
    documents = (
        select(func.count())
        .where(DocumentRow.company_id == Company.id)
        .correlate(Company)
        .scalar_subquery()
    )
    query = call.caller.scoped(Company).add_columns(users, documents).order_by(Company.id)
    external_ref = call.request.query_params.get("external_ref")
    if external_ref is not None:
        query = query.where(Company.external_ref == external_ref)
    rows = (await call.session.execute(query.limit(1000))).all()
    items = [
        CompanySummary.model_validate(
            {
                **CompanyOut.model_validate(row[0]).model_dump(),
                "user_count": row[1],
                "document_count": row[2],
            }
        )
        for row in rows
    ]
    return respond(CompanyList, {"items": items})


OPERATIONS = (
    Operation(
        "POST",
        "/companies",
        create_company,
        "Create a company (rate limited)",
        CompanyIn,
        CompanyOut,
        201,
    ),
    Operation(
        "GET",
        "/companies",
        list_companies,
        "List companies with user and document counts",
        response=CompanyList,
    ),
    Operation("GET", "/companies/{id:int}", get_company, "Get a company", response=CompanyOut),
    Operation(
        "PATCH", "/companies/{id:int}", update_company, "Update a company", CompanyPatch, CompanyOut
    ),
)
