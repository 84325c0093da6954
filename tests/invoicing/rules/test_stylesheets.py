"""The rules' references resolve against the official stylesheets, and the
code lists are read from the codedb files the stylesheets use."""

from __future__ import annotations

import pytest

from invoicing.profiles import Profile
from invoicing.rules import all_rules
from invoicing.rules import codes as code_refs
from invoicing.rules.codes import code_list, is_listed
from invoicing.rules.engine import Rule, lowest_profile, rule_set
from invoicing.rules.stylesheets import NO_ID, resolve


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.rule_id)
def test_every_reference_resolves(rule: Rule) -> None:
    for reference in rule.refs:
        assert any(resolve(reference, profile) for profile in Profile), reference
    if rule.refs and not rule.refs[0].startswith("BR-CO-25"):  # BR-CO-25: EXTENDED only
        assert resolve(rule.refs[0], Profile.EN16931) is not None, rule.refs[0]


def test_code_list_references_find_their_lists() -> None:
    references = [
        v
        for k, v in vars(code_refs).items()
        if k.isupper() and isinstance(v, str) and v.startswith("cl:")
    ]
    assert len(references) > 30
    for reference in references:
        assert reference.startswith("cl:")
        assert code_list(reference, Profile.EN16931), reference


def test_code_lists_hold_what_they_should() -> None:
    en = Profile.EN16931
    assert {"C62", "HUR", "DAY", "KGM"} <= code_list(code_refs.UNIT_BILLED, en)  # type: ignore[operator]
    assert "PCE" not in code_list(code_refs.UNIT_BILLED, en)  # type: ignore[operator]
    assert {"FR", "BE", "DE"} <= code_list(code_refs.SELLER_COUNTRY, en)  # type: ignore[operator]
    assert "EUR" in code_list(code_refs.CURRENCY, en)  # type: ignore[operator]
    assert "VATEX-EU-132" in code_list(code_refs.VATEX, en)  # type: ignore[operator]
    assert "58" in code_list(code_refs.PAYMENT_MEANS, en)  # type: ignore[operator]
    assert is_listed(None, code_refs.UNIT_BILLED, en) and is_listed("", code_refs.UNIT_BILLED, en)
    assert not is_listed("PCE", code_refs.UNIT_BILLED, en)


def test_same_list_under_another_number_in_another_profile() -> None:
    basic = resolve(code_refs.UNIT_BILLED, Profile.BASIC)
    en = resolve(code_refs.UNIT_BILLED, Profile.EN16931)
    assert basic is not None and en is not None
    assert basic.code_list != en.code_list
    assert code_list(code_refs.UNIT_BILLED, Profile.BASIC) == code_list(
        code_refs.UNIT_BILLED, Profile.EN16931
    )
    assert resolve(code_refs.UNIT_BILLED, Profile.MINIMUM) is None  # no lines in MINIMUM


def test_semantic_ids_resolve_in_profiles_that_rename_them() -> None:
    # Factur-X BASIC reports BR-25 under an FX id, naming it in its message.
    basic = resolve("BR-25", Profile.BASIC)
    assert basic is not None and basic.official_id.startswith("FX-SCH-A-")
    en = resolve("BR-25", Profile.EN16931)
    assert en is not None and en.official_id == "BR-25"
    assert resolve("BR-25", Profile.MINIMUM) is None
    not_used = resolve(
        "nu:ApplicableHeaderTradeAgreement/BuyerTradeParty/Description", Profile.EN16931
    )
    assert not_used is not None and not_used.official_id == NO_ID


def test_rule_sets_follow_the_profile() -> None:
    def ids(profile: Profile, french: bool = False) -> set[str]:
        return {active.rule.rule_id for active in rule_set(profile, french)}

    minimum, basic_wl, en = ids(Profile.MINIMUM), ids(Profile.BASIC_WL), ids(Profile.EN16931)
    assert "BR-25" in en and "BR-25" not in minimum and "BR-25" not in basic_wl
    assert "BR-CL-23" in ids(Profile.BASIC) and "BR-CL-23" not in basic_wl
    assert "SIREN-KEY" in minimum  # own rules apply everywhere
    assert not any(r.startswith("BR-FR") for r in en)
    assert "BR-FR-10_BT-30" in ids(Profile.EN16931, french=True)
    assert lowest_profile("BR-25") is Profile.BASIC
    assert lowest_profile("BR-02") is Profile.MINIMUM
    assert lowest_profile("SIREN-KEY") is None
