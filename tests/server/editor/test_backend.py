"""The editor's backend on the service's database (SQLite and PostgreSQL): sessions
from real tokens, drafts by compare-and-set, the REST API and the editor in step,
everything scoped to the session's tenant."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import io
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx
import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from PIL import Image
from sqlalchemy import event

from editor.backend import (
    ActionRefused,
    Draft,
    DraftConflict,
    EditorSession,
    NewContact,
    NewEmail,
    NotFound,
    SessionExpired,
    SessionInvalid,
)
from invoicing.model import Address, Document
from invoicing.totals import compute_totals
from server.editor.backend import DatabaseEditorBackend
from server.settings import Settings
from tests.server.asgi_client import _PortalTransport
from tests.server.helpers import Clock, Partner, document_body, make_partner
from themes.logo import validate_logo

T = TypeVar("T")
HOST = "https://app.a.example"


@dataclass
class World:
    portal: BlockingPortal
    backend: DatabaseEditorBackend
    partner: Partner
    other: Partner
    company_id: int
    user_id: int

    def run(self, work: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
        async def call() -> T:
            return await work(*args, **kwargs)

        return self.portal.call(call)

    def token(self, partner: Partner | None = None, **body: Any) -> str:
        partner = partner or self.partner
        request = {
            "company_id": self.company_id,
            "user_id": self.user_id,
            "document": {"new": "invoice"},
            "parent_origin": HOST,
            **body,
        }
        minted = partner.ok(partner.post("/editor-sessions", request), 201)
        assert minted["url"].startswith("https://blanche.test/editor?p=")
        assert urlsplit(minted["url"]).fragment == f"t={minted['token']}"
        return str(minted["token"])

    def session(self, **body: Any) -> EditorSession:
        return self.run(self.backend.resolve_session, self.token(**body))


@pytest.fixture
def world(app: Any, settings: Settings) -> Iterator[World]:
    with (
        start_blocking_portal() as portal,
        portal.wrap_async_context_manager(app.router.lifespan_context(app)),
        httpx.Client(
            transport=_PortalTransport(portal, app, "127.0.0.1"), base_url="https://blanche.test"
        ) as http,
    ):
        partner = make_partner(http, settings, "Partner A", [HOST])
        other = make_partner(http, settings, "Partner B", ["https://app.b.example"])
        company = partner.company()
        user = partner.user(company["id"])
        yield World(portal, app.state.editor.backend, partner, other, company["id"], user["id"])


def _typed(draft: Draft, seq: int, **changes: Any) -> Draft:
    return Draft(
        document_id=draft.document_id,
        kind=draft.kind,
        status=draft.status,
        number=draft.number,
        content={**draft.content, **changes},
        seq=seq,
        contact_id=draft.contact_id,
        saved=draft.saved,
    )


def test_a_new_draft_is_prefilled_stored_by_compare_and_set_and_found_again(
    world: World,
) -> None:
    token = world.token()
    session = world.run(world.backend.resolve_session, token)
    assert (session.partner_id, session.company_id, session.new_kind) == (
        world.partner.id,
        world.company_id,
        "invoice",
    )
    assert session.key != token and len(session.key) == 32
    fresh = world.run(world.backend.open_draft, session)
    assert fresh.document_id is None and fresh.seq == 0 and not fresh.saved
    assert fresh.content["seller"]["name"] == "Atelier Blanc SARL"  # the company's identity
    assert "buyer" in fresh.content and fresh.content["buyer"]["name"] is None  # nulls kept

    stored = world.run(
        world.backend.save_draft, session, _typed(fresh, 3, subject="Étagères"), expected_seq=0
    )
    assert stored.document_id is not None and stored.seq == 3 and not stored.saved
    with pytest.raises(DraftConflict):  # another process still believes the seq is 0
        world.run(world.backend.save_draft, session, _typed(fresh, 1, subject="x"), expected_seq=0)
    world.run(
        world.backend.save_draft, session, _typed(stored, 5, subject="Étagères!"), expected_seq=3
    )
    # The same token (a reload, another process) finds the stored draft again.
    again = world.run(world.backend.open_draft, world.run(world.backend.resolve_session, token))
    assert (again.document_id, again.seq, again.content["subject"]) == (
        stored.document_id,
        5,
        "Étagères!",
    )
    # The REST API sees a draft; autosaves do not change its content.
    shown = world.partner.ok(world.partner.get(f"/documents/{stored.document_id}"))
    assert shown["status"] == "draft" and shown["document"]["subject"] == "Étagères"
    # Deleted through the API, its working copy goes with it: the session starts afresh.
    world.partner.ok(world.partner.delete(f"/documents/{stored.document_id}"))
    restarted = world.run(world.backend.open_draft, session)
    assert (restarted.document_id, restarted.seq) == (None, 0)


def test_save_makes_the_document_and_a_rest_change_wins_over_a_stale_copy(world: World) -> None:
    session = world.session()
    draft = world.run(world.backend.open_draft, session)
    body = document_body()
    document = Document.model_validate(body)
    typed = _typed(draft, 2, **document.model_dump(mode="json"))
    saved = world.run(world.backend.save_document, session, typed, document)
    assert saved.saved and saved.document_id is not None
    path = f"/documents/{saved.document_id}"
    shown = world.partner.ok(world.partner.get(path))
    assert shown["document"]["buyer"]["name"] == document.buyer.name

    # The partner's backend replaces the draft while the editor has it open.
    changed = {**body, "subject": "Changed by the API"}
    world.partner.ok(world.partner.put(path, changed))
    with pytest.raises(DraftConflict):
        world.run(world.backend.save_draft, session, _typed(saved, 3), expected_seq=2)
    reopened = world.run(world.backend.open_draft, session, saved.document_id)
    assert reopened.content["subject"] == "Changed by the API"
    assert reopened.seq == 3  # a new number: every tab shows the document again
    world.run(world.backend.save_draft, session, _typed(reopened, 4), expected_seq=3)


def test_autosaves_that_come_together_share_a_transaction_and_each_gets_its_answer(
    world: World,
) -> None:
    sessions = [world.session() for _ in range(6)]
    drafts = [
        world.run(
            world.backend.save_draft,
            session,
            _typed(world.run(world.backend.open_draft, session), 1, subject=f"n°{index}"),
            expected_seq=0,
        )
        for index, session in enumerate(sessions)
    ]
    engine = world.backend._services.engine.sync_engine
    transactions: list[object] = []

    def began(connection: object) -> None:
        transactions.append(connection)

    event.listen(engine, "begin", began)
    try:

        async def together() -> list[Draft | BaseException]:
            saves = [
                # The third believes a patch number that another process moved on from.
                world.backend.save_draft(
                    session,
                    _typed(draft, 2, subject=f"n°{index} & <b>é</b> 🧾"),
                    expected_seq=7 if index == 2 else 1,
                )
                for index, (session, draft) in enumerate(zip(sessions, drafts, strict=True))
            ]
            return await asyncio.gather(*saves, return_exceptions=True)

        answers = world.run(together)
    finally:
        event.remove(engine, "begin", began)
    assert isinstance(answers[2], DraftConflict)
    assert [getattr(answer, "seq", None) for answer in answers] == [2, 2, None, 2, 2, 2]
    # One transaction for the five that took, one more for the refused one's answer
    # (one each before: seven).
    assert len(transactions) == 2
    for index, (session, draft) in enumerate(zip(sessions, drafts, strict=True)):
        stored = world.run(world.backend.open_draft, session, draft.document_id)
        expected = f"n°{index}" if index == 2 else f"n°{index} & <b>é</b> 🧾"
        assert (stored.seq, stored.content["subject"]) == (1 if index == 2 else 2, expected)


def test_finalize_numbers_the_document_or_refuses_with_field_errors(world: World) -> None:
    session = world.session()
    draft = world.run(world.backend.open_draft, session)
    empty = world.run(world.backend.save_document, session, draft, Document())
    assert empty.document_id is not None
    with pytest.raises(ActionRefused) as refused:
        world.run(world.backend.finalize, session, empty.document_id)
    assert refused.value.code == "document_invalid" and refused.value.errors

    document = Document.model_validate(document_body())
    saved = world.run(world.backend.save_document, world.session(), _typed(draft, 1), document)
    assert saved.document_id is not None
    final = world.run(world.backend.finalize, session, saved.document_id)
    assert final.status == "finalized" and final.number and final.number.startswith("F-")
    shown = world.partner.ok(world.partner.get(f"/documents/{saved.document_id}"))
    assert (shown["status"], shown["number"]) == ("finalized", final.number)
    with pytest.raises(ActionRefused) as again:
        world.run(world.backend.save_draft, session, _typed(final, 9), expected_seq=final.seq)
    assert again.value.code == "document_finalized"
    paid = world.run(world.backend.mark_paid, session, saved.document_id, dt.date(2026, 3, 5))
    assert paid.status == "paid"
    credit = world.run(world.backend.create_credit_note, session, saved.document_id)
    assert credit.kind.value == "credit_note" and credit.status == "draft" and not credit.saved
    assert credit.content["preceding_invoices"][0]["number"] == final.number


def test_contacts_are_validated_like_the_api_and_scoped_to_the_company(world: World) -> None:
    session = world.session()
    with pytest.raises(ActionRefused) as refused:
        world.run(
            world.backend.create_contact,
            session,
            NewContact(kind="company", name="Garage", siren="12345"),
        )
    assert [e.field for e in refused.value.errors] == ["siren"]
    created = world.run(
        world.backend.create_contact,
        session,
        NewContact(
            kind="company",
            name="Boulangerie Dupont",
            siren="552100554",
            email="contact@dupont.example",
            address=Address(line1="3 place du Marché", postcode="69100", city="Villeurbanne"),
        ),
    )
    found = world.run(world.backend.search_contacts, session, "dupont", 5)
    assert [c.id for c in found] == [created.id]
    assert world.run(world.backend.search_contacts, session, "villeurbanne", 5) == found
    assert world.run(world.backend.contact, session, created.id).email == "contact@dupont.example"
    shown = world.partner.ok(world.partner.get(f"/contacts/{created.id}"))
    assert shown["emails"] == ["contact@dupont.example"]

    # Partner B's session sees none of partner A's objects.
    company_b = world.other.company()
    user_b = world.other.user(company_b["id"])
    token_b = world.token(
        world.other,
        company_id=company_b["id"],
        user_id=user_b["id"],
        parent_origin="https://app.b.example",
    )
    session_b = world.run(world.backend.resolve_session, token_b)
    assert world.run(world.backend.search_contacts, session_b, "", 10) == []
    with pytest.raises(NotFound):
        world.run(world.backend.contact, session_b, created.id)
    draft = world.run(world.backend.open_draft, session)
    stored = world.run(world.backend.save_draft, session, _typed(draft, 1), expected_seq=0)
    assert stored.document_id is not None
    for attempt in (
        lambda: world.run(world.backend.open_draft, session_b, stored.document_id),
        lambda: world.run(world.backend.finalize, session_b, stored.document_id),
        lambda: world.run(world.backend.pdf_url, session_b, stored.document_id),
    ):
        with pytest.raises(NotFound):
            attempt()


def test_expired_tampered_and_revoked_sessions(world: World, clock: Clock) -> None:
    token = world.token(options={"locale": "en"}, ttl_seconds=60)
    clock.advance(seconds=61)
    with pytest.raises(SessionExpired) as expired:
        world.run(world.backend.resolve_session, token)
    assert expired.value.locale == "en"
    clock.advance(seconds=-61)
    with pytest.raises(SessionInvalid):
        world.run(world.backend.resolve_session, token[:-3] + "xyz")
    # A token naming a document that was deleted since.
    draft = world.partner.draft(world.company_id)
    doomed = world.token(document={"id": draft["id"]})
    world.partner.ok(world.partner.delete(f"/documents/{draft['id']}"))
    with pytest.raises(SessionInvalid):
        world.run(world.backend.resolve_session, doomed)


def test_the_pdf_link_is_signed_and_short_lived(world: World, clock: Clock) -> None:
    session = world.session()
    draft = world.run(world.backend.open_draft, session)
    stored = world.run(world.backend.save_draft, session, _typed(draft, 1), expected_seq=0)
    assert stored.document_id is not None
    with pytest.raises(ActionRefused) as refused:  # autosaved only: save first
        world.run(world.backend.pdf_url, session, stored.document_id)
    assert refused.value.code == "not_saved"
    saved = world.run(world.backend.save_document, session, stored, Document())
    assert saved.document_id is not None
    url = world.run(world.backend.pdf_url, session, saved.document_id)
    assert url.startswith("https://blanche.test/editor/pdf/")
    path = urlsplit(url).path
    served = world.partner.client.get(path)  # a draft's PDF, named in the session's language
    assert served.content.startswith(b"%PDF")
    disposition = f'attachment; filename="brouillon-{saved.document_id}.pdf"'
    assert served.headers["content-disposition"] == disposition
    tampered = world.partner.client.get(path[:-4] + "AAAA")
    assert tampered.status_code == 410


def test_the_editor_wears_the_partners_published_theme(world: World) -> None:
    session = world.session()
    neutral = world.run(world.backend.branding, session)
    assert (neutral.theme_css_url, neutral.logo_data_uri) == (None, None)  # the editor's default

    buffer = io.BytesIO()
    Image.new("RGB", (64, 32), (200, 30, 60)).save(buffer, "PNG")
    logo = buffer.getvalue()
    theme = {
        "primary": "#1a73e8",
        "secondary": "#20283a",
        "accent": "#e8710a",
        "module_name": "EDT Compta",
        "logo": "data:image/png;base64," + base64.b64encode(logo).decode(),
    }
    published = world.partner.ok(world.partner.put("/partners/me/theme", theme))
    branded = world.run(world.backend.branding, session)
    assert branded.module_name == "EDT Compta"
    assert branded.theme_css_url == published["css_url"]
    assert branded.logo_data_uri is not None
    media_type, _, encoded = branded.logo_data_uri.partition(";base64,")
    stored = validate_logo(logo).content  # what Pillow wrote again from the pixels
    assert media_type == "data:image/png" and base64.b64decode(encoded) == stored
    css = world.partner.client.get(published["css_url"])
    assert css.status_code == 200 and "--bl-" in css.text


def test_the_xml_link_serves_the_issued_cii_and_nothing_else(world: World) -> None:
    draft = world.partner.draft(world.company_id)
    session = world.session(document={"id": draft["id"]})
    with pytest.raises(ActionRefused) as refused:  # a draft's XML is not a document
        world.run(world.backend.xml_url, session, draft["id"])
    assert refused.value.code == "document_not_issued"
    issued = world.partner.ok(world.partner.post(f"/documents/{draft['id']}/finalize"))
    url = world.run(world.backend.xml_url, session, issued["id"])
    assert url.startswith("https://blanche.test/editor/xml/")
    path = urlsplit(url).path
    served = world.partner.client.get(path)
    assert served.status_code == 200
    assert served.content == world.partner.get(f"/documents/{issued['id']}/xml").content
    assert served.headers["content-disposition"] == f'attachment; filename="{issued["number"]}.xml"'
    # A PDF link is not an XML link (each its own salt); a changed link is refused.
    pdf_path = urlsplit(world.run(world.backend.pdf_url, session, issued["id"])).path
    assert world.partner.client.get(pdf_path.replace("/pdf/", "/xml/")).status_code == 410
    assert world.partner.client.get(path[:-4] + "AAAA").status_code == 410
    quote = world.partner.draft(world.company_id, "quote")
    quote = world.partner.ok(world.partner.post(f"/documents/{quote['id']}/finalize"))
    with pytest.raises(ActionRefused) as refused:
        world.run(world.backend.xml_url, world.session(document={"id": quote["id"]}), quote["id"])
    assert refused.value.code == "quote_has_no_xml"
    other = world.other.company()
    with pytest.raises(NotFound):  # another tenant's document
        world.run(world.backend.xml_url, session, world.other.finalized(other["id"])["id"])


def test_without_smtp_no_email_is_offered_nor_sent(world: World) -> None:
    invoice = world.partner.finalized(world.company_id)
    session = world.session(document={"id": invoice["id"]})
    assert session.can_email is False
    with pytest.raises(ActionRefused) as refused:
        world.run(world.backend.email_draft, session, invoice["id"])
    assert refused.value.code == "email_not_configured"
    email = NewEmail(("a@client.example",), "Facture", "", "fr")
    with pytest.raises(ActionRefused) as refused:
        world.run(world.backend.send_email, session, invoice["id"], email)
    assert refused.value.code == "email_not_configured"


def test_the_credit_total_is_that_of_the_credit_note_then_made(world: World) -> None:
    invoice = world.partner.finalized(world.company_id)
    session = world.session(document={"id": invoice["id"]})
    for lines in ([(1, Decimal(1))], [(0, Decimal("0.5")), (2, Decimal(3))]):
        announced = world.run(world.backend.credit_total, session, invoice["id"], lines)
        made = world.run(world.backend.create_credit_note, session, invoice["id"], lines)
        note = world.partner.ok(world.partner.get(f"/documents/{made.document_id}"))
        totals = compute_totals(Document.model_validate(note["document"]))
        assert announced.tax_inclusive_total == totals.tax_inclusive_total
        assert announced.amount_due == totals.amount_due
        world.partner.ok(world.partner.post(f"/documents/{made.document_id}/finalize"))
    with pytest.raises(ActionRefused):  # more than is left
        world.run(world.backend.credit_total, session, invoice["id"], [(1, Decimal(5))])
