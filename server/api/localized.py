"""The document flows' refusals in the caller's language (`Accept-Language`)."""

from __future__ import annotations

import functools

from starlette.responses import Response

from server.endpoint import ApiCall, Handler
from server.problems import Refusal


def localized(handler: Handler) -> Handler:
    """`handler`, its `Refusal`s said in French when the caller asks for French."""

    @functools.wraps(handler)
    async def speaking(call: ApiCall) -> Response:
        try:
            return await handler(call)
        except Refusal as refusal:
            raise refusal.localized(call.request.headers.get("accept-language")) from None

    return speaking
