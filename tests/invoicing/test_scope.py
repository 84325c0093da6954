"""The reform's scope of a document, read from its parties (invoicing.scope)."""

from __future__ import annotations

from typing import Any

import pytest

from invoicing.cii.writer import to_xml_bytes
from invoicing.model import Document
from invoicing.official import official_check
from invoicing.profiles import Profile
from invoicing.rules import validate
from invoicing.samples import demo_invoice
from invoicing.scope import Scope, french_rules_apply, scope_of


def _with_buyer(**changes: Any) -> Document:
    document = demo_invoice()
    return document.model_copy(update={"buyer": document.buyer.model_copy(update=changes)})


def _abroad(document: Document, side: str) -> Document:
    party = getattr(document, side)
    address = party.address.model_copy(update={"country": "BE"})
    return document.model_copy(update={side: party.model_copy(update={"address": address})})


def test_french_businesses_are_in_e_invoicing() -> None:
    assert scope_of(demo_invoice()) is Scope.E_INVOICING


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (_with_buyer(public_sector=True), Scope.B2G),
        (_with_buyer(private_person=True, siren=None, siret=None, vat_id=None), Scope.E_REPORTING),
        (_abroad(demo_invoice(), "buyer"), Scope.E_REPORTING),
        (_abroad(demo_invoice(), "seller"), Scope.E_REPORTING),
    ],
)
def test_other_scopes(document: Document, expected: Scope) -> None:
    assert scope_of(document) is expected
    assert french_rules_apply(document) == (expected is not Scope.E_REPORTING)


def test_a_business_buyer_without_siren_stays_in_e_invoicing_and_is_asked_for_it() -> None:
    document = _with_buyer(siren=None, siret=None, electronic_address=None)
    assert scope_of(document) is Scope.E_INVOICING
    findings = validate(document, french=french_rules_apply(document))
    assert any(f.rule_id.startswith("BR-FR") for f in findings.errors)


def test_a_private_person_needs_no_siren_nor_electronic_address() -> None:
    document = _with_buyer(
        private_person=True, siren=None, siret=None, vat_id=None, electronic_address=None
    )
    findings = validate(document, french=french_rules_apply(document))
    assert not findings.errors, [f.rule_id for f in findings.errors]
    document = document.model_copy(update={"number": "F-2027-00001"})
    result = official_check(to_xml_bytes(document, Profile.EN16931), Profile.EN16931)
    assert result.ok, result.as_dict()
