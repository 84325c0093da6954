from __future__ import annotations

import re
from pathlib import Path

import pytest

from server.cli import build_parser, main


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BLANCHE_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("BLANCHE_DATABASE_URL", raising=False)
    return tmp_path / "var"


def test_operator_commands(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade"]) == 0
    assert (
        main(
            [
                "partners",
                "create",
                "Acme",
                "--origin",
                "https://app.acme.example/",
                "--ip",
                "203.0.113.7",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    partner_id = re.search(r"partner id: (\d+)", out)
    key = re.search(r"API key \(shown once, store it now\): (bk_\S+)", out)
    assert partner_id and key
    assert main(["partners", "list"]) == 0
    listing = capsys.readouterr().out
    assert "Acme" in listing and "1 active keys" in listing
    assert "https://app.acme.example" in listing and key.group(1) not in listing
    assert main(["keys", "create", partner_id.group(1)]) == 0
    new_key_id = re.search(r"key id: (\d+)", capsys.readouterr().out)
    assert new_key_id
    assert main(["keys", "revoke", new_key_id.group(1)]) == 0
    assert main(["partners", "list"]) == 0
    assert "1 active keys" in capsys.readouterr().out
    assert main(["journal", "verify"]) == 0
    assert (env / "blanche.db").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["keys", "create", "99"],
        ["keys", "revoke", "99"],
        ["journal", "verify", "--company", "5"],
        ["partners", "create", "X", "--origin", "not an origin"],
        ["keys", "create", "1", "--company", "7"],
    ],
)
def test_operator_mistakes_exit_1_without_traceback(
    env: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    main(["partners", "create", "Acme", "--origin", "https://a.example"])
    capsys.readouterr()
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("blanche: ") and "Traceback" not in err


def test_signing_key_rotation_command(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["signing-keys", "rotate"]) == 0
    assert len((env / "signing-keys").read_text().split()) == 2


def test_invoicing_commands_are_still_there() -> None:
    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert {"render", "check", "serve", "partners", "keys", "journal", "db"} <= set(commands)


def test_demo_command_is_repeatable(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    first = capsys.readouterr().out
    key = re.search(r"demo partner API key: (bk_\S+)", first)
    assert key and "standalone editor (24 h): http://127.0.0.1:8000/editor#t=" in first
    assert main(["demo"]) == 0
    assert key.group(1) in capsys.readouterr().out
    assert main(["partners", "list"]) == 0
    assert capsys.readouterr().out.count("Demo partner") == 1
