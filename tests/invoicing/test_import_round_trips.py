"""Imports are faithful: read -> write -> read keeps every business term, the
stated amounts included, over our own samples (tests/invoicing/samples: gross
prices, 4-decimal prices, a partial invoice with per-line VAT, EXTENDED with a
free-text BT-23) and the CEN corpus, compared business term by business term."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from invoicing.amount_warnings import import_report
from invoicing.cii.reader import ReadResult, read_cii
from invoicing.cii.writer import to_xml_bytes
from invoicing.model import Document, Leftover, StatedAmounts
from invoicing.official import official_check
from invoicing.profiles import Profile
from invoicing.samples import demo_invoice
from invoicing.totals import compute_totals, en16931_totals
from tests.corpus import Value, _canonical, business_terms, corpus_files, term_differences
from tests.invoicing.test_corpus import _normalized
from tests.strategies import documents

SAMPLES_DIR = Path(__file__).resolve().parent / "samples"
SAMPLES = sorted(SAMPLES_DIR.glob("*.xml"))
ALL_FILES = [*SAMPLES, *corpus_files()]
# The profiles carrying every term the generated documents use (BASIC has no BT-114).
FULL = (Profile.EN16931, Profile.EXTENDED)


_INDEX = re.compile(r"\[\d+\]")
_SUMS = ("allowance_total", "charge_total", "vat_total")


def _bag(terms: dict[str, Value]) -> Counter[tuple[str, str]]:
    return Counter((_INDEX.sub("", path), _canonical(value)) for path, value in terms.items())


def _as_term(leftover: Leftover) -> tuple[str, str]:
    """A leftover as business_terms states its value (dates as dates, numbers as numbers)."""
    path = _INDEX.sub("", leftover.path)
    text = " ".join(leftover.value.split())
    name = path.rsplit("/", 1)[-1]
    if name == "DateTimeString":
        return path, dt.datetime.strptime(text, "%Y%m%d").date().isoformat()
    if re.search(r"(Amount|Percent|Quantity)$", name):
        return path, _canonical(Decimal(text))
    return path, text


def _stated(result: ReadResult) -> StatedAmounts:
    """The stated amounts; a zero sum (BT-107, BT-108, BT-110) and an absent
    one are the same term (the writer states BT-110 always, BT-107 and BT-108
    when there are document-level allowances or charges)."""
    stated = result.stated_totals.as_model()
    return stated.model_copy(update={name: getattr(stated, name) or None for name in _SUMS})


def test_the_samples_are_there() -> None:
    names = {path.name for path in SAMPLES}
    assert names == {
        "gross_prices.xml",
        "four_decimal_prices.xml",
        "partial_invoice.xml",
        "foreign_extended.xml",
    }


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_every_sample_is_officially_clean(path: Path) -> None:
    """The samples are what the official rules accept (their own profile)."""
    xml = path.read_bytes()
    result = read_cii(xml)
    report = official_check(xml, result.profile)
    assert report.xsd_valid
    assert not report.errors


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_unedited_import_is_written_back_term_by_term(path: Path) -> None:
    """Write the import at its own profile: every business term comes back,
    the stated amounts included; what is lost is exactly the listed leftovers."""
    original = path.read_bytes()
    result = read_cii(original)
    exported = to_xml_bytes(result.imported_document, result.profile)
    before = _normalized(business_terms(original))
    after = _normalized(business_terms(exported))
    if not result.leftovers:
        assert term_differences(before, after) == {}
        return
    # Repeated terms are indexed by content in business_terms, by position in
    # the leftovers' paths: compare without the indices.
    lost = _bag(before) - _bag(after)
    assert _bag(after) - _bag(before) == Counter()
    assert lost == Counter(_as_term(leftover) for leftover in result.leftovers)


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_read_write_read_gives_the_same_document(path: Path) -> None:
    first = read_cii(path.read_bytes())
    again = read_cii(to_xml_bytes(first.imported_document, first.profile))
    assert again.document == first.document
    assert _stated(again) == _stated(first)
    assert again.imported_document.imported is not None
    assert again.imported_document.imported.basis == first.imported_document.imported.basis  # type: ignore[union-attr]


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_stored_json_keeps_the_import_faithful(path: Path) -> None:
    """The JSON the API stores and the CLI prints reads back into a document
    that is still the unedited import: same XML."""
    result = read_cii(path.read_bytes())
    document = result.imported_document
    stored = Document.model_validate_json(document.model_dump_json())
    assert to_xml_bytes(stored, result.profile) == to_xml_bytes(document, result.profile)
    reloaded = Document.model_validate_json(document.model_dump_json(exclude_defaults=True))
    assert compute_totals(reloaded) == compute_totals(document)


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_export_of_the_import_adds_no_official_error(path: Path) -> None:
    original = path.read_bytes()
    result = read_cii(original)
    exported = to_xml_bytes(result.imported_document, result.profile)
    before = official_check(original, result.profile)
    after = official_check(exported, result.profile)
    assert after.xsd_valid
    assert {(f.rule_id, f.message) for f in after.errors} <= {
        (f.rule_id, f.message) for f in before.errors
    }


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_an_edit_of_the_amounts_basis_recomputes(path: Path) -> None:
    """Editing a quantity makes the document Blanche's: EN 16931 computes it."""
    document = read_cii(path.read_bytes()).imported_document
    edited = document.model_copy(deep=True)
    edited.lines[0].quantity = (edited.lines[0].quantity or Decimal(0)) + Decimal(1)
    assert compute_totals(edited) == en16931_totals(edited)
    # ... and an edit elsewhere (a name) keeps the stated amounts.
    renamed = document.model_copy(deep=True)
    renamed.buyer.name = "Another name"
    assert compute_totals(renamed) == compute_totals(document)


def test_a_document_blanche_wrote_comes_back_byte_for_byte() -> None:
    for profile in (Profile.EN16931, Profile.EXTENDED, Profile.BASIC):
        xml = to_xml_bytes(demo_invoice(7), profile)
        result = read_cii(xml)
        assert to_xml_bytes(result.imported_document, profile) == xml
        assert compute_totals(result.imported_document) == en16931_totals(result.document)


@pytest.mark.parametrize("profile", [Profile.MINIMUM, Profile.BASIC_WL])
def test_profiles_without_lines_keep_their_stated_amounts(profile: Profile) -> None:
    """No lines, nothing to compute from: the stated amounts are the document's."""
    xml = to_xml_bytes(demo_invoice(4), profile)
    result = read_cii(xml)
    assert result.document.lines == []
    assert to_xml_bytes(result.imported_document, profile) == xml


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=documents(max_lines=8), profile=st.sampled_from(list(FULL)))
def test_what_blanche_writes_imports_faithfully_with_no_warning(
    document: Document, profile: Profile
) -> None:
    """Any document Blanche writes reads back as an unedited import with no
    warning, and writes back byte for byte; an edit of a quantity recomputes."""
    xml = to_xml_bytes(document, profile)
    imported = read_cii(xml).imported_document
    report = import_report(imported)
    assert report is not None
    assert (report.faithful, report.warnings) == (True, ())
    assert to_xml_bytes(imported, profile) == xml
    if imported.lines:
        imported.lines[0].quantity = (imported.lines[0].quantity or Decimal(0)) + Decimal(1)
        edited = import_report(imported)
        assert edited is not None and not edited.faithful
        assert compute_totals(imported) == en16931_totals(imported)
