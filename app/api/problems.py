"""Every error as an RFC 9457 problem detail, in German or English; as an HTML page for browsers.

`/api/...` (and clients that ask for JSON) get `application/problem+json`; other paths get the
HTML error page that `install` is given, so a browser never shows a raw problem document. A
database that cannot be reached answers 503 with `Retry-After`, never 500.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import (
    DataError,
    DBAPIError,
    DisconnectionError,
    IntegrityError,
    InterfaceError,
    OperationalError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from app.errors import AppError

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5

# Title and sentence per HTTP status, for errors that carry no words of their own.
_STATUS: dict[int, tuple[str, str, str, str]] = {
    400: (
        "Ungültige Anfrage",
        "Bad request",
        "Die Anfrage ist fehlerhaft.",
        "The request is malformed.",
    ),
    401: (
        "Anmeldung erforderlich",
        "Authentication required",
        "Bitte melden Sie sich an.",
        "Please log in.",
    ),
    403: (
        "Keine Berechtigung",
        "Forbidden",
        "Dafür fehlt Ihnen die Berechtigung.",
        "You are not allowed to do this.",
    ),
    404: (
        "Nicht gefunden",
        "Not found",
        "Diese Adresse gibt es nicht (mehr). Bitte prüfen Sie sie auf Tippfehler.",
        "This address does not exist (any more). Please check it for typos.",
    ),
    405: (
        "Aktion nicht möglich",
        "Method not allowed",
        "Diese Adresse kann so nicht aufgerufen werden (HTTP-Methode {method}).",
        "This address cannot be called like this (HTTP method {method}).",
    ),
    406: (
        "Format nicht verfügbar",
        "Not acceptable",
        "Das gewünschte Antwortformat gibt es hier nicht.",
        "The requested response format is not available here.",
    ),
    413: (
        "Datei zu groß",
        "Payload too large",
        "Die Anfrage ist zu groß.",
        "The request is too large.",
    ),
    415: (
        "Nicht unterstützter Inhaltstyp",
        "Unsupported media type",
        "Dieser Inhaltstyp wird hier nicht angenommen.",
        "This content type is not accepted here.",
    ),
    422: (
        "Ungültige Eingabe",
        "Invalid input",
        "Die Anfrage enthält ungültige Angaben.",
        "The request has invalid values.",
    ),
    429: (
        "Zu viele Anfragen",
        "Too many requests",
        "Bitte warten Sie einen Moment und versuchen Sie es dann erneut.",
        "Please wait a moment and try again.",
    ),
    500: (
        "Interner Fehler",
        "Internal error",
        "Ein unerwarteter Fehler ist aufgetreten.",
        "An unexpected error occurred.",
    ),
    503: (
        "Vorübergehend nicht verfügbar",
        "Service unavailable",
        "Die Datenbank ist gerade nicht erreichbar. Bitte versuchen Sie es in einigen Sekunden "
        "erneut; es wurde nichts gespeichert.",
        "The database cannot be reached right now. Please try again in a few seconds; nothing "
        "was saved.",
    ),
}


# RFC 9457 problem details as every error of the API answers, for the OpenAPI document: written
# out (no `$ref`s), so it can stand inline under each response.
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Problem",
    "required": ["type", "title", "status", "detail", "instance"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string", "description": "German or English, by Accept-Language"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "code": {"type": "string", "description": "a stable name of the reason, where known"},
        "errors": {
            "type": "array",
            "description": "one entry per invalid field (422)",
            "items": {
                "type": "object",
                "required": ["loc", "message"],
                "properties": {
                    "loc": {"type": "array", "items": {"type": ["string", "integer"]}},
                    "message": {"type": "string"},
                    "type": {"type": ["string", "null"]},
                },
            },
        },
    },
    "additionalProperties": True,
}


def _documented(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": PROBLEM_SCHEMA}},
    }


# The error answers every API operation may give, declared once for the whole API.
RESPONSES: dict[int | str, dict[str, Any]] = {
    401: _documented("Not authenticated (problem details)"),
    403: _documented("Not allowed (problem details)"),
    404: _documented("Not found (problem details)"),
    422: _documented("Invalid input, with one entry per invalid field (problem details)"),
    503: _documented("Database unreachable; try again after `Retry-After` seconds"),
}


def document_problems(app: FastAPI) -> None:
    """Every error answer an operation declares (`responses={409: ...}` on a route, too) gets the
    problem document as its content in the OpenAPI document."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            for item in schema.get("paths", {}).values():
                for operation in item.values():
                    for status, response in operation.get("responses", {}).items():
                        if status[:1] in ("4", "5") and "content" not in response:
                            response["content"] = _documented("")["content"]
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


