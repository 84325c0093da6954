"""Every rule module, imported for the rules it registers, in this order (the
registry keeps it)."""

from __future__ import annotations

from invoicing.rules import (  # noqa: F401
    bounds,
    chorus,
    code_lists,
    conditions,
    core,
    due_dates,
    facturx,
)

# isort: split
from invoicing.rules.french import (  # noqa: F401
    amounts,
    coherence,
    documents,
    parties,
)

# isort: split
from invoicing.rules import (  # noqa: F401
    limits,
    party_ids,
    precision,
)

# isort: split
from invoicing.rules.vat import family_rules  # noqa: F401

# isort: split
from invoicing.rules.vat import category_rules  # noqa: F401
