"""What every request handler can reach: settings, database, clock, storage, signer,
the work pool."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from editor.work_pool import WorkPool
from server.documents.pdf import DocumentPdfs
from server.editor.tokens import EditorTokens
from server.file_storage import FileStorage
from server.request_limits import PartnerLimits
from server.settings import Settings
from server.verified_keys import VerifiedKeys

Clock = Callable[[], dt.datetime]


@dataclass(frozen=True, slots=True)
class Services:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]  # write transactions
    read_sessions: async_sessionmaker[AsyncSession]  # read-only transactions
    clock: Clock
    storage: FileStorage
    editor_tokens: EditorTokens
    limits: PartnerLimits
    work: WorkPool  # heavy work (PDFs, the official check): other processes, deadlines
    pdfs: DocumentPdfs  # every document PDF goes through it (rendered in `work`)
    verified_keys: VerifiedKeys  # API keys verified lately (a few seconds)