@dataclass(frozen=True)
class Problem:
    """What went wrong, in both languages, before it is rendered as JSON or as a page."""

    status: int
    title_de: str
    title_en: str
    detail_de: str
    detail_en: str
    headers: Mapping[str, str] | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    # one line per invalid field, shown as a list on the HTML page
    items_de: Sequence[str] = ()
    items_en: Sequence[str] = ()
    original: str | None = None  # technical text (libxml2's), shown beneath on the page

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_de

    def detail(self, lang: str) -> str:
        return self.detail_en if lang == "en" else self.detail_de

    def items(self, lang: str) -> Sequence[str]:
        return self.items_en if lang == "en" else self.items_de


HtmlRenderer = Callable[[Request, Problem], Response]


def for_status(status: int, headers: Mapping[str, str] | None = None, **values: str) -> Problem:
    title_de, title_en, de, en = _STATUS.get(status, _STATUS[500 if status >= 500 else 400])
    return Problem(status, title_de, title_en, de.format(**values), en.format(**values), headers)


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


def wants_html(request: Request) -> bool:
    """A browser's page request: not under /api, and not a client that asks for JSON only."""
    path = request.url.path
    if path == "/api" or path.startswith("/api/") or path == "/openapi.json":
        return False
    accept = request.headers.get("accept", "").lower()
    return "text/html" in accept or "json" not in accept


