"""Processes and their versions; every response about a process carries the newest ETag."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response

from app.api.deps import LanguageDep, PagingDep, SessionDep, UploadDep
from app.auth import CurrentUser
from app.bpmn.messages import readable_issue
from app.errors import NotFound
from app.models import Process, ProcessVersion
from app.schemas import Page, ProcessPage, ProcessRead, ProcessUpdate, VersionRead
from app.services import catalogue
from app.services import processes as process_service

router = APIRouter(prefix="/processes", tags=["processes"])

VersionRef = str  # a number, or "latest"


def with_etag(read: ProcessRead, response: Response) -> ProcessRead:
    if read.etag:
        response.headers["ETag"] = read.etag
    return read


def version_read(version: ProcessVersion, author: str | None, lang: str = "de") -> VersionRead:
    return VersionRead(
        process_id=version.process_id,
        number=version.number,
        sha256=version.sha256,
        etag=process_service.etag_of(version.sha256) or "",
        size=version.size,
        content_type=version.content_type,
        filename=version.filename,
        author=author,
        created_at=version.created_at,
        change_note=version.change_note,
        status=version.status,
        xsd_valid=version.xsd_valid,
        errors=[readable_issue(issue, lang) for issue in version.errors or []],
        media_breaks=version.media_break_count,
        automation_candidates=version.candidate_count,
        automation_share=version.automation_share,
    )


def _latest_etag(process: Process, response: Response) -> None:
    if process.latest_sha256:
        response.headers["ETag"] = process_service.etag_of(process.latest_sha256) or ""


@router.get("", response_model=ProcessPage)
def list_processes(
    session: SessionDep,
    actor: CurrentUser,
    page: PagingDep,
    office_id: int | None = None,
    status: str | None = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    archived: Annotated[bool, Query(description="only the archived processes")] = False,
) -> ProcessPage:
    """All processes the caller may see, newest change first, filterable by office and latest
    version status; archived processes only with `archived=true`.

    Page on with `cursor` (the `next_cursor` of the previous page); `offset` works up to 10 000.
    """
    found = catalogue.list_processes(
        session,
        actor=actor,
        office_id=office_id,
        status=status,
        limit=page.limit,
        offset=page.offset,
        cursor=cursor,
        archived=archived,
    )
    return ProcessPage(
        total=found.total,
        total_exact=found.total_exact,
        items=found.items,
        next_cursor=found.next_cursor,
    )


@router.get("/{process_id}", response_model=ProcessRead)
def get_process(
    session: SessionDep, actor: CurrentUser, process_id: int, response: Response
) -> ProcessRead:
    return with_etag(process_service.read(session, actor=actor, process_id=process_id), response)


@router.patch("/{process_id}", response_model=ProcessRead)
def update_process(
    session: SessionDep,
    actor: CurrentUser,
    process_id: int,
    data: ProcessUpdate,
    response: Response,
) -> ProcessRead:
    process_service.update_metadata(session, actor=actor, process_id=process_id, data=data)
    return with_etag(process_service.read(session, actor=actor, process_id=process_id), response)


@router.post("/{process_id}/archive", response_model=ProcessRead)
def archive_process(
    session: SessionDep, actor: CurrentUser, process_id: int, response: Response
) -> ProcessRead:
    """Hide the process from the catalogue and the lists; versions and history stay (owners and
    admins of the office). Archiving an archived process changes nothing."""
    process_service.set_archived(session, actor=actor, process_id=process_id, archived=True)
    return with_etag(process_service.read(session, actor=actor, process_id=process_id), response)


@router.post("/{process_id}/restore", response_model=ProcessRead)
def restore_process(
    session: SessionDep, actor: CurrentUser, process_id: int, response: Response
) -> ProcessRead:
    """Bring an archived process back into the catalogue and the lists."""
    process_service.set_archived(session, actor=actor, process_id=process_id, archived=False)
    return with_etag(process_service.read(session, actor=actor, process_id=process_id), response)


@router.post(
    "/{process_id}/versions",
    response_model=VersionRead,
    status_code=201,
    responses={409: {"description": "If-Match is stale"}, 428: {"description": "If-Match missing"}},
)
def upload_version(
    session: SessionDep,
    actor: CurrentUser,
    process_id: int,
    upload: UploadDep,
    response: Response,
    lang: LanguageDep,
    if_match: Annotated[str | None, Header()] = None,
) -> VersionRead:
    """Store a new version: raw `application/xml` body or multipart `file` (+ `note`).

    From the second version on, `If-Match` must carry the newest version's ETag.
    The change note comes from the multipart field `note` or the header `X-Change-Note`.
    """
    version = process_service.add_version(
        session, actor=actor, process_id=process_id, upload=upload, if_match=if_match
    )
    response.headers["ETag"] = process_service.etag_of(version.sha256) or ""
    response.headers["Location"] = f"/api/v1/processes/{process_id}/versions/{version.number}"
    return version_read(version, actor.username, lang)


@router.get("/{process_id}/versions", response_model=Page[VersionRead])
def list_versions(
    session: SessionDep,
    actor: CurrentUser,
    process_id: int,
    page: PagingDep,
    response: Response,
    lang: LanguageDep,
) -> Page[VersionRead]:
    process, total, versions = process_service.list_versions(
        session, actor=actor, process_id=process_id, limit=page.limit, offset=page.offset
    )
    _latest_etag(process, response)
    authors = process_service.author_names(session, versions)
    return Page(
        total=total, items=[version_read(v, authors.get(v.author_id or 0), lang) for v in versions]
    )


@router.get("/{process_id}/versions/{number}", response_model=VersionRead)
def get_version(
    session: SessionDep,
    actor: CurrentUser,
    process_id: int,
    number: VersionRef,
    response: Response,
    lang: LanguageDep,
) -> VersionRead:
    """Version metadata with its validation errors; `latest` is accepted for the number."""
    process, version, author = process_service.get_version_with_author(
        session, actor=actor, process_id=process_id, number=number
    )
    _latest_etag(process, response)
    return version_read(version, author, lang)


@router.get(
    "/{process_id}/versions/{number}/bpmn",
    response_class=Response,
    responses={200: {"content": {"application/xml": {}}}},
)
def download_version(
    session: SessionDep,
    actor: CurrentUser,
    process_id: int,
    number: VersionRef,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """The stored bytes, exactly as uploaded, with ETag = their sha256."""
    process, version = process_service.get_version(
        session, actor=actor, process_id=process_id, number=number
    )
    etag = process_service.etag_of(version.sha256) or ""
    filename = f"{process.key}-v{version.number}.bpmn"
    headers = {
        "ETag": etag,
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "private, no-cache",
    }
    if if_none_match and etag in {t.strip() for t in if_none_match.split(",")}:
        return Response(status_code=304, headers=headers)
    return Response(version.xml, media_type=version.content_type, headers=headers)


@router.get("/{process_id}/versions/{number}/analysis")
def get_analysis(
    session: SessionDep, actor: CurrentUser, process_id: int, number: VersionRef, response: Response
) -> dict[str, Any]:
    """Media breaks and automation candidates of a version (computed when it was stored)."""
    process, version = process_service.get_version(
        session, actor=actor, process_id=process_id, number=number
    )
    _latest_etag(process, response)
    if version.analysis is None:
        raise NotFound(
            "Für diese Version liegt keine Analyse vor.", "No analysis for this version."
        )
    return {"process_id": process.id, "number": version.number, **version.analysis}


@router.get("/{process_id}/versions/{number}/extraction")
def get_extraction(
    session: SessionDep, actor: CurrentUser, process_id: int, number: VersionRef, response: Response
) -> dict[str, Any]:
    """Element texts, roles, partners, documents and IT systems of a version (extracted when it
    was stored; computed on first read for versions stored before)."""
    process, version, extraction = process_service.get_extraction(
        session, actor=actor, process_id=process_id, number=number
    )
    _latest_etag(process, response)
    return {"process_id": process.id, "number": version.number, **extraction}
