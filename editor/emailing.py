"""Send the open document by email from the editor: what the dialog proposes (the
customer's address, the usual subject) and the sending, checked field by field in the
user's words first; the service's email module (docs/emails.md) sends it with its
Factur-X PDF and has the last word."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from editor.backend import NewEmail
from editor.live.messages import Message
from editor.refusals import refusal_message
from invoicing.field_errors import FieldError
from invoicing.original_language import ORIGINAL_LANGUAGE

if TYPE_CHECKING:
    from editor.actions import Actions

MAX_RECIPIENTS: Final = 10
MAX_SUBJECT: Final = 300
MAX_MESSAGE: Final = 10_000
_SEPARATORS = re.compile(r"[,;\s]+")
# A plain address (no display name): what the email module accepts, said early.
_ADDRESS = re.compile(r"[^@\s<>()\[\],;:\"]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


def recipients(raw: Any) -> tuple[list[str], str | None]:
    """The addresses typed (commas, semicolons or spaces between them), and the
    first one that is not an address ("" when there are too many, None when all are)."""
    text = raw if isinstance(raw, str) else ""
    found = list(dict.fromkeys(part for part in _SEPARATORS.split(text[:3000]) if part))
    if len(found) > MAX_RECIPIENTS:
        return found, ""
    for address in found:
        if len(address) > 254 or not _ADDRESS.fullmatch(address):
            return found, address
    return found, None


async def options(actions: Actions) -> Message:
    connection = actions.connection
    document_id = connection.live_draft.draft.document_id
    assert document_id is not None
    draft = await connection.backend.email_draft(connection.session, document_id)
    number = connection.live_draft.draft.number or f"document-{document_id}"
    return {
        "ok": True,
        "to": draft.to,
        "subject": draft.subject,
        "message": draft.message,
        "attachment": actions.w["email_attachment"].format(name=f"{number}.pdf"),
    }


async def send(actions: Actions, params: Mapping[str, Any]) -> Message:
    from editor.actions import Refusal

    connection = actions.connection
    w, locale = actions.w, connection.locale
    document_id = connection.live_draft.draft.document_id
    assert document_id is not None
    errors: list[FieldError] = []
    to, wrong = recipients(params.get("to"))
    if not to:
        errors.append(FieldError("to", w["email_to_missing"]))
    elif wrong == "":
        errors.append(FieldError("to", w["email_to_many"]))
    elif wrong is not None:
        errors.append(FieldError("to", w["email_to_invalid"].format(address=wrong[:80])))
    subject = params.get("subject")
    subject = subject.strip() if isinstance(subject, str) else ""
    if not subject or len(subject) > MAX_SUBJECT or any(c in subject for c in "\r\n"):
        errors.append(FieldError("subject", w["email_subject_invalid"]))
    message = params.get("message")
    message = message if isinstance(message, str) else ""
    if len(message) > MAX_MESSAGE:
        errors.append(FieldError("message", w["email_message_long"]))
    if errors:
        raise Refusal(
            "validation_failed", refusal_message("validation_failed", locale), tuple(errors)
        )
    # The email carries the document's original PDF: it speaks its language, whatever
    # the session's (the dialog around it, and its refusals, speak the user's).
    email = NewEmail(tuple(to), subject, message.strip(), ORIGINAL_LANGUAGE)
    sent = await connection.backend.send_email(connection.session, document_id, email)
    await actions._refresh_all(await connection.backend.open_draft(connection.session, document_id))
    draft = connection.live_draft.draft
    event = {
        "type": "document.sent",
        "payload": {
            "document_id": document_id,
            "kind": draft.kind.value,
            "number": draft.number,
            "status": sent.status,
            "channel": "email",
            "to": list(sent.to),
            "subject": sent.subject,
        },
    }
    return actions._done(w["email_sent"].format(to=", ".join(sent.to)), [event])
