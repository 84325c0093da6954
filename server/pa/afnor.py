"""A PA through the AFNOR XP Z12-013 standard API (Flow and Directory services,
OAuth2 client credentials).

Paths under the connection's base URL: `auth/token` (the token endpoint),
`flow-service/v1/flows` (submit, read, search flows), and
`directory-service/v1/directory-line/search` (where a SIREN receives).
Lifecycle statuses arrive as flows of type `CustomerInvoiceLC` whose content is
a CDAR message (server.pa.cdar).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any

import httpx

from server.pa import cdar
from server.pa.adapter import (
    Acknowledgement,
    AckStatus,
    FlowReceipt,
    IncomingStatus,
    OutgoingFlow,
    PlatformError,
    Routing,
    StatusPage,
)

FLOW_TYPES = {
    "invoice": "CustomerInvoice",
    "lifecycle": "CustomerInvoiceLC",
    "e_reporting": "EReporting",
}
SYNTAXES = {"invoice": "Factur-X", "lifecycle": "CDAR", "e_reporting": "FRR"}
PAGE_SIZE = 50
MAX_RESPONSE_BYTES = 2_000_000
TOKEN_MARGIN_SECONDS = 30.0


def _retryable_status(status: int) -> bool:
    return status in (408, 425, 429) or status >= 500


def _failure(response: httpx.Response, what: str) -> PlatformError:
    status = response.status_code
    detail = response.text[:300].strip()
    if status in (401, 403):
        return PlatformError(
            f"{what}: the platform refused our credentials ({status})",
            retryable=False,
            action="Check the PA connection's client id and secret (PUT /companies/{id}/pa).",
            status=status,
        )
    if _retryable_status(status):
        return PlatformError(
            f"{what}: the platform answered {status}",
            retryable=True,
            action="Nothing: it is retried with backoff.",
            status=status,
        )
    return PlatformError(
        f"{what}: the platform answered {status}: {detail}",
        retryable=False,
        action="Read the platform's answer; fix the document or the connection, then retry.",
        status=status,
    )


class AfnorPlatform:
    def __init__(
        self, base_url: str, client_id: str, client_secret: str, http: httpx.AsyncClient
    ) -> None:
        self._base = base_url.rstrip("/")
        self._client_id = client_id
        self._secret = client_secret
        self._http = http
        self._token: str | None = None
        self._token_expires = 0.0

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _fetch_token(self) -> str:
        try:
            response = await self._http.post(
                f"{self._base}/auth/token",
                data={
                    "grant_type": "client_credentials",
                    "client_id": self._client_id,
                    "client_secret": self._secret,
                },
            )
        except httpx.HTTPError as error:
            raise _network(error, "token") from None
        if response.status_code != 200:
            raise _failure(response, "token")
        body = _json(response, "token")
        token = body.get("access_token")
        if not isinstance(token, str) or not token:
            raise PlatformError(
                "token: no access_token in the answer",
                retryable=True,
                action="Nothing: it is retried.",
            )
        lifetime = body.get("expires_in", 300)
        seconds = float(lifetime) if isinstance(lifetime, int | float) else 300.0
        self._token = token
        self._token_expires = time.monotonic() + max(seconds - TOKEN_MARGIN_SECONDS, 1.0)
        return token

    async def _request(self, method: str, path: str, what: str, **kwargs: Any) -> httpx.Response:
        """One authorised call; an expired token (401) is renewed once."""
        for attempt in (1, 2):
            if self._token is None or time.monotonic() >= self._token_expires:
                await self._fetch_token()
            headers = {"Authorization": f"Bearer {self._token}"}
            try:
                response = await self._http.request(
                    method, f"{self._base}/{path}", headers=headers, **kwargs
                )
            except httpx.HTTPError as error:
                raise _network(error, what) from None
            if response.status_code == 401 and attempt == 1:
                self._token = None
                continue
            if len(response.content) > MAX_RESPONSE_BYTES:
                raise PlatformError(
                    f"{what}: the answer is too large",
                    retryable=True,
                    action="Nothing: it is retried.",
                )
            return response
        raise AssertionError("unreachable")

    async def submit(self, flow: OutgoingFlow) -> FlowReceipt:
        info = {
            "trackingId": flow.tracking_id,
            "name": flow.filename,
            "flowType": FLOW_TYPES[flow.kind],
            "flowSyntax": SYNTAXES[flow.kind],
        }
        files = {
            "flowInfo": (None, json.dumps(info), "application/json"),
            "file": (flow.filename, flow.content, flow.media_type),
        }
        response = await self._request("POST", "flow-service/v1/flows", "submit", files=files)
        if response.status_code == 409:  # already received under this tracking id
            return await self._find(flow.tracking_id)
        if response.status_code not in (200, 201, 202):
            raise _failure(response, "submit")
        body = _json(response, "submit")
        flow_id = body.get("flowId")
        if not isinstance(flow_id, str) or not flow_id:
            raise PlatformError(
                "submit: no flowId in the answer", retryable=True, action="Nothing: it is retried."
            )
        return FlowReceipt(flow_id=flow_id, tracking_id=flow.tracking_id)

    async def _find(self, tracking_id: str) -> FlowReceipt:
        body = await self._search({"trackingId": tracking_id}, 0)
        for result in body.get("results", []):
            if isinstance(result, dict) and isinstance(result.get("flowId"), str):
                return FlowReceipt(flow_id=result["flowId"], tracking_id=tracking_id)
        raise PlatformError(
            f"submit: {tracking_id} was refused as a duplicate but cannot be found",
            retryable=True,
            action="Nothing: it is retried.",
        )

    async def _search(self, where: dict[str, Any], offset: int) -> dict[str, Any]:
        response = await self._request(
            "POST",
            "flow-service/v1/flows/search",
            "search",
            json={"offset": offset, "limit": PAGE_SIZE, "where": where},
        )
        if response.status_code != 200:
            raise _failure(response, "search")
        return _json(response, "search")

    async def acknowledgement(self, flow_id: str) -> Acknowledgement:
        response = await self._request("GET", f"flow-service/v1/flows/{flow_id}", "status")
        if response.status_code != 200:
            raise _failure(response, "status")
        body = _json(response, "status")
        ack = body.get("acknowledgement") or {}
        status = ack.get("status", "Pending") if isinstance(ack, dict) else "Pending"
        details = ack.get("details", []) if isinstance(ack, dict) else []
        reasons = tuple(
            str(item.get("reason", ""))[:500]
            for item in details
            if isinstance(item, dict) and item.get("reason")
        )
        known: dict[object, AckStatus] = {"Pending": "Pending", "Ok": "Ok", "Error": "Error"}
        return Acknowledgement(
            status=known.get(status, "Pending"),
            reasons=reasons,
            deposited_at=_instant(body.get("submittedAt")),
        )

    async def statuses_since(self, cursor: dt.datetime | None) -> StatusPage:
        where: dict[str, Any] = {"flowType": [FLOW_TYPES["lifecycle"]], "flowDirection": ["In"]}
        if cursor is not None:
            where["updatedAfter"] = cursor.astimezone(dt.UTC).isoformat()
        body = await self._search(where, 0)
        items: list[IncomingStatus] = []
        skipped: list[str] = []
        newest = cursor
        for result in body.get("results", []):
            if not isinstance(result, dict) or not isinstance(result.get("flowId"), str):
                continue
            flow_id = result["flowId"]
            updated = _instant(result.get("updatedAt"))
            if updated is not None and (newest is None or updated > newest):
                newest = updated
            response = await self._request(
                "GET",
                f"flow-service/v1/flows/{flow_id}",
                "status message",
                params={"docType": "Original"},
            )
            if response.status_code != 200:
                skipped.append(flow_id)
                continue
            try:
                message = cdar.parse(response.content)
            except cdar.CdarError:
                skipped.append(flow_id)
                continue
            items.append(
                IncomingStatus(
                    flow_id=flow_id,
                    invoice_number=message.invoice_number,
                    code=message.code,
                    at=message.issued_at,
                    issuer=cdar.ISSUERS.get(message.role, "platform"),
                    reason=message.reason,
                    amount=message.amount,
                )
            )
        total = body.get("total")
        more = isinstance(total, int) and total > PAGE_SIZE
        return StatusPage(items=tuple(items), cursor=newest, more=more, skipped=tuple(skipped))

    async def routing(self, siren: str) -> Routing:
        response = await self._request(
            "POST",
            "directory-service/v1/directory-line/search",
            "directory",
            json={"where": {"siren": siren}, "limit": 1},
        )
        if response.status_code == 404:
            return Routing(registered=False)
        if response.status_code != 200:
            raise _failure(response, "directory")
        for line in _json(response, "directory").get("results", []):
            if isinstance(line, dict):
                platform = line.get("platformName")
                address = line.get("addressingIdentifier")
                return Routing(
                    registered=True,
                    platform=str(platform)[:200] if platform else None,
                    address=str(address)[:200] if address else None,
                )
        return Routing(registered=False)


def _network(error: httpx.HTTPError, what: str) -> PlatformError:
    return PlatformError(
        f"{what}: the platform could not be reached ({type(error).__name__})",
        retryable=True,
        action="Nothing: it is retried with backoff. If it lasts, check the PA's URL.",
    )


def _json(response: httpx.Response, what: str) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise PlatformError(
            f"{what}: the answer is not a JSON object",
            retryable=True,
            action="Nothing: it is retried.",
        )
    return body


def _instant(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
