"""The theme API (publish, preview, read, history) and the public theme files."""

from __future__ import annotations

import base64
import datetime as dt
import io
from typing import Any

import httpx
from PIL import Image

from server.settings import Settings
from tests.server.helpers import Clock, Partner
from themes import THEME_REQUEST_MAX_BYTES, Theme, default_css, render_css
from themes.logo import SVG_RESPONSE_HEADERS, validate_logo

THEME = "/partners/me/theme"


def png(color: tuple[int, int, int] = (200, 30, 60), size: tuple[int, int] = (64, 32)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def data_url(content: bytes, media_type: str = "image/png") -> str:
    return f"data:{media_type};base64,{base64.b64encode(content).decode()}"


def theme_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "primary": "#0b6e4f",
        "secondary": "#37474f",
        "accent": "#c2185b",
        "module_name": "EDT Compta",
        "font": "humanist",
    }
    body.update(changes)
    return body


def test_a_partner_without_a_theme_gets_the_default_css(
    partner_a: Partner, client: httpx.Client
) -> None:
    answer = partner_a.ok(partner_a.get(THEME))
    assert answer["version"] is None
    assert answer["css_url"] == default_css().path("default")
    assert answer["theme"]["module_name"] == "Facturation"  # the partner's, never ours
    css = client.get(answer["css_url"])
    assert css.status_code == 200
    assert css.headers["content-type"] == "text/css; charset=utf-8"
    assert css.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert css.content == default_css().body
    again = client.get(answer["css_url"], headers={"If-None-Match": css.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert partner_a.ok(partner_a.get(THEME + "/history")) == {"items": []}


def test_publishing_stores_a_version_and_serves_its_css_and_logo(
    partner_a: Partner, client: httpx.Client, clock: Clock
) -> None:
    logo = png()
    first = partner_a.ok(partner_a.put(THEME, theme_body(logo=data_url(logo))))
    assert first["version"] == 1
    assert dt.datetime.fromisoformat(first["published_at"]) == clock.now
    slug = str(partner_a.id)
    expected_css = render_css(Theme.model_validate(first["theme"]))
    assert first["css_url"] == expected_css.path(slug)
    assert first["theme"]["logo"]["width"] == 64
    assert partner_a.ok(partner_a.get("/partner"))["module_name"] == "EDT Compta"

    css = client.get(first["css_url"])
    assert css.status_code == 200
    assert css.text == expected_css.text
    assert "--bl-primary:" in css.text
    assert css.headers["etag"] == expected_css.etag
    weak = client.get(first["css_url"], headers={"If-None-Match": f"W/{expected_css.etag}"})
    assert weak.status_code == 304

    served_logo = client.get(first["logo_url"])
    assert served_logo.status_code == 200
    assert served_logo.content == validate_logo(logo).content  # re-encoded by Pillow
    assert served_logo.headers["content-type"] == "image/png"
    assert served_logo.headers["x-content-type-options"] == "nosniff"
    assert "immutable" in served_logo.headers["cache-control"]
    assert (
        client.get(first["logo_url"], headers={"If-None-Match": served_logo.headers["etag"]})
    ).status_code == 304

    # Keep the stored logo (the object the answer gave), change a colour.
    clock.advance(minutes=5)
    second = partner_a.ok(
        partner_a.put(THEME, theme_body(primary="#123456", logo=first["theme"]["logo"]))
    )
    assert second["version"] == 2
    assert second["logo_url"] == first["logo_url"]
    assert second["css_url"] != first["css_url"]
    assert partner_a.ok(partner_a.get(THEME))["css_url"] == second["css_url"]
    history = partner_a.ok(partner_a.get(THEME + "/history"))["items"]
    assert [item["version"] for item in history] == [2, 1]
    assert history[1]["css_url"] == first["css_url"]
    # Pages cached with the old URL still render: every version stays served.
    assert client.get(first["css_url"]).status_code == 200


def test_preview_checks_and_answers_but_persists_nothing(
    partner_a: Partner, client: httpx.Client
) -> None:
    partner_a.ok(partner_a.put(THEME, theme_body()))
    # Yellow on white cannot carry text: the palette darkens it and says so.
    preview = partner_a.ok(
        partner_a.post(THEME + "/preview", theme_body(primary="#ffff00", logo=data_url(png())))
    )
    assert preview["version"] is None
    assert preview["adjustments"], preview
    assert {"token", "from", "to", "reason"} <= preview["adjustments"][0].keys()
    assert all(rule["ratio"] >= rule["minimum"] for rule in preview["contrast"])
    assert client.get(preview["css_url"]).status_code == 404
    assert client.get(preview["logo_url"]).status_code == 404
    current = partner_a.ok(partner_a.get(THEME))
    assert current["version"] == 1
    assert current["theme"]["primary"] == "#0b6e4f"


def test_invalid_themes_list_every_field_error(partner_a: Partner) -> None:
    response = partner_a.put(
        THEME,
        theme_body(
            primary="blue",
            module_name="",
            logo="data:image/gif;base64,R0lGODlhAQABAAAAACw=",
            website="javascript:alert(1)",
        ),
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"primary", "module_name", "logo", "website"} <= fields
    assert partner_a.ok(partner_a.get(THEME))["version"] is None


def test_a_logo_reference_must_be_one_this_partner_stored(
    partner_a: Partner, partner_b: Partner
) -> None:
    published = partner_a.ok(partner_a.put(THEME, theme_body(logo=data_url(png()))))
    stolen = partner_b.put(THEME, theme_body(logo=published["theme"]["logo"]))
    assert stolen.status_code == 422
    assert stolen.json()["errors"][0]["field"] == "logo"
    forged = dict(published["theme"]["logo"], sha256="0" * 64)
    assert partner_a.put(THEME, theme_body(logo=forged)).status_code == 422
    assert partner_b.ok(partner_b.get(THEME))["version"] is None


def test_svg_logos_are_sanitized_and_served_with_a_locked_down_policy(
    partner_a: Partner, client: httpx.Client
) -> None:
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="80" height="40" onload="alert(1)">'
        b'<script>alert(2)</script><rect width="80" height="40" fill="#0b6e4f"/></svg>'
    )
    published = partner_a.ok(partner_a.put(THEME, theme_body(logo=data_url(svg, "image/svg+xml"))))
    served = client.get(published["logo_url"])
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/svg+xml"
    for name, value in SVG_RESPONSE_HEADERS.items():
        assert served.headers[name] == value
    assert b"script" not in served.content
    assert b"onload" not in served.content


def test_website_is_kept_unless_given(partner_a: Partner) -> None:
    first = partner_a.ok(partner_a.put(THEME, theme_body(website="https://www.edt.example/")))
    assert first["website"] == "https://www.edt.example/"
    second = partner_a.ok(partner_a.put(THEME, theme_body()))
    assert second["website"] == "https://www.edt.example/"
    cleared = partner_a.ok(partner_a.put(THEME, theme_body(website=None)))
    assert cleared["website"] is None
    for bad in ("ftp://edt.example", "https://user:pw@edt.example", "https://edt .example", 42):
        response = partner_a.put(THEME, theme_body(website=bad))
        assert response.status_code == 422, bad


def test_bodies_over_the_theme_limit_are_refused(partner_a: Partner) -> None:
    body = b'{"module_name": "' + b"x" * THEME_REQUEST_MAX_BYTES + b'"}'
    response = partner_a.put(THEME, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["code"] == "body_too_large"


def test_theme_routes_need_an_api_key(client: httpx.Client) -> None:
    assert client.get("/api/v1" + THEME).status_code == 401
    assert client.put("/api/v1" + THEME, json=theme_body()).status_code == 401


def test_unknown_theme_files_are_404(partner_a: Partner, client: httpx.Client) -> None:
    published = partner_a.ok(partner_a.put(THEME, theme_body()))
    name = published["css_url"].rsplit("/", 1)[1]
    for path in (
        f"/themes/{partner_a.id + 1000}/{name}",  # another partner's slug
        f"/themes/0{partner_a.id}/{name}",
        f"/themes/{partner_a.id}/{'0' * 16}.css",
        f"/themes/{partner_a.id}/{name.upper()}",
        f"/themes/{partner_a.id}/logo-{'0' * 16}.png",
        f"/themes/{partner_a.id}/..%2Fsigning-keys",
        "/themes/default/0000000000000000.css",
    ):
        response = client.get(path)
        assert response.status_code == 404, path


def test_the_sdk_and_the_example_page_are_served(client: httpx.Client, settings: Settings) -> None:
    import embed

    for name, media_type in embed.SDK_FILES.items():
        response = client.get(f"/embed/{name}")
        assert response.status_code == 200
        assert response.headers["content-type"] == media_type
        assert response.content == (embed.SDK_DIR / name).read_bytes()
        for header, value in embed.SDK_RESPONSE_HEADERS.items():
            assert response.headers[header] == value
    example = client.get("/embed/example.html")
    assert example.status_code == 200
    assert example.headers["content-type"] == "text/html; charset=utf-8"
    assert "Blanche.mount" in example.text
    assert client.get("/embed/host.html").status_code == 404
    assert client.get("/embed/bundle.py").status_code == 404


def test_a_preview_with_an_idempotency_key_is_answered_and_replayed(partner_a: Partner) -> None:
    headers = {"Idempotency-Key": "preview-1"}
    first = partner_a.post(THEME + "/preview", theme_body(), headers=headers)
    assert first.status_code == 200, first.text
    again = partner_a.post(THEME + "/preview", theme_body(), headers=headers)
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()


def test_a_key_restricted_to_one_company_cannot_change_the_partners_theme(
    partner_a: Partner, settings: Settings
) -> None:
    from sqlalchemy.ext.asyncio import AsyncSession

    from server.operator_tasks import new_key
    from tests.server.helpers import in_db

    company = partner_a.company()

    async def work(session: AsyncSession) -> str:
        return (await new_key(session, partner_a.id, company["id"])).secret

    scoped = Partner(partner_a.id, in_db(settings, work), partner_a.client)
    for response in (
        scoped.put(THEME, theme_body()),
        scoped.post(THEME + "/preview", theme_body()),
        scoped.post("/partners/me/studio-link", {}),
    ):
        assert response.status_code == 403
        assert response.json()["code"] == "key_scope"
    assert scoped.ok(scoped.get(THEME))["version"] is None  # reading is fine
