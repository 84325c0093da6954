"""`python -m bench soak [N]`: do the fast rules and the official check agree
on N generated cases (issue 7)? Each case is rebuilt from (seed, index) by
`bench.soak_cases`, checked with `invoicing.rules.agreement.agreement_case`
in a spawned worker process (saxonche holds the GIL: processes, not threads),
and disagreements are grouped by official rule id. `--case I` re-runs one case
and explains it. Exit status: 0 when every case agrees, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path

from bench import optional

DEFAULT_COUNT = 50_000
_AGREEMENT = "invoicing.rules.agreement"


@dataclass(frozen=True, slots=True)
class Outcome:
    index: int
    profile: str
    french: bool
    mutations: tuple[str, ...]
    missed: tuple[str, ...]  # official errors the fast rules did not report
    extra: tuple[str, ...]  # fast errors the official check did not report
    crash: str | None = None

    @property
    def agree(self) -> bool:
        return self.crash is None and not self.missed and not self.extra


def run_case(seed: int, index: int) -> Outcome:
    from bench.soak_cases import make_case
    from invoicing.rules.agreement import agreement_case

    case = make_case(seed, index)
    head = (index, case.profile.value, case.french, case.mutations)
    try:
        result = agreement_case(case.document, case.profile, case.french)
    except Exception as error:  # a crash is a soak finding, not a reason to stop
        return Outcome(*head, (), (), f"{type(error).__name__}: {error}"[:200])
    return Outcome(*head, tuple(sorted(result.missed)), tuple(sorted(result.extra)))


def _outcomes(seed: int, count: int, workers: int) -> Iterator[Outcome]:
    if workers <= 1:
        yield from (run_case(seed, index) for index in range(count))
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(partial(run_case, seed), range(count), chunksize=20)


def _signatures(outcome: Outcome) -> Iterable[str]:
    where = f"{outcome.profile}{' french' if outcome.french else ''}"
    if outcome.crash:
        yield f"crash {outcome.crash.split(':')[0]} ({where})"
    yield from (f"missed {rule_id} ({where})" for rule_id in outcome.missed)
    yield from (f"extra  {rule_id} ({where})" for rule_id in outcome.extra)


def _summary(outcomes: list[Outcome], seed: int, elapsed: float) -> str:
    disagreements = [o for o in outcomes if not o.agree]
    counts: Counter[str] = Counter()
    example: dict[str, Outcome] = {}
    for outcome in disagreements:
        for signature in _signatures(outcome):
            counts[signature] += 1
            example.setdefault(signature, outcome)
    lines = [
        f"soak: {len(outcomes):,} cases (seed {seed}) in {elapsed:.0f} s: "
        f"{len(outcomes) - len(disagreements):,} agree, {len(disagreements):,} disagree "
        f"({sum(1 for o in outcomes if o.crash):,} crashed)"
    ]
    for signature, count in counts.most_common(40):
        first = example[signature]
        lines.append(
            f"  {count:6,}  {signature}  e.g. --case {first.index} {list(first.mutations)}"
        )
    if len(counts) > 40:
        lines.append(f"  ... and {len(counts) - 40} more signatures (see --json)")
    return "\n".join(lines)


def _explain(seed: int, index: int) -> int:
    from bench.soak_cases import make_case
    from invoicing.rules.agreement import agreement_case

    case = make_case(seed, index)
    print(f"case {index} (seed {seed}): mutations {list(case.mutations)}")
    result = agreement_case(case.document, case.profile, case.french)
    print(("agree: " if result.agree else "DISAGREE: ") + result.explain())
    return 0 if result.agree else 1


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench soak", description=__doc__)
    parser.add_argument("count", nargs="?", type=int, default=DEFAULT_COUNT)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--case", type=int, help="re-run and explain this one case")
    parser.add_argument("--json", type=Path, help="write every disagreement to this file")
    args = parser.parse_args(argv)

    _, why = optional.load(_AGREEMENT, "agreement_case")
    if why:
        print(f"soak: {_AGREEMENT}.agreement_case is {why}; nothing to run.")
        return 0
    if args.case is not None:
        return _explain(args.seed, args.case)

    started = time.monotonic()
    step = max(1, args.count // 20)
    outcomes: list[Outcome] = []
    try:
        for outcome in _outcomes(args.seed, args.count, args.workers):
            outcomes.append(outcome)
            done = len(outcomes)
            if done % step == 0:
                rate = done / max(time.monotonic() - started, 1e-9)
                bad = sum(1 for o in outcomes if not o.agree)
                print(f"soak: {done:,}/{args.count:,}, {bad:,} disagree, {rate:.0f} cases/s")
    except KeyboardInterrupt:
        print("soak: interrupted; summary of the cases run so far")
    print(_summary(outcomes, args.seed, time.monotonic() - started))
    if args.json is not None:
        failed = [asdict(o) for o in outcomes if not o.agree]
        payload = {"seed": args.seed, "cases": len(outcomes), "disagreements": failed}
        args.json.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    return 0 if all(o.agree for o in outcomes) else 1
