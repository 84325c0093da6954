"""Work orders from a field-service app made into draft invoices (`orders`), and the
partner's settings for them (`settings`)."""
