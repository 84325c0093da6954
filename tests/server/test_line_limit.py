"""One line limit (invoicing.limits.MAX_LINES) in the REST API: create and update
refuse a document above it with a field error on `lines`, in English or French."""

from __future__ import annotations

from invoicing.limits import MAX_LINES, TOO_MANY_LINES_EN, TOO_MANY_LINES_FR
from tests.server.helpers import Partner, document_body


def _body(lines: int) -> dict[str, object]:
    body = document_body(lines=1)
    body["lines"] = body["lines"] * lines  # type: ignore[operator]
    return body


def test_create_and_update_refuse_a_document_above_the_line_limit(partner_a: Partner) -> None:
    company = partner_a.company()
    path = f"/companies/{company['id']}/documents"
    refused = partner_a.post(path, _body(MAX_LINES + 1))
    assert refused.status_code == 422
    problem = refused.json()
    assert problem["code"] == "too_many_lines"
    assert [error["field"] for error in problem["errors"]] == ["lines"]
    assert problem["errors"][0]["message"].startswith(TOO_MANY_LINES_EN)
    in_french = partner_a.post(path, _body(MAX_LINES + 1), headers={"Accept-Language": "fr-FR"})
    assert in_french.json()["errors"][0]["message"].startswith(TOO_MANY_LINES_FR)
    assert partner_a.get(f"/companies/{company['id']}/documents").json()["items"] == []

    draft = partner_a.ok(partner_a.post(path, _body(MAX_LINES)), 201)
    assert len(draft["document"]["lines"]) == MAX_LINES
    too_long = partner_a.put(f"/documents/{draft['id']}", _body(MAX_LINES + 1))
    assert too_long.status_code == 422 and too_long.json()["code"] == "too_many_lines"
    kept = partner_a.ok(partner_a.get(f"/documents/{draft['id']}"))
    assert len(kept["document"]["lines"]) == MAX_LINES
