"""The rules engine: rule declarations, the per-profile rule sets, and running them.

A rule is a function of a `Context` (the document and what is derived from
it) yielding `Hit`s; its declaration says what it mirrors (`refs`, see
`invoicing.rules.stylesheets`), which document fields it reads (`reads`, for
incremental re-validation) and what to tell the user (French and English).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, cached_property

from invoicing.model import Document, VatCategory
from invoicing.profiles import Profile
from invoicing.rules.carried import carried
from invoicing.rules.findings import Finding, Severity
from invoicing.rules.stylesheets import resolve
from invoicing.totals import READS, Totals, VatBreakdown, compute_totals


@dataclass(frozen=True, slots=True)
class Hit:
    """One occurrence of a rule's problem. `refs` narrows the rule's official
    references to those this occurrence triggers (None: all of them)."""

    fields: tuple[str, ...]
    refs: tuple[str, ...] | None = None
    params: Mapping[str, object] = field(default_factory=dict)


Check = Callable[["Context"], Iterable[Hit]]


@dataclass(frozen=True, slots=True)
class Rule:
    rule_id: str
    refs: tuple[str, ...]
    reads: tuple[str, ...]
    message_fr: str
    message_en: str
    check: Check
    severity: Severity = Severity.ERROR
    french: bool = False  # only with the French reform option
    chorus: bool = False  # only when the buyer is a French public entity
    quotes: bool = False  # also checked on quotes (most rules are invoice rules)
    family: str = ""
    why: str = ""  # for docs/rules.md: how it differs from the official rule, if it does
    # References whose presence under a profile makes the rule apply there
    # (default: its references other than "XSD", which every profile has).
    needs: tuple[str, ...] = ()
    # A VAT category code: the rule finds nothing in a document without that category
    # (on a line, an allowance or charge, or in the breakdown), and is not run there.
    category: str = ""

    @property
    def applicability(self) -> tuple[str, ...]:
        return self.needs or tuple(r for r in self.refs if r != "XSD")


REGISTRY: dict[str, Rule] = {}


def _module_family(check: Check) -> str:
    """A module's `FAMILY`, else its name: rules are grouped by family in the docs."""
    module = sys.modules.get(check.__module__)
    family = getattr(module, "FAMILY", None)
    return family if isinstance(family, str) else check.__module__.rsplit(".", 1)[-1]


def rule(
    rule_id: str,
    *,
    refs: tuple[str, ...] = (),
    reads: tuple[str, ...],
    fr: str,
    en: str,
    severity: Severity = Severity.ERROR,
    french: bool = False,
    chorus: bool = False,
    quotes: bool = False,
    family: str = "",
    why: str = "",
    needs: tuple[str, ...] = (),
    category: str = "",
) -> Callable[[Check], Check]:
    """Declare and register a rule (ids are unique)."""

    def register(check: Check) -> Check:
        if rule_id in REGISTRY:
            raise ValueError(f"duplicate rule id {rule_id}")
        REGISTRY[rule_id] = Rule(
            rule_id=rule_id,
            refs=refs,
            reads=reads,
            message_fr=fr,
            message_en=en,
            check=check,
            severity=severity,
            french=french,
            chorus=chorus,
            quotes=quotes,
            family=family or _module_family(check),
            why=why,
            needs=needs,
            category=category,
        )
        return check

    return register


# Declared by rules that read how many lines there are, not what they hold:
# adding or removing a line changes "lines" itself, which overlaps it.
LINE_COUNT = "lines.#"

# Declared by rules that read the computed totals (and so the VAT breakdown).
TOTALS_READS = READS


def group_key(category: VatCategory | None, rate: Decimal | None) -> tuple[str, Decimal | None]:
    """The VAT breakdown a line or allowance falls in (as `compute_totals` groups)."""
    return (category or VatCategory.STANDARD).value, (
        rate.normalize() if rate is not None else None
    )