def _clean(value: Any) -> Any:
    """The value with lone surrogates replaced, so that it can always be encoded as UTF-8."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, Mapping):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def problem_json(request: Request, problem: Problem) -> JSONResponse:
    lang = language(request)
    body = {
        "type": "about:blank",
        "title": problem.title(lang),
        "status": problem.status,
        "detail": problem.detail(lang),
        "instance": request.url.path,
        **problem.extra,
    }
    return JSONResponse(
        _clean(body),
        problem.status,
        headers=dict(problem.headers) if problem.headers else None,
        media_type="application/problem+json",
    )


# --- validation errors in words ------------------------------------------------------------------

# pydantic's error types, said for a clerk: (German, English); `{...}` from the error's context.
_FIELD_ERRORS: dict[str, tuple[str, str]] = {
    "missing": ("fehlt", "is missing"),
    "int_parsing": ("muss eine ganze Zahl sein", "must be a whole number"),
    "int_type": ("muss eine ganze Zahl sein", "must be a whole number"),
    "int_from_float": ("muss eine ganze Zahl sein", "must be a whole number"),
    "float_parsing": ("muss eine Zahl sein", "must be a number"),
    "float_type": ("muss eine Zahl sein", "must be a number"),
    "bool_parsing": ("muss true oder false sein", "must be true or false"),
    "bool_type": ("muss true oder false sein", "must be true or false"),
    "string_type": ("muss ein Text sein", "must be a text"),
    "list_type": ("muss eine Liste sein", "must be a list"),
    "dict_type": ("muss ein JSON-Objekt sein", "must be a JSON object"),
    "model_attributes_type": ("muss ein JSON-Objekt sein", "must be a JSON object"),
    "json_invalid": ("ist kein gültiges JSON", "is not valid JSON"),
    "json_type": ("ist kein gültiges JSON", "is not valid JSON"),
    "greater_than": ("muss größer als {gt} sein", "must be greater than {gt}"),
    "greater_than_equal": ("muss mindestens {ge} sein", "must be at least {ge}"),
    "less_than": ("muss kleiner als {lt} sein", "must be less than {lt}"),
    "less_than_equal": ("darf höchstens {le} sein", "must be at most {le}"),
    "string_too_short": (
        "muss mindestens {min_length} Zeichen lang sein",
        "must be at least {min_length} characters long",
    ),
    "string_too_long": (
        "darf höchstens {max_length} Zeichen lang sein",
        "must be at most {max_length} characters long",
    ),
    "too_short": (
        "muss mindestens {min_length} Einträge haben",
        "must have at least {min_length} entries",
    ),
    "too_long": (
        "darf höchstens {max_length} Einträge haben",
        "must have at most {max_length} entries",
    ),
    "string_pattern_mismatch": (
        "hat nicht das erwartete Format",
        "does not have the expected format",
    ),
    "enum": ("muss einer dieser Werte sein: {expected}", "must be one of: {expected}"),
    "literal_error": ("muss einer dieser Werte sein: {expected}", "must be one of: {expected}"),
    "extra_forbidden": ("ist hier nicht vorgesehen", "is not expected here"),
    "datetime_parsing": ("ist kein gültiger Zeitpunkt", "is not a valid date and time"),
    "date_parsing": ("ist kein gültiges Datum", "is not a valid date"),
    "url_parsing": ("ist keine gültige Adresse", "is not a valid address"),
    "int_out_of_range": (
        "muss zwischen -{le} und {le} liegen",
        "must lie between -{le} and {le}",
    ),
    "string_unicode": (
        "enthält ungültiges Unicode (ein einzelnes Ersatzzeichen)",
        "contains invalid Unicode (a lone surrogate)",
    ),
    "text_forbidden_character": (
        "enthält ein nicht erlaubtes Zeichen (Steuerzeichen, NUL oder ungültiges Unicode)",
        "contains a character that is not allowed (a control character, NUL or invalid Unicode)",
    ),
}
_PLACES = {
    "path": ("in der Adresse", "in the address"),
    "query": ("im Adressparameter", "in the query parameter"),
    "body": ("im Feld", "in the field"),
    "header": ("in der Kopfzeile", "in the header"),
    "cookie": ("im Cookie", "in the cookie"),
}


def _field_name(loc: Sequence[Any]) -> tuple[str, str]:
    place, *rest = loc if loc else ("body",)
    name = ".".join(str(part) for part in rest)
    return str(place), name


class _Context(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "…"


def field_error(error: Mapping[str, Any]) -> tuple[str, str]:
    """One pydantic error as a German and an English line: where, which field, what is wrong."""
    kind = str(error.get("type", ""))
    context = _Context({str(k): str(v) for k, v in (error.get("ctx") or {}).items()})
    de, en = _FIELD_ERRORS.get(kind, ("ist ungültig", "is invalid"))
    de, en = de.format_map(context), en.format_map(context)
    place, name = _field_name(list(error.get("loc", ())))
    where_de, where_en = _PLACES.get(place, ("im Feld", "in the field"))
    if not name:
        return f"Der Inhalt der Anfrage {de}.", f"The request body {en}."
    return f"„{name}“ {where_de} {de}.", f"'{name}' {where_en} {en}."


def validation_problem(errors: Sequence[Mapping[str, Any]], lang: str) -> Problem:
    lines = [field_error(e) for e in errors]
    items = [
        {
            "loc": [_clean(part) for part in e.get("loc", ())],
            "message": de if lang == "de" else en,
            "type": e.get("type"),
        }
        for e, (de, en) in zip(errors, lines, strict=True)
    ]
    first_de, first_en = lines[0] if lines else ("", "")
    more = len(lines) > 1
    return Problem(
        422,
        "Ungültige Eingabe",
        "Invalid input",
        ("Die Anfrage enthält ungültige Angaben: " if more else "Ungültige Angabe: ") + first_de,
        ("The request has invalid values: " if more else "Invalid value: ") + first_en,
        extra={"errors": items},
        items_de=[de for de, _ in lines] if more else (),
        items_en=[en for _, en in lines] if more else (),
    )


# --- the handlers ---------------------------------------------------------------------------------


def _app_problem(exc: AppError) -> Problem:
    original = exc.extra.get("original")
    return Problem(
        exc.status,
        exc.title_de,
        exc.title_en,
        exc.de,
        exc.en,
        exc.headers,
        exc.extra,
        original=str(original) if original else None,
    )


def _http_problem(request: Request, exc: StarletteHTTPException) -> Problem:
    headers = getattr(exc, "headers", None)
    base = for_status(exc.status_code, headers, method=request.method)
    try:
        phrase = HTTPStatus(exc.status_code).phrase
    except ValueError:
        phrase = ""
    detail = str(exc.detail or "")
    if detail and detail != phrase:  # words of its own (in English: Starlette's or a library's)
        return Problem(
            exc.status_code, base.title_de, base.title_en, base.detail_de, detail, headers
        )
    return base


def install(app: FastAPI, html: HtmlRenderer | None = None) -> None:
    """Render every error as a problem detail (or, for browsers, with `html`), never a trace."""
    document_problems(app)

    def respond(request: Request, problem: Problem) -> Response:
        if html is not None and wants_html(request):
            try:
                return html(request, problem)
            except Exception:  # the page itself failed: the problem document still answers
                log.exception("error page failed on %s", request.url.path)
        return problem_json(request, problem)

    def app_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, AppError)
        return respond(request, _app_problem(exc))

    def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        return respond(request, _http_problem(request, exc))

    def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        lang = language(request)
        return respond(request, validation_problem(list(exc.errors()), lang))

    def database_unavailable(request: Request, exc: Exception) -> Response:
        if isinstance(exc, DBAPIError) and not _is_unavailable(exc):
            return unexpected(request, exc)
        log.error("database unavailable on %s %s: %s", request.method, request.url.path, exc)
        return respond(request, unavailable())

    def unstorable(request: Request, exc: Exception) -> Response:
        # The safety net behind the typed inputs (ADR 0011): a value the database cannot hold
        # (a number beyond its integer columns, NUL, invalid Unicode) reached a statement.
        log.warning("unstorable value on %s %s: %r", request.method, request.url.path, exc)
        return respond(
            request,
            Problem(
                422,
                "Ungültige Eingabe",
                "Invalid input",
                "Die Anfrage enthält einen Wert, der nicht gespeichert werden kann (eine zu große "
                "Zahl oder ein nicht erlaubtes Zeichen).",
                "The request holds a value that cannot be stored (a number that is too large or "
                "a character that is not allowed).",
                extra={"code": "unstorable_value"},
            ),
        )

    def conflict(request: Request, exc: Exception) -> Response:
        # Two requests met at a unique or foreign key (a race the services' checks cannot close).
        log.warning("integrity conflict on %s %s: %s", request.method, request.url.path, exc)
        return respond(
            request,
            Problem(
                409,
                "Konflikt",
                "Conflict",
                "Der Eintrag existiert bereits oder wurde gleichzeitig geändert; es wurde nichts "
                "gespeichert. Bitte laden Sie neu und versuchen Sie es erneut.",
                "The entry already exists or was changed at the same time; nothing was saved. "
                "Please reload and try again.",
                extra={"code": "integrity_conflict"},
            ),
        )

    def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return respond(request, for_status(500))

    app.add_exception_handler(AppError, app_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    for database_error in (DBAPIError, DisconnectionError, PoolTimeout):
        app.add_exception_handler(database_error, database_unavailable)
    for unstorable_error in (DataError, OverflowError, UnicodeEncodeError):
        app.add_exception_handler(unstorable_error, unstorable)
    app.add_exception_handler(IntegrityError, conflict)
    app.add_exception_handler(Exception, unexpected)


def unavailable() -> Problem:
    return for_status(503, {"Retry-After": str(RETRY_AFTER_SECONDS)})


def _is_unavailable(exc: DBAPIError) -> bool:
    """Whether a database error means "not reachable now" rather than a bug in a statement."""
    if exc.connection_invalidated:
        return True
    return isinstance(exc, OperationalError | InterfaceError)
