"""Patches on raw drafts, and exactly-once delivery by sequence number."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.analysis import analyse
from editor.backend import Contact, Product
from editor.memory_backend.store import content_of
from editor.patches import (
    FIXED_RATES,
    AddLine,
    DraftSession,
    MoveLine,
    Patch,
    PatchError,
    RemoveLine,
    SetCustomer,
    SetField,
    apply_patch,
    changed_fields,
    derived_values,
    parse_patch,
)
from invoicing.model import Address, PaymentTerm, VatCategory
from invoicing.rules.drafts import parse_draft
from invoicing.samples import demo_invoice

CONTACT = Contact(
    id=7,
    kind="company",
    name="Boulangerie Dupont",
    siren="552100554",
    email="compta@dupont.example",
    address=Address(line1="3 place du Marché", postcode="69100", city="Villeurbanne", country="FR"),
)
PRODUCT = Product(id=3, name="Déplacement", unit_price=Decimal("35.00"), vat_rate=Decimal("10"))


def _apply(content: dict[str, Any], *patches: Patch) -> dict[str, Any]:
    contact_id = None
    for patch in patches:
        content, contact_id = apply_patch(content, contact_id, patch)
    return content


def test_set_keeps_the_text_as_typed_and_creates_what_the_path_needs() -> None:
    content = _apply({}, AddLine(1), SetField(2, "lines[0].quantity", "1,5"))
    assert content["lines"][0]["quantity"] == "1,5"
    content = _apply(content, SetField(3, "payment_means[0].iban", "FR76 3000"))
    assert content["payment_means"] == [{"iban": "FR76 3000"}]
    content = _apply(content, SetField(4, "buyer.address.city", "Lyon"))
    assert content["buyer"] == {"address": {"city": "Lyon"}}


def test_an_empty_value_clears_the_field_and_null_removes_a_list_item() -> None:
    content = _apply({"notes": [{"text": "a"}, {"text": "b"}]}, SetField(1, "notes[0].text", ""))
    assert content["notes"][0]["text"] is None
    content = _apply(content, SetField(2, "notes[0]", None))
    assert content["notes"] == [{"text": "b"}]


def test_a_payment_term_cleared_of_every_value_is_gone_not_invalid() -> None:
    term = {"payment_term": {"kind": "days", "days": 30, "date": None}}
    content = _apply(term, SetField(1, "payment_term.days", None))
    assert content["payment_term"] == {"kind": "days", "days": None, "date": None}
    content = _apply(content, SetField(2, "payment_term.kind", None))
    assert content["payment_term"] is None
    assert parse_draft(content)[1] == []  # no finding: no term
    content = _apply(content, SetField(3, "payment_term.kind", "on_receipt"))
    assert parse_draft(content)[0].payment_term == PaymentTerm(kind="on_receipt")


def test_set_refuses_what_the_editor_does_not_edit() -> None:
    for path in ("seller.name", "number", "kind", "lines", "buyer", "buyer.nme", "lines[0]x"):
        with pytest.raises(PatchError):
            parse_patch({"seq": 1, "op": "set", "path": path, "value": "x"})
    with pytest.raises(PatchError):
        parse_patch({"seq": 1, "op": "set", "path": "lines[0].quantity", "value": 1.5})
    with pytest.raises(PatchError):  # only the next item may be created
        _apply({"lines": []}, SetField(1, "lines[1].name", "x"))


def test_applying_never_changes_its_input() -> None:
    original = {"lines": [{"name": "a", "quantity": "1"}], "buyer": {"name": "b"}}
    frozen = copy.deepcopy(original)
    _apply(original, SetField(1, "lines[0].name", "z"), AddLine(2), MoveLine(3, 1, 0))
    _apply(original, SetCustomer(1, 7, CONTACT), RemoveLine(2, 0))
    assert original == frozen


def test_a_new_line_has_the_vat_of_the_line_above_or_the_product() -> None:
    content = _apply(
        {},
        AddLine(1),
        SetField(2, "lines[0].vat_category", "E"),
        SetField(3, "lines[0].vat_exemption_reason", "Article 261 du CGI"),
        AddLine(4),
    )
    assert content["lines"][1]["vat_category"] == "E"
    assert content["lines"][1]["vat_exemption_reason"] == "Article 261 du CGI"
    content = _apply(content, AddLine(5, at=0, product_id=3, product=PRODUCT))
    assert content["lines"][0]["name"] == "Déplacement"
    assert content["lines"][0]["net_price"] == "35.00"
    assert content["lines"][0]["vat_rate"] == "10"
    assert content["lines"][0]["vat_category"] == VatCategory.STANDARD.value
    assert "seller_item_id" not in content["lines"][0]  # a catalogue id is no item reference


def test_lines_move_and_go() -> None:
    content = {"lines": [{"name": "a"}, {"name": "b"}, {"name": "c"}]}
    moved = _apply(content, MoveLine(1, 0, 2))
    assert [line["name"] for line in moved["lines"]] == ["b", "c", "a"]
    removed = _apply(moved, RemoveLine(2, 1))
    assert [line["name"] for line in removed["lines"]] == ["b", "a"]
    with pytest.raises(PatchError):
        _apply(removed, RemoveLine(3, 2))


def test_set_customer_copies_the_contact_and_remembers_it() -> None:
    content, contact_id = apply_patch({"recipient_email": None}, None, SetCustomer(1, 7, CONTACT))
    assert contact_id == 7
    assert content["buyer"]["name"] == "Boulangerie Dupont"
    assert content["buyer"]["electronic_address"] == {"value": "552100554", "scheme": "0225"}
    assert content["recipient_email"] == "compta@dupont.example"
    content, contact_id = apply_patch(content, contact_id, SetCustomer(2, None))
    assert content["buyer"] == {} and contact_id is None


def test_a_patch_that_cannot_apply_still_uses_its_number() -> None:
    session = DraftSession({}, None, 0)
    receipt = session.receive(RemoveLine(1, 4))
    assert receipt.outcome == "rejected" and receipt.error
    assert session.seq == 1 and session.content == {}
    assert session.receive(AddLine(2)).outcome == "applied"


# --- exactly once, whatever the network does -----------------------------------------------

PATHS = ("lines[0].name", "lines[1].quantity", "buyer.name", "notes[0].text", "subject")


def _patch(seq: int, choice: tuple[int, int, int, str]) -> Patch:
    kind, a, b, text = choice
    if kind == 0:
        return SetField(seq, PATHS[a % len(PATHS)], text)
    if kind == 1:
        return AddLine(seq, at=a % 3 if b % 2 else None)
    if kind == 2:
        return RemoveLine(seq, a % 3)
    if kind == 3:
        return MoveLine(seq, a % 3, b % 3)
    return SetCustomer(seq, 7 if a % 2 else None, CONTACT if a % 2 else None)


choices = st.tuples(st.integers(0, 4), st.integers(0, 5), st.integers(0, 5), st.text(max_size=6))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(choices, min_size=1, max_size=12),
    st.lists(st.integers(1, 14), max_size=40),
)
def test_duplicates_and_resends_give_the_draft_of_applying_each_patch_once(
    steps: list[tuple[int, int, int, str]], deliveries: list[int]
) -> None:
    patches = [_patch(seq, step) for seq, step in enumerate(steps, start=1)]
    # Reference: each patch once, in order (a refused one leaves the draft as is).
    states: list[tuple[dict[str, Any], int | None]] = [({}, None)]
    for patch in patches:
        content, contact_id = states[-1]
        try:
            states.append(apply_patch(content, contact_id, patch))
        except PatchError:
            states.append((content, contact_id))
    session = DraftSession({}, None, 0)
    # Arbitrary deliveries (duplicates, gaps, old resends), then a reconnect that
    # resends everything from the start, as a client with all its patches would.
    for seq in [s for s in deliveries if s <= len(patches)] + list(range(1, len(patches) + 1)):
        before = session.seq
        receipt = session.receive(patches[seq - 1])
        if seq > before + 1:
            assert receipt.outcome == "gap"
        elif seq <= before:
            assert receipt.outcome == "duplicate"
        assert session.seq >= before
        assert (session.content, session.contact_id) == states[session.seq]
    assert session.seq == len(patches)
    assert (session.content, session.contact_id) == states[-1]


def test_the_terms_text_follows_the_term_chosen() -> None:
    """The company's default text says its term's words: they follow the term, the rest
    stays; a term not complete yet, or the user's own words, leave the text as it is."""
    default = {
        "payment_terms": "Paiement à 30 jours par virement.",
        "payment_term": {"kind": "days", "days": 30, "date": None},
    }
    content = _apply(default, SetField(1, "payment_term.kind", "days_end_of_month"))
    assert content["payment_terms"] == "Paiement à 30 jours fin de mois par virement."
    content = _apply(content, SetField(2, "payment_term.days", "x"))  # not a term yet
    assert content["payment_terms"] == "Paiement à 30 jours fin de mois par virement."
    content = _apply(content, SetField(3, "payment_term.days", "45"))
    assert content["payment_terms"] == "Paiement à 45 jours fin de mois par virement."
    own = _apply(
        {**default, "payment_terms": "Voir contrat"}, SetField(1, "payment_term.days", "60")
    )
    assert own["payment_terms"] == "Voir contrat"


