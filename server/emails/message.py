"""A rendered email as a MIME message:

multipart/mixed
  multipart/alternative
    text/plain
    multipart/related          (text/html alone when there is no inline logo)
      text/html
      image/...   Content-ID <partner-logo>
  application/pdf ...          attachments
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from server.emails.branding import LOGO_CID
from server.emails.render import RenderedEmail

_FILE_NAME_UNSAFE = re.compile(r"[^\w.\- ]+")


@dataclass(frozen=True, slots=True)
class Attachment:
    file_name: str
    media_type: str  # "application/pdf"
    content: bytes


def safe_file_name(name: str, fallback: str = "document") -> str:
    cleaned = _FILE_NAME_UNSAFE.sub("_", name).strip(" ._") or fallback
    return cleaned[:120]


def sender_address(display_name: str, address: str) -> Address:
    username, _, domain = address.partition("@")
    return Address(display_name=display_name, username=username, domain=domain)


def build_message(
    email: RenderedEmail,
    *,
    sender: Address,
    to: Sequence[str],
    cc: Sequence[str] = (),
    reply_to: str | None = None,
    attachments: Sequence[Attachment] = (),
    automatic: bool = False,
    now: dt.datetime,
) -> EmailMessage:
    """`automatic`: sent by the system, not by a person (RFC 3834), so that
    auto-responders stay quiet."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(to)
    if cc:
        message["Cc"] = ", ".join(cc)
    if reply_to:
        message["Reply-To"] = reply_to
    message["Subject"] = email.subject
    message["Date"] = format_datetime(now.astimezone(dt.UTC))
    message["Message-ID"] = make_msgid(domain=sender.domain or None)
    if automatic:
        message["Auto-Submitted"] = "auto-generated"
    message.set_content(email.text, cte="quoted-printable")
    message.add_alternative(email.html, subtype="html", cte="quoted-printable")
    if email.inline_logo is not None:
        html_part = message.get_payload()[1]  # type: ignore[index]
        assert isinstance(html_part, EmailMessage)
        maintype, _, subtype = email.inline_logo.media_type.partition("/")
        html_part.add_related(
            email.inline_logo.content,
            maintype=maintype,
            subtype=subtype,
            cid=f"<{LOGO_CID}>",
            disposition="inline",
            filename=f"logo.{subtype}",
        )
    for attachment in attachments:
        maintype, _, subtype = attachment.media_type.partition("/")
        message.add_attachment(
            attachment.content,
            maintype=maintype,
            subtype=subtype,
            filename=safe_file_name(attachment.file_name),
        )
    return message
