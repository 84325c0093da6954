from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from itsdangerous import URLSafeTimedSerializer

from editor.buttons import HIDEABLE_BUTTONS, REQUIRED_BUTTONS
from server.editor.tokens import SALT, EditorOptions, EditorScope, EditorTokens, TokenError
from server.settings import Settings
from tests.server.helpers import Clock, Partner


def _session_body(partner: Partner, **overrides: Any) -> dict[str, Any]:
    company = partner.company()
    user = partner.user(company["id"])
    return {
        "company_id": company["id"],
        "user_id": user["id"],
        "document": {"new": "invoice"},
        "parent_origin": "https://app.a.example",
        **overrides,
    }


def _context(partner: Partner, token: str) -> Any:
    return partner.client.get(
        "/api/v1/editor/context", headers={"Authorization": f"Editor {token}"}
    )


def test_mint_and_use_an_editor_session(partner_a: Partner, clock: Clock) -> None:
    body = _session_body(partner_a, options={"hidden_buttons": ["duplicate"], "locale": "en"})
    session = partner_a.ok(partner_a.post("/editor-sessions", body), 201)
    assert session["url"].startswith("https://blanche.test/editor?p=")
    assert session["url"].endswith(f"#t={session['token']}")
    expires = dt.datetime.fromisoformat(session["expires_at"])
    assert expires == clock.now.replace(microsecond=0) + dt.timedelta(hours=1)
    assert session["options"] == {
        "hide_preview_after_save": False,
        "contacts": "editor",
        "hidden_buttons": ["duplicate"],
        "locale": "en",
        "logo_upload": True,  # the user may set the company's logo (the default)
    }
    context = _context(partner_a, session["token"])
    assert context.status_code == 200, context.text
    scope = context.json()["scope"]
    assert (scope["partner_id"], scope["company_id"], scope["user_id"], scope["new_kind"]) == (
        partner_a.id,
        body["company_id"],
        body["user_id"],
        "invoice",
    )
    assert scope["parent_origin"] == "https://app.a.example"


def test_every_hideable_button_is_accepted_and_old_names_are_renamed(partner_a: Partner) -> None:
    hideable = sorted(HIDEABLE_BUTTONS)
    body = _session_body(partner_a, options={"hidden_buttons": [*hideable, "send", "mark_paid"]})
    session = partner_a.ok(partner_a.post("/editor-sessions", body), 201)
    assert sorted(session["options"]["hidden_buttons"]) == hideable
    assert {"send_email", "download_xml", "duplicate", "delete"} <= set(hideable)
    assert not REQUIRED_BUTTONS & set(hideable)


def test_session_for_an_existing_document(partner_a: Partner) -> None:
    body = _session_body(partner_a)
    draft = partner_a.draft(body["company_id"])
    body["document"] = {"id": draft["id"]}
    session = partner_a.ok(partner_a.post("/editor-sessions", body), 201)
    context = _context(partner_a, session["token"]).json()
    assert context["document"]["id"] == draft["id"]
    partner_a.delete(f"/documents/{draft['id']}")
    assert _context(partner_a, session["token"]).status_code == 401


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"parent_origin": "https://evil.example"}, "parent_origin"),
        ({"parent_origin": "https://app.a.example.evil.example"}, "parent_origin"),
        ({"parent_origin": "https://app.a.example/path"}, "parent_origin"),
        ({"parent_origin": "javascript:alert(1)"}, "parent_origin"),
        ({"options": {"hidden_buttons": ["finalize"]}}, "options.hidden_buttons[0]"),
        (
            {"options": {"hidden_buttons": ["duplicate", "credit_note"]}},
            "options.hidden_buttons[1]",
        ),
        ({"options": {"hidden_buttons": ["nope"]}}, "options.hidden_buttons[0]"),
        ({"options": {"hidden_buttons": ["print"]}}, "options.hidden_buttons[0]"),
        ({"options": {"contacts": "both"}}, "options.contacts"),
        ({"ttl_seconds": 86401}, "ttl_seconds"),
        ({"document": {"new": "receipt"}}, "document"),
    ],
)
def test_refused_session_requests(partner_a: Partner, change: dict[str, Any], field: str) -> None:
    response = partner_a.post("/editor-sessions", _session_body(partner_a, **change))
    assert response.status_code == 422, response.text
    fields = [error["field"] for error in response.json()["errors"]]
    assert any(f == field or f.startswith(field + ".") for f in fields), fields


def test_session_scope_must_stay_inside_the_company(partner_a: Partner) -> None:
    body = _session_body(partner_a)
    other = partner_a.company("Other")
    other_user = partner_a.user(other["id"])
    other_draft = partner_a.draft(other["id"])
    wrong_user = partner_a.post("/editor-sessions", {**body, "user_id": other_user["id"]})
    assert wrong_user.status_code == 422
    wrong_document = partner_a.post(
        "/editor-sessions", {**body, "document": {"id": other_draft["id"]}}
    )
    assert wrong_document.status_code == 422


def test_expired_token_is_refused(partner_a: Partner, clock: Clock) -> None:
    body = _session_body(partner_a, ttl_seconds=120)
    token = partner_a.ok(partner_a.post("/editor-sessions", body), 201)["token"]
    clock.advance(seconds=119)
    assert _context(partner_a, token).status_code == 200
    clock.advance(seconds=1)
    refused = _context(partner_a, token)
    assert refused.status_code == 401
    assert refused.json()["code"] == "invalid_editor_token"


