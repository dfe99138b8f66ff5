"""Offices, their members and the processes in them."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.api.deps import PagingDep, SessionDep
from app.api.processes import list_processes, with_etag
from app.auth import CurrentUser
from app.schemas import (
    MemberCreate,
    MemberRead,
    OfficeCreate,
    OfficeRead,
    Page,
    ProcessCreate,
    ProcessRead,
)
from app.services import offices as office_service
from app.services import processes as process_service

router = APIRouter(prefix="/offices", tags=["offices"])


@router.post("", response_model=OfficeRead, status_code=201)
def create_office(session: SessionDep, actor: CurrentUser, data: OfficeCreate) -> OfficeRead:
    return OfficeRead.model_validate(office_service.create(session, actor=actor, data=data))


@router.get("", response_model=Page[OfficeRead])
def list_offices(session: SessionDep, actor: CurrentUser, page: PagingDep) -> Page[OfficeRead]:
    total, offices = office_service.visible(
        session, actor=actor, limit=page.limit, offset=page.offset
    )
    return Page(total=total, items=[OfficeRead.model_validate(o) for o in offices])


@router.get("/{office_id}", response_model=OfficeRead)
def get_office(session: SessionDep, actor: CurrentUser, office_id: int) -> OfficeRead:
    return OfficeRead.model_validate(office_service.get(session, actor=actor, office_id=office_id))


@router.post("/{office_id}/processes", response_model=ProcessRead, status_code=201)
def create_process(
    session: SessionDep, actor: CurrentUser, office_id: int, data: ProcessCreate, response: Response
) -> ProcessRead:
    process = process_service.create(session, actor=actor, office_id=office_id, data=data)
    response.headers["Location"] = f"/api/v1/processes/{process.id}"
    return with_etag(process_service.read(session, actor=actor, process_id=process.id), response)


@router.get("/{office_id}/processes", response_model=Page[ProcessRead])
def list_office_processes(
    session: SessionDep,
    actor: CurrentUser,
    office_id: int,
    page: PagingDep,
    status: str | None = None,
) -> Page[ProcessRead]:
    """The processes of one office (`GET /api/v1/processes?office_id=…`)."""
    return list_processes(session, actor, page, office_id=office_id, status=status)


@router.post("/{office_id}/members", response_model=MemberRead, status_code=201)
def add_member(
    session: SessionDep, actor: CurrentUser, office_id: int, data: MemberCreate
) -> MemberRead:
    membership, user = office_service.grant(session, actor=actor, office_id=office_id, data=data)
    return MemberRead(
        id=membership.id,
        username=user.username,
        display_name=user.display_name,
        office_id=office_id,
        role=data.role,
    )


@router.get("/{office_id}/members", response_model=Page[MemberRead])
def list_members(session: SessionDep, actor: CurrentUser, office_id: int) -> Page[MemberRead]:
    rows = office_service.members(session, actor=actor, office_id=office_id)
    items = [
        MemberRead(
            id=m.id,
            username=u.username,
            display_name=u.display_name,
            office_id=office_id,
            role=m.role,
        )
        for m, u in rows
    ]
    return Page(total=len(items), items=items)
