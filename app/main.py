"""The ASGI application."""

from __future__ import annotations

import gc
import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import Depends, FastAPI
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import Response

from app import migrate
from app.admission import Admission
from app.api import problems
from app.api.deps import storable_input
from app.api.v1 import router as api_router
from app.config import ROOT, settings
from app.db import Database
from app.headers import SecurityHeaders
from app.web import account, glossary_pages, pages, search_pages
from app.web import deps as web_deps
from app.web.errors import error_page

log = logging.getLogger(__name__)


def create_app(database_url: str | None = None) -> FastAPI:
    """Build the app on `database_url` (default: the configured database)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Sync routes run in anyio's thread pool; a few threads suffice for CPU-bound lxml and
        # SQLAlchemy work, more only fight over the GIL (app/admission.py keeps them deadlock-free).
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.worker_threads
        # Everything loaded at start-up lives as long as the process: keep it out of the
        # collector's full passes, which otherwise stall requests for tens of milliseconds.
        gc.freeze()
        yield
        app.state.db.dispose()

    app = FastAPI(
        title="Prozessatlas",
        version="0.1.0",
        description="BPMN 2.0 process repository for city administrations.",
        lifespan=lifespan,
        dependencies=[Depends(storable_input)],  # ADR 0011: nothing unstorable reaches a route
        docs_url=None,  # served below from our own static files: no CDN at run time
        redoc_url=None,
    )
    app.state.db = Database(database_url or settings.database_url)
    problems.install(app, html=error_page)
    web_deps.install(app)  # pages send whoever is not logged in to the login form
    app.add_middleware(
        Admission,
        requests=settings.db_pool_size,
        threads=settings.worker_threads,
        max_body=settings.max_upload_bytes + 1024 * 1024,  # room for multipart framing
    )
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key or _secret_from_file(),
        session_cookie="prozessatlas_session",
        same_site="lax",
        https_only=settings.session_cookie_secure,
        max_age=settings.session_hours * 3600,
    )
    # Outermost: the headers reach every response, also the middlewares' own refusals.
    app.add_middleware(SecurityHeaders, https=settings.session_cookie_secure)
    app.include_router(api_router)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        """The OpenAPI documentation: Swagger UI from npm `swagger-ui-dist` (built into dist/),
        started by app/static/js/docs.js, so the page runs no inline script (CSP, ADR 0012)."""
        html = pages.templates.get_template("docs.html").render(
            config={"openapiUrl": app.openapi_url or "/openapi.json"},
            docs_js="/static/js/docs.js",
        )
        return HTMLResponse(html, headers={"Cache-Control": "no-cache"})

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        """Liveness: the process answers. Touches no database, so a database outage does not
        get the process restarted (that is what /readyz is for)."""
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    def readyz() -> Response:
        """Readiness: the database answers and has every migration applied; 503 otherwise."""
        try:
            with app.state.db.engine.connect() as connection:
                current = migrate.at_head(connection)
        except (DBAPIError, DisconnectionError, PoolTimeout) as exc:
            log.warning("not ready: database unreachable: %s", exc)
            return _not_ready("database unreachable")
        if not current:
            return _not_ready("migrations not at head")
        return JSONResponse({"status": "ok", "database": "ok", "migrations": "current"})

    static = ROOT / "app" / "static"
    app.mount("/static", StaticFiles(directory=static, check_dir=False), name="static")
    app.include_router(account.router)
    app.include_router(glossary_pages.router)
    app.include_router(search_pages.router)
    app.include_router(pages.router)
    return app


def _not_ready(reason: str) -> JSONResponse:
    return JSONResponse(
        {"status": "unavailable", "reason": reason},
        503,
        headers={"Retry-After": str(problems.RETRY_AFTER_SECONDS), "Cache-Control": "no-store"},
    )


def _secret_from_file() -> str:
    """A per-installation session secret kept beside the data, so restarts keep sessions."""
    path = ROOT / "data" / "session.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
