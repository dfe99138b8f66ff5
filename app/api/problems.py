"""Errors rendered as RFC 9457 problem details (application/problem+json), in German or English."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.errors import AppError

log = logging.getLogger(__name__)


def language(request: Request) -> str:
    """'de' or 'en' by the Accept-Language header (German unless English is preferred)."""
    header = request.headers.get("accept-language", "")
    best: tuple[float, str] = (-1.0, "de")
    for part in header.split(","):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                continue
        primary = tag.strip().lower()[:2]
        if primary in ("de", "en") and weight > best[0]:
            best = (weight, primary)
    return best[1]


def problem(
    request: Request,
    status: int,
    title: str,
    detail: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        **extra,
    }
    return JSONResponse(body, status, headers=headers, media_type="application/problem+json")


def _app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    de = language(request) == "de"
    title = exc.title_de if de else exc.title_en
    return problem(request, exc.status, title, exc.de if de else exc.en, exc.headers, **exc.extra)


def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return problem(
        request, exc.status_code, str(exc.detail), str(exc.detail), getattr(exc, "headers", None)
    )


def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    de = language(request) == "de"
    errors = [
        {"loc": list(e.get("loc", ())), "message": str(e.get("msg", "")), "type": e.get("type")}
        for e in exc.errors()
    ]
    return problem(
        request,
        422,
        "Ungültige Eingabe" if de else "Invalid input",
        "Die Anfrage enthält ungültige Felder." if de else "The request has invalid fields.",
        errors=errors,
    )


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    de = language(request) == "de"
    return problem(
        request,
        500,
        "Interner Fehler" if de else "Internal error",
        "Ein unerwarteter Fehler ist aufgetreten." if de else "An unexpected error occurred.",
    )


def install(app: FastAPI) -> None:
    """Render every error as application/problem+json, never a stack trace."""
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)
