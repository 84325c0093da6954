"""The host-page contract: one JSON Schema per event the editor posts (embed/events/),
and what is generated from them: the event types of `embed.d.ts` and the event table
of `PROTOCOL.md` (between their GENERATED markers).

Run `python -m embed.contract` after editing a schema; a test checks that both files
agree with the schemas and that `embed.js` knows exactly these event types. Adding a
field or an event keeps `version: 1`; removing or changing one needs version 2.
"""

from __future__ import annotations

import json
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
EVENTS_DIR = HERE / "events"
TYPES_FILE = HERE / "embed.d.ts"
PROTOCOL_FILE = HERE / "PROTOCOL.md"

# The order of the docs and of embed.js's EVENT_TYPES.
EVENT_TYPES: tuple[str, ...] = (
    "ready",
    "resize",
    "document.created",
    "document.saved",
    "document.finalized",
    "document.deleted",
    "document.sent",
    "payment.recorded",
    "document.lifecycle",
    "contact.created",
    "validation.changed",
    "session.expired",
    "error",
)

# Shared definitions ($defs) -> their TypeScript names.
_SHARED: dict[str, str] = {
    "id": "number",
    "kind": "DocumentKind",
    "status": "DocumentStatus",
    "amount": "Amount",
    "currency": "string",
    "date": "string",
    "totals": "Totals",
}

_TS_BEGIN = "// BEGIN GENERATED EVENTS (python -m embed.contract; source: embed/events/)\n"
_TS_END = "// END GENERATED EVENTS\n"
_MD_BEGIN = "<!-- BEGIN GENERATED EVENTS (python -m embed.contract; source: embed/events/) -->\n"
_MD_END = "<!-- END GENERATED EVENTS -->\n"


def schema_path(event_type: str) -> Path:
    return EVENTS_DIR / f"{event_type}.schema.json"


@cache
def schemas() -> dict[str, dict[str, Any]]:
    """Event type -> the JSON Schema of the whole message, in EVENT_TYPES order."""
    return {name: json.loads(schema_path(name).read_text("utf-8")) for name in EVENT_TYPES}


def _payload(event_type: str) -> dict[str, Any]:
    payload: dict[str, Any] = schemas()[event_type]["properties"]["payload"]
    return payload


def _defs() -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for schema in schemas().values():
        merged.update(schema.get("$defs", {}))
    return merged


# --- TypeScript ---------------------------------------------------------------------------


def _ts(node: dict[str, Any]) -> str:
    if "$ref" in node:
        return _SHARED[node["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in node:
        return " | ".join(_ts(part) for part in node["anyOf"])
    if "const" in node:
        return json.dumps(node["const"])
    if "enum" in node:
        return " | ".join(json.dumps(value) for value in node["enum"])
    kinds = node.get("type")
    if isinstance(kinds, list):
        return " | ".join(_ts({**node, "type": kind}) for kind in kinds)
    return {
        "string": "string",
        "integer": "number",
        "number": "number",
        "boolean": "boolean",
        "null": "null",
    }.get(str(kinds), "unknown")


def _comment(text: str, indent: str = "") -> str:
    return f"{indent}/** {text} */\n" if text else ""


def _interface(name: str, node: dict[str, Any], description: str = "") -> str:
    required = set(node.get("required", ()))
    out = _comment(description) + f"export interface {name} {{\n"
    for key, prop in node["properties"].items():
        out += _comment(prop.get("description", ""), "  ")
        optional = "" if key in required else "?"
        out += f"  {key}{optional}: {_ts(prop)};\n"
    return out + "}\n"


def payload_name(event_type: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[._]", event_type)) + "Payload"


def typescript() -> str:
    defs = _defs()
    parts = [
        f"export type DocumentKind = {_ts(defs['kind'])};\n",
        _comment(defs["status"]["description"]) + "export type DocumentStatus = string;\n",
        _comment(defs["amount"]["description"]) + "export type Amount = string;\n",
        _interface("Totals", defs["totals"], defs["totals"].get("description", "")),
    ]
    for event_type, schema in schemas().items():
        parts.append(
            _interface(payload_name(event_type), _payload(event_type), schema["description"])
        )
    event_map = "export interface BlancheEventMap {\n"
    for event_type in EVENT_TYPES:
        key = event_type if re.fullmatch(r"[a-z]+", event_type) else json.dumps(event_type)
        event_map += f"  {key}: {payload_name(event_type)};\n"
    parts.append(event_map + "}\n")
    return "\n".join(parts)


# --- PROTOCOL.md --------------------------------------------------------------------------


def _md_type(node: dict[str, Any]) -> str:
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return name if name != "totals" else "Totals"
    return _ts(node).replace('"', "")


def markdown() -> str:
    rows = ["| type | when | payload |", "| --- | --- | --- |"]
    for event_type, schema in schemas().items():
        payload = _payload(event_type)
        required = set(payload.get("required", ()))
        fields = ", ".join(
            f"`{key}{'' if key in required else '?'}`: {_md_type(prop)}"
            for key, prop in payload["properties"].items()
        )
        when = schema["description"].removeprefix("Posted when ").rstrip(".")
        cell = fields.replace("|", "\\|")
        rows.append(f"| `{event_type}` | {when} | {cell} |")
    return "\n".join(rows) + "\n"


# --- files --------------------------------------------------------------------------------


def _replace_between(text: str, begin: str, end: str, body: str) -> str:
    start, stop = text.index(begin) + len(begin), text.index(end)
    return text[:start] + body + text[stop:]


def generated() -> dict[Path, str]:
    """Each generated file as it should read."""
    types = TYPES_FILE.read_text("utf-8")
    protocol = PROTOCOL_FILE.read_text("utf-8")
    return {
        TYPES_FILE: _replace_between(types, _TS_BEGIN, _TS_END, typescript()),
        PROTOCOL_FILE: _replace_between(protocol, _MD_BEGIN, _MD_END, markdown()),
    }


def main() -> None:
    for path, text in generated().items():
        path.write_text(text, "utf-8")
    sys.stdout.write("embed.d.ts and PROTOCOL.md regenerated from embed/events/\n")


if __name__ == "__main__":
    main()