@dataclass(slots=True)
class VatGroup:
    """One VAT breakdown with the lines and document allowances/charges in it."""

    breakdown: VatBreakdown
    category: str  # BT-118
    lines: list[int]
    allowances: list[int]  # indices in document.allowances_charges

    def fields(self, line_field: str, allowance_field: str = "vat_category") -> tuple[str, ...]:
        return tuple(f"lines[{i}].{line_field}" for i in self.lines) + tuple(
            f"allowances_charges[{i}].{allowance_field}" for i in self.allowances
        )


class Context:
    """The document under validation and what the rules derive from it, each
    computed once and only when a rule asks."""

    def __init__(
        self, document: Document, profile: Profile, french: bool, totals: Totals | None = None
    ) -> None:
        self.source = document
        if totals is not None:
            self.__dict__["totals"] = totals  # the caller's, for the same document
        self.doc = carried(document, profile)  # what the profile's XML holds
        self.profile = profile
        self.french = french

    @cached_property
    def totals(self) -> Totals:
        """As the writer computes them: from the whole document."""
        return compute_totals(self.source)

    @cached_property
    def vat_groups(self) -> list[VatGroup]:
        members: dict[tuple[str, Decimal | None], tuple[list[int], list[int]]] = {}
        # From the whole document: the breakdown is computed from every line.
        for index, line in enumerate(self.source.lines):
            members.setdefault(group_key(line.vat_category, line.vat_rate), ([], []))[0].append(
                index
            )
        for index, item in enumerate(self.source.allowances_charges):
            members.setdefault(group_key(item.vat_category, item.vat_rate), ([], []))[1].append(
                index
            )
        groups = []
        for breakdown in self.totals.vat_breakdown:
            lines, allowances = members.get(group_key(breakdown.category, breakdown.rate), ([], []))
            groups.append(VatGroup(breakdown, breakdown.category.value, lines, allowances))
        return groups

    @cached_property
    def groups_by_category(self) -> dict[str, list[VatGroup]]:
        found: dict[str, list[VatGroup]] = {}
        for group in self.vat_groups:
            found.setdefault(group.category, []).append(group)
        return found

    @cached_property
    def lines_by_category(self) -> dict[str, list[int]]:
        """Line indices per VAT category code (BT-151)."""
        found: dict[str, list[int]] = {}
        for index, line in enumerate(self.doc.lines):
            found.setdefault(line.vat_category, []).append(index)
        return found

    @cached_property
    def allowances_by_category(self) -> dict[str, list[int]]:
        """Document-level allowance and charge indices per VAT category (BT-95/102);
        the writer writes S when there is none."""
        found: dict[str, list[int]] = {}
        for index, item in enumerate(self.doc.allowances_charges):
            found.setdefault(item.vat_category or "S", []).append(index)
        return found

    @cached_property
    def categories(self) -> frozenset[str]:
        """The VAT category codes the document uses anywhere."""
        keys = (*self.lines_by_category, *self.allowances_by_category, *self.groups_by_category)
        return frozenset(str(key) for key in keys if key is not None)

    @cached_property
    def issue_date(self) -> dt.date:
        """BT-2 as written: the writer puts today's date when there is none."""
        return self.doc.issue_date or dt.date.today()

    @cached_property
    def type_code(self) -> str:
        return self.doc.effective_type_code

    @cached_property
    def seller_va(self) -> bool:
        return bool(self.doc.seller.vat_id)

    @cached_property
    def seller_fc(self) -> bool:
        return bool(self.doc.seller.tax_registration)

    @cached_property
    def representative_va(self) -> bool:
        representative = self.doc.tax_representative
        return representative is not None and bool(representative.vat_id)

    @cached_property
    def buyer_va(self) -> bool:
        return bool(self.doc.buyer.vat_id)

    @cached_property
    def buyer_legal_id(self) -> bool:
        buyer = self.doc.buyer
        return bool(buyer.siren) or buyer.legal_registration is not None

    @cached_property
    def written_breakdown(self) -> bool:
        """At least one VAT breakdown is written (BG-23)."""
        return bool(self.totals.vat_breakdown)


@dataclass(frozen=True, slots=True)
class ActiveRule:
    rule: Rule
    resolved: Mapping[str, str]  # reference -> official id under this profile


