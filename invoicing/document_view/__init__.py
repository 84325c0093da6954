"""The view of a document the template shows: plain strings, never markup.

Every amount comes from `invoicing.totals.compute_totals`; this package only
formats and arranges. Jinja's autoescaping is what makes user text safe.

`document_view` (in `build`) makes the `DocumentView` (`views`) from a document and
its totals, with builder parts one concern each: the parties and the header
(`header`), lines and amounts (`amounts`), payment and the footer (`payment`).
"""

from invoicing.document_view.build import document_view, stylesheet
from invoicing.document_view.views import DocumentView, LineView, Pairs, PartyView

__all__ = ["DocumentView", "LineView", "Pairs", "PartyView", "document_view", "stylesheet"]
