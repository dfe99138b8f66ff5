"""Users (administrators only)."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import PagingDep, SessionDep
from app.auth import CurrentUser
from app.schemas import Page, UserCreate, UserRead
from app.services import users as user_service

router = APIRouter(prefix="/users", tags=["users"])


@router.post("", response_model=UserRead, status_code=201)
def create_user(session: SessionDep, actor: CurrentUser, data: UserCreate) -> UserRead:
    return UserRead.model_validate(user_service.create(session, actor=actor, data=data))


@router.get("", response_model=Page[UserRead])
def list_users(session: SessionDep, actor: CurrentUser, page: PagingDep) -> Page[UserRead]:
    total, users = user_service.list_users(
        session, actor=actor, limit=page.limit, offset=page.offset
    )
    return Page(total=total, items=[UserRead.model_validate(u) for u in users])