@cache
def rule_set(profile: Profile, french: bool) -> tuple[ActiveRule, ...]:
    """The rules that apply under `profile`: own rules, plus every rule at
    least one of whose references the profile's official rules check."""
    active = []
    for item in REGISTRY.values():
        if item.french and not french:
            continue
        needed = item.applicability
        if needed and all(resolve(reference, profile) is None for reference in needed):
            continue
        resolved: dict[str, str] = {}
        for reference in item.refs:
            found = resolve(reference, profile)
            if found is not None:
                resolved[reference] = found.official_id
        active.append(ActiveRule(item, resolved))
    return tuple(active)


@cache
def lowest_profile(rule_id: str) -> Profile | None:
    """The lowest profile whose official rules check what `rule_id` mirrors."""
    item = REGISTRY[rule_id]
    needed = item.applicability
    if not needed or all(r.startswith("BR-FR-") for r in needed):
        return None
    for profile in Profile:
        if any(resolve(reference, profile) is not None for reference in needed):
            return profile
    return None


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _format(template: str, params: Mapping[str, object]) -> str:
    if not params:
        return template
    return _PLACEHOLDER.sub(lambda m: str(params.get(m.group(1), m.group(0))), template)


def to_finding(active: ActiveRule, hit: Hit) -> Finding | None:
    item = active.rule
    references = item.refs if hit.refs is None else hit.refs
    official = tuple(sorted({active.resolved[r] for r in references if r in active.resolved}))
    if references and not official and item.refs:
        return None  # what this occurrence mirrors is not checked under this profile
    return Finding(
        rule_id=item.rule_id,
        official_ids=official,
        severity=item.severity,
        fields=hit.fields,
        message_fr=_format(item.message_fr, hit.params),
        message_en=_format(item.message_en, hit.params),
        profile=lowest_profile(item.rule_id),
    )


INTERNAL_RULE_ID = "BL-INTERNAL"


def internal_error(rule_id: str) -> Finding:
    """A rule raised (a bug, or amounts beyond what can be computed): say so
    rather than fail the editor's keystroke."""
    return Finding(
        rule_id=INTERNAL_RULE_ID,
        official_ids=(),
        severity=Severity.WARNING,
        fields=(),
        message_fr=f"La vérification {rule_id} n'a pas pu aller au bout ; le contrôle "
        "officiel à l'enregistrement fera foi.",
        message_en=f"Check {rule_id} could not complete; the official check on save will decide.",
    )


@cache
def runnable(profile: Profile, french: bool, chorus: bool, quote: bool) -> tuple[ActiveRule, ...]:
    """`rule_set` narrowed to a document's situation (public buyer, quote)."""
    return tuple(
        active
        for active in rule_set(profile, french)
        if (chorus or not active.rule.chorus) and (not quote or active.rule.quotes)
    )


def run(rules: Iterable[ActiveRule], context: Context) -> list[Finding]:
    """Run `rules` (narrowed with `runnable` to the document's situation)."""
    findings: list[Finding] = []
    for active in rules:
        category = active.rule.category
        if category and category not in context.categories:
            continue
        try:
            for hit in active.rule.check(context):
                finding = to_finding(active, hit)
                if finding is not None:
                    findings.append(finding)
        except Exception:
            findings.append(internal_error(active.rule.rule_id))
    return findings


# --- field paths -------------------------------------------------------------

_INDEX = re.compile(r"\[\d+\]")


def field_pattern(path: str) -> str:
    """'lines[2].quantity' -> 'lines.quantity': the form rules declare in `reads`."""
    return _INDEX.sub("", path)


def overlaps(a: str, b: str) -> bool:
    """Does a change of `a` touch what `b` names (or the reverse)?"""
    if a == b or a == "*" or b == "*":
        return True
    return a.startswith(b + ".") or b.startswith(a + ".")


def reads_any(item: Rule, changed: Iterable[str]) -> bool:
    return any(overlaps(c, r) for c in changed for r in item.reads)
