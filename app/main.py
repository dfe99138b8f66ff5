"""The ASGI application."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from app import errors
from app.api import router as api_router
from app.config import ROOT, settings
from app.db import Database


def create_app(database_url: str | None = None) -> FastAPI:
    """Build the app on `database_url` (default: the configured database)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Sync routes run in anyio's thread pool, one thread per database connection: more
        # threads only add GIL contention for CPU-bound lxml and SQLAlchemy work.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.db_pool_size
        yield
        app.state.db.dispose()

    app = FastAPI(
        title="Prozessatlas",
        version="0.1.0",
        description="BPMN 2.0 process repository for city administrations.",
        lifespan=lifespan,
    )
    app.state.db = Database(database_url or settings.database_url)
    errors.install(app)
    app.add_middleware(ConcurrencyLimit, limit=settings.db_pool_size)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key or _secret_from_file(),
        session_cookie="prozessatlas_session",
        same_site="lax",
        https_only=settings.session_cookie_secure,
        max_age=12 * 3600,
    )
    app.include_router(api_router)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        """Liveness and database reachability, for load balancers and the container healthcheck."""
        with app.state.db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return {"status": "ok"}

    static = ROOT / "app" / "static"
    app.mount("/static", StaticFiles(directory=static, check_dir=False), name="static")
    try:
        from app.web import pages
    except ImportError:  # the pages arrive with the web modeler

        @app.get("/", include_in_schema=False)
        def root() -> RedirectResponse:
            return RedirectResponse("/docs")
    else:
        app.include_router(pages.router)
    return app


class ConcurrencyLimit:
    """Admit at most `limit` requests at once; the rest wait here, holding nothing.

    A request keeps its database connection across several thread-pool hops. Without this gate,
    more concurrent requests than pooled connections could fill every pool thread with requests
    waiting for a connection, while the requests holding connections wait for a thread.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.semaphore = asyncio.Semaphore(limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        async with self.semaphore:
            await self.app(scope, receive, send)


def _secret_from_file() -> str:
    """A per-installation session secret kept beside the data, so restarts keep sessions."""
    path = ROOT / "data" / "session.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
