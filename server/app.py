"""The composition root: `create_app(settings)` builds the Starlette application."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.routing import Mount

from editor.parent_origin import ParentOrigins, origin_of
from editor.pool_worker import prewarm
from editor.routes import Editor
from editor.work_pool import WorkPool
from server.api.indexed_router import IndexedRouter
from server.api.routes import api_routes
from server.db.engine import create_engine, read_session_factory, session_factory
from server.db.migrate import upgrade_database
from server.documents.journal import JournalSeal, bind_seal
from server.documents.pdf import DocumentPdfs
from server.editor.backend import DatabaseEditorBackend
from server.editor.logo import logo_routes
from server.editor.pdf import PdfLinks, pdf_routes
from server.editor.tokens import EditorTokens
from server.editor.xml import xml_links, xml_routes
from server.extra_settings import extra_settings
from server.file_storage import DirectoryStorage
from server.problems import (
    Problem,
    http_exception_handler,
    problem_handler,
    unexpected_error_handler,
)
from server.process_tuning import prepare_process
from server.request_limits import PartnerLimits
from server.runtime.lifetime import die_with_parent
from server.services import Clock, Services
from server.settings import Settings
from server.themes.files import theme_file_routes
from server.themes.links import ThemeLinks
from server.verified_keys import VerifiedKeys


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def create_app(
    settings: Settings, *, clock: Clock | None = None, migrate: bool = True
) -> Starlette:
    engine = create_engine(settings.database_url, echo=settings.database_echo)
    sessions = session_factory(engine)
    read_sessions = read_session_factory(engine)
    seal = JournalSeal.for_settings(settings)
    bind_seal(sessions, seal)
    bind_seal(read_sessions, seal)  # verification and export read with it
    work = settings.work
    pool = WorkPool(
        work.workers,
        check_seconds=work.check_seconds,
        pdf_seconds=work.pdf_seconds,
        per_tenant_queue=work.per_partner_queue,
        max_rss_bytes=work.worker_max_mb * 1024 * 1024,
    )
    storage = DirectoryStorage(settings.files_dir)
    services = Services(
        settings=settings,
        engine=engine,
        sessions=sessions,
        read_sessions=read_sessions,
        clock=clock or _utc_now,
        storage=storage,
        editor_tokens=EditorTokens(settings.signing_keys),
        limits=PartnerLimits(settings.limits),
        work=pool,
        pdfs=DocumentPdfs(pool, storage, work.draft_pdf_cache_mb * 1024 * 1024),
        verified_keys=VerifiedKeys(settings.api_key_cache_seconds),
    )

    pdf_links = PdfLinks(settings.signing_keys, settings.public_url)
    editor = Editor(
        DatabaseEditorBackend(
            services,
            pdf_links,
            ThemeLinks(services.storage),
            smtp=lambda: extra_settings(app).smtp,
        ),
        ParentOrigins(settings.signing_keys),
        checker=pool,
        clock=services.clock,
        limits=settings.editor_limits,
        own_origins=frozenset({origin_of(settings.public_url)}),
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if migrate:
            await upgrade_database(engine)
        try:
            yield
        finally:
            await editor.aclose()
            await engine.dispose()

    app = Starlette(
        routes=[
            Mount("/api/v1", app=IndexedRouter(api_routes())),
            *editor.routes,
            *pdf_routes(services, pdf_links),
            *logo_routes(services, pdf_links),
            *xml_routes(services, xml_links(settings.signing_keys, settings.public_url)),
            *theme_file_routes(services),
        ],
        exception_handlers={
            HTTPException: http_exception_handler,
            Problem: problem_handler,
            Exception: unexpected_error_handler,
        },
        lifespan=lifespan,
    )
    app.state.services = services
    app.state.editor = editor
    return app


def app_from_env() -> Starlette:
    """For `uvicorn --factory` (`blanche serve --workers N`): settings from the
    environment, in a process prepared to serve."""
    die_with_parent()  # a uvicorn worker process: gone with the service, even on kill -9
    app = create_app(Settings.from_env())
    prepare_process()
    prewarm()  # the work pool's first worker, in the background
    return app
