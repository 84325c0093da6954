"""Which of a company's legal notes a document carries, by its buyer.

The late-payment mentions of Code de commerce L441-9 and L441-10 (penalty rate,
fixed 40 € recovery indemnity, D441-5) bind professionals only: a document to a
private person does not carry them. Notes typed on the document itself stay: only
a copy of the company's own B2B-only notes is dropped (docs/decisions.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from invoicing.model import Document, Note, NoteSubject, Party

B2B_ONLY_SUBJECTS = frozenset({NoteSubject.RECOVERY_FEE, NoteSubject.PENALTIES})


def _b2b_only(note: Note) -> bool:
    return note.subject in B2B_ONLY_SUBJECTS


def company_notes_for(buyer: Party, company_notes: Iterable[Note]) -> list[Note]:
    """The company's notes a new document to `buyer` starts with."""
    if not buyer.private_person:
        return list(company_notes)
    return [note for note in company_notes if not _b2b_only(note)]


def without_company_b2b_notes(document: Document, company_notes: Sequence[Note]) -> Document:
    """`document` without the copies of the company's B2B-only notes, if its buyer is
    a private person."""
    if not document.buyer.private_person:
        return document
    copied = {(note.subject, note.text) for note in company_notes if _b2b_only(note)}
    kept = [note for note in document.notes if (note.subject, note.text) not in copied]
    if len(kept) == len(document.notes):
        return document
    return document.model_copy(update={"notes": kept})
