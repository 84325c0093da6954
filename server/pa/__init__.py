"""The plateforme agréée (PA) channel: each company's connection to its PA,
the transmission outbox and its worker, the lifecycle statuses received back,
and `blanche pa-sandbox`, the local test double of a PA.

We are a "solution compatible", not a PA: invoices in the e-invoicing scope
reach the tax administration's network only through the company's own PA.
"""
