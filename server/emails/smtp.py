"""Hand a message to the deployment's SMTP relay (smtplib, in a worker thread)."""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage

from starlette.concurrency import run_in_threadpool

from server.extra_settings import SmtpSettings
from server.problems import Problem

logger = logging.getLogger("blanche.emails")


class EmailNotConfigured(Problem):
    def __init__(self) -> None:
        super().__init__(
            409,
            "email_not_configured",
            "Email is not configured",
            "This deployment has no SMTP relay (BLANCHE_SMTP_HOST, BLANCHE_SMTP_FROM).",
        )


class EmailDeliveryFailed(Problem):
    def __init__(self, reason: str) -> None:
        super().__init__(
            502,
            "email_delivery_failed",
            "The email could not be sent",
            f"The mail server did not accept the message ({reason}); try again later.",
        )


def ensure_configured(settings: SmtpSettings) -> None:
    if not settings.configured:
        raise EmailNotConfigured()


def deliver(settings: SmtpSettings, message: EmailMessage) -> None:
    """Blocking: connect, optionally upgrade to TLS and log in, send."""
    ensure_configured(settings)
    context = ssl.create_default_context()
    try:
        smtp: smtplib.SMTP
        if settings.ssl:
            smtp = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=settings.timeout_seconds, context=context
            )
        else:
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_seconds)
        with smtp:
            if settings.starttls and not settings.ssl:
                smtp.starttls(context=context)
            if settings.user:
                smtp.login(settings.user, settings.password)
            refused = smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        reason = type(error).__name__
        if isinstance(error, smtplib.SMTPResponseException):
            reason = f"{error.smtp_code}"
        logger.warning("SMTP delivery failed: %s", error)
        raise EmailDeliveryFailed(reason) from None
    if refused:
        logger.warning("SMTP refused some recipients: %s", sorted(refused))
        raise EmailDeliveryFailed(f"{len(refused)} recipient(s) refused")


async def deliver_async(settings: SmtpSettings, message: EmailMessage) -> None:
    await run_in_threadpool(deliver, settings, message)
