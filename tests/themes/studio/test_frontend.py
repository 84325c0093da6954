"""The studio's static frontend: backend URL rewriting, security headers, caching."""

from __future__ import annotations

import asyncio
import gzip
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Route

from themes.studio.frontend import BUILD_ORIGIN, Frontend

ENV_MODULE = (
    f"var e={{PING:`{BUILD_ORIGIN}/studio/_backend/ping`,"
    f"EVENT:`ws://studio-build.invalid/studio/_backend/_event`}};export{{e as t}};"
)
PAGE = "<!doctype html><html><head><script>window.x=1</script></head><body></body></html>"


@pytest.fixture
def build(tmp_path: Path) -> Path:
    root = tmp_path / "studio"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text(PAGE)
    (root / "login.html").write_text(PAGE)
    (root / "404.html").write_text("<!doctype html><p>not here</p>")
    (root / "assets" / "reflex-env-abc.js").write_text(ENV_MODULE)
    (root / "assets" / "reflex-env-abc.js.gz").write_bytes(gzip.compress(ENV_MODULE.encode()))
    (root / "assets" / "app-1.js").write_text("console.log(1)")
    (root / "assets" / "app-1.js.gz").write_bytes(gzip.compress(b"console.log(1)"))
    return root


def get(frontend: Frontend, path: str, **headers: str) -> httpx.Response:
    app = Starlette(
        routes=[
            Route("/studio", frontend.serve),
            Route("/studio/{path:path}", frontend.serve),
        ]
    )

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app)
        async with httpx.AsyncClient(transport=transport, base_url="https://s.test") as client:
            return await client.get(path, headers=headers)

    return asyncio.run(call())


def test_the_backend_url_is_the_studio_origin(build: Path) -> None:
    frontend = Frontend(build, "https://studio.example:8443/", "https://app.example")
    response = get(frontend, "/studio/assets/reflex-env-abc.js", **{"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert "content-encoding" not in response.headers  # the rewritten file, not the stale .gz
    assert "https://studio.example:8443/studio/_backend/ping" in response.text
    assert "wss://studio.example:8443/studio/_backend/_event" in response.text
    assert "invalid" not in response.text
    plain = Frontend(build, "http://127.0.0.1:9", "http://127.0.0.1:8")
    assert (
        "ws://127.0.0.1:9/studio/_backend/_event"
        in get(plain, "/studio/assets/reflex-env-abc.js").text
    )


def test_pages_cannot_be_framed_and_allow_only_their_own_scripts(build: Path) -> None:
    frontend = Frontend(build, "http://127.0.0.1:9", "http://127.0.0.1:8")
    for path in ("/studio/", "/studio/login"):
        response = get(frontend, path)
        assert response.status_code == 200, path
        policy = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy
        assert "'sha256-" in policy and "'unsafe-inline'" not in policy.split("style-src")[0]
        assert "frame-src http://127.0.0.1:8" in policy
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"
    assert get(frontend, "/studio").status_code == 308


def test_assets_are_immutable_and_compressed_when_accepted(build: Path) -> None:
    frontend = Frontend(build, "http://127.0.0.1:9", "http://127.0.0.1:8")
    response = get(frontend, "/studio/assets/app-1.js", **{"Accept-Encoding": "gzip, br"})
    assert response.headers["content-encoding"] == "gzip"
    assert response.text == "console.log(1)"  # httpx decodes it
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["content-type"].startswith("text/javascript")


def test_unknown_and_escaping_paths_are_404(build: Path) -> None:
    frontend = Frontend(build, "http://127.0.0.1:9", "http://127.0.0.1:8")
    for path in (
        "/studio/nope",
        "/studio/assets/..%2F..%2Frxconfig.py",
        "/studio/a b",
    ):
        response = get(frontend, path)
        assert response.status_code == 404, path
        assert "frame-ancestors 'none'" in response.headers.get("content-security-policy", ""), path


def test_a_missing_build_says_how_to_make_it(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"build-studio\.sh"):
        Frontend(tmp_path, "http://127.0.0.1:9", "http://127.0.0.1:8")