def test_a_term_chosen_replaces_a_due_date_typed_before() -> None:
    """An imported invoice's typed due date would win over the term unseen: once the
    user sets the term, the term gives the date (and the form is told)."""
    imported = {"issue_date": "2026-12-01", "due_date": "2026-12-20", "payment_term": None}
    patch = SetField(1, "payment_term.kind", "on_receipt")
    content = _apply(imported, patch)
    assert "due_date" not in content
    assert derived_values(patch, imported, content) == {"due_date": None}
    assert "due_date" in changed_fields(patch)
    document = parse_draft(content)[0]
    assert (document.due_date, document.payment_term) == (None, PaymentTerm(kind="on_receipt"))
    kept = _apply(imported, SetField(1, "payment_terms", "Voir contrat"))
    assert kept["due_date"] == "2026-12-20"  # the terms text is words, not the term


@pytest.mark.parametrize(("category", "rate"), [*FIXED_RATES.items(), ("S", "20")])
def test_choosing_a_zero_rated_category_sets_the_rate_so_no_rate_error_follows(
    category: str, rate: str | None
) -> None:
    """ "Exonéré" chosen on a 20 % line: the rate becomes 0 (none for "hors champ"), in
    the draft, and neither the full nor the incremental analysis reports a rate error
    (BR-E-05, BR-E-09 and their kin). The standard rate is left as typed."""
    before = content_of(demo_invoice(2))
    previous = analyse(before, "fr")
    patch = SetField(1, "lines[1].vat_category", category)
    after = _apply(before, patch)
    assert after["lines"][1]["vat_rate"] == rate
    assert after["lines"][0]["vat_rate"] == "20"
    shown = derived_values(patch, before, after)  # the form shows the new rate
    assert shown == (None if rate == "20" else {"lines[1].vat_rate": rate})
    incremental = analyse(after, "fr", previous=previous, changed=changed_fields(patch, before))
    for analysis in (analyse(after, "fr"), incremental):
        ids = {finding.rule_id for finding in analysis.findings}
        assert not {i for i in ids if i.endswith(("-05", "-09"))}, ids


def test_an_allowance_category_fixes_its_rate_too() -> None:
    content = _apply(
        {"allowances_charges": [{"vat_category": "S", "vat_rate": "20"}]},
        SetField(1, "allowances_charges[0].vat_category", "AE"),
    )
    assert content["allowances_charges"][0]["vat_rate"] == "0"
