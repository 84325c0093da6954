"""Every rule module, imported for the rules it registers, in this order (the
registry keeps it)."""

from __future__ import annotations

# isort: off
import invoicing.rules.bounds
import invoicing.rules.chorus
import invoicing.rules.code_lists
import invoicing.rules.conditions
import invoicing.rules.core.parties
import invoicing.rules.core.lines
import invoicing.rules.core.payment
import invoicing.rules.due_dates
import invoicing.rules.facturx
import invoicing.rules.french.amounts
import invoicing.rules.french.coherence
import invoicing.rules.french.documents
import invoicing.rules.french.parties
import invoicing.rules.limits
import invoicing.rules.party_ids
import invoicing.rules.precision
import invoicing.rules.vat.family_rules
import invoicing.rules.vat.category_rules  # noqa: F401
# isort: on
