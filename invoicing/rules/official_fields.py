"""The document fields an official finding is about.

An official finding names a rule id and an XPath location; the fast rule that
mirrors that official id declares the fields it reads, and a line's position in
the location (`IncludedSupplyChainTradeLineItem[3]`) picks the line. A finding no
fast rule mirrors is about the document as a whole (no field).
"""

from __future__ import annotations

import re
from functools import cache

from invoicing.profiles import Profile
from invoicing.rules import catalogue  # noqa: F401  (registers every rule)
from invoicing.rules.engine import LINE_COUNT, rule_set

_LINE = re.compile(r"IncludedSupplyChainTradeLineItem\[(\d+)\]")


@cache
def _reads_by_official_id(profile: Profile, french: bool) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for active in rule_set(profile, french):
        for official in active.resolved.values():
            if official and official != "XSD":
                found.setdefault(official, active.rule.reads)
    return found


def official_fields(rule_id: str, location: str, profile: Profile, french: bool) -> tuple[str, ...]:
    """Editor paths ('lines[2].quantity', 'buyer.siren') for one official finding."""
    reads = _reads_by_official_id(profile, french).get(rule_id, ())
    line = _LINE.search(location)
    fields = []
    for read in reads:
        path = "lines" if read == LINE_COUNT else read
        if line is not None and (path == "lines" or path.startswith("lines.")):
            path = f"lines[{int(line.group(1)) - 1}]" + path[len("lines") :]
        if path not in fields:
            fields.append(path)
    return tuple(fields)
