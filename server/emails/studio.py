"""The studio's emails: a sign-in link, and the notice of a new sign-in."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from server.db.tenants import Partner
from server.emails.branding import load_branding
from server.emails.message import build_message, sender_address
from server.emails.render import render_login_link, render_new_login
from server.emails.smtp import deliver_async
from server.extra_settings import SmtpSettings
from server.file_storage import FileStorage


async def send_login_link(
    session: AsyncSession,
    storage: FileStorage,
    smtp: SmtpSettings,
    partner: Partner,
    *,
    to: str,
    url: str,
    minutes: int,
    locale: str,
    now: dt.datetime,
) -> None:
    brand = await load_branding(session, storage, partner)
    rendered = render_login_link(brand, url, minutes, locale=locale)
    sender = sender_address(brand.module_name, smtp.from_address)
    message = build_message(rendered, sender=sender, to=[to], automatic=True, now=now)
    await deliver_async(smtp, message)


async def send_new_login_notice(
    session: AsyncSession,
    storage: FileStorage,
    smtp: SmtpSettings,
    partner: Partner,
    *,
    to: str,
    locale: str,
    now: dt.datetime,
) -> None:
    brand = await load_branding(session, storage, partner)
    rendered = render_new_login(brand, now, locale=locale)
    sender = sender_address(brand.module_name, smtp.from_address)
    message = build_message(rendered, sender=sender, to=[to], automatic=True, now=now)
    await deliver_async(smtp, message)