def test_tampered_and_foreign_tokens_are_refused(partner_a: Partner, settings: Settings) -> None:
    token = partner_a.ok(partner_a.post("/editor-sessions", _session_body(partner_a)), 201)["token"]
    payload, _, signature = token.rpartition(".")
    # Change the first character: the last one may only carry padding bits.
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    signer = URLSafeTimedSerializer(list(settings.signing_keys), salt=SALT)
    widened = signer.loads(token)
    widened["company_id"] += 1000
    forged = URLSafeTimedSerializer("another-key", salt=SALT).dumps(widened)
    wrong_salt = URLSafeTimedSerializer(list(settings.signing_keys), salt="other").dumps(
        signer.loads(token)
    )
    for bad in (f"{payload}.{flipped}", forged, wrong_salt, token + "x", "", "a" * 5000):
        assert _context(partner_a, bad).status_code == 401, bad[:40]
    assert (
        partner_a.client.get(
            "/api/v1/editor/context", headers={"Authorization": f"Bearer {token}"}
        ).status_code
        == 401
    )
    as_api_key = partner_a.client.get(
        "/api/v1/companies", headers={"Authorization": f"Bearer {token}"}
    )
    assert as_api_key.status_code == 401
    api_key_as_token = _context(partner_a, partner_a.key)
    assert api_key_as_token.status_code == 401


def test_signing_key_rotation(clock: Clock) -> None:
    old = EditorTokens(("key-1",))
    scope = EditorScope(
        partner_id=1,
        company_id=2,
        user_id=3,
        document_id=None,
        new_kind="invoice",
        parent_origin="https://a.example",
        options=EditorOptions(),
        expires_at=clock.now + dt.timedelta(hours=1),
    )
    token = old.mint(scope)
    rotated = EditorTokens(("key-1", "key-2"))
    assert rotated.read(token, clock.now) == scope
    assert rotated.mint(scope) != token
    assert EditorTokens(("key-2",)).read(rotated.mint(scope), clock.now) == scope
    with pytest.raises(TokenError):
        EditorTokens(("key-2", "key-3")).read(token, clock.now)


def test_a_session_without_its_own_options_gets_the_partners_defaults(
    partner_a: Partner,
) -> None:
    assert partner_a.ok(partner_a.get("/partner/editor-options"))["hidden_buttons"] is None
    defaults = {
        "hide_preview_after_save": True,
        "hidden_buttons": ["duplicate", "send", "duplicate"],  # an earlier name, twice
        "contacts": "app",
        "locale": "en",
    }
    stored = partner_a.ok(partner_a.put("/partner/editor-options", defaults))
    assert stored["hidden_buttons"] == ["duplicate", "send_email"]
    assert stored["logo_upload"] is None  # not set: the editor's own default
    assert partner_a.ok(partner_a.get("/partner/editor-options")) == stored
    assert partner_a.ok(partner_a.get("/partner"))["default_editor_options"]["locale"] == "en"
    session = partner_a.ok(partner_a.post("/editor-sessions", _session_body(partner_a)), 201)
    assert session["options"] == {
        "hide_preview_after_save": True,
        "contacts": "app",
        "hidden_buttons": ["duplicate", "send_email"],
        "locale": "en",
        "logo_upload": True,
    }
    context = _context(partner_a, session["token"])
    assert context.status_code == 200, context.text
    # A session's own options win, option by option.
    own = _session_body(partner_a, options={"locale": "fr", "hidden_buttons": []})
    session = partner_a.ok(partner_a.post("/editor-sessions", own), 201)
    assert (session["options"]["locale"], session["options"]["hidden_buttons"]) == ("fr", [])
    assert session["options"]["contacts"] == "app"
    partner_a.ok(partner_a.put("/partner/editor-options", {}))  # cleared
    session = partner_a.ok(partner_a.post("/editor-sessions", _session_body(partner_a)), 201)
    assert session["options"]["locale"] == "fr" and session["options"]["contacts"] == "editor"


@pytest.mark.parametrize(
    ("body", "field", "french"),
    [
        ({"hidden_buttons": ["duplicate", "finalize"]}, "hidden_buttons[1]", "masqué"),
        ({"hidden_buttons": ["print"]}, "hidden_buttons[0]", "inconnu"),
        ({"contacts": "both"}, "contacts", ""),
        ({"theme": "dark"}, "theme", ""),
    ],
)
def test_refused_partner_editor_options_say_why_in_french_and_english(
    partner_a: Partner, body: dict[str, Any], field: str, french: str
) -> None:
    partner_a.ok(partner_a.put("/partner/editor-options", {"locale": "en"}))
    for language in ("fr", "en"):
        response = partner_a.put(
            "/partner/editor-options", body, headers={"Accept-Language": language}
        )
        assert response.status_code == 422, response.text
        errors = response.json()["errors"]
        assert [error["field"] for error in errors] == [field]
        if language == "fr":
            assert french in errors[0]["message"]
    # Nothing was stored.
    assert partner_a.ok(partner_a.get("/partner/editor-options"))["locale"] == "en"


def test_a_key_restricted_to_one_company_cannot_change_the_partners_defaults(
    partner_a: Partner, settings: Settings
) -> None:
    from sqlalchemy.ext.asyncio import AsyncSession

    from server.operator_tasks import new_key
    from tests.server.helpers import in_db

    company = partner_a.company()

    async def work(session: AsyncSession) -> str:
        return (await new_key(session, partner_a.id, company["id"])).secret

    scoped = Partner(partner_a.id, in_db(settings, work), partner_a.client)
    response = scoped.put("/partner/editor-options", {"locale": "en"})
    assert response.status_code == 403 and response.json()["code"] == "key_scope"
    assert scoped.ok(scoped.get("/partner/editor-options"))["locale"] is None
