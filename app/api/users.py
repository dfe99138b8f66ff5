"""Users (administrators only): create, list, activate/deactivate, reset password, unlock."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from app.api.deps import PagingDep, SessionDep
from app.auth import CurrentUser
from app.schemas import Page, UserCreate, UserRead, UserUpdate
from app.services import sessions
from app.services import users as user_service

router = APIRouter(prefix="/users", tags=["users"])

UserId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.post("", response_model=UserRead, status_code=201)
def create_user(session: SessionDep, actor: CurrentUser, data: UserCreate) -> UserRead:
    return UserRead.model_validate(user_service.create(session, actor=actor, data=data))


@router.get("", response_model=Page[UserRead])
def list_users(session: SessionDep, actor: CurrentUser, page: PagingDep) -> Page[UserRead]:
    total, users = user_service.list_users(
        session, actor=actor, limit=page.limit, offset=page.offset
    )
    return Page(total=total, items=[UserRead.model_validate(u) for u in users])


@router.patch("/{user_id}", response_model=UserRead)
def update_user(
    session: SessionDep, actor: CurrentUser, user_id: UserId, data: UserUpdate
) -> UserRead:
    """Deactivate or activate an account, or set its password; both end its sessions and tokens."""
    user = user_service.get(session, actor=actor, user_id=user_id)
    if data.password is not None:
        user_service.set_password(session, actor=actor, user=user, password=data.password)
    if data.is_active is not None:
        user_service.set_active(session, actor=actor, user=user, active=data.is_active)
    return UserRead.model_validate(user)


@router.post("/{user_id}/unlock", status_code=204)
def unlock_user(session: SessionDep, actor: CurrentUser, user_id: UserId) -> Response:
    """Lift the login lock and the delays of an account after failed logins."""
    user = user_service.get(session, actor=actor, user_id=user_id)
    sessions.unlock(session, actor=actor, user=user)
    return Response(status_code=204)
