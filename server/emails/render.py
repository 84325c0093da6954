"""Email bodies (HTML and text) from Jinja2 templates, branded.

HTML templates autoescape everything; what a user typed (the message, names)
is data, never template source. The user's message keeps its paragraphs and
line breaks (each escaped line joined with <br>).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from invoicing.formatting import Formatter
from invoicing.model import Document, DocumentKind
from invoicing.totals import compute_totals
from server.emails.branding import LOGO_CID, EmailBranding, InlineLogo
from server.emails.strings import strings

TEMPLATES = Path(__file__).parent / "templates"
LogoMode = Literal["cid", "data"]  # cid: sent, the logo is a related MIME part; data: previews
LOGO_HEIGHT = 40


@dataclass(frozen=True, slots=True)
class RenderedEmail:
    subject: str
    text: str
    html: str
    inline_logo: InlineLogo | None  # to attach as `cid:partner-logo` when logo_mode="cid"


@dataclass(frozen=True, slots=True)
class DocumentFacts:
    """What a document email says about the document (amounts from compute_totals)."""

    kind: DocumentKind
    number: str
    seller_name: str
    buyer_name: str
    issue_date: dt.date | None
    due_date: dt.date | None
    amount: Decimal
    currency: str
    attachment_name: str


def document_facts(document: Document, attachment_name: str) -> DocumentFacts:
    totals = compute_totals(document)
    quote = document.kind is DocumentKind.QUOTE
    amount = totals.tax_inclusive_total if quote else totals.amount_due
    return DocumentFacts(
        kind=document.kind,
        number=document.number or "",
        seller_name=document.seller.name or "",
        buyer_name=document.buyer.name or "",
        issue_date=document.issue_date,
        due_date=document.due_date,
        amount=amount,
        currency=document.currency,
        attachment_name=attachment_name,
    )


def _paragraphs(text: str) -> Markup:
    blocks = [block for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]
    rendered = [
        Markup('<p style="margin:0 0 12px;">{}</p>').format(
            Markup("<br>").join(escape(line) for line in block.strip("\n").split("\n"))
        )
        for block in blocks
    ]
    return Markup("").join(rendered)


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    environment.filters["paragraphs"] = _paragraphs
    return environment


def _website_label(url: str) -> str:
    parts = urlsplit(url)
    label = (parts.hostname or url) + (parts.path if parts.path not in {"", "/"} else "")
    return label.removeprefix("www.") if label.count(".") > 1 else label


def _render(
    name: str,
    brand: EmailBranding,
    locale: str,
    logo_mode: LogoMode,
    subject: str,
    heading: str,
    **context: Any,
) -> RenderedEmail:
    words = strings(locale)
    logo = brand.logo
    logo_src = None
    if logo is not None:
        logo_src = f"cid:{LOGO_CID}" if logo_mode == "cid" else logo.data_url
    values = {
        "lang": "fr" if words is strings("fr") else "en",
        "t": words,
        "brand": brand,
        "c": brand.color,
        "subject": subject,
        "heading": heading,
        "preheader": context.pop("preheader", ""),
        "logo_src": logo_src,
        "logo_height": LOGO_HEIGHT,
        "website_label": _website_label(brand.website) if brand.website else "",
        **context,
    }
    environment = _environment()
    html = environment.get_template(f"{name}.html.j2").render(values)
    text = environment.get_template(f"{name}.txt.j2").render(values)
    return RenderedEmail(subject, text, html, logo if logo_mode == "cid" else None)


def default_document_subject(facts: DocumentFacts, locale: str) -> str:
    words = strings(locale)
    return f"{words[facts.kind.value]} {facts.number} - {facts.seller_name}".strip(" -")


def render_document_email(
    brand: EmailBranding,
    facts: DocumentFacts,
    *,
    locale: str = "fr",
    subject: str | None = None,
    message: str | None = None,
    logo_mode: LogoMode = "cid",
) -> RenderedEmail:
    words = strings(locale)
    formatter = Formatter(locale, facts.currency)
    if facts.kind is DocumentKind.QUOTE:
        amount_label, due_label = words["quote_total"], words["valid_until"]
    elif facts.kind is DocumentKind.CREDIT_NOTE:
        amount_label, due_label = words["credit_amount"], words["due_date"]
    else:
        amount_label, due_label = words["amount_due"], words["due_date"]
    subject = subject or default_document_subject(facts, locale)
    kind_label = words[facts.kind.value]
    return _render(
        "document",
        brand,
        locale,
        logo_mode,
        subject,
        heading=facts.seller_name or brand.module_name,
        preheader=f"{kind_label} {facts.number}",
        message=(message or "").strip(),
        kind_label=kind_label,
        number=facts.number,
        seller_name=facts.seller_name,
        buyer_name=facts.buyer_name,
        issue_date=formatter.date(facts.issue_date) if facts.issue_date else "",
        due_date=formatter.date(facts.due_date) if facts.due_date else "",
        due_label=due_label,
        amount_label=amount_label,
        amount=formatter.money(facts.amount),
        attachment_name=facts.attachment_name,
    )


def render_login_link(
    brand: EmailBranding,
    url: str,
    minutes: int,
    *,
    locale: str = "fr",
    logo_mode: LogoMode = "cid",
) -> RenderedEmail:
    words = strings(locale)
    return _render(
        "login_link",
        brand,
        locale,
        logo_mode,
        words["login_subject"].format(module=brand.module_name),
        heading=words["login_heading"].format(module=brand.module_name),
        url=url,
        expiry=words["login_expiry"].format(minutes=minutes),
    )


def render_new_login(
    brand: EmailBranding,
    when: dt.datetime,
    *,
    locale: str = "fr",
    logo_mode: LogoMode = "cid",
) -> RenderedEmail:
    words = strings(locale)
    stamp = when.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")
    return _render(
        "new_login",
        brand,
        locale,
        logo_mode,
        words["new_login_subject"].format(module=brand.module_name),
        heading=words["login_heading"].format(module=brand.module_name),
        notice=words["new_login_notice"].format(module=brand.module_name, when=stamp),
    )
