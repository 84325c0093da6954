"""An incremental update appended to a PDF: new or replaced objects, a cross-reference
section for them only, and a trailer pointing back to the previous one (ISO 32000-1
7.5.6; PDF/A allows it).

Rewriting the whole file costs as much as reading every object: Typst's tagged
pages of a 500-line invoice hold ~4,000 structure elements (a megabyte), and
pikepdf took ~200 ms to save them again to change a catalog and two streams.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")


class NotAppendable(ValueError):
    """The PDF does not end with a classic cross-reference table this writer continues."""


@dataclass(frozen=True, slots=True)
class PdfObject:
    number: int
    body: bytes  # what goes between "n 0 obj" and "endobj"


def stream_body(dictionary: bytes, data: bytes) -> bytes:
    """A stream object's body: `dictionary` ("<< ... >>" without /Length) and `data`."""
    assert dictionary.endswith(b">>")
    return dictionary[:-2] + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def previous_xref(pdf: bytes) -> int:
    """Where the last cross-reference table starts; NotAppendable unless it is a
    classic table (an xref stream would need an xref stream after it)."""
    found = _STARTXREF.search(pdf[-64:])
    if found is None:
        raise NotAppendable("no startxref at the end of the file")
    offset = int(found.group(1))
    if not pdf.startswith(b"xref", offset):
        raise NotAppendable("the last cross-reference section is not a table")
    return offset


def append_update(
    pdf: bytes, objects: list[PdfObject], trailer: bytes, size: int, first_id: bytes
) -> bytes:
    """`pdf` followed by `objects`, their cross-reference section and a trailer:
    `trailer` holds /Root and /Info ("<< ... >>" without /Size, /Prev, /ID); `size`
    is one more than the highest object number; `first_id` is the file's permanent
    identifier (the first /ID string), kept as the spec asks; the second changes."""
    prev = previous_xref(pdf)
    out = bytearray(pdf)
    if not out.endswith(b"\n"):
        out += b"\n"
    offsets: dict[int, int] = {}
    for item in sorted(objects, key=lambda item: item.number):
        offsets[item.number] = len(out)
        out += b"%d 0 obj\n" % item.number + item.body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n"
    numbers = sorted(offsets)
    start = 0
    while start < len(numbers):
        end = start
        while end + 1 < len(numbers) and numbers[end + 1] == numbers[end] + 1:
            end += 1
        out += b"%d %d\n" % (numbers[start], end - start + 1)
        for number in numbers[start : end + 1]:
            out += b"%010d 00000 n\r\n" % offsets[number]
        start = end + 1
    changed_id = hashlib.md5(bytes(out)).hexdigest().encode()
    assert trailer.endswith(b">>")
    out += (
        b"trailer\n"
        + trailer[:-2]
        + b" /Size %d /Prev %d /ID [<%s> <%s>] >>\n"
        % (size, prev, first_id.hex().encode(), changed_id)
        + b"startxref\n%d\n%%%%EOF\n" % xref
    )
    return bytes(out)
