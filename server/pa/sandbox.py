"""`blanche pa-sandbox`: a local test double of a plateforme agréée.

It speaks the part of AFNOR XP Z12-013 that Blanche uses (OAuth2 client
credentials, Flow service: submit, read, search; Directory service: search by
SIREN) and keeps everything in memory. Any client id is accepted with the
sandbox's secret, and each client id sees only its own flows (as a company
does at its PA). Outcomes are scripted by the invoice: the first note
containing `#reject` -> acknowledgement Error (213 Rejetée) with a reason;
`#refuse` -> deposited, then a 210 Refusée from the buyer a few seconds
later; otherwise deposited, then 205 Approuvée. SIRENs starting with 9 are
"not registered" in its directory. It is not a PA: nothing leaves it.

For tests, `POST /sandbox/faults` makes the next calls fail or hang, and
`GET /sandbox/flows` lists what it received.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from facturx import get_xml_from_pdf
from lxml import etree
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from server.pa import cdar

CII_RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
CII_RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
MAX_FLOW_BYTES = 20_000_000


@dataclass
class SandboxOptions:
    client_secret: str = "sandbox-secret"
    token_seconds: float = 3600.0
    ack_seconds: float = 0.2
    approve_seconds: float = 1.0
    refuse_seconds: float = 3.0


@dataclass
class Flow:
    flow_id: str
    tracking_id: str
    flow_type: str
    direction: str
    name: str
    content: bytes
    received_at: dt.datetime
    ack_at: dt.datetime
    ack_status: str = "Ok"
    ack_reason: str | None = None
    invoice_number: str | None = None
    client_id: str = ""


@dataclass
class Faults:
    status: int = 0
    delay_seconds: float = 0.0
    count: int = 0
    only: str = ""  # a path prefix, or every path


class Sandbox:
    def __init__(self, options: SandboxOptions) -> None:
        self.options = options
        self.tokens: dict[str, tuple[str, dt.datetime]] = {}
        self.flows: dict[str, Flow] = {}
        self.by_tracking: dict[str, str] = {}
        self.faults = Faults()
        self.submissions = 0  # POST /flows calls, duplicates included

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def client(self, request: Request) -> str | None:
        """The client id of a valid bearer token, else None."""
        header = request.headers.get("authorization", "")
        found = self.tokens.get(header.removeprefix("Bearer ").strip())
        if found is None or found[1] <= self.now():
            return None
        return found[0]

    def add(self, flow: Flow) -> Flow:
        self.flows[flow.flow_id] = flow
        self.by_tracking[flow.tracking_id] = flow.flow_id
        return flow

    def lifecycle_for(self, invoice: Flow) -> None:
        """Schedule what the network says about a deposited invoice."""
        note = _first_tagged_note(invoice.content)
        if invoice.ack_status != "Ok" or invoice.invoice_number is None:
            return
        if note == "#refuse":
            when = invoice.ack_at + dt.timedelta(seconds=self.options.refuse_seconds)
            self._status(invoice, "210", cdar.ROLE_BUYER, when, "Commande non reçue (#refuse)")
        else:
            when = invoice.ack_at + dt.timedelta(seconds=self.options.approve_seconds)
            self._status(invoice, "205", cdar.ROLE_BUYER, when, None)

    def _status(
        self, invoice: Flow, code: str, role: str, when: dt.datetime, reason: str | None
    ) -> None:
        assert invoice.invoice_number is not None
        message = cdar.StatusMessage(
            message_id=f"LC-{uuid.uuid4()}",
            issued_at=when,
            invoice_number=invoice.invoice_number,
            invoice_issue_date=None,
            code=code,
            role=role,
            reason=reason,
        )
        flow_id = str(uuid.uuid4())
        self.add(
            Flow(
                flow_id=flow_id,
                tracking_id=f"sandbox-{flow_id}",
                flow_type="CustomerInvoiceLC",
                direction="In",
                name=f"{invoice.invoice_number}-{code}.xml",
                content=cdar.build(message),
                received_at=when,
                ack_at=when,
                client_id=invoice.client_id,
            )
        )


def _notes(xml: bytes) -> list[str]:
    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    return [
        (element.text or "")
        for element in root.iterfind(f".//{{{CII_RAM}}}IncludedNote/{{{CII_RAM}}}Content")
    ]


def _invoice_xml(content: bytes) -> bytes | None:
    if content.startswith(b"%PDF"):
        _name, xml = get_xml_from_pdf(content, check_xsd=False)
        return xml if isinstance(xml, bytes) and xml else None
    return content if content.lstrip().startswith(b"<") else None


def _first_tagged_note(content: bytes) -> str | None:
    xml = _invoice_xml(content)
    if xml is None:
        return None
    for note in _notes(xml):
        for tag in ("#reject", "#refuse"):
            if tag in note:
                return tag
    return None


def _invoice_number(xml: bytes) -> str | None:
    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    found = root.find(f"{{{CII_RSM}}}ExchangedDocument/{{{CII_RAM}}}ID")
    return found.text if found is not None else None


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat()


def _problem(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"status": status, "detail": detail}, status_code=status)


def sandbox_app(options: SandboxOptions | None = None) -> Starlette:
    box = Sandbox(options or SandboxOptions())

    async def faulty(request: Request) -> Response | None:
        faults = box.faults
        if faults.count <= 0 or not request.url.path.startswith(faults.only):
            return None
        if request.url.path.startswith("/sandbox/"):
            return None
        faults.count -= 1
        if faults.delay_seconds:
            await asyncio.sleep(faults.delay_seconds)
        if faults.status:
            return _problem(faults.status, "injected fault")
        return None

    async def token(request: Request) -> Response:
        if (fault := await faulty(request)) is not None:
            return fault
        form = await request.form()
        client_id, secret = str(form.get("client_id", "")), str(form.get("client_secret", ""))
        if form.get("grant_type") != "client_credentials":
            return _problem(400, "grant_type must be client_credentials")
        if not client_id or not secrets.compare_digest(box.options.client_secret, secret):
            return _problem(401, "unknown client")
        value = secrets.token_urlsafe(24)
        expires = box.now() + dt.timedelta(seconds=box.options.token_seconds)
        box.tokens[value] = (client_id, expires)
        return JSONResponse(
            {"access_token": value, "token_type": "Bearer", "expires_in": box.options.token_seconds}
        )

    async def submit(request: Request) -> Response:
        box.submissions += 1
        if (fault := await faulty(request)) is not None:
            return fault
        client = box.client(request)
        if client is None:
            return _problem(401, "token missing or expired")
        async with request.form(max_part_size=MAX_FLOW_BYTES) as form:
            info_part, file_part = form.get("flowInfo"), form.get("file")
            if info_part is None or file_part is None or isinstance(file_part, str):
                return _problem(400, "flowInfo and file are required")
            info_text = (
                info_part if isinstance(info_part, str) else (await info_part.read()).decode()
            )
            content = await file_part.read()
        try:
            info: Any = json.loads(info_text)
        except ValueError:
            return _problem(400, "flowInfo is not JSON")
        tracking = info.get("trackingId") if isinstance(info, dict) else None
        if not isinstance(tracking, str) or not tracking:
            return _problem(400, "trackingId is required")
        tracking = f"{client}/{tracking}"  # each client has its own tracking ids
        if tracking in box.by_tracking:  # idempotent: the same flow again
            return JSONResponse(_flow_info(box.flows[box.by_tracking[tracking]]), status_code=200)
        flow_type = str(info.get("flowType", "CustomerInvoice"))
        now = box.now()
        flow = Flow(
            flow_id=str(uuid.uuid4()),
            tracking_id=tracking,
            flow_type=flow_type,
            direction="Out",
            name=str(info.get("name", "flow"))[:200],
            content=content,
            received_at=now,
            ack_at=now + dt.timedelta(seconds=box.options.ack_seconds),
            client_id=client,
        )
        _acknowledge(flow)
        box.add(flow)
        if flow_type == "CustomerInvoice":
            box.lifecycle_for(flow)
        return JSONResponse(_flow_info(flow, now), status_code=202)

    async def get_flow(request: Request) -> Response:
        if (fault := await faulty(request)) is not None:
            return fault
        client = box.client(request)
        if client is None:
            return _problem(401, "token missing or expired")
        flow = box.flows.get(request.path_params["flow_id"])
        if flow is None or flow.client_id != client or flow.received_at > box.now():
            return _problem(404, "no such flow")
        if request.query_params.get("docType") == "Original":
            media = (
                "application/xml" if flow.content.lstrip().startswith(b"<") else "application/pdf"
            )
            return Response(flow.content, media_type=media)
        return JSONResponse(_flow_info(flow, box.now()))

    async def search(request: Request) -> Response:
        if (fault := await faulty(request)) is not None:
            return fault
        client = box.client(request)
        if client is None:
            return _problem(401, "token missing or expired")
        body = await request.json()
        where = body.get("where", {}) if isinstance(body, dict) else {}
        offset = int(body.get("offset", 0)) if isinstance(body, dict) else 0
        limit = min(int(body.get("limit", 50)), 100) if isinstance(body, dict) else 50
        now = box.now()
        after = where.get("updatedAfter")
        after_time = dt.datetime.fromisoformat(after) if isinstance(after, str) else None
        found = [
            flow
            for flow in sorted(box.flows.values(), key=lambda f: f.received_at)
            if flow.received_at <= now
            and flow.client_id == client
            and (
                not where.get("trackingId") or flow.tracking_id == f"{client}/{where['trackingId']}"
            )
            and (not where.get("flowType") or flow.flow_type in where["flowType"])
            and (not where.get("flowDirection") or flow.direction in where["flowDirection"])
            and (after_time is None or flow.received_at > after_time)
        ]
        page = found[offset : offset + limit]
        return JSONResponse(
            {"total": len(found), "offset": offset, "results": [_flow_info(f, now) for f in page]}
        )

    async def directory(request: Request) -> Response:
        if (fault := await faulty(request)) is not None:
            return fault
        if box.client(request) is None:
            return _problem(401, "token missing or expired")
        body = await request.json()
        siren = str(body.get("where", {}).get("siren", "")) if isinstance(body, dict) else ""
        if len(siren) != 9 or not siren.isdigit() or siren.startswith("9"):
            return JSONResponse({"total": 0, "results": []})
        line = {
            "siren": siren,
            "addressingIdentifier": f"0225:{siren}",
            "platformName": "PA Sandbox Blanche",
            "administrativeStatus": "Active",
        }
        return JSONResponse({"total": 1, "results": [line]})

    async def set_faults(request: Request) -> Response:
        body = await request.json()
        if body.get("revoke_tokens"):
            box.tokens.clear()
        box.faults = Faults(
            status=int(body.get("status", 0)),
            delay_seconds=float(body.get("delay_seconds", 0)),
            count=int(body.get("count", 1)),
            only=str(body.get("only", "")),
        )
        return JSONResponse({"ok": True})

    async def list_flows(request: Request) -> Response:
        flows = [
            {**_flow_info(flow), "direction": flow.direction}
            for flow in box.flows.values()
            if flow.direction == "Out"
        ]
        return JSONResponse({"submissions": box.submissions, "flows": flows})

    async def flow_content(request: Request) -> Response:
        flow = box.flows.get(request.path_params["flow_id"])
        if flow is None:
            return _problem(404, "no such flow")
        return Response(flow.content, media_type="application/octet-stream")

    return Starlette(
        routes=[
            Route("/auth/token", token, methods=["POST"]),
            Route("/flow-service/v1/flows", submit, methods=["POST"]),
            Route("/flow-service/v1/flows/search", search, methods=["POST"]),
            Route("/flow-service/v1/flows/{flow_id}", get_flow, methods=["GET"]),
            Route("/directory-service/v1/directory-line/search", directory, methods=["POST"]),
            Route("/sandbox/faults", set_faults, methods=["POST"]),
            Route("/sandbox/flows", list_flows, methods=["GET"]),
            Route("/sandbox/flows/{flow_id}/content", flow_content, methods=["GET"]),
        ]
    )


def _acknowledge(flow: Flow) -> None:
    """Decide the acknowledgement of what we received (Error = 213 Rejetée)."""
    if flow.flow_type == "CustomerInvoice":
        xml = None
        try:
            xml = _invoice_xml(flow.content)
        except Exception:  # an unreadable PDF is a rejection, not a crash
            xml = None
        if xml is None:
            flow.ack_status, flow.ack_reason = "Error", "No Factur-X XML found in the file"
            return
        try:
            flow.invoice_number = _invoice_number(xml)
        except etree.XMLSyntaxError:
            flow.ack_status, flow.ack_reason = "Error", "The XML cannot be read"
            return
        if _first_tagged_note(flow.content) == "#reject":
            flow.ack_status = "Error"
            flow.ack_reason = "REJ_SEMAN: invoice rejected by the platform (#reject)"
    elif flow.flow_type == "CustomerInvoiceLC":
        try:
            cdar.parse(flow.content)
        except cdar.CdarError as error:
            flow.ack_status, flow.ack_reason = "Error", str(error)


def _flow_info(flow: Flow, now: dt.datetime | None = None) -> dict[str, Any]:
    pending = now is not None and now < flow.ack_at
    ack: dict[str, Any] = {"status": "Pending" if pending else flow.ack_status}
    if not pending and flow.ack_reason:
        ack["details"] = [{"level": "Error", "item": flow.name, "reason": flow.ack_reason}]
    return {
        "flowId": flow.flow_id,
        "trackingId": flow.tracking_id.split("/", 1)[-1],
        "clientId": flow.client_id,
        "name": flow.name,
        "flowType": flow.flow_type,
        "flowDirection": flow.direction,
        "submittedAt": _iso(flow.received_at),
        "updatedAt": _iso(flow.received_at),
        "acknowledgement": ack,
    }
