"""The theme studio: a Reflex app where partner staff try colours, a logo and a
module name on the real editor, emails and PDF, then publish.

`backend` holds what it does (plain Python over the service's storage);
`app` and `state` are the Reflex UI; `serve` runs it (static build + Reflex
backend in one Starlette process, with our security headers).
"""
