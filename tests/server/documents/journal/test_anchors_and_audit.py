"""The journal's key and anchors stay outside the database; the CLI verifies, an
export lets an auditor verify."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from server.cli import main
from server.db.engine import create_engine, session_factory
from server.documents.journal import (
    GENESIS,
    JournalSeal,
    append_event,
    bind_seal,
)
from server.settings import Settings
from tests.server.documents.journal.reports import verify_report
from tests.server.documents.journal.tampers import set_columns, truncate
from tests.server.helpers import Partner, in_db


def test_the_journal_key_and_anchors_stay_outside_the_database(
    settings: Settings, issued: tuple[int, list[int]]
) -> None:
    company_id, _ = issued
    key_file = settings.var_dir / "journal-keys"
    anchor = settings.var_dir / "journal" / "heads" / f"{company_id}.json"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert anchor.stat().st_mode & 0o777 == 0o600
    assert anchor.parent.stat().st_mode & 0o777 == 0o700
    assert json.loads(anchor.read_text())["position"] == 8


def test_the_anchor_moves_on_commit_only(
    partner_a: Partner, settings: Settings, issued: tuple[int, list[int]]
) -> None:
    """An event appended in a transaction that rolls back leaves no entry and does
    not move the anchor; a committed one moves it."""
    company_id, ids = issued

    async def append(commit: bool) -> None:
        engine = create_engine(settings.database_url)
        sessions = session_factory(engine)
        bind_seal(sessions, JournalSeal.for_settings(settings))
        try:
            async with sessions() as session, session.begin():
                entry = await append_event(session, ids[1], "reminder", {"n": 1})
                assert entry is not None and entry.position == 9
                if not commit:
                    await session.rollback()
        finally:
            await engine.dispose()

    asyncio.run(append(commit=False))
    report = verify_report(partner_a, company_id)
    assert report["ok"] is True and (report["entries"], report["anchored_to"]) == (8, 8)
    asyncio.run(append(commit=True))
    report = verify_report(partner_a, company_id)
    assert report["ok"] is True and (report["entries"], report["anchored_to"]) == (9, 9)


def test_cli_verify_passes_on_an_intact_journal(
    settings: Settings,
    issued: tuple[int, list[int]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("BLANCHE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("BLANCHE_VAR_DIR", str(settings.var_dir))
    assert main(["journal", "verify"]) == 0
    assert "8 entries, ok" in capsys.readouterr().out


def test_export_for_an_auditor_and_verify_against_it(
    settings: Settings,
    issued: tuple[int, list[int]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The export holds what an auditor needs to recompute every hash and seal
    without our code; kept by the auditor, it catches a truncation even when
    the attacker also removed the anchor file."""
    company_id, ids = issued
    monkeypatch.setenv("BLANCHE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("BLANCHE_VAR_DIR", str(settings.var_dir))
    export_file = tmp_path / "journal.json"
    assert main(["journal", "export", "--output", str(export_file)]) == 0
    exported = json.loads(export_file.read_text())
    company = exported["companies"][0]
    assert company["verification"]["ok"] is True and company["anchor"]["position"] == 8
    key = (settings.var_dir / "journal-keys").read_text().split()[-1].encode()
    previous = GENESIS
    for entry in company["entries"]:  # the recipe of how_to_verify, by hand
        text = "\n".join(("blanche-journal/2", previous, entry["kind"], entry["facts_json"]))
        assert hashlib.sha256(text.encode()).hexdigest() == entry["entry_hash"]
        message = (
            f"blanche-journal-seal/1\n{company_id}\n{entry['position']}\n{entry['entry_hash']}"
        )
        assert hmac.new(key, message.encode(), hashlib.sha256).hexdigest() == entry["seal"]
        previous = entry["entry_hash"]
    assert main(["journal", "verify", "--against", str(export_file)]) == 0
    capsys.readouterr()

    async def erase(session: AsyncSession) -> None:
        await truncate(session, ids)
        await set_columns(session, ids[0], status="cancelled")  # keep the rest consistent

    in_db(settings, erase)
    (settings.var_dir / "journal" / "heads" / f"{company_id}.json").unlink()
    assert main(["journal", "verify", "--against", str(export_file)]) == 1
    out = capsys.readouterr().out
    assert "entry 6" in out and "entry of the earlier export missing now" in out
