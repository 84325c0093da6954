"""The invoicing commands of `blanche`, run as a user runs them (a subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from invoicing.cii.writer import to_xml_bytes
from invoicing.samples import demo_invoice
from tests.corpus import CORPUS_DIR


def blanche(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "server.cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def demo_json(tmp_path: Path) -> Path:
    return _write_json(tmp_path / "doc.json", demo_invoice(3).model_dump(mode="json"))


def test_render_xml_then_check_then_read_round_trips(demo_json: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xml"
    assert blanche("render", demo_json, out, "--french").returncode == 0
    assert out.read_bytes() == to_xml_bytes(demo_invoice(3))

    checked = blanche("check", out, "--french", "--json")
    assert checked.returncode == 0, checked.stdout
    report = json.loads(checked.stdout)
    assert (report["profile"], report["xsd_valid"], report["errors"]) == ("en16931", True, [])

    read = blanche("read", out)
    assert read.returncode == 0, read.stderr
    assert json.loads(read.stdout)["number"] == "F-2026-00042"


def test_render_pdf_embeds_xml_that_the_check_accepts(demo_json: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.pdf"
    assert blanche("render", demo_json, out, "--profile", "basic").returncode == 0
    assert out.read_bytes().startswith(b"%PDF-")
    checked = blanche("check", out)
    assert checked.returncode == 0, checked.stdout
    assert "profile: basic" in checked.stdout
    read = blanche("read", out)
    assert json.loads(read.stdout)["lines"][0]["name"] == "Intervention technicien"


def test_check_exits_1_with_the_official_findings(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_bytes(
        to_xml_bytes(demo_invoice(2)).replace(b"<ram:GrandTotalAmount>", b"<ram:GrandTotalAmount>9")
    )
    result = blanche("check", broken)
    assert result.returncode == 1
    assert "BR-CO-15" in result.stdout


def test_check_of_broken_xml_says_so_without_a_traceback(tmp_path: Path) -> None:
    invoice = to_xml_bytes(demo_invoice(1))
    doctype = b'<!DOCTYPE rsm:CrossIndustryInvoice [<!ENTITY e SYSTEM "file:///etc/hostname">]>'
    date = b'<udt:DateTimeString format="102">20261124</udt:DateTimeString>'
    cases = {
        "doctype.xml": (doctype + invoice.split(b"?>", 1)[1], "XML-DOCTYPE"),
        "two-dates.xml": (invoice.replace(date, date + date, 1), "SCHEMATRON-STOPPED"),
    }
    for name, (content, rule) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        result = blanche("check", path, "--french")
        assert result.returncode == 1, name
        assert rule in result.stdout and "Traceback" not in result.stderr, name
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    result = blanche("check", empty)
    assert result.returncode == 1 and "Traceback" not in result.stderr


def test_check_reports_br_fr_on_a_corpus_file() -> None:
    result = blanche("check", CORPUS_DIR / "CII_example3.xml", "--french", "--json")
    assert result.returncode == 1
    ids = {error["rule_id"] for error in json.loads(result.stdout)["errors"]}
    assert "BR-FR-10_BT-30" in ids


def test_bad_input_gives_field_errors_and_writes_nothing(tmp_path: Path) -> None:
    raw = demo_invoice(2).model_dump(mode="json")
    raw["lines"][1]["quantity"] = "1,5"
    raw["buyer"]["name"] = "Dupont\x00"
    out = tmp_path / "out.xml"
    result = blanche("render", _write_json(tmp_path / "bad.json", raw), out, "--no-check")
    assert result.returncode == 1
    assert "lines[1].quantity" in result.stderr
    assert "buyer.name" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda raw: raw.update(lines=[]), "lines"),
        (lambda raw: raw["lines"][0].update(unit="QQQ"), "lines[0].unit"),
        (lambda raw: raw["buyer"]["address"].update(country="ZZ"), "buyer.address.country"),
        (lambda raw: raw.update(kind="credit_note", preceding_invoices=[]), "preceding_invoices"),
    ],
)
def test_documents_the_rules_refuse_are_not_written_without_no_check(
    tmp_path: Path, change: Any, field: str
) -> None:
    raw = demo_invoice(2).model_dump(mode="json")
    change(raw)
    doc = _write_json(tmp_path / "doc.json", raw)
    out = tmp_path / "out.xml"
    refused = blanche("render", doc, out, "--french")
    assert refused.returncode == 1
    assert field in refused.stderr
    assert not out.exists()

    validated = blanche("validate", doc, "--french", "--json")
    assert validated.returncode == 1
    assert any(field in finding["fields"] for finding in json.loads(validated.stdout))

    forced = blanche("render", doc, out, "--french", "--no-check")
    assert forced.returncode == 0, forced.stderr
    assert blanche("check", out, "--french").returncode == 1


def test_validate_reports_half_typed_drafts_without_crashing(tmp_path: Path) -> None:
    draft = {"lines": [{"quantity": "abc"}, {}], "buyer": {"name": ""}}
    result = blanche("validate", _write_json(tmp_path / "draft.json", draft), "--locale", "fr")
    assert result.returncode == 1
    assert "lines[0].quantity" in result.stdout
    assert "Traceback" not in result.stderr


def test_demo_invoice_and_schema(tmp_path: Path) -> None:
    out = tmp_path / "demo.pdf"
    assert blanche("demo-invoice", out).returncode == 0
    assert blanche("check", out, "--french").returncode == 0
    schema = json.loads(blanche("schema").stdout)
    assert schema["title"] == "Document"
    committed = Path(__file__).resolve().parents[2] / "docs" / "document.schema.json"
    assert json.loads(committed.read_text(encoding="utf-8")) == schema, (
        "docs/document.schema.json is stale: run `blanche schema docs/document.schema.json`"
    )


def test_render_and_validate_refuse_a_document_above_the_line_limit(tmp_path: Path) -> None:
    from invoicing.limits import MAX_LINES, TOO_MANY_LINES_EN, TOO_MANY_LINES_FR

    body = demo_invoice(1).model_dump(mode="json")
    body["lines"] = body["lines"] * (MAX_LINES + 1)
    source = _write_json(tmp_path / "long.json", body)
    out = tmp_path / "long.pdf"
    for locale, text in (("en", TOO_MANY_LINES_EN), ("fr", TOO_MANY_LINES_FR)):
        rendered = blanche("render", source, out, "--no-check", "--locale", locale)
        assert rendered.returncode == 1
        assert f"lines: {text}" in rendered.stderr
        assert not out.exists()
    validated = blanche("validate", source, "--json")
    assert validated.returncode == 1
    assert any(f["rule_id"] == "BL-LINES-MAX" for f in json.loads(validated.stdout))
    body["lines"] = body["lines"][:MAX_LINES]
    at_limit = blanche("validate", _write_json(tmp_path / "ok.json", body), "--json")
    assert not any(f["rule_id"] == "BL-LINES-MAX" for f in json.loads(at_limit.stdout))
