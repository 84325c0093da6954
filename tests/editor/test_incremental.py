"""What the live channel keeps from one keystroke to the next gives what computing
everything afresh gives: the draft read (numbers, parts validated once), the rules,
the totals."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from editor.analysis import DraftReader, analyse
from editor.patches import (
    AddLine,
    MoveLine,
    Patch,
    PatchError,
    RemoveLine,
    SetField,
    apply_patch,
    changed_fields,
)
from invoicing.samples import demo_invoice

PATHS = (
    "lines[0].quantity",
    "lines[0].net_price",
    "lines[0].name",
    "lines[1].vat_rate",
    "lines[1].vat_category",
    "lines[2].allowances_charges[0].percent",
    "buyer.name",
    "buyer.address.country",
    "seller.address.country",
    "due_date",
    "issue_date",
    "subject",
    "currency",
    "notes[0].text",
    "payment_means[0].iban",
)
VALUES = (
    "2",
    "2,5",
    "1 234,56",
    "-3",
    "abc",
    "",
    "FR",
    "DE",
    "Z",
    "E",
    "2026-13-40",
    "2026-12-24",
    "USD",
    "& < > \" '",
    "Pose 🧱 עברית",
    "x" * 10_000,
)


def _patch(seq: int, choice: tuple[int, int, int]) -> Patch:
    kind, a, b = choice
    if kind == 0:
        return AddLine(seq)
    if kind == 1:
        return RemoveLine(seq, a % 3)
    if kind == 2:
        return MoveLine(seq, a % 3, b % 3)
    return SetField(seq, PATHS[a % len(PATHS)], VALUES[b % len(VALUES)])


steps = st.lists(
    st.tuples(st.integers(0, 6), st.integers(0, 20), st.integers(0, 20)), min_size=1, max_size=15
)


@settings(max_examples=120, deadline=None)
@given(steps, st.sampled_from(["fr", "en"]))
def test_an_edited_draft_reads_as_a_fresh_one_after_every_patch(
    choices: list[tuple[int, int, int]], locale: str
) -> None:
    content: dict[str, Any] = demo_invoice(2).model_dump(mode="json", exclude_none=True)
    content.pop("number")
    reader = DraftReader(locale)
    analysis = analyse(content, locale, reader=reader)
    for seq, choice in enumerate(choices, start=1):
        patch = _patch(seq, choice)
        try:
            content, before = apply_patch(content, None, patch)[0], content
        except PatchError:
            continue
        changed = changed_fields(patch, before)
        analysis = analyse(content, locale, reader=reader, previous=analysis, changed=changed)
        fresh = analyse(content, locale)
        assert analysis.document == fresh.document
        assert analysis.totals == fresh.totals
        assert analysis.findings == fresh.findings


def test_what_a_patch_did_not_touch_is_not_read_again() -> None:
    content: dict[str, Any] = demo_invoice(3).model_dump(mode="json", exclude_none=True)
    reader = DraftReader("fr")
    first, _ = reader.read(content)
    content, _ = apply_patch(content, None, SetField(1, "lines[1].quantity", "7"))
    second, _ = reader.read(content)
    assert second.lines[0] is first.lines[0] and second.lines[2] is first.lines[2]
    assert second.seller is first.seller and second.buyer is first.buyer
    assert second.lines[1] is not first.lines[1] and str(second.lines[1].quantity) == "7"


def test_a_long_edit_does_not_keep_every_earlier_version() -> None:
    content: dict[str, Any] = demo_invoice(2).model_dump(mode="json", exclude_none=True)
    reader = DraftReader("fr")
    analysis = analyse(content, "fr", reader=reader)
    kept = []
    for seq in range(1, 301):
        patch = SetField(seq, "lines[0].quantity", str(seq))
        content = apply_patch(content, None, patch)[0]
        analysis = analyse(content, "fr", reader=reader, previous=analysis, changed=(patch.path,))
        kept.append(len(reader._numbers._memo) + len(reader._models))
    assert max(kept) == kept[0]  # reading a changed part keeps nothing more
    assert str(analysis.document.lines[0].quantity) == "300"
