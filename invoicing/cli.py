"""Invoicing commands of `blanche`: check, read, render, validate, demo-invoice, schema.

Exit codes: 0 fine, 1 the document has errors (or the input is bad), 2 usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from lxml import etree
from pydantic import ValidationError

from invoicing.cii.names import RAM
from invoicing.field_errors import field_errors
from invoicing.limits import line_limit_error, too_many_lines
from invoicing.model import Document
from invoicing.profiles import Profile

_PROFILE_CHOICES = [p.value for p in Profile]


def _print_json(data: Any, out: TextIO = sys.stdout) -> None:
    out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


_UNREADABLE = object()


def _read_json(path: Path) -> Any:
    """The JSON in `path`, or `_UNREADABLE` after saying why it cannot be read."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        print(f"{path}: cannot read JSON: {error}", file=sys.stderr)
        return _UNREADABLE


def _load_document(path: Path, locale: str = "en") -> Document | None:
    """The document in a JSON file, or None after printing field errors."""
    raw = _read_json(path)
    if raw is _UNREADABLE:
        return None
    lines = raw.get("lines") if isinstance(raw, dict) else None
    if isinstance(lines, list) and too_many_lines(len(lines)):
        print(f"{path}: {line_limit_error(len(lines), locale)}", file=sys.stderr)
        return None
    try:
        return Document.model_validate(raw)
    except ValidationError as error:
        for problem in field_errors(error):
            print(f"{path}: {problem}", file=sys.stderr)
        return None


def _extract_xml(data: bytes) -> bytes:
    if data.lstrip()[:5] == b"%PDF-":
        from invoicing.pdf.facturx_reader import xml_from_pdf

        return xml_from_pdf(data)
    return data


def _guess_profile(xml: bytes) -> Profile:
    from invoicing.cii.parsing import hardened_parser

    root = etree.fromstring(xml, hardened_parser())
    guideline = root.findtext(f".//{{{RAM}}}GuidelineSpecifiedDocumentContextParameter/{{{RAM}}}ID")
    return Profile.from_guideline(guideline or "")


def cmd_check(args: argparse.Namespace) -> int:
    from invoicing.official import official_check

    path = Path(args.file)
    try:
        xml = _extract_xml(path.read_bytes())
        profile = Profile(args.profile) if args.profile else _guess_profile(xml)
    except (OSError, ValueError, etree.XMLSyntaxError) as error:
        print(f"{path}: {error}", file=sys.stderr)
        return 1
    result = official_check(xml, profile, french=args.french)
    if args.json:
        _print_json(result.as_dict())
    else:
        print(f"profile: {profile.value}")
        print(f"XSD: {'valid' if result.xsd_valid else 'INVALID'}")
        for finding in result.findings:
            rule = finding.rule_id or "(no id)"
            print(f"{finding.severity.value.upper():7} {rule}: {finding.message}")
            print(f"        at {finding.location}")
        print(f"{len(result.errors)} error(s), {len(result.warnings)} warning(s)")
    return 0 if result.ok else 1


def cmd_read(args: argparse.Namespace) -> int:
    """The document JSON on stdout (with `imported`: the stated amounts and the
    leftovers); on stderr, one `warning:` line per stated amount that EN 16931's
    computation does not reproduce. Differences are reported, not errors: exit 0."""
    from invoicing.amount_warnings import import_report
    from invoicing.cii.parsing import CiiReadError
    from invoicing.cii.reader import read_cii

    path = Path(args.file)
    try:
        result = read_cii(_extract_xml(path.read_bytes()))
    except (OSError, ValueError, CiiReadError) as error:
        print(f"{path}: {error}", file=sys.stderr)
        return 1
    document = result.imported_document
    sys.stdout.write(document.model_dump_json(indent=2, exclude_defaults=True) + "\n")
    report = import_report(document)
    assert report is not None
    for warning in report.warnings:
        print(warning.line_text(), file=sys.stderr)
    if result.leftovers:
        print(
            f"note: {len(result.leftovers)} value(s) the document model has no field for, "
            "kept in imported.leftovers",
            file=sys.stderr,
        )
    return 0


def _fast_errors(document: Document, profile: Profile, french: bool) -> list[str]:
    from invoicing.rules import validate

    return [
        f"{', '.join(f.fields) or '(document)'}: [{f.rule_id}] {f.message_en}"
        for f in validate(document, profile, french=french).errors
    ]


