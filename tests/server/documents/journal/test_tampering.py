"""A change to the journal or the documents it covers is detected and named."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from server.cli import main
from server.db.documents import DocumentRow, JournalEntry
from server.settings import Settings
from tests.server.documents.journal.reports import verify_report
from tests.server.documents.journal.tampers import CASES, Tamper, set_columns
from tests.server.helpers import Partner, in_db


def _names(problem: dict[str, Any], expected: dict[str, object], ids: list[int]) -> bool:
    for key, value in expected.items():
        if key == "document":
            if problem.get("document_id") != ids[int(str(value))]:
                return False
        elif key == "problem":
            if not str(problem["problem"]).startswith(str(value)):
                return False
        elif problem.get(key) != value:
            return False
    return True


@pytest.mark.parametrize(("tamper", "expected"), CASES, ids=lambda c: getattr(c, "__name__", ""))
def test_tampering_is_detected_and_named(
    partner_a: Partner,
    settings: Settings,
    issued: tuple[int, list[int]],
    tamper: Tamper,
    expected: dict[str, object],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    company_id, ids = issued
    assert verify_report(partner_a, company_id)["ok"] is True
    in_db(settings, lambda session: tamper(session, ids))
    report = verify_report(partner_a, company_id)
    assert report["ok"] is False
    assert any(_names(p, expected, ids) for p in report["problems"]), report["problems"]
    monkeypatch.setenv("BLANCHE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("BLANCHE_VAR_DIR", str(settings.var_dir))
    assert main(["journal", "verify", "--company", str(company_id)]) == 1
    out = capsys.readouterr().out
    assert "TAMPERED" in out
    if "fact" in expected:
        assert str(expected["fact"]) in out


def test_truncation_without_the_anchor_shows_in_the_numbering(
    partner_a: Partner, settings: Settings, issued: tuple[int, list[int]]
) -> None:
    """Even with the anchor file gone, deleting the last invoice and its entry
    but not its counter leaves a gap the numbering check names."""
    company_id, ids = issued

    async def erase(session: AsyncSession) -> None:
        await session.execute(delete(JournalEntry).where(JournalEntry.position >= 6))
        await session.execute(delete(DocumentRow).where(DocumentRow.id == ids[3]))
        await set_columns(session, ids[0], status="finalized", credited_total=None)

    in_db(settings, erase)
    for anchor in (settings.var_dir / "journal" / "heads").iterdir():
        anchor.unlink()
    problems = verify_report(partner_a, company_id)["problems"]
    assert [p["problem"] for p in problems] == ["gap in the numbering"]
