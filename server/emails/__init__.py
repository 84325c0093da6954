"""Branded emails: documents sent to customers, studio login links, new sign-in
notices. HTML + text (Jinja2), the partner's colours, logo (inline, in the
footer) and site; nothing names Blanche. Sent through the deployment's SMTP relay.
"""
