"""Every rule module, imported for the rules it registers."""

from __future__ import annotations

from invoicing.rules import (  # noqa: F401
    bounds,
    chorus,
    code_lists,
    conditions,
    core,
    due_dates,
    facturx,
    french_amounts,
    french_coherence,
    french_documents,
    french_parties,
    limits,
    party_ids,
    precision,
    vat,
)
