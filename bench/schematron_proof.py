"""`python -m bench schematron-proof [N] [--seed S]`: the indexed schematrons
(invoicing.indexed_schematron) write the same SVRL, character for character, as
the shipped ones, and their findings form (what `official_check` runs) the same
failed assertions and successful reports, on

- every file of the CEN corpus (../shared/corpus/cen-cii), Factur-X EN16931
  and BR-FR;
- every one-break mutation of a demo invoice's XML (each element removed,
  emptied, given a bogus value or doubled; each attribute removed or given a
  bogus value), for its profile's Factur-X schematron and BR-FR;
- N generated cases (bench/soak_cases.py: demo invoices of 1-20 lines, every
  profile, 0-3 model mutations), for the case's profile and BR-FR.

Prints one line per set and the first differences; exits 1 on any difference.
tests/invoicing/test_indexed_schematron.py runs a sample of the same sets.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from copy import deepcopy
from pathlib import Path

from lxml import etree

from bench.soak_cases import make_case
from invoicing.cii.writer import NotAnInvoiceError, to_xml_bytes
from invoicing.official import Sheets, findings_report, svrl_report
from invoicing.profiles import Profile, br_fr_schematron_path, schematron_path
from invoicing.samples import demo_invoice

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "cen-cii"
BOGUS = "ZZZ-9"


def one_break_mutations(xml: bytes) -> Iterator[tuple[str, bytes]]:
    """(what was broken, the broken XML) for every element and attribute of `xml`."""
    original = etree.fromstring(xml)
    tree = original.getroottree()
    elements = [e for e in original.iter() if isinstance(e.tag, str)]

    def variant(index: int, change: str, attribute: str | None = None) -> bytes | None:
        root = deepcopy(original)
        element = [e for e in root.iter() if isinstance(e.tag, str)][index]
        parent = element.getparent()
        if attribute is not None:
            if change == "remove":
                del element.attrib[attribute]
            else:
                element.set(attribute, BOGUS)
        elif change == "remove":
            if parent is None:
                return None
            parent.remove(element)
        elif change == "empty":
            for child in list(element):
                element.remove(child)
            element.text = None
        elif change == "bogus":
            if len(element):
                return None  # a group has no value of its own
            element.text = BOGUS
        elif change == "double":
            if parent is None:
                return None
            element.addnext(deepcopy(element))
        return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))

    for index, element in enumerate(elements):
        path = tree.getpath(element)
        for change in ("remove", "empty", "bogus", "double"):
            broken = variant(index, change)
            if broken is not None:
                yield f"{change} {path}", broken
        for attribute in map(str, element.attrib):
            for change in ("remove", "bogus"):
                broken = variant(index, change, attribute)
                if broken is not None:
                    yield f"{change} {path}/@{attribute}", broken


def outcome(xml: bytes, sheet: Path, sheets: Sheets) -> str:
    """The SVRL report, or the dynamic error that stopped the stylesheet (some
    broken values stop both forms, e.g. an empty amount cast to a decimal)."""
    try:
        return svrl_report(xml, sheet, sheets)
    except Exception as error:  # saxonche raises its own PySaxonApiError
        return f"error: {error}"


def findings_outcome(xml: bytes, sheet: Path, sheets: Sheets) -> str:
    """The findings `official_check` reads, or the dynamic error."""
    try:
        return findings_report(xml, sheet, sheets).decode()
    except Exception as error:
        return f"error: {error}"


def compare(xml: bytes, stylesheets: list[Path]) -> tuple[list[str], int]:
    """The stylesheets (by name) whose indexed form reports otherwise than
    shipped (whole SVRL, or the findings form's findings), and how many of the
    shipped runs stopped on a dynamic error."""
    different, stopped = [], 0
    for sheet in stylesheets:
        shipped = outcome(xml, sheet, Sheets.SHIPPED)
        stopped += shipped.startswith("error: ")
        if outcome(xml, sheet, Sheets.INDEXED) != shipped:
            different.append(sheet.name)
        elif findings_outcome(xml, sheet, Sheets.INDEXED) != findings_outcome(
            xml, sheet, Sheets.SHIPPED
        ):
            different.append(f"{sheet.name} (findings form)")
    return different, stopped


def _sheets(profile: Profile) -> list[Path]:
    return [schematron_path(profile), br_fr_schematron_path()]


def corpus_documents() -> Iterator[tuple[str, bytes, Profile]]:
    for path in sorted(CORPUS.glob("*.xml")):
        yield path.name, path.read_bytes(), Profile.EN16931


def mutated_documents(lines: int = 2) -> Iterator[tuple[str, bytes, Profile]]:
    for profile in (Profile.EN16931, Profile.EXTENDED):
        xml = to_xml_bytes(demo_invoice(lines), profile)
        for name, broken in one_break_mutations(xml):
            yield f"{profile.value}: {name}", broken, profile


def generated_documents(count: int, seed: int) -> Iterator[tuple[str, bytes, Profile]]:
    for index in range(count):
        case = make_case(seed, index)
        try:
            xml = to_xml_bytes(case.document, case.profile)
        except NotAnInvoiceError:
            continue
        yield f"case {index} {case.mutations}", xml, case.profile


def _check(label: str, documents: Iterator[tuple[str, bytes, Profile]]) -> int:
    started, seen, failed, stopped = time.monotonic(), 0, 0, 0
    for name, xml, profile in documents:
        seen += 1
        different, errors = compare(xml, _sheets(profile))
        stopped += errors
        if different:
            failed += 1
            if failed <= 10:
                print(f"  DIFFERENT {name}: {', '.join(different)}")
    print(
        f"{label}: {seen} documents, {seen - failed} identical SVRL, {failed} different; "
        f"{stopped} runs stopped on the same dynamic error both ways "
        f"({time.monotonic() - started:.0f} s)"
    )
    return failed


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench schematron-proof", description=__doc__)
    parser.add_argument("count", type=int, nargs="?", default=5000, help="generated cases")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    failed = _check("CEN corpus", corpus_documents())
    failed += _check("one-break mutations", mutated_documents())
    failed += _check("generated cases", generated_documents(args.count, args.seed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
