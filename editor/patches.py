"""Patches: one small change to a raw draft, applied exactly once by sequence number.

A draft is the raw JSON of a document as typed: `set` stores the text the user
typed ("1,5", "12/1") without judging it; parsing and the rules report what is
wrong later. Applying a patch is pure: the input draft is never modified (the
containers along the changed path are copied, the rest is shared).

Sequence numbers make delivery exactly-once: `DraftSession.receive` applies the
next number, acknowledges an old one without applying it again (a resend), and
refuses a gap (the client resends from the last acknowledged number). A patch
that cannot apply (a line index that does not exist) still consumes its number,
so that every replay of the same stream gives the same draft.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from editor.backend import Contact, Product
from editor.paths import PathError, Shape, Token, child_shape, format_path, parse_path, shape_of
from invoicing.limits import MAX_LINES
from invoicing.model import Address, PaymentTerm
from invoicing.payment_terms import text_following

JsonScalar = str | bool | int | None

MAX_LIST_ITEMS = 50
MAX_TEXT = 20_000
# Fields the editor never sets: given by the service (number, seller, kind) or
# not editable in the editor (attachments, references read from imported XML).
READ_ONLY_ROOTS = frozenset(
    {"number", "kind", "type_code", "seller", "supporting_documents", "other_references"}
    | {"imported"}  # what an import read: its stated amounts and leftovers
)


class PatchError(ValueError):
    """A patch that is malformed, or that cannot apply to this draft."""


@dataclass(frozen=True, slots=True)
class SetField:
    seq: int
    path: str
    value: JsonScalar  # "" and None clear the field; None on a list item removes it


@dataclass(frozen=True, slots=True)
class AddLine:
    seq: int
    at: int | None = None  # insert before this index; None: at the end
    product_id: int | None = None
    product: Product | None = None  # resolved from product_id by the live layer


@dataclass(frozen=True, slots=True)
class RemoveLine:
    seq: int
    index: int


@dataclass(frozen=True, slots=True)
class MoveLine:
    seq: int
    index: int
    to: int


@dataclass(frozen=True, slots=True)
class SetCustomer:
    seq: int
    contact_id: int | None  # None: clear the customer
    contact: Contact | None = None  # resolved from contact_id by the live layer


Patch = SetField | AddLine | RemoveLine | MoveLine | SetCustomer


# --- from the wire ------------------------------------------------------------------------


def _int(message: Mapping[str, Any], key: str, *, optional: bool = False) -> int | None:
    value = message.get(key)
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**53:
        raise PatchError(f"`{key}` must be a non-negative integer")
    return value


def _required_int(message: Mapping[str, Any], key: str) -> int:
    value = _int(message, key)
    assert value is not None
    return value


def parse_patch(message: Mapping[str, Any]) -> Patch:
    """A patch from its JSON form, e.g. {"seq": 3, "op": "set", "path":
    "lines[2].quantity", "value": "1,5"}."""
    seq = _required_int(message, "seq")
    if seq < 1:
        raise PatchError("`seq` starts at 1")
    op = message.get("op")
    if op == "set":
        path = message.get("path")
        value = message.get("value")
        if not isinstance(path, str):
            raise PatchError("`path` must be a string")
        if isinstance(value, float):
            raise PatchError("send numbers as text, as typed")
        if not isinstance(value, str | bool | int | None):
            raise PatchError("`value` must be text, a boolean or null")
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise PatchError(f"text longer than {MAX_TEXT} characters")
        check_settable(path)
        return SetField(seq, path, value)
    if op == "add_line":
        return AddLine(
            seq, _int(message, "at", optional=True), _int(message, "product_id", optional=True)
        )
    if op == "remove_line":
        return RemoveLine(seq, _required_int(message, "index"))
    if op == "move_line":
        return MoveLine(seq, _required_int(message, "index"), _required_int(message, "to"))
    if op == "set_customer":
        return SetCustomer(seq, _int(message, "contact_id", optional=True))
    raise PatchError("unknown `op`")


# VAT categories whose rate is fixed (EN 16931 BR-Z/E/AE/IC/G-05, BR-O-05): choosing
# one sets the rate of the same line or allowance, so that no rate error can follow.
FIXED_RATES: Mapping[str, str | None] = {
    "Z": "0", "E": "0", "AE": "0", "K": "0", "G": "0", "O": None,
}  # fmt: skip


# Optional groups that mean nothing once every value is cleared (the payment term: its
# kind, days and date cleared leave no term rather than an invalid one).
CLEARED_GROUPS = frozenset({"payment_term"})


def check_settable(path: str) -> tuple[Token, ...]:
    """The tokens of `path` if a `set` may target it: a leaf field, or a list
    item (to remove it), of a part of the document the editor edits."""
    try:
        tokens = parse_path(path)
        shape = shape_of(tokens)
    except PathError as error:
        raise PatchError(str(error)) from None
    if tokens[0] in READ_ONLY_ROOTS:
        raise PatchError(f"`{tokens[0]}` is not edited here")
    if shape.kind != "leaf" and not isinstance(tokens[-1], int):
        raise PatchError("a patch sets one value: name a field, not a group")
    return tokens


def changed_fields(patch: Patch, before: Mapping[str, Any] | None = None) -> tuple[str, ...]:
    """The editor paths a patch may change (for incremental validation). With the
    draft `before` it, a `set` that created a list item ("notes[0].text" on a draft
    without notes) names that whole item: all of it is new."""
    if isinstance(patch, SetField):
        paths = (patch.path, *_derived_paths(patch))  # they may follow (apply_patch)
        if before is not None:
            created = _created_item(before, parse_path(patch.path))
            if created is not None:
                return (*paths, created)
        return paths
    if isinstance(patch, SetCustomer):
        return ("buyer", "recipient_email")
    return ("lines",)


def _derived_paths(patch: SetField) -> tuple[str, ...]:
    """The fields `apply_patch` may change along with `patch.path`."""
    if patch.path.startswith("payment_term."):
        return ("payment_terms", "due_date")
    if patch.path.endswith(".vat_category"):
        return (patch.path.removesuffix("vat_category") + "vat_rate",)
    return ()


def _value_at(content: Mapping[str, Any], path: str) -> Any:
    node: Any = content
    for token in parse_path(path):
        if isinstance(token, int):
            node = node[token] if isinstance(node, list) and token < len(node) else None
        else:
            node = node.get(token) if isinstance(node, Mapping) else None
    return node


def derived_values(
    patch: Patch, before: Mapping[str, Any], after: Mapping[str, Any]
) -> dict[str, Any] | None:
    """The values a `set` changed besides its own field (the terms text following a
    term, the rate a category fixes), for the form to show them."""
    if not isinstance(patch, SetField):
        return None
    changed = {
        path: _value_at(after, path)
        for path in _derived_paths(patch)
        if _value_at(after, path) != _value_at(before, path)
    }
    return changed or None


def _created_item(before: Mapping[str, Any], tokens: tuple[Token, ...]) -> str | None:
    """The path of the first list item on `tokens` that `before` lacks, if any."""
    node: Any = before
    for depth, token in enumerate(tokens[:-1]):
        if isinstance(token, int):
            if not isinstance(node, list) or token >= len(node):
                return format_path(tokens[: depth + 1])
            node = node[token]
        else:
            node = node.get(token) if isinstance(node, Mapping) else None
    return None


# --- applying ----------------------------------------------------------------------------


def _copy_container(value: Any, shape: Shape) -> Any:
    if shape.kind == "list":
        return list(value) if isinstance(value, list) else []
    return dict(value) if isinstance(value, Mapping) else {}


def _limit(tokens: tuple[Token, ...]) -> int:
    return MAX_LINES if tokens == ("lines",) else MAX_LIST_ITEMS


def _set(
    content: Mapping[str, Any], tokens: tuple[Token, ...], value: JsonScalar
) -> dict[str, Any]:
    root: dict[str, Any] = dict(content)
    node: Any = root
    shape = shape_of(())
    for depth, token in enumerate(tokens[:-1]):
        child = child_shape(shape, token)
        assert child is not None  # checked by check_settable
        if isinstance(token, int):
            if token > len(node):
                raise PatchError(f"no item {format_path(tokens[: depth + 1])}")
            if token == len(node):
                if value is None or value == "":
                    return dict(content)  # clearing a field of an item that does not exist
                if token >= _limit(tokens[:depth]):
                    raise PatchError("too many items")
                node.append({})
        existing = node[token] if isinstance(token, int) else node.get(token)
        copied = _copy_container(existing, child)
        node[token] = copied
        node, shape = copied, child
    last = tokens[-1]
    if isinstance(last, int):
        if value is not None:
            raise PatchError("only null removes a list item")
        if last < len(node):
            del node[last]
        return root
    node[last] = None if value == "" else value
    if tokens[0] in CLEARED_GROUPS and len(tokens) == 2:
        group = root.get(str(tokens[0]))
        if isinstance(group, Mapping) and all(v is None for v in group.values()):
            root[str(tokens[0])] = None  # every value cleared: the group is gone, not invalid
    return root


def _line_from(previous: Mapping[str, Any] | None, product: Product | None) -> dict[str, Any]:
    line: dict[str, Any] = {"quantity": "1", "unit": "C62", "vat_category": "S", "vat_rate": "20"}
    if previous is not None:  # a new line usually has the VAT of the one above
        for key in (
            "vat_category",
            "vat_rate",
            "vat_exemption_reason",
            "vat_exemption_reason_code",
        ):
            if key in previous:
                line[key] = previous[key]
    if product is not None:  # its database id is no item reference ("Réf. 3" on the PDF)
        line.update(
            name=product.name,
            unit=product.unit,
            net_price=str(product.unit_price),
            vat_category=product.vat_category.value,
            vat_rate=None if product.vat_rate is None else str(product.vat_rate),
        )
        if product.description:
            line["description"] = product.description
    return line


def _lines(content: Mapping[str, Any]) -> list[Any]:
    lines = content.get("lines")
    return list(lines) if isinstance(lines, list) else []


def _address(address: Address) -> dict[str, Any]:
    return address.model_dump(mode="json", exclude_none=True)


def buyer_from_contact(contact: Contact) -> dict[str, Any]:
    buyer: dict[str, Any] = {"name": contact.name, "address": _address(contact.address)}
    for key in ("siren", "siret", "vat_id"):
        if getattr(contact, key):
            buyer[key] = getattr(contact, key)
    if contact.siren:
        buyer["electronic_address"] = {"value": contact.siren, "scheme": "0225"}
    if contact.kind == "person":
        buyer["private_person"] = True
    if contact.email:
        buyer["contact"] = {"email": contact.email}
    return buyer


def _terms_text_following(content: dict[str, Any]) -> dict[str, Any]:
    """The payment terms text's words of a term say the term just chosen ("Paiement à
    30 jours par virement." becomes "Paiement à 45 jours fin de mois par virement."),
    as the document prints them (invoicing.payment_terms); a term not complete yet
    leaves the text as it is."""
    text = content.get("payment_terms")
    if not isinstance(text, str) or not text:
        return content
    try:
        term = PaymentTerm.model_validate(content.get("payment_term"))
    except ValueError:
        return content
    following = text_following(text, term)
    return content if following == text else {**content, "payment_terms": following}


def apply_patch(
    content: Mapping[str, Any], contact_id: int | None, patch: Patch
) -> tuple[dict[str, Any], int | None]:
    """(content, contact_id) after `patch`. Raises `PatchError` when it cannot apply."""
    if isinstance(patch, SetField):
        tokens = check_settable(patch.path)
        result = _set(content, tokens, patch.value)
        if tokens[0] == "payment_term":
            # The term gives the due date now: a date typed before (an import, the
            # API) would win over it unseen (invoicing.payment_terms.due_date_of).
            result.pop("due_date", None)
            result = _terms_text_following(result)
        if tokens[-1] == "vat_category" and patch.value in FIXED_RATES:
            result = _set(result, (*tokens[:-1], "vat_rate"), FIXED_RATES[str(patch.value)])
        return result, contact_id
    result = dict(content)
    lines = _lines(content)
    if isinstance(patch, AddLine):
        at = len(lines) if patch.at is None else patch.at
        if at > len(lines) or len(lines) >= MAX_LINES:
            raise PatchError(
                "no room for a line there"
                if at > len(lines)
                else f"at most {MAX_LINES} lines per document (invoicing.limits)"
            )
        if patch.product_id is not None and patch.product is None:
            raise PatchError("the product was not resolved")
        above = lines[at - 1] if at > 0 and isinstance(lines[at - 1], Mapping) else None
        lines.insert(at, _line_from(above, patch.product))
    elif isinstance(patch, RemoveLine):
        if patch.index >= len(lines):
            raise PatchError(f"no line {patch.index}")
        del lines[patch.index]
    elif isinstance(patch, MoveLine):
        if patch.index >= len(lines) or patch.to >= len(lines):
            raise PatchError("no such line")
        lines.insert(patch.to, lines.pop(patch.index))
    else:
        if patch.contact_id is None:
            result["buyer"] = {}
            return result, None
        if patch.contact is None or patch.contact.id != patch.contact_id:
            raise PatchError("the contact was not resolved")
        result["buyer"] = buyer_from_contact(patch.contact)
        if patch.contact.email and not result.get("recipient_email"):
            result["recipient_email"] = patch.contact.email
        return result, patch.contact_id
    result["lines"] = lines
    return result, contact_id


# --- exactly once ------------------------------------------------------------------------

Outcome = Literal["applied", "duplicate", "rejected", "gap"]


@dataclass(frozen=True, slots=True)
class Receipt:
    outcome: Outcome
    seq: int  # the session's last applied seq after this patch
    error: str | None = None


class DraftSession:
    """A draft and the last patch number applied to it."""

    def __init__(self, content: Mapping[str, Any], contact_id: int | None, seq: int) -> None:
        self.content: dict[str, Any] = dict(content)
        self.contact_id = contact_id
        self.seq = seq

    def expects(self, seq: int) -> Literal["next", "duplicate", "gap"]:
        if seq <= self.seq:
            return "duplicate"
        return "next" if seq == self.seq + 1 else "gap"

    def receive(self, patch: Patch) -> Receipt:
        expectation = self.expects(patch.seq)
        if expectation == "duplicate":
            return Receipt("duplicate", self.seq)
        if expectation == "gap":
            return Receipt("gap", self.seq)
        try:
            self.content, self.contact_id = apply_patch(self.content, self.contact_id, patch)
        except PatchError as error:
            self.seq = patch.seq
            return Receipt("rejected", self.seq, str(error))
        self.seq = patch.seq
        return Receipt("applied", self.seq)
