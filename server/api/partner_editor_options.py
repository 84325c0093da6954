"""The partner's default editor options: what an editor session minted without its
own options gets (`POST /editor-sessions` merges a session's options over them).

`PUT` replaces the defaults as a whole: an option left out has no partner default
(the session's, else the editor's own default). Hidden buttons are checked against
editor.buttons as a session's are: the legally required ones are never hidden.
"""

from __future__ import annotations

from typing import Any, Literal

from starlette.responses import Response

from server.api.common import Output, respond
from server.api.editor.sessions import OptionsIn, checked_hidden_buttons
from server.api.operation import Operation
from server.endpoint import ApiCall

PATH = "/partner/editor-options"


class PartnerEditorOptions(OptionsIn):
    """The options a session may set, as the partner's defaults."""


class PartnerEditorOptionsOut(Output):
    hide_preview_after_save: bool | None = None
    contacts: Literal["editor", "app"] | None = None
    hidden_buttons: list[str] | None = None
    locale: Literal["fr", "en"] | None = None
    logo_upload: bool | None = None


def _shown(defaults: dict[str, Any]) -> dict[str, Any]:
    """The stored defaults as this API says them (keys it does not know left out)."""
    return {
        name: defaults[name] for name in PartnerEditorOptionsOut.model_fields if name in defaults
    }


async def get_editor_options(call: ApiCall) -> Response:
    return respond(PartnerEditorOptionsOut, _shown(call.caller.partner.default_editor_options))


async def put_editor_options(call: ApiCall) -> Response:
    call.caller.require_unscoped_key()  # the defaults are the partner's, not one company's
    body = await call.model(PartnerEditorOptions)
    defaults = body.model_dump(exclude_none=True)
    if body.hidden_buttons is not None:
        defaults["hidden_buttons"] = list(
            checked_hidden_buttons(body.hidden_buttons, "hidden_buttons")
        )
    call.caller.partner.default_editor_options = defaults  # a new value: the JSON is written
    return respond(PartnerEditorOptionsOut, _shown(defaults))


OPERATIONS = (
    Operation(
        "GET",
        PATH,
        get_editor_options,
        "The partner's default editor options (what a session without its own gets)",
        response=PartnerEditorOptionsOut,
    ),
    Operation(
        "PUT",
        PATH,
        put_editor_options,
        "Replace the partner's default editor options (an option left out has none)",
        PartnerEditorOptions,
        PartnerEditorOptionsOut,
    ),
)
