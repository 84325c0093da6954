from __future__ import annotations

import re

import httpx

from server.api.routes import OPERATIONS


def test_openapi_lists_every_operation_with_schemas(client: httpx.Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.1")
    documented = {(method.upper(), path) for path, item in spec["paths"].items() for method in item}
    expected = {
        (op.method, "/api/v1" + re.sub(r"\{(\w+):int\}", r"{\1}", op.path)) for op in OPERATIONS
    }
    assert documented == expected
    schemas = spec["components"]["schemas"]
    assert {"Document", "DocumentOut", "CompanyIn", "EditorSessionIn", "Problem"} <= set(schemas)
    create = spec["paths"]["/api/v1/companies/{id}/documents"]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Document"
    }
    refs = re.findall(
        r'"\$ref": "#/components/schemas/([^"]+)"', response.text.replace('"$ref":"', '"$ref": "')
    )
    assert refs and set(refs) <= set(schemas)


def test_an_optional_body_is_documented_as_optional(client: httpx.Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    credit = paths["/api/v1/documents/{id}/credit-note"]["post"]["requestBody"]
    assert credit["required"] is False
    assert credit["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/CreditNoteIn"
    }
    assert paths["/api/v1/documents/{id}/payments"]["post"]["requestBody"]["required"] is True
