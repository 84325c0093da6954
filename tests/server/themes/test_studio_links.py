"""Studio sign-in links: minted by the API, exchanged once for a session."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from server.db.engine import create_engine, session_factory
from server.extra_settings import ExtraSettings, SmtpSettings, StudioSettings
from server.settings import Settings
from server.themes.studio_links import StudioGrant, StudioLinkError, StudioLinks, redeem_link
from tests.server.helpers import Clock, Partner, in_db
from tests.server.smtp_server import Mailbox, smtp_server
from tests.server.test_document_emails import html_of, text_of

STUDIO = "https://studio.test"


@pytest.fixture(autouse=True)
def studio_url(app: Any) -> None:
    app.state.extra_settings = ExtraSettings(studio=StudioSettings(STUDIO))


@pytest.fixture
def mailbox(app: Any) -> Iterator[Mailbox]:
    with smtp_server() as box:
        app.state.extra_settings = ExtraSettings(
            smtp=SmtpSettings(
                host=box.host, port=box.port, starttls=False, from_address="no-reply@edt.example"
            ),
            studio=StudioSettings(STUDIO),
        )
        yield box


def token_of(url: str) -> str:
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{STUDIO}/studio/login"
    return parse_qs(parts.query)["t"][0]


def redeem(settings: Settings, token: str, now: dt.datetime) -> tuple[str, StudioGrant]:
    links = StudioLinks(settings.signing_keys)

    async def work(session: AsyncSession) -> tuple[str, StudioGrant]:
        return await redeem_link(session, links, token, now)

    return in_db(settings, work)


def test_a_link_signs_in_once(
    partner_a: Partner, mailbox: Mailbox, settings: Settings, clock: Clock
) -> None:
    answer = partner_a.ok(partner_a.post("/partners/me/studio-link", {}), 201)
    assert answer["emailed_to"] is None
    assert dt.datetime.fromisoformat(answer["expires_at"]) == clock.now + dt.timedelta(minutes=15)
    token = token_of(answer["url"])
    session_token, grant = redeem(settings, token, clock.now)
    assert grant.partner_id == partner_a.id
    links = StudioLinks(settings.signing_keys)
    assert links.read_session(session_token, clock.now).partner_id == partner_a.id
    assert links.read_session(session_token, clock.now + dt.timedelta(hours=7)).partner_id
    with pytest.raises(StudioLinkError):
        links.read_session(session_token, clock.now + dt.timedelta(hours=8, seconds=1))
    with pytest.raises(StudioLinkError, match="used"):
        redeem(settings, token, clock.now)
    # A link is not a session, nor the other way round.
    with pytest.raises(StudioLinkError):
        links.read_session(token, clock.now)
    with pytest.raises(StudioLinkError):
        redeem(settings, session_token, clock.now)


def test_links_expire_and_cannot_be_forged(
    partner_a: Partner, settings: Settings, clock: Clock
) -> None:
    token = token_of(partner_a.ok(partner_a.post("/partners/me/studio-link", {}), 201)["url"])
    with pytest.raises(StudioLinkError):
        redeem(settings, token, clock.now + dt.timedelta(minutes=15, seconds=1))
    other_keys = StudioLinks(("someone-else's-key",))
    forged, _ = other_keys.mint_link(partner_a.id, clock.now)
    with pytest.raises(StudioLinkError):
        redeem(settings, forged, clock.now)
    with pytest.raises(StudioLinkError):
        redeem(settings, token[:-2] + ("AA" if not token.endswith("AA") else "BB"), clock.now)
    # Still usable within its 15 minutes after those failures.
    assert redeem(settings, token, clock.now + dt.timedelta(minutes=14))[1].partner_id


def test_concurrent_exchanges_of_one_link_give_one_session(
    partner_a: Partner, settings: Settings, clock: Clock
) -> None:
    token = token_of(partner_a.ok(partner_a.post("/partners/me/studio-link", {}), 201)["url"])
    links = StudioLinks(settings.signing_keys)

    async def attempt(factory: Any) -> bool:
        try:
            async with factory() as session, session.begin():
                await redeem_link(session, links, token, clock.now)
        except (StudioLinkError, IntegrityError):  # IntegrityError: the primary key refused it
            return False
        return True

    async def race() -> list[bool]:
        engine = create_engine(settings.database_url)
        try:
            factory = session_factory(engine)
            return list(await asyncio.gather(*(attempt(factory) for _ in range(4))))
        finally:
            await engine.dispose()

    assert sorted(asyncio.run(race())) == [False, False, False, True]


def test_the_link_can_be_emailed_branded(
    partner_a: Partner, mailbox: Mailbox, settings: Settings, clock: Clock
) -> None:
    partner_a.ok(
        partner_a.put(
            "/partners/me/theme",
            {
                "primary": "#7a1fa2",
                "secondary": "#333333",
                "accent": "#00897b",
                "module_name": "Factures Pro <Beta>",
                "website": "https://factures.example/",
            },
        )
    )
    answer = partner_a.ok(
        partner_a.post(
            "/partners/me/studio-link", {"email": "design@partner.example", "locale": "en"}
        ),
        201,
    )
    assert answer["emailed_to"] == "design@partner.example"
    message = mailbox.only().message
    assert message["To"] == "design@partner.example"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Subject"] == "Your sign-in link to the Factures Pro <Beta> theme studio"
    assert message["From"].addresses[0].display_name == "Factures Pro <Beta>"
    html = html_of(message)
    assert "Factures Pro &lt;Beta&gt;" in html
    assert answer["url"].replace("&", "&amp;") in html
    assert answer["url"] in text_of(message)
    assert 'href="https://factures.example/"' in html
    assert "blanche" not in (html + text_of(message)).lower()


def test_emailing_a_link_needs_smtp_and_a_valid_address(
    partner_a: Partner, app: Any, client: httpx.Client
) -> None:
    app.state.extra_settings = ExtraSettings()
    response = partner_a.post("/partners/me/studio-link", {"email": "design@partner.example"})
    assert response.status_code == 409
    assert response.json()["code"] == "email_not_configured"
    bad = partner_a.post("/partners/me/studio-link", {"email": "design@partner.example\r\nX: y"})
    assert bad.status_code == 422
    assert client.post("/api/v1/partners/me/studio-link").status_code == 401
