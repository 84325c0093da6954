"""Signatures: the reference verifier and the snippets partners copy from the docs."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.webhooks.signing import new_secret, signature, signature_header, verify

DOC = Path(__file__).resolve().parents[3] / "docs" / "webhooks.md"
NOW = 1_767_225_600


def _snippet(language: str) -> str:
    blocks = re.findall(rf"```{language}\n(.*?)```", DOC.read_text(), flags=re.S)
    assert len(blocks) == 1, f"one {language} snippet expected in docs/webhooks.md"
    return str(blocks[0])


def test_signature_is_hmac_sha256_of_timestamp_dot_body() -> None:
    # Computed independently: printf '1767225600.{"a":1}' | openssl dgst -sha256 -hmac whsec_x
    expected = "a1ad043d78b5a030f1002ef7889226997f36422e612f57461a818e4ff85be97d"
    assert signature("whsec_x", NOW, b'{"a":1}') == expected


def test_verification_accepts_the_signed_body_only() -> None:
    secret, body = new_secret(), b'{"id":"e1","type":"contact.created"}'
    header = signature_header([secret], NOW, body)
    assert header.startswith(f"t={NOW},v1=")
    assert verify(header, body, secret, NOW)
    assert not verify(header, body.replace(b"e1", b"e2"), secret, NOW)
    assert not verify(header, body, new_secret(), NOW)
    assert not verify(header, body, secret, NOW + 301)  # too old: a captured request replayed
    assert not verify(header.replace(f"t={NOW}", f"t={NOW + 1}"), body, secret, NOW)
    assert not verify(f"v1={signature(secret, NOW, body)}", body, secret, NOW)  # no timestamp
    assert not verify("", body, secret, NOW)


def test_both_secrets_sign_during_a_rotation() -> None:
    old, new, body = new_secret(), new_secret(), b"{}"
    header = signature_header([new, old], NOW, body)
    assert header.count("v1=") == 2
    assert verify(header, body, new, NOW) and verify(header, body, old, NOW)


@settings(max_examples=300)
@given(body=st.binary(max_size=300), flip=st.integers(min_value=0, max_value=10_000))
def test_any_changed_byte_fails_verification(body: bytes, flip: int) -> None:
    secret = "whsec_property"
    header = signature_header([secret], NOW, body)
    assert verify(header, body, secret, NOW)
    if body:
        position = flip % len(body)
        tampered = body[:position] + bytes([body[position] ^ 0x01]) + body[position + 1 :]
        assert not verify(header, tampered, secret, NOW)
    assert not verify(header, body + b"\n", secret, NOW)


def test_the_python_snippet_in_the_docs_verifies_real_signatures() -> None:
    namespace: dict[str, Any] = {}
    exec(compile(_snippet("python"), str(DOC), "exec"), namespace)
    verify_doc = namespace["verify_blanche_signature"]
    secret, body = new_secret(), json.dumps({"id": "e1", "data": {"name": "Zoë"}}).encode()
    now = int(time.time())
    header = signature_header([secret], now, body)
    assert verify_doc(header, body, secret) is True
    assert verify_doc(header, body[:-1] + b" ", secret) is False
    assert verify_doc(header, body, new_secret()) is False
    assert verify_doc(signature_header([secret], now - 3600, body), body, secret) is False
    assert verify_doc(signature_header([new_secret(), secret], now, body), body, secret) is True


def test_the_javascript_snippet_in_the_docs_verifies_real_signatures(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to run the JavaScript snippet (apt-get install nodejs)")
    (tmp_path / "verify.js").write_text(_snippet("js"))
    secret, body = new_secret(), json.dumps({"id": "e1", "data": {"name": "Zoë"}}).encode()
    now = int(time.time())
    cases = [
        (signature_header([secret], now, body), body, secret),
        (signature_header([secret], now, body), body[:-1] + b" ", secret),
        (signature_header([secret], now, body), body, new_secret()),
        (signature_header([secret], now - 3600, body), body, secret),
        (signature_header([new_secret(), secret], now, body), body, secret),
    ]
    (tmp_path / "cases.json").write_text(
        json.dumps([[header, data.hex(), key] for header, data, key in cases])
    )
    harness = (
        "const { verifyBlancheSignature } = require('./verify.js');"
        "const cases = require('./cases.json');"
        "console.log(JSON.stringify(cases.map(([h, b, s]) =>"
        " verifyBlancheSignature(h, Buffer.from(b, 'hex'), s))));"
    )
    result = subprocess.run(
        [node, "-e", harness], cwd=tmp_path, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [True, False, False, False, True]
