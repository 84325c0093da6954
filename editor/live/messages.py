"""Messages a live draft sends to its tabs, built in one place."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from editor.backend import Draft
from editor.render import official_html

if TYPE_CHECKING:
    from editor.live.draft import LiveDraft

Message = dict[str, Any]


def validation_summary(live: LiveDraft) -> dict[str, Any]:
    errors, warnings = live.summary()
    return {"valid": errors == 0, "errors": errors, "warnings": warnings}


def created_event(draft: Draft) -> Message:
    return {
        "type": "document.created",
        "payload": {
            "document_id": draft.document_id,
            "id": draft.document_id,  # its first name, kept (embed/events/)
            "kind": draft.kind.value,
        },
    }


def official_message(official: Mapping[str, Any], locale: str) -> Message:
    return {
        "type": "official",
        "seq": official.get("seq"),
        "state": official["state"],
        "ok": official["state"] == "ok",
        "html": official_html(official, locale),
    }
