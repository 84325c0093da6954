"""The seller's logo on the live channel (in-memory backend): a preview names the logo
by a path (its digest, signed), the image itself is fetched once from that path with a
year's cache; a new logo is a new path in every open tab's next preview."""

from __future__ import annotations

import base64
import io
import json
import random
import re
from typing import Any

from PIL import Image

from editor.demo import DemoWorld
from tests.editor.conftest import Mint, TestClient
from tests.editor.tabs import patch, tab, until
from themes.logo import ValidLogo, validate_logo

LOGO_SRC = re.compile(r'<img class="logo" src="(/editor/seller-logo/[^"]+)"')


def noisy_png(size: tuple[int, int], seed: int) -> bytes:
    """A PNG that does not compress: its weight is about its pixels' (3 bytes each)."""
    rng = random.Random(seed)
    image = Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _logo_path(html: str) -> str:
    found = LOGO_SRC.search(html)
    assert found is not None, html[:2000]
    return found.group(1)


def _carries(message: dict[str, Any], logo: ValidLogo) -> bool:
    """Some of the logo's bytes in base64 (aligned on 3 bytes, as a data: URI has them)."""
    text = json.dumps(message)
    return base64.b64encode(logo.content[300:900]).decode() in text or "data:image" in text


def test_a_preview_update_names_the_logo_and_does_not_carry_it(
    client: TestClient, mint: Mint, world: DemoWorld
) -> None:
    logo = validate_logo(noisy_png((300, 200), seed=1))
    assert len(logo.content) > 150_000
    world.company.seller_logo = logo
    with tab(client, mint()) as ws:
        welcome = until(ws, "welcome")
        path = _logo_path(welcome["preview"])
        assert not _carries(welcome, logo)
        patch(ws, 1, path="subject", value="Chantier Lyon")
        until(ws, "ack")
        preview = until(ws, "preview")
        assert "Chantier Lyon" in preview["html"]
        assert _logo_path(preview["html"]) == path  # the same image: the browser's copy
        assert not _carries(preview, logo)
        assert len(json.dumps(preview)) < 40_000  # the document's HTML, no image in it

    image = client.get(path)
    assert image.status_code == 200
    assert image.content == logo.content
    assert image.headers["content-type"] == logo.media_type
    assert image.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert image.headers["x-content-type-options"] == "nosniff"
    etag = image.headers["etag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.content

    tampered = path[:-3] + ("aaa" if not path.endswith("aaa") else "bbb")
    assert client.get(tampered).status_code == 404
    assert client.get("/editor/seller-logo/" + "x" * 400).status_code == 404


def test_a_new_logo_reaches_every_open_tab_as_a_new_path(
    client: TestClient, mint: Mint, world: DemoWorld
) -> None:
    first = validate_logo(noisy_png((40, 20), seed=2))
    world.company.seller_logo = first
    token = mint()
    with tab(client, token, "tab-writer-01") as writer:
        old_path = _logo_path(until(writer, "welcome")["preview"])
        with tab(client, token, "tab-viewer-01") as viewer:
            assert _logo_path(until(viewer, "welcome")["preview"]) == old_path

            writer.send_json({"type": "logo", "id": 1, "op": "link"})
            link = until(writer, "result")
            assert link["ok"], link
            second_png = noisy_png((30, 30), seed=3)
            put = client.put(link["url"], content=second_png, headers={"Content-Type": "image/png"})
            assert put.status_code == 200, put.text
            writer.send_json({"type": "logo", "id": 2, "op": "changed"})
            assert until(writer, "result")["has_logo"] is True
            for ws in (writer, viewer):
                new_path = _logo_path(until(ws, "preview")["html"])
                assert new_path != old_path
            shown = client.get(new_path)
            assert shown.status_code == 200
            assert shown.content == validate_logo(second_png).content
            # The old logo is nobody's any more (no document was issued with it).
            assert client.get(old_path).status_code == 404

            writer.send_json({"type": "logo", "id": 3, "op": "remove"})
            assert until(writer, "result")["has_logo"] is False
            for ws in (writer, viewer):
                html = until(ws, "preview")["html"]
                assert 'class="logo"' not in html and "seller-logo" not in html
