"""Deposit invoices and the final invoices that deduct them."""

from __future__ import annotations

from starlette.responses import Response

from server.api.documents.actions import out
from server.api.documents.crud import load_document
from server.api.documents.views import DocumentOut
from server.api.operation import Operation
from server.db.catalogue import Contact
from server.db.documents import DocumentRow
from server.documents import deposits, derived
from server.documents.status import is_quote
from server.endpoint import ApiCall
from server.field_messages import refused_field
from server.webhooks.events import document_event


async def create_deposit_invoice(call: ApiCall) -> Response:
    body = await call.model(deposits.DepositIn)
    company = await call.caller.company(call.session, call.path_id())
    quote: DocumentRow | None = None
    contact: Contact | None = None
    if body.quote_id is not None:
        quote = await call.caller.get(call.session, DocumentRow, body.quote_id, "quote", True)
        if quote.company_id != company.id or not is_quote(quote):
            raise refused_field("quote_id", "no_such_quote")
    else:
        if body.contact_id is not None:
            contact = await call.caller.get(call.session, Contact, body.contact_id, "contact")
            if contact.company_id != company.id or contact.merged_into_id is not None:
                raise refused_field("contact_id", "no_such_contact")
    row = await derived.new_deposit(
        call.session, company, body, quote, contact, call.caller.partner_id
    )
    await document_event(call.session, row, "document.created")
    return out(call, row, 201)


async def settle_deposits(call: ApiCall) -> Response:
    body = await call.model(deposits.SettleIn)
    row = await load_document(call, lock=True)
    await deposits.settle(call.session, row, body.deposit_ids)
    await document_event(call.session, row, "document.saved")
    return out(call, row)


OPERATIONS = (
    Operation(
        "POST",
        "/companies/{id:int}/deposit-invoices",
        create_deposit_invoice,
        "Draft a deposit invoice: an amount incl. VAT, or a percentage of a quote",
        deposits.DepositIn,
        DocumentOut,
        201,
    ),
    Operation(
        "POST",
        "/documents/{id:int}/deposits",
        settle_deposits,
        "Set the deposit invoices a draft final invoice deducts (BT-113, BG-3, BT-23 B4/S4/M4)",
        deposits.SettleIn,
        DocumentOut,
    ),
)
