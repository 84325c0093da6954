"""Row locks in one order: a company first, then its documents.

Finalization locks the company (its journal grows one entry at a time), then
the documents it changes (the invoice a credit note cancels). A flow that locked
a document first and then the company, to chain a journal event (a payment, a
"sent"), would wait on finalization while finalization waits on it: PostgreSQL
aborts one of them. So every flow that locks a document takes its company first.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server.db.tenants import Company


async def lock_company(session: AsyncSession, company_id: int) -> None:
    await session.scalar(select(Company.id).where(Company.id == company_id).with_for_update())
