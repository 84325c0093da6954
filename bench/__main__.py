"""`python -m bench [--quick] [--json PATH]`: the benchmark table.
`python -m bench soak [N] [--seed S] [--workers W] [--case I]`: the fast rules
against the official check over N generated cases (bench/soak.py).
`python -m bench editor-load [--sessions 500] [--seconds 60] [--rate 2]`: the
editor's WebSocket sessions under load (bench/editor_load.py, over a minute).
`python -m bench first-save [--after 0 20]`: the first save of a fresh service process
(bench/first_save.py).
`python -m bench schematron-proof [N] [--seed S]`: the indexed schematrons write
the same SVRL as the shipped ones (bench/schematron_proof.py)."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench import (
    anchors,
    api,
    api_load,
    core,
    documents,
    editor,
    editor_load,
    finalization,
    first_save,
    isolation,
    pa,
    rules,
    schematron_proof,
    soak,
    themes,
)
from bench.context import Context
from bench.report import Row, environment, render_table, write_json

Section = Callable[[Context], list[Row]]

# Order matters: later sections quote samples measured by earlier ones.
SECTIONS: tuple[Section, ...] = (
    core.rows,
    documents.pdf_rows,
    documents.large_rows,
    finalization.rows,
    rules.rows,
    anchors.facturx_rows,
    anchors.drafthorse_rows,
    editor.rows,
    themes.rows,
    api.rows,
    api_load.rows,
    isolation.rows,
    pa.rows,
)


def run_table(quick: bool, json_path: Path | None) -> int:
    before = environment()
    started = time.monotonic()
    ctx = Context.build(scale=0.2 if quick else 1.0)
    rows: list[Row] = []
    for section in SECTIONS:
        rows.extend(section(ctx))
    after = environment()
    print(render_table(rows))
    print(
        f"\nPython {before['python']}, {before['cpus']} CPUs; load average "
        f"{before['load_average']} before, {after['load_average']} after; "
        f"{time.monotonic() - started:.0f} s. Targets apply to p50; other processes on "
        "the machine add noise, mostly to p99; cpu p50 is this process's CPU time, "
        "which they barely move."
    )
    if any(row.verdict == "MISS*" for row in rows):
        print(
            "MISS*: the wall-clock p50 misses the target, the CPU p50 meets it (crowded machine)."
        )
    if json_path is not None:
        write_json(json_path, rows, before, after)
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["soak"]:
        return soak.run(argv[1:])
    if argv[:1] == ["schematron-proof"]:
        return schematron_proof.run(argv[1:])
    if argv[:1] == ["editor-load"]:
        return editor_load.run(argv[1:])
    if argv[:1] == ["first-save"]:
        return first_save.run(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument("--quick", action="store_true", help="smaller budgets (a smoke run)")
    args = parser.parse_args(argv)
    return run_table(args.quick, args.json)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
