"""The JavaScript SDK partners load on their page, as files the app serves.

`embed.js` (ES module), `embed.global.js` (plain script, `window.Blanche`),
`embed.d.ts` (types). The protocol is in PROTOCOL.md.
"""

from __future__ import annotations

from pathlib import Path

SDK_DIR = Path(__file__).parent

SDK_FILES: dict[str, str] = {
    "embed.js": "text/javascript; charset=utf-8",
    "embed.global.js": "text/javascript; charset=utf-8",
    "embed.d.ts": "application/typescript; charset=utf-8",
}
"""File name -> Content-Type, for the route that serves the SDK."""

SDK_RESPONSE_HEADERS: dict[str, str] = {
    # A module imported from the partner's origin is fetched in CORS mode.
    "Access-Control-Allow-Origin": "*",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "public, max-age=300",
}
