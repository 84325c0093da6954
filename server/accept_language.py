"""The language to answer in, from the caller's `Accept-Language`: French or
English, q-values honoured, English when French is not preferred."""

from __future__ import annotations

from invoicing.input_messages import Language

_SUPPORTED: tuple[Language, ...] = ("fr", "en")
_MAX_HEADER = 1000  # a longer header is read up to here


def preferred_language(header: str | None) -> Language:
    """ "fr-CA,fr;q=0.9,en;q=0.8" -> "fr"; "en-GB,fr;q=0.5" -> "en"; None -> "en"."""
    best: Language = "en"
    best_weight = 0.0
    for item in (header or "")[:_MAX_HEADER].split(","):
        tag, _, parameters = item.partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in _SUPPORTED:
            continue
        weight = _weight(parameters)
        if weight > best_weight:  # the first of equal weights wins
            best, best_weight = ("fr" if primary == "fr" else "en"), weight
    return best


def _weight(parameters: str) -> float:
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                weight = float(value.strip())
            except ValueError:
                return 0.0
            return weight if 0.0 <= weight <= 1.0 else 0.0
    return 1.0
