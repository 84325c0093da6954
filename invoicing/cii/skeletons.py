"""Parts of the CII tree made by copying a cached skeleton of the same shape.

From Python, lxml makes an element in about a microsecond; it copies a whole
subtree in C for a tenth of that. The writer describes each part of an invoice
(a line, the agreement, the settlement...) as `Steps`: which element under
which, with what text and attributes. `append_part` copies the skeleton of
that shape (made once per thread, already pruned to what the profile allows)
and sets the texts and attribute values. Invoices of one company repeat a few
shapes (a line with a quantity, a price and a VAT rate), so nearly every part
is a copy. `build_part` makes the same part element by element: the tests
check both give the same XML (tests/invoicing/cii/test_skeletons.py).

The profile's rules: `allowed` maps a child's Clark name to the path of local
names it stands for and the children allowed below it. An element the profile
does not allow is dropped, with what it holds; a group left empty by that is
dropped too, unless its path is in `keep_when_empty`.
"""

from __future__ import annotations

import threading
from copy import deepcopy
from dataclasses import dataclass

from lxml import etree
from lxml.etree import _Element

from invoicing.cii.names import NSMAP

TagTree = dict[str, tuple[str, "TagTree"]]
_SubElement = etree.SubElement
_MAX_SHAPES = 512  # per thread; past it the cache starts again (invoices repeat a few shapes)


class Steps:
    """One part of the tree: step 0 is its root; each step names its parent's step."""

    __slots__ = ("attributes", "parents", "tags", "texts")

    def __init__(self, tag: str, text: str | None = None) -> None:
        self.parents: list[int] = [-1]
        self.tags: list[str] = [tag]
        self.texts: list[str | None] = [text]
        self.attributes: list[tuple[int, dict[str, str]]] = []

    def add(
        self, parent: int, tag: str, text: str | None = None, attrs: dict[str, str] | None = None
    ) -> int:
        """A child of step `parent`; its step number."""
        index = len(self.tags)
        self.parents.append(parent)
        self.tags.append(tag)
        self.texts.append(text)
        if attrs:
            self.attributes.append((index, attrs))
        return index

    def shape(self) -> tuple[object, ...]:
        named = tuple((index, tuple(attrs)) for index, attrs in self.attributes)
        return (tuple(self.parents), tuple(self.tags), named)


def _elements(parent: _Element, steps: Steps, with_texts: bool) -> list[_Element]:
    made: list[_Element] = []
    attributes = dict(steps.attributes)
    for index, (above, tag) in enumerate(zip(steps.parents, steps.tags, strict=True)):
        attrs = attributes.get(index)
        holder = parent if above < 0 else made[above]
        element = _SubElement(holder, tag, attrs) if attrs else _SubElement(holder, tag)
        if with_texts and steps.texts[index] is not None:
            element.text = steps.texts[index]
        made.append(element)
    return made


def prune(element: _Element, allowed: TagTree, keep_when_empty: frozenset[str]) -> None:
    """Drop every descendant of `element` the profile does not allow."""
    for child in element:
        found = allowed.get(child.tag)
        if found is None:
            element.remove(child)  # lxml's iteration survives removing the current child
            continue
        if len(child):
            path, below = found
            prune(child, below, keep_when_empty)
            if not len(child) and path not in keep_when_empty:
                element.remove(child)  # emptied by pruning: an empty group is an error


def build_part(
    parent: _Element, steps: Steps, allowed: TagTree, keep_when_empty: frozenset[str]
) -> None:
    """Append the part element by element, then prune it (what skeletons are made of)."""
    holder = etree.Element("holder", nsmap=NSMAP)
    _elements(holder, steps, with_texts=True)
    prune(holder, allowed, keep_when_empty)
    for element in holder:
        parent.append(element)


@dataclass(frozen=True, slots=True)
class _Skeleton:
    root: _Element | None  # None: the profile allows none of it
    texts: tuple[tuple[int, int], ...]  # (step, position in root.iter()) of each kept step
    attributes: tuple[tuple[int, int], ...]  # the same, for steps with attributes


def _skeleton(steps: Steps, allowed: TagTree, keep_when_empty: frozenset[str]) -> _Skeleton:
    holder = etree.Element("holder", nsmap=NSMAP)
    made = _elements(holder, steps, with_texts=False)
    prune(holder, allowed, keep_when_empty)
    if not len(holder):
        return _Skeleton(None, (), ())
    root = holder[0]
    position = {id(element): index for index, element in enumerate(root.iter())}
    kept = [(step, position.get(id(element), -1)) for step, element in enumerate(made)]
    with_attributes = {step for step, _ in steps.attributes}
    return _Skeleton(
        root,
        tuple((step, at) for step, at in kept if at >= 0),
        tuple((step, at) for step, at in kept if at >= 0 and step in with_attributes),
    )


_local = threading.local()


def _cache(allowed: TagTree) -> dict[tuple[object, ...], _Skeleton]:
    caches: dict[int, tuple[TagTree, dict[tuple[object, ...], _Skeleton]]] | None = getattr(
        _local, "caches", None
    )
    if caches is None:
        caches = _local.caches = {}
    entry = caches.get(id(allowed))
    if entry is None or entry[0] is not allowed:
        entry = caches[id(allowed)] = (allowed, {})
    return entry[1]


def append_part(
    parent: _Element, steps: Steps, allowed: TagTree, keep_when_empty: frozenset[str]
) -> None:
    """Append the part to `parent` as `build_part` would, by copying its skeleton."""
    cache = _cache(allowed)
    shape = steps.shape()
    skeleton = cache.get(shape)
    if skeleton is None:
        if len(cache) >= _MAX_SHAPES:
            cache.clear()
        skeleton = cache[shape] = _skeleton(steps, allowed, keep_when_empty)
    if skeleton.root is None:
        return
    copy = deepcopy(skeleton.root)
    parent.append(copy)
    elements = list(copy.iter())
    texts = steps.texts
    for step, at in skeleton.texts:
        text = texts[step]
        if text is not None:
            elements[at].text = text
    if skeleton.attributes:
        values = dict(steps.attributes)
        for step, at in skeleton.attributes:
            element = elements[at]
            for name, value in values[step].items():
                element.set(name, value)
