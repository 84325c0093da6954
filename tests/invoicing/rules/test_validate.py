"""The public API: what `validate` reports, on what, in which words."""

from __future__ import annotations

import re
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from invoicing.model import Document, DocumentKind, VatCategory
from invoicing.profiles import Profile
from invoicing.rules import Severity, all_rules, official_ids_of, validate
from invoicing.rules.engine import field_pattern
from invoicing.samples import demo_invoice
from tests.invoicing.rules.mutations import MUTATIONS
from tests.invoicing.rules.valid_documents import valid_documents


def _demo(lines: int = 6) -> Document:
    document = demo_invoice(lines)
    document.buyer.vat_id = "FR96552100554"  # the key that goes with its SIREN
    return document


def test_the_demo_invoice_is_clean_in_every_mode() -> None:
    for profile in Profile:
        for french in (False, True):
            errors = {f.rule_id for f in validate(_demo(), profile, french=french).errors}
            if profile is Profile.MINIMUM and french:
                # MINIMUM carries neither notes nor electronic addresses, which
                # BR-FR requires (the official check says the same).
                assert errors == {
                    "BR-FR-05_BT-22_PMT",
                    "BR-FR-05_BT-22_PMD",
                    "BR-FR-05_BT-22_AAB",
                    "BR-FR-12_BT-49",
                    "BR-FR-13_BT-34",
                }
            else:
                assert not errors, (profile, french, errors)


def test_french_rules_only_with_the_french_option() -> None:
    document = _demo()
    document.notes = []
    assert not any(f.rule_id.startswith("BR-FR") for f in validate(document))
    french = validate(document, french=True)
    assert {"BR-FR-05_BT-22_PMT", "BR-FR-05_BT-22_PMD", "BR-FR-05_BT-22_AAB"} <= french.rule_ids()
    assert french.by_field()["notes"]


def test_a_finding_names_its_field_and_what_to_do() -> None:
    document = _demo()
    document.lines[2].vat_category = VatCategory.EXEMPT
    document.lines[2].vat_rate = Decimal(0)
    findings = validate(document)
    (finding,) = findings.by_field()["lines[2].vat_exemption_reason"]
    assert finding.rule_id == "BR-E-10" and finding.official_ids == ("BR-E-10",)
    assert finding.severity is Severity.ERROR and finding.profile is Profile.BASIC_WL
    assert "exemption reason" in finding.message_en and "motif" in finding.message_fr
    assert finding.message_fr.startswith("L'exonération de TVA doit être justifiée")


def test_french_messages_elide_and_agree_the_article() -> None:
    french = " ".join(rule.message_fr for rule in all_rules())
    wrongs = ("a exonération", "a autoliquidation", "a exportation", "a opération", "a taux zéro")
    for wrong in wrongs:
        assert re.search(rf"\b[Ll]{wrong}", french) is None, wrong
    assert "Ligne {line} : le taux zéro demande un taux de 0." in french
    assert "Ligne {line} : l'autoliquidation demande un taux de 0." in french


def test_quotes_get_only_content_rules() -> None:
    quote = _demo()
    quote.kind = DocumentKind.QUOTE
    quote.number = None
    quote.lines[0].name = ""
    quote.lines[1].unit = "PCE"
    rule_ids = validate(quote).rule_ids()
    assert {"BR-25", "BR-CL-23"} <= rule_ids
    assert "BR-02" not in rule_ids


def test_chorus_checks_only_for_public_sector_buyers() -> None:
    document = _demo()
    document.buyer.siret = None
    document.order_reference = None
    assert not any(f.rule_id.startswith("CPP") for f in validate(document))
    document.buyer.public_sector = True
    findings = validate(document)
    assert {"CPP-01", "CPP-06"} <= findings.rule_ids()
    assert "CPP-06" in {f.rule_id for f in findings.warnings}


_PLACEHOLDER = re.compile(r"\{\w+\}")
_FIELDS = set(Document.model_fields)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_findings_are_well_formed(data: st.DataObject) -> None:
    french = data.draw(st.booleans())
    document = data.draw(valid_documents(french=french))
    MUTATIONS[data.draw(st.sampled_from(sorted(MUTATIONS)))](document, data)
    document.buyer.public_sector = data.draw(st.booleans())
    profile = data.draw(st.sampled_from(list(Profile)))
    for finding in validate(document, profile, french=french):
        assert finding.message_fr and finding.message_en
        assert not _PLACEHOLDER.search(finding.message_fr + finding.message_en), finding
        for path in finding.fields:
            assert field_pattern(path).split(".")[0] in _FIELDS, finding
        assert finding.rule_id != "BL-INTERNAL", finding


def test_rule_ids_are_unique_and_every_family_is_declared() -> None:
    rules = all_rules()
    assert len({r.rule_id for r in rules}) == len(rules)
    assert len(rules) > 200
    assert sum(r.chorus for r in rules) >= 10


def test_official_ids_of_errors() -> None:
    document = _demo()
    document.seller.name = None
    document.currency = "ABC"
    assert official_ids_of(validate(document)) == {"BR-06", "FX-SCH-A-000595", "FX-SCH-A-000606"}
