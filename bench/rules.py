"""Issue 7's fast rules, side by side with the official check on the same documents."""

from __future__ import annotations

from collections.abc import Sized

from bench import optional
from bench.context import LARGE_LINES, SMALL_LINES, Context
from bench.report import Row, ratio
from invoicing.model import Document

SMALL_TARGET_MS = 0.5
LARGE_TARGET_MS = 10.0


def rows(ctx: Context) -> list[Row]:
    validate, why = optional.load("invoicing.rules", "validate")
    cases = (
        ("20", SMALL_LINES, ctx.small, SMALL_TARGET_MS),
        ("500", LARGE_LINES, ctx.large, LARGE_TARGET_MS),
    )
    profile = ctx.profile
    result: list[Row] = []
    for suffix, line_count, document, target in cases:
        name = f"fast rules (invoicing.rules.validate), {line_count} lines"
        official = ctx.measured.get(f"official{suffix}")
        official_name = f"official check on the same {line_count}-line document"
        if validate is None:
            result.append(Row(name, target, None, why))
            result.append(Row(official_name, None, official, "fast rules: " + why))
            continue
        findings, failure = optional.first_call(validate, document, profile, french=True)
        if failure:
            result.append(Row(name, target, None, failure))
            result.append(Row(official_name, None, official, "fast rules " + failure))
            continue
        small = line_count == SMALL_LINES

        def check(document: Document = document) -> object:
            return validate(document, profile, french=True)

        fast = ctx.time(
            f"rules{suffix}",
            check,
            warmup=20 if small else 3,
            runs=(200, 5000) if small else (20, 500),
            budget_s=1.5,
        )
        result.append(Row(name, target, fast, f"demo invoice findings: {_count(findings)}"))
        result.append(
            Row(official_name, None, official, f"official / fast rules = {ratio(official, fast)}")
        )
    return result


def _count(findings: object) -> str:
    return str(len(findings)) if isinstance(findings, Sized) else "?"
