"""Lifecycle messages (CDAR: UN/CEFACT Cross Domain Acknowledgement And
Response, D22B, as profiled by the French external specifications).

We write and read the subset a status needs: the message id and time, the
referenced invoice (its number and issue date), the status code, the issuer's
role, a reason, and for 212 the amount paid. No CDAR schema ships with our
dependencies, so messages are not checked against one here; a PA does that.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from lxml import etree

RSM = "urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
NSMAP = {"rsm": RSM, "ram": RAM, "udt": UDT}
LIFECYCLE_TYPE_CODE = "305"
MAX_MESSAGE_BYTES = 1_000_000

# The role of who issued the status (UNTDID 3035 codes used by the specifications).
ROLE_SELLER = "SE"
ROLE_BUYER = "BY"
ROLE_PLATFORM = "WK"
ISSUERS = {ROLE_SELLER: "seller", ROLE_BUYER: "buyer", ROLE_PLATFORM: "platform"}


@dataclass(frozen=True, slots=True)
class StatusMessage:
    message_id: str
    issued_at: dt.datetime
    invoice_number: str
    invoice_issue_date: dt.date | None
    code: str
    role: str
    reason: str | None = None
    amount: Decimal | None = None
    currency: str | None = None


class CdarError(ValueError):
    pass


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    prefix, name = tag.split(":")
    element = etree.SubElement(parent, f"{{{NSMAP[prefix]}}}{name}")
    if text is not None:
        element.text = text
    return element


def _date_time(parent: etree._Element, tag: str, when: dt.datetime) -> None:
    holder = _sub(parent, tag)
    stamp = _sub(holder, "udt:DateTimeString", when.astimezone(dt.UTC).strftime("%Y%m%d%H%M%S"))
    stamp.set("format", "204")


def build(message: StatusMessage) -> bytes:
    root = etree.Element(f"{{{RSM}}}CrossDomainAcknowledgementAndResponse", nsmap=NSMAP)
    context = _sub(root, "rsm:ExchangedDocumentContext")
    guideline = _sub(context, "ram:GuidelineSpecifiedDocumentContextParameter")
    _sub(guideline, "ram:ID", "urn.cpro.gouv.fr:1p0:CDV:invoice")
    exchanged = _sub(root, "rsm:ExchangedDocument")
    _sub(exchanged, "ram:ID", message.message_id)
    _date_time(exchanged, "ram:IssueDateTime", message.issued_at)
    sender = _sub(exchanged, "ram:SenderTradeParty")
    _sub(sender, "ram:RoleCode", message.role)
    acknowledgement = _sub(root, "rsm:AcknowledgementDocument")
    _sub(acknowledgement, "ram:MultipleReferencesIndicator", "false")
    _sub(acknowledgement, "ram:TypeCode", LIFECYCLE_TYPE_CODE)
    _date_time(acknowledgement, "ram:IssueDateTime", message.issued_at)
    referenced = _sub(acknowledgement, "ram:ReferenceReferencedDocument")
    _sub(referenced, "ram:IssuerAssignedID", message.invoice_number)
    _sub(referenced, "ram:ProcessConditionCode", message.code)
    if message.invoice_issue_date is not None:
        issued = _sub(referenced, "ram:FormattedIssueDateTime")
        stamp = _sub(issued, "udt:DateTimeString", message.invoice_issue_date.strftime("%Y%m%d"))
        stamp.set("format", "102")
    if message.reason:
        status = _sub(referenced, "ram:SpecifiedDocumentStatus")
        _sub(status, "ram:Reason", message.reason)
    if message.amount is not None:
        characteristic = _sub(referenced, "ram:SpecifiedDocumentCharacteristic")
        _sub(characteristic, "ram:TypeCode", "MEN")  # amount received
        value = _sub(characteristic, "ram:ValueAmount", f"{message.amount:.2f}")
        value.set("currencyID", message.currency or "EUR")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _text(element: etree._Element, path: str) -> str | None:
    found = element.find(path, NSMAP)
    if found is None or found.text is None:
        return None
    return found.text.strip()


def _parse_stamp(text: str | None) -> dt.datetime:
    if text is None:
        raise CdarError("the message has no issue date-time")
    try:
        return dt.datetime.strptime(text, "%Y%m%d%H%M%S").replace(tzinfo=dt.UTC)
    except ValueError:
        raise CdarError(f"unreadable date-time {text!r}") from None


def parse(data: bytes) -> StatusMessage:
    if len(data) > MAX_MESSAGE_BYTES:
        raise CdarError("the message is too large")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise CdarError(f"not XML: {error}") from None
    if root.tag != f"{{{RSM}}}CrossDomainAcknowledgementAndResponse":
        raise CdarError("not a CDAR message")
    referenced = root.find("rsm:AcknowledgementDocument/ram:ReferenceReferencedDocument", NSMAP)
    if referenced is None:
        raise CdarError("the message references no invoice")
    number = _text(referenced, "ram:IssuerAssignedID")
    code = _text(referenced, "ram:ProcessConditionCode")
    if not number or not code:
        raise CdarError("the message has no invoice number or no status code")
    issue_date_text = _text(referenced, "ram:FormattedIssueDateTime/udt:DateTimeString")
    issue_date = None
    if issue_date_text:
        try:
            issue_date = dt.datetime.strptime(issue_date_text, "%Y%m%d").date()
        except ValueError:
            raise CdarError(f"unreadable invoice date {issue_date_text!r}") from None
    amount_text = _text(referenced, "ram:SpecifiedDocumentCharacteristic/ram:ValueAmount")
    amount = None
    if amount_text is not None:
        try:
            amount = Decimal(amount_text)
        except InvalidOperation:
            raise CdarError(f"unreadable amount {amount_text!r}") from None
    return StatusMessage(
        message_id=_text(root, "rsm:ExchangedDocument/ram:ID") or "",
        issued_at=_parse_stamp(
            _text(root, "rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString")
        ),
        invoice_number=number,
        invoice_issue_date=issue_date,
        code=code,
        role=_text(root, "rsm:ExchangedDocument/ram:SenderTradeParty/ram:RoleCode") or "",
        reason=_text(referenced, "ram:SpecifiedDocumentStatus/ram:Reason"),
        amount=amount,
    )
