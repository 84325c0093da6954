"""`blanche journal verify | export | rotate-key`."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server.db.tenants import Company
from server.documents.journal.export import compare_with_export, export_journals
from server.documents.journal.seal import rotate_keys
from server.documents.journal.verify import JournalReport, verify_journal
from server.settings import Settings

T = TypeVar("T")
RunInSession = Callable[[Callable[[AsyncSession], Awaitable[Any]]], Any]


class JournalCommandError(ValueError):
    """Bad operator input, reported without a traceback."""


def describe(problem: dict[str, object]) -> str:
    """One line an operator can act on: where, what, chained vs present value."""
    where = []
    if problem.get("position") is not None:
        where.append(f"entry {problem['position']}")
    if problem.get("document_id") is not None:
        number = f" ({problem['number']})" if problem.get("number") else ""
        where.append(f"document {problem['document_id']}{number}")
    if problem.get("series"):
        where.append(f"series {problem['series']}")
    text = f"{', '.join(where)}: {problem['problem']}" if where else str(problem["problem"])
    if problem.get("fact"):
        text += f" [{problem['fact']}]"
    if "expected" in problem or "found" in problem:
        text += f" journal: {problem.get('expected')!s} / database: {problem.get('found')!s}"
    return text


async def _reports(session: AsyncSession, company_id: int | None) -> list[JournalReport]:
    if company_id is not None:
        if await session.get(Company, company_id) is None:
            raise JournalCommandError(f"no company {company_id}")
        ids = [company_id]
    else:
        ids = list(await session.scalars(select(Company.id).order_by(Company.id)))
    return [await verify_journal(session, company) for company in ids]


def register(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], run: RunInSession
) -> None:
    def cmd_verify(args: argparse.Namespace) -> int:
        reports: list[JournalReport] = run(lambda s: _reports(s, args.company))
        earlier_problems: dict[int, list[dict[str, object]]] = {}
        if args.against:
            earlier = json.loads(Path(args.against).read_text())
            now = run(lambda s: export_journals(s, args.company))
            for company_id, problem in compare_with_export(earlier, now):
                earlier_problems.setdefault(company_id, []).append(problem)
        failed = 0
        for report in reports:
            problems = report.problems + earlier_problems.get(report.company_id, [])
            state = "TAMPERED" if problems else "ok"
            print(
                f"company {report.company_id}: {report.entries} entries, {state} "
                f"(sealed to {report.sealed_to}, anchored to {report.anchored_to or '-'})"
            )
            for problem in problems:
                print(f"  {describe(problem)}")
            failed += bool(problems)
        return 1 if failed else 0

    def cmd_export(args: argparse.Namespace) -> int:
        data = run(lambda s: export_journals(s, args.company))
        text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
        if args.output in (None, "-"):
            sys.stdout.write(text)
        else:
            Path(args.output).write_text(text)
            print(f"{sum(len(c['entries']) for c in data['companies'])} entries written")
        return 0 if all(c["verification"]["ok"] for c in data["companies"]) else 1

    def cmd_rotate(args: argparse.Namespace) -> int:
        settings = Settings.from_env()
        if settings.journal_keys:
            raise JournalCommandError(
                "BLANCHE_JOURNAL_KEYS is set: append the new key to it by hand"
            )
        keys = rotate_keys(settings.var_dir)
        print(f"new journal key added; {len(keys)} key(s) verify, the newest seals")
        return 0

    journal = commands.add_parser("journal", help="the sealed journal of issued documents")
    journal_commands = journal.add_subparsers(dest="journal", required=True)
    verify = journal_commands.add_parser(
        "verify", help="name every problem; exit 1 when tampering is found"
    )
    verify.add_argument("--company", type=int, help="default: every company")
    verify.add_argument(
        "--against", metavar="EXPORT", help="also check that an earlier export is unchanged"
    )
    verify.set_defaults(handler=cmd_verify)
    export = journal_commands.add_parser(
        "export", help="entries, seals, anchor and how to verify, as JSON for an auditor"
    )
    export.add_argument("--company", type=int, help="default: every company")
    export.add_argument("--output", "-o", help="file (default: standard output)")
    export.set_defaults(handler=cmd_export)
    rotate = journal_commands.add_parser(
        "rotate-key", help="add a journal key that seals from now on (older ones still verify)"
    )
    rotate.set_defaults(handler=cmd_rotate)
