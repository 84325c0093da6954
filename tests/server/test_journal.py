from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from server.cli import main
from server.db.documents import DocumentRow, JournalEntry
from server.documents.journal import GENESIS, entry_hash
from server.settings import Settings
from tests.server.helpers import Partner, in_db


def _issue(partner: Partner) -> tuple[int, list[dict[str, object]]]:
    company = partner.company()
    invoices = [partner.finalized(company["id"]) for _ in range(3)]
    partner.draft(company["id"])  # drafts are not journaled
    partner.finalized(company["id"], "quote")  # nor quotes
    credit = partner.ok(partner.post(f"/documents/{invoices[0]['id']}/credit-note"), 201)
    invoices.append(partner.ok(partner.post(f"/documents/{credit['id']}/finalize")))
    return company["id"], invoices


def _verify(partner: Partner, company_id: int) -> dict[str, object]:
    return partner.ok(partner.get(f"/companies/{company_id}/journal/verify"))  # type: ignore[no-any-return]


def test_journal_chains_every_finalization(partner_a: Partner) -> None:
    company_id, documents = _issue(partner_a)
    journal = partner_a.ok(partner_a.get(f"/companies/{company_id}/journal"))["items"]
    assert [e["document_id"] for e in journal] == [d["id"] for d in documents]
    assert [e["position"] for e in journal] == [1, 2, 3, 4]
    assert journal[0]["previous_hash"] == GENESIS
    for before, after in itertools.pairwise(journal):
        assert after["previous_hash"] == before["entry_hash"]
    report = _verify(partner_a, company_id)
    assert report["ok"] is True and report["problems"] == []
    assert report["entries"] == 4 and report["head"] == journal[-1]["entry_hash"]


Tamper = Callable[[AsyncSession, list[int]], object]


async def _edit_content(session: AsyncSession, ids: list[int]) -> None:
    row = await session.get(DocumentRow, ids[1])
    assert row is not None
    row.content = row.content.replace('"quantity":"2"', '"quantity":"20"')
    assert '"quantity":"20"' in row.content


async def _edit_xml(session: AsyncSession, ids: list[int]) -> None:
    row = await session.get(DocumentRow, ids[1])
    assert row is not None and row.xml is not None
    row.xml = row.xml.replace(b"Lyon", b"Nice")


async def _edit_xml_and_its_digest(session: AsyncSession, ids: list[int]) -> None:
    row = await session.get(DocumentRow, ids[1])
    assert row is not None and row.xml is not None
    row.xml = row.xml.replace(b"Lyon", b"Nice")
    row.xml_sha256 = hashlib.sha256(row.xml).hexdigest()


async def _forge_entry(session: AsyncSession, ids: list[int]) -> None:
    """Change a document and recompute its own entry: the next link breaks."""
    row = await session.get(DocumentRow, ids[1])
    entry = await session.scalar(select(JournalEntry).where(JournalEntry.document_id == ids[1]))
    assert row is not None and entry is not None
    row.content = row.content.replace("Boulangerie", "Patisserie")
    entry.entry_hash = entry_hash(entry.previous_hash, row.content, entry.xml_sha256)


async def _drop_last_entry(session: AsyncSession, ids: list[int]) -> None:
    await session.execute(delete(JournalEntry).where(JournalEntry.document_id == ids[-1]))


async def _erase_last_invoice(session: AsyncSession, ids: list[int]) -> None:
    await session.execute(delete(JournalEntry).where(JournalEntry.document_id == ids[2]))
    await session.execute(
        update(DocumentRow)
        .where(DocumentRow.source_document_id == ids[2])
        .values(source_document_id=None)
    )
    await session.execute(delete(DocumentRow).where(DocumentRow.id == ids[2]))


async def _renumber(session: AsyncSession, ids: list[int]) -> None:
    await session.execute(
        update(DocumentRow).where(DocumentRow.id == ids[1]).values(number="F-2026-00099")
    )


async def _back_to_draft(session: AsyncSession, ids: list[int]) -> None:
    await session.execute(
        update(DocumentRow).where(DocumentRow.id == ids[1]).values(finalized_at=None, xml=None)
    )


@pytest.mark.parametrize(
    "tamper",
    [
        _edit_content,
        _edit_xml,
        _edit_xml_and_its_digest,
        _forge_entry,
        _drop_last_entry,
        _erase_last_invoice,
        _renumber,
        _back_to_draft,
    ],
)
def test_tampering_in_the_database_is_detected(
    partner_a: Partner,
    settings: Settings,
    tamper: Tamper,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    company_id, documents = _issue(partner_a)
    ids = [int(str(d["id"])) for d in documents]

    async def work(session: AsyncSession) -> None:
        await tamper(session, ids)  # type: ignore[misc]

    in_db(settings, work)
    report = _verify(partner_a, company_id)
    assert report["ok"] is False
    assert report["problems"]
    monkeypatch.setenv("BLANCHE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("BLANCHE_VAR_DIR", str(settings.var_dir))
    assert main(["journal", "verify", "--company", str(company_id)]) == 1
    assert "TAMPERED" in capsys.readouterr().out


def test_cli_verify_passes_on_an_intact_journal(
    partner_a: Partner,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _issue(partner_a)
    monkeypatch.setenv("BLANCHE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("BLANCHE_VAR_DIR", str(settings.var_dir))
    assert main(["journal", "verify"]) == 0
    assert "4 entries, ok" in capsys.readouterr().out
