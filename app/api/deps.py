"""Shared request parameters: paging and upload bodies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import unquote

from fastapi import Depends, Query, Request
from starlette.datastructures import UploadFile

from app.config import settings
from app.errors import PayloadTooLarge, Unprocessable, UnsupportedMediaType
from app.services.processes import Upload


@dataclass(frozen=True)
class Paging:
    limit: int
    offset: int


def paging(
    limit: Annotated[int, Query(ge=1, le=500)] = 50, offset: Annotated[int, Query(ge=0)] = 0
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
