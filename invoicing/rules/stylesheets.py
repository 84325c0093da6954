"""An index of the assertions in the official schematron stylesheets.

The fast rules name what they mirror with a *reference*; this module turns a
reference into the id the official stylesheet of a given profile reports:

- ``"BR-CO-15"``: an EN 16931 rule id. Most stylesheets use it as the assert
  id; some (Factur-X BASIC, MINIMUM) use a ``FX-SCH-A-...`` id and start the
  message with ``[BR-CO-15]``. Both resolve.
- ``"cl:<context>|<value>"``: a code-list assert, found by the end of its
  context path and the value it looks up (``@unitCode``, ``.``). It also
  gives the code list (`cl` id in the codedb file beside the stylesheet).
- ``"fx:<context>|<test>"``: a Factur-X structural assert (cardinality,
  required attribute), found by context and exact test.
- ``"nu:<context>"``: a "marked as not used in the given context" assert.
  These carry no id in the SVRL output: they resolve to ``""``.
- ``"BR-FR-..."``: a BR-FR Flux 2 id (its own stylesheet, all profiles).
- ``"XSD"``: the schema itself (`invoicing.official` reports XSD errors so).

Contexts are written without namespace prefixes, e.g.
``"SpecifiedLineTradeDelivery/BilledQuantity"``, and match the end of the
stylesheet's context on a ``/`` boundary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

from invoicing.profiles import Profile, allowed_paths, br_fr_schematron_path, schematron_path

_XSL = "http://www.w3.org/1999/XSL/Transform"
_SVRL = "http://purl.oclc.org/dsdl/svrl"
_PREFIX = re.compile(r"\b(?:rsm|ram|udt|qdt|xs):")
_BRACKET_ID = re.compile(r"^\s*\[([A-Z][A-Z0-9-]*)\]")
_CODE_LIST = re.compile(r"cl\[@id=(\d+)\]")
_CODE_VALUE = re.compile(r"\$(codeValue\d+)")

NO_ID = ""
"""The id of an official finding whose assert carries none."""


@dataclass(frozen=True, slots=True)
class Assertion:
    official_id: str  # as the SVRL reports it ("" when the assert has none)
    semantic_id: str  # the EN 16931 id it checks, when it names one
    warning: bool
    context: str  # without namespace prefixes, no leading "/"
    test: str
    code_list: str | None  # codedb `cl` id, for code-list asserts
    value: str | None  # what a code-list assert looks up ("@unitCode", ".")


def _normalize_context(match: str) -> str:
    return " ".join(_PREFIX.sub("", match).split()).lstrip("/")


def _assertions(path: Path) -> tuple[Assertion, ...]:
    tree = etree.parse(str(path))
    found: list[Assertion] = []
    for template in tree.iter(f"{{{_XSL}}}template"):
        match = template.get("match")
        if not match:
            continue
        variables = {
            v.get("name"): v.get("select") or ""
            for v in template.iter(f"{{{_XSL}}}variable")
            if v.getparent() is template
        }
        for failed in template.iter(f"{{{_SVRL}}}failed-assert", f"{{{_SVRL}}}successful-report"):
            attributes = {
                a.get("name"): (a.text or "").strip() for a in failed.iter(f"{{{_XSL}}}attribute")
            }
            official_id = attributes.get("id") or failed.get("id") or NO_ID
            flag = (attributes.get("flag") or failed.get("flag") or "").lower()
            text_el = failed.find(f"{{{_SVRL}}}text")
            text = "".join(str(t) for t in text_el.itertext()) if text_el is not None else ""
            bracket = _BRACKET_ID.match(text)
            semantic = official_id
            if bracket and not official_id.startswith(("BR-", "CII-")):
                semantic = bracket.group(1)
            test = " ".join((failed.get("test") or "").split())
            code_list = _CODE_LIST.search(test)
            value_var = _CODE_VALUE.search(test)
            found.append(
                Assertion(
                    official_id=official_id,
                    semantic_id=semantic,
                    warning=flag in {"warning", "information", "info"},
                    context=_normalize_context(match),
                    test=test,
                    code_list=code_list.group(1) if code_list else None,
                    value=variables.get(value_var.group(1)) if value_var else None,
                )
            )
    return tuple(found)


def _ends_with(context: str, suffix: str) -> bool:
    return context == suffix or context.endswith("/" + suffix)


@dataclass(frozen=True, slots=True)
class Resolved:
    official_id: str
    code_list: str | None = None


_PREDICATE = re.compile(r"\[[^\[\]]*\]")


def _element_steps(context: str) -> str:
    """The element path of a context pattern, predicates and attributes removed."""
    previous = None
    while previous != context:  # nested predicates: innermost first
        previous, context = context, _PREDICATE.sub("", context)
    steps = [step for step in context.split("/") if step and not step.startswith("@")]
    return "/".join(steps)


def context_possible(context: str, allowed: frozenset[str]) -> bool:
    """Can the profile's XML (whose element paths are `allowed`) have a node
    matching `context`? Contexts the profile's XSD excludes never fire."""
    if "|" in context:
        return any(context_possible(part.strip(), allowed) for part in context.split("|"))
    tail = context.rsplit("//", 1)[-1]
    path = _element_steps(tail).removeprefix("CrossIndustryInvoice").strip("/")
    if not path or path == "*":
        return True
    if "//" in context or not context.startswith("/"):
        return any(p == path or p.endswith("/" + path) for p in allowed)
    return path in allowed


