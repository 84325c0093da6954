"""The editor's page: framed by its parent origin only, static files cached."""

from __future__ import annotations

import re

from tests.editor.conftest import HOST
from tests.editor.conftest import TestClient as TestClient


def test_the_page_is_framed_by_its_parent_origin_only_and_runs_no_inline_script(
    client: TestClient,
) -> None:
    standalone = client.get("/editor")
    assert standalone.status_code == 200
    csp = standalone.headers["content-security-policy"]
    assert "frame-ancestors 'self'" in csp
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp
    assert standalone.headers["referrer-policy"] == "no-referrer"
    html = standalone.text
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []
    assert not re.search(r"\son[a-z]+=", html)
    assert "style=" not in html

    editor = client.app.state.editor  # type: ignore[attr-defined]
    signed = editor.parent_origins.sign(HOST)
    framed = client.get("/editor", params={"p": signed})
    assert f"frame-ancestors {HOST};" in framed.headers["content-security-policy"]
    assert f'data-parent-origin="{HOST}"' in framed.text
    forged = client.get("/editor", params={"p": signed[:-2] + "xx"})
    assert forged.status_code == 400


def test_static_files_have_hashed_names_and_a_long_cache(client: TestClient) -> None:
    page = client.get("/editor").text
    script = re.search(r'src="(/editor/static/editor\.[0-9a-f]{12}\.js)"', page)
    assert script is not None
    response = client.get(script.group(1))
    assert response.status_code == 200
    assert "immutable" in response.headers["cache-control"]
    assert (
        client.get(script.group(1), headers={"if-none-match": response.headers["etag"]}).status_code
        == 304
    )
    assert client.get("/editor/static/editor.000000000000.js").status_code == 404
    editor = client.app.state.editor  # type: ignore[attr-defined]
    assert editor.assets.page_weight() <= 30 * 1024
