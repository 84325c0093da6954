"""Parts copied from a cached skeleton are the parts built element by element."""

from __future__ import annotations

import threading
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from bench.soak_cases import make_case
from invoicing.cii import skeletons
from invoicing.cii.names import RAM
from invoicing.cii.skeletons import Steps, TagTree, append_part, build_part
from invoicing.cii.writer import NotAnInvoiceError, build_cii
from invoicing.model import Document
from invoicing.profiles import Profile
from invoicing.samples import demo_invoice
from tests.strategies import documents

KEEP: frozenset[str] = frozenset({"Kept"})


def _xml(document: Document, profile: Profile, skeletons: bool) -> bytes:
    return bytes(etree.tostring(build_cii(document, profile, skeletons=skeletons)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=documents(), profile=st.sampled_from(list(Profile)))
def test_copies_are_what_building_element_by_element_makes(
    document: Document, profile: Profile
) -> None:
    try:
        built = _xml(document, profile, skeletons=False)
    except NotAnInvoiceError:
        return
    # Twice: the second time every part of this shape comes from the cache.
    assert _xml(document, profile, skeletons=True) == built
    assert _xml(document, profile, skeletons=True) == built


def test_generated_cases_in_every_profile() -> None:
    for index in range(40):
        case = make_case(20261207, index)
        for profile in Profile:
            try:
                built = _xml(case.document, profile, skeletons=False)
            except NotAnInvoiceError:
                break
            assert _xml(case.document, profile, skeletons=True) == built, (index, profile)


def test_lines_of_one_shape_keep_their_own_values() -> None:
    document = demo_invoice(3)
    lines = [
        line.model_copy(update={"name": name, "quantity": Decimal(quantity), "unit": unit})
        for line, name, quantity, unit in zip(
            document.lines,
            ["A & B", "", "C"],
            ["1", "2.5", "3"],
            ["HUR", "C62", "KGM"],
            strict=True,
        )
    ]
    document = document.model_copy(update={"lines": lines})
    root = build_cii(document)
    names = root.xpath("//ram:SpecifiedTradeProduct/ram:Name", namespaces={"ram": RAM})
    assert isinstance(names, list)
    assert [etree.tostring(n) for n in names][1].endswith(b"></ram:Name>")  # "" stays ""
    assert [getattr(n, "text", None) for n in names] == ["A & B", "", "C"]
    quantities = root.xpath("//ram:BilledQuantity", namespaces={"ram": RAM})
    assert isinstance(quantities, list)
    assert [(q.text, q.get("unitCode")) for q in quantities] == [  # type: ignore[union-attr]
        ("1", "HUR"),
        ("2.5", "C62"),
        ("3", "KGM"),
    ]
    assert etree.tostring(root) == etree.tostring(build_cii(document, skeletons=False))


def _allowed() -> TagTree:
    kept: TagTree = {"{urn:x}leaf": ("Kept/leaf", {})}
    group: TagTree = {"{urn:x}leaf": ("Group/leaf", {})}
    return {
        "{urn:x}Kept": ("Kept", kept),
        "{urn:x}Group": ("Group", group),
        "{urn:x}Leaf": ("Leaf", {}),
    }


def _both(steps: Steps) -> tuple[bytes, bytes]:
    copied, built = etree.Element("r"), etree.Element("r")
    append_part(copied, steps, _allowed(), KEEP)
    build_part(built, steps, _allowed(), KEEP)
    return etree.tostring(copied), etree.tostring(built)


def test_what_the_profile_does_not_allow_goes_and_empty_groups_with_it() -> None:
    dropped = Steps("{urn:x}Unknown")
    dropped.add(0, "{urn:x}leaf", "v")
    assert _both(dropped) == (b"<r/>", b"<r/>")
    emptied = Steps("{urn:x}Group")
    emptied.add(0, "{urn:x}other", "v")
    assert _both(emptied) == (b"<r/>", b"<r/>")
    kept = Steps("{urn:x}Kept")  # a mandatory group stays, even empty
    kept.add(0, "{urn:x}other", "v")
    assert _both(kept)[0] == _both(kept)[1] == b'<r><ns0:Kept xmlns:ns0="urn:x"/></r>'
    partial = Steps("{urn:x}Group")
    partial.add(0, "{urn:x}other", "v")
    partial.add(0, "{urn:x}leaf", "w", {"a": "1"})
    copied, built = _both(partial)
    assert copied == built and b"other" not in copied and b'a="1">w<' in copied


def test_each_thread_has_its_own_skeletons() -> None:
    document = demo_invoice(5)
    expected = _xml(document, Profile.EN16931, skeletons=False)
    results: list[bytes] = []

    def run() -> None:
        for _ in range(20):
            results.append(_xml(document, Profile.EN16931, skeletons=True))

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 60 and set(results) == {expected}


def test_the_cache_of_shapes_is_bounded() -> None:
    allowed: TagTree = {"{urn:x}Group": ("Group", {"{urn:x}leaf": ("Group/leaf", {})})}
    for count in range(1, 700):
        steps = Steps("{urn:x}Group")
        for index in range(count):
            steps.add(0, "{urn:x}leaf", str(index))
        copied, built = etree.Element("r"), etree.Element("r")
        append_part(copied, steps, allowed, KEEP)
        build_part(built, steps, allowed, KEEP)
        assert etree.tostring(copied) == etree.tostring(built)
        assert len(skeletons._cache(allowed)) <= skeletons._MAX_SHAPES
