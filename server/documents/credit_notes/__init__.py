"""Credit notes made from an invoice: what each credits, and what is left.

A credit note made by `POST /documents/{id}/credit-note` credits chosen lines
of one invoice (a quantity of each) or everything not credited yet. Its scope
(`DocumentRow.credit_scope`) names the invoice lines and quantities, and
whether it carries the invoice's document-level allowances, charges, prepaid
and rounding amounts (`whole`: the first credit note that takes the rest).

The issued credit notes of an invoice never credit more than it invoiced: per
line (quantities) and in total (the invoice's amount due). Drafts reserve
nothing: the check runs when the draft is made, and again, authoritatively,
when it is finalized, with the invoice row locked.

In this package: `scope` (what a credit note credits, what is left), `content`
(the credit note document), `issue` (the checks at save and finalization, and what
follows on the invoice), `refusals`.
"""
