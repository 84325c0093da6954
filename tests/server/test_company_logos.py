"""The seller's logo through the API: an image body, re-encoded (metadata and anything
appended are refused), SVG sanitized, type and size checked, removed with DELETE; another
partner's company is not found."""

from __future__ import annotations

import io

from PIL import Image

from tests.server.helpers import Partner


def png(size: tuple[int, int] = (120, 40)) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGBA", size, (20, 90, 200, 255))
    image.save(out, format="PNG", pnginfo=_text_chunk())
    return out.getvalue()


def _text_chunk() -> object:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "private note of the designer")
    return info


def test_a_logo_is_put_read_replaced_and_deleted(partner_a: Partner, partner_b: Partner) -> None:
    company = partner_a.company()
    path = f"/companies/{company['id']}/logo"
    assert partner_a.get(path).status_code == 404
    body = png()
    stored = partner_a.ok(partner_a.put(path, content=body, headers={"Content-Type": "image/png"}))
    assert (stored["media_type"], stored["width"], stored["height"]) == ("image/png", 120, 40)
    served = partner_a.get(path)
    assert served.headers["content-type"] == "image/png"
    assert b"private note" in body and b"private note" not in served.content
    with Image.open(io.BytesIO(served.content)) as image:
        assert image.size == (120, 40)
    assert partner_b.get(path).status_code == 404  # not theirs
    assert (
        partner_b.put(path, content=png(), headers={"Content-Type": "image/png"}).status_code == 404
    )

    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="32">'
        b'<script>alert(1)</script><rect width="64" height="32" fill="#123"/></svg>'
    )
    replaced = partner_a.ok(
        partner_a.put(path, content=svg, headers={"Content-Type": "image/svg+xml"})
    )
    assert replaced["media_type"] == "image/svg+xml"
    served = partner_a.get(path)
    assert (
        b"<script" not in served.content
        and "default-src 'none'" in served.headers["content-security-policy"]
    )

    gif = partner_a.put(
        path, content=b"GIF89a" + b"\x00" * 40, headers={"Content-Type": "image/gif"}
    )
    assert gif.status_code == 422 and gif.json()["errors"][0]["field"] == "logo"
    liar = partner_a.put(path, content=png(), headers={"Content-Type": "image/jpeg"})
    assert liar.status_code == 422 and "JPEG" in liar.json()["errors"][0]["message"]
    too_big = partner_a.put(path, content=b"\x89PNG" + b"0" * (1024 * 1024 + 10))
    assert too_big.status_code == 413
    assert partner_a.get(path).headers["content-type"] == "image/svg+xml"  # unchanged

    assert partner_a.ok(partner_a.delete(path))["deleted"] is True
    assert partner_a.get(path).status_code == 404