class Stylesheet:
    """The assertions of one stylesheet and reference resolution over them."""

    def __init__(
        self, assertions: tuple[Assertion, ...], allowed: frozenset[str] | None = None
    ) -> None:
        if allowed is not None:
            assertions = tuple(a for a in assertions if context_possible(a.context, allowed))
        self.assertions = assertions
        self._by_semantic: dict[str, list[Assertion]] = {}
        for assertion in assertions:
            self._by_semantic.setdefault(assertion.semantic_id, []).append(assertion)
        self._cache: dict[str, Resolved | None] = {}

    def resolve(self, reference: str) -> Resolved | None:
        if reference not in self._cache:
            self._cache[reference] = self._resolve(reference)
        return self._cache[reference]

    def _resolve(self, reference: str) -> Resolved | None:
        kind, _, rest = reference.partition(":")
        if kind == "cl" and rest:
            context, _, value = rest.partition("|")
            for assertion in self.assertions:
                if (
                    assertion.code_list
                    and assertion.value == value
                    and _ends_with(assertion.context, context)
                ):
                    return Resolved(assertion.official_id, assertion.code_list)
            return None
        if kind == "fx" and rest:
            context, _, test = rest.partition("|")
            for assertion in self.assertions:
                if assertion.test == test and _ends_with(assertion.context, context):
                    return Resolved(assertion.official_id)
            return None
        if kind == "nu" and rest:
            for assertion in self.assertions:
                if assertion.official_id == NO_ID and _ends_with(assertion.context, rest):
                    return Resolved(NO_ID)
            return None
        candidates = self._by_semantic.get(reference, [])
        errors = [a for a in candidates if not a.warning]
        if errors:
            return Resolved(errors[0].official_id)
        return None

    def test_of(self, semantic_id: str) -> str | None:
        """The XPath test of the (first) assert checking `semantic_id`."""
        candidates = self._by_semantic.get(semantic_id)
        return candidates[0].test if candidates else None


@cache
def profile_stylesheet(profile: Profile) -> Stylesheet:
    """The profile's asserts that can fire on XML its schema allows."""
    return Stylesheet(_assertions(schematron_path(profile)), allowed_paths(profile))


@cache
def _br_fr_assertions() -> tuple[Assertion, ...]:
    return _assertions(br_fr_schematron_path())


@cache
def br_fr_stylesheet(profile: Profile) -> Stylesheet:
    """The BR-FR asserts that can fire on XML the profile's schema allows."""
    return Stylesheet(_br_fr_assertions(), allowed_paths(profile))


def resolve(reference: str, profile: Profile) -> Resolved | None:
    """The official id `reference` has under `profile` (None: not checked there)."""
    if reference == "XSD":
        return Resolved("XSD")
    if reference.startswith("BR-FR-"):
        return br_fr_stylesheet(profile).resolve(reference)
    return profile_stylesheet(profile).resolve(reference)