def _import_warnings(document: Document, profile: Profile, french: bool) -> list[str]:
    """For an imported document: what our stricter rules would refuse in a
    typed one (they warn on an import), then the stated amounts that differ."""
    from invoicing.amount_warnings import import_report
    from invoicing.rules import validate

    report = import_report(document)
    if report is None:
        return []
    lenient = [
        f"warning: {', '.join(f.fields) or '(document)'}: [{f.rule_id}] {f.message_en}"
        for f in validate(document, profile, french=french).warnings
        if not f.official_ids
    ]
    return [*lenient, *(warning.line_text() for warning in report.warnings)]


def cmd_render(args: argparse.Namespace) -> int:
    document = _load_document(Path(args.document), args.locale)
    if document is None:
        return 1
    profile = Profile(args.profile)
    if not args.no_check:
        errors = _fast_errors(document, profile, args.french)
        if errors:
            for line in errors:
                print(line, file=sys.stderr)
            print("not written: fix the errors above, or pass --no-check", file=sys.stderr)
            return 1
        for line in _import_warnings(document, profile, args.french):
            print(line, file=sys.stderr)
    out = Path(args.output)
    if out.suffix.lower() == ".xml":
        from invoicing.cii.writer import NotAnInvoiceError, to_xml_bytes

        try:
            data = to_xml_bytes(document, profile)
        except NotAnInvoiceError as error:
            print(f"{args.document}: {error}", file=sys.stderr)
            return 1
    elif out.suffix.lower() == ".pdf":
        from invoicing.pdf.render import render_pdf

        data = render_pdf(document, profile, locale=args.locale)
    else:
        print(f"{out}: the output must end in .pdf or .xml", file=sys.stderr)
        return 2
    out.write_bytes(data)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from invoicing.rules import validate

    raw = _read_json(Path(args.document))
    if raw is _UNREADABLE:
        return 1
    findings = validate(raw, Profile(args.profile), french=args.french)
    if args.json:
        _print_json(findings.as_dicts())
    else:
        for finding in findings:
            where = ", ".join(finding.fields) or "(document)"
            message = finding.message_fr if args.locale == "fr" else finding.message_en
            print(f"{finding.severity.upper():7} {finding.rule_id} {where}: {message}")
        print(f"{len(findings.errors)} error(s), {len(findings.warnings)} warning(s)")
    return 1 if findings.errors else 0


def cmd_demo_invoice(args: argparse.Namespace) -> int:
    from invoicing.pdf.render import render_pdf
    from invoicing.samples import demo_invoice

    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(render_pdf(demo_invoice(), Profile.EN16931, locale=args.locale))
    print(f"wrote {out}")
    return 0


def document_json_schema() -> dict[str, Any]:
    schema = Document.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://blanche.invalid/schemas/document.schema.json"
    return schema


def cmd_schema(args: argparse.Namespace) -> int:
    text = json.dumps(document_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def register_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = commands.add_parser("check", help="official check of a CII XML or Factur-X PDF")
    check.add_argument("file")
    check.add_argument("--profile", choices=_PROFILE_CHOICES, help="default: from the file")
    check.add_argument("--french", action="store_true", help="also run BR-FR (French reform)")
    check.add_argument("--json", action="store_true")
    check.set_defaults(handler=cmd_check)

    read = commands.add_parser("read", help="CII XML or Factur-X PDF -> document JSON")
    read.add_argument("file")
    read.set_defaults(handler=cmd_read)

    render = commands.add_parser("render", help="document JSON -> Factur-X PDF or CII XML")
    render.add_argument("document")
    render.add_argument("output", help="OUT.pdf or OUT.xml")
    render.add_argument("--profile", choices=_PROFILE_CHOICES, default=Profile.EN16931.value)
    render.add_argument("--french", action="store_true", help="apply the French reform rules")
    render.add_argument("--locale", choices=["fr", "en"], default="fr")
    render.add_argument(
        "--no-check", action="store_true", help="write even when the fast rules find errors"
    )
    render.set_defaults(handler=cmd_render)

    validate = commands.add_parser("validate", help="fast rules on a (draft) document JSON")
    validate.add_argument("document")
    validate.add_argument("--profile", choices=_PROFILE_CHOICES, default=Profile.EN16931.value)
    validate.add_argument("--french", action="store_true")
    validate.add_argument("--json", action="store_true")
    validate.add_argument("--locale", choices=["fr", "en"], default="en")
    validate.set_defaults(handler=cmd_validate)

    demo = commands.add_parser("demo-invoice", help="write a demo Factur-X invoice PDF")
    demo.add_argument("output")
    demo.add_argument("--locale", choices=["fr", "en"], default="fr")
    demo.set_defaults(handler=cmd_demo_invoice)

    schema = commands.add_parser("schema", help="JSON Schema of the document JSON")
    schema.add_argument("output", nargs="?")
    schema.set_defaults(handler=cmd_schema)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="blanche-invoicing")
    register_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    result: int = args.handler(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
