"""Make the plain-script build `embed.global.js` from the ES module `embed.js`.

No bundler: the module has exactly two export statements at the end; the
plain build wraps the rest in a function and sets `window.Blanche` instead.
Run `python -m embed.bundle` after editing embed.js (a test checks both agree).
"""

from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).parent
MODULE = HERE / "embed.js"
GLOBAL = HERE / "embed.global.js"

_EXPORTS = (
    "export { mount, PROTOCOL_VERSION, EVENT_TYPES };\n",
    "export default Blanche;\n",
)
_HEADER = (
    "// GENERATED from embed.js by `python -m embed.bundle`: edit embed.js, not this file.\n"
    "// Plain-script build of the Blanche embed SDK: sets window.Blanche.\n"
)


def global_build(module_source: str) -> str:
    body = module_source
    for export in _EXPORTS:
        if body.count(export) != 1:
            raise ValueError(f"embed.js must contain exactly once: {export.strip()}")
        body = body.replace(export, "")
    if re.search(r"^\s*(export|import)\b", body, re.MULTILINE):
        raise ValueError("embed.js has an import or export the plain build cannot carry")
    lines = [("  " + line if line.strip() else "") for line in body.rstrip().splitlines()]
    inner = "\n".join(lines)
    footer = "\n\n  window.Blanche = Blanche;\n})();\n"
    return f'{_HEADER}(function () {{\n  "use strict";\n{inner}{footer}'


def main() -> None:
    GLOBAL.write_text(global_build(MODULE.read_text()))


if __name__ == "__main__":
    main()
