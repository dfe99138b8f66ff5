"""Shared request dependencies: the request's database session, paging and upload bodies.

One request is one transaction: services only `flush()`, `get_session` commits once at the end
(before the response is sent) and rolls back on any exception.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import unquote

from fastapi import Depends, Query, Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer, OAuth2PasswordBearer
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from app.api.problems import language
from app.config import settings
from app.db import Database
from app.errors import NotFound, PayloadTooLarge, Unprocessable, UnsupportedMediaType
from app.schemas import INT_MAX, storable_text
from app.services.processes import Upload


def _finish(session: Session, commit: bool) -> None:
    try:
        if commit:
            session.commit()
    finally:
        session.close()


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One transaction per request, committed before the response is sent, rolled back on errors.

    Creating a session does no I/O, so only the end (commit and close), which may block, goes to
    the thread pool (always: skipping the hop for read-only requests saved no measurable CPU,
    ADR 0013).
    """
    database: Database = request.app.state.db
    session = database.session()
    try:
        yield session
    except BaseException:
        await run_in_threadpool(_finish, session, False)
        raise
    await run_in_threadpool(_finish, session, True)


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


# The two ways the OpenAPI document offers to authenticate ("Authorize" in /docs); both send
# `Authorization: Bearer <token>`. Neither refuses a request itself: `app.auth.current_user`
# decides, and also accepts the browser session.
bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    description="An API token (`prozessatlas create-token`, `POST /api/v1/auth/tokens`).",
)
password_flow = OAuth2PasswordBearer(
    tokenUrl="/api/v1/auth/token",
    scheme_name="password",
    description="User name and password, exchanged at `POST /api/v1/auth/token`.",
    auto_error=False,
)
BearerCredentials = Annotated[HTTPAuthorizationCredentials | None, Security(bearer_scheme)]
PasswordFlowToken = Annotated[str | None, Security(password_flow)]


def request_language(request: Request) -> str:
    """'de' or 'en' for the texts of a response, by Accept-Language."""
    return language(request)


LanguageDep = Annotated[str, Depends(request_language)]


def _unstorable(value: str) -> bool:
    try:
        storable_text(value)
    except ValueError:
        return True
    return False


def _refuse(where_de: str, where_en: str, name: str) -> Unprocessable:
    return Unprocessable(
        f"„{name}“ {where_de} enthält ein nicht erlaubtes Zeichen (Steuerzeichen, NUL oder "
        "ungültiges Unicode).",
        f"'{name}' {where_en} contains a character that is not allowed (a control character, "
        "NUL or invalid Unicode).",
        code="forbidden_character",
    )


async def storable_input(request: Request) -> None:
    """Refuse, for every route, what the typed bodies (`app.schemas.Input`) do not see.

    A path, query or form value with a character that cannot be stored is a 422; a number in the
    path beyond the database's integer columns names nothing: 404. JSON bodies are checked by
    their models, multipart fields where they are read (`upload_body`, the models); a
    urlencoded form is small and parsed once (the route's `Form()` parameters reuse it).
    """
    for name, value in request.path_params.items():
        if isinstance(value, str) and _unstorable(value):
            raise _refuse("in der Adresse", "in the address", name)
        digits = str(value).removeprefix("-")
        if digits.isdigit() and len(digits) >= 10 and int(digits) > INT_MAX:
            raise NotFound()
    for name, value in request.query_params.multi_items():
        if _unstorable(name) or _unstorable(value):
            raise _refuse("im Adressparameter", "in the query parameter", name)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/x-www-form-urlencoded":
        form = await request.form()
        for name, field in form.multi_items():
            if isinstance(field, str) and (_unstorable(name) or _unstorable(field)):
                raise _refuse("im Formular", "in the form", name)


@dataclass(frozen=True)
class Paging:
    limit: int
    offset: int


def paging(
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=INT_MAX)] = 0,
) -> Paging:
    return Paging(limit, offset)


PagingDep = Annotated[Paging, Depends(paging)]

XML_TYPES = ("application/xml", "text/xml", "application/bpmn+xml", "application/octet-stream")


def _too_large() -> PayloadTooLarge:
    limit = settings.max_upload_bytes
    return PayloadTooLarge(
        f"Die Datei ist größer als {limit} Bytes.",
        f"The file is larger than {limit} bytes.",
        code="too_large",
    )


async def _read_limited(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > settings.max_upload_bytes:
        raise _too_large()
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > settings.max_upload_bytes:
            raise _too_large()
        chunks.append(chunk)
    return b"".join(chunks)


async def upload_body(request: Request) -> Upload:
    """The BPMN document of a request: a raw XML body or a multipart `file` (with `note`)."""
    content_type = request.headers.get("content-type", "")
    media_type = content_type.split(";")[0].strip().lower()
    note = unquote(request.headers.get("x-change-note", ""))
    if _unstorable(note):
        raise _refuse("in der Kopfzeile", "in the header", "X-Change-Note")
    if media_type == "multipart/form-data":
        try:
            form = await request.form(
                max_files=1, max_fields=20, max_part_size=settings.max_upload_bytes + 1
            )
        except Exception as exc:  # malformed multipart bodies
            raise Unprocessable(
                "Ungültiger Multipart-Inhalt.", "Malformed multipart body."
            ) from exc
        file = form.get("file")
        if not isinstance(file, UploadFile):
            raise Unprocessable("Das Feld „file“ fehlt.", "The form field 'file' is missing.")
        data = await file.read(settings.max_upload_bytes + 1)
        if len(data) > settings.max_upload_bytes:
            raise _too_large()
        form_note = form.get("note")
        if isinstance(form_note, str) and _unstorable(form_note):
            raise _refuse("im Formular", "in the form", "note")
        return Upload(
            xml=data,
            content_type=(file.content_type or "application/xml").split(";")[0].strip()
            or "application/xml",
            filename=file.filename,
            change_note=form_note if isinstance(form_note, str) else note,
        )
    if media_type not in XML_TYPES and not media_type.endswith("+xml"):
        raise UnsupportedMediaType(
            "Erwartet wird BPMN-XML (application/xml) oder ein Multipart-Upload.",
            "Expected BPMN XML (application/xml) or a multipart upload.",
        )
    data = await _read_limited(request)
    stored_type = "application/xml" if media_type == "application/octet-stream" else media_type
    return Upload(xml=data, content_type=stored_type, change_note=note)


UploadDep = Annotated[Upload, Depends(upload_body)]
