from __future__ import annotations

import re

import pytest

from embed import SDK_DIR, SDK_FILES
from embed.bundle import GLOBAL, MODULE, global_build
from embed.contract import EVENT_TYPES

NAMED_EXPORTS = "export { mount, PROTOCOL_VERSION, EVENT_TYPES };\n"
DEFAULT_EXPORT = "export default Blanche;\n"


def event_types() -> list[str]:
    block = re.search(r"EVENT_TYPES = Object\.freeze\(\[(.*?)\]\)", MODULE.read_text(), re.DOTALL)
    assert block
    return re.findall(r'"([a-z.]+)"', block.group(1))


def test_the_plain_script_build_is_up_to_date() -> None:
    assert GLOBAL.read_text() == global_build(MODULE.read_text()), "run python -m embed.bundle"


def test_the_plain_script_build_has_no_module_syntax() -> None:
    built = GLOBAL.read_text()
    assert not re.search(r"^\s*(export|import)\b", built, re.MULTILINE)
    assert built.rstrip().endswith("window.Blanche = Blanche;\n})();")


@pytest.mark.parametrize(
    "source",
    [
        "const a = 1;\n" + DEFAULT_EXPORT,
        NAMED_EXPORTS + DEFAULT_EXPORT + "export const x = 1;\n",
        "import x from './y.js';\n" + NAMED_EXPORTS + DEFAULT_EXPORT,
    ],
)
def test_the_build_refuses_what_it_cannot_carry(source: str) -> None:
    with pytest.raises(ValueError):
        global_build(source)


def test_types_and_protocol_document_every_event() -> None:
    types = event_types()
    assert types == list(EVENT_TYPES)  # one list: the schemas' (embed/contract.py)
    declarations = (SDK_DIR / "embed.d.ts").read_text()
    event_map = re.search(r"interface BlancheEventMap \{(.*?)\}", declarations, re.DOTALL)
    assert event_map
    assert re.findall(r'^\s*"?([a-z.]+)"?:', event_map.group(1), re.MULTILINE) == types
    assert "PROTOCOL_VERSION: 1;" in declarations
    protocol = (SDK_DIR / "PROTOCOL.md").read_text()
    for event_type in types:
        assert f"| `{event_type}` |" in protocol


def test_every_served_file_exists() -> None:
    for name in SDK_FILES:
        assert (SDK_DIR / name).is_file()
