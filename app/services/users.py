"""User accounts and API tokens."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import auth
from app.errors import Conflict
from app.models import User
from app.schemas import UserCreate
from app.services import access, audit

ADMIN_USERNAME = "admin"


def create(session: Session, *, actor: User | None, data: UserCreate) -> User:
    """Create a user (admins only; `actor=None` is the command line)."""
    if actor is not None:
        access.require_admin(actor)
    if session.scalar(select(User.id).where(User.username == data.username)) is not None:
        raise Conflict(
            f"Benutzer „{data.username}“ gibt es schon.", f"User '{data.username}' already exists."
        )
    user = User(
        username=data.username,
        display_name=data.display_name or data.username,
        password_hash=auth.hash_password(data.password),
        is_admin=data.is_admin,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="user.create",
        entity="user",
        entity_id=user.id,
        after={"username": user.username, "is_admin": user.is_admin},
    )
    return user


def set_password(session: Session, *, actor: User | None, user: User, password: str) -> None:
    """Replace a user's password (the user themself, an admin, or the command line)."""
    if actor is not None and actor.id != user.id:
        access.require_admin(actor)
    UserCreate(username=user.username, password=password)  # same length rules as on creation
    user.password_hash = auth.hash_password(password)
    session.flush()
    audit.record(session, actor=actor, action="user.password", entity="user", entity_id=user.id)


def list_users(session: Session, *, actor: User, limit: int, offset: int) -> tuple[int, list[User]]:
    access.require_admin(actor)
    total = session.scalar(select(func.count()).select_from(User)) or 0
    return total, list(
        session.scalars(select(User).order_by(User.username).limit(limit).offset(offset))
    )


def by_username(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def create_token(
    session: Session, *, user: User, name: str = "", lifetime: timedelta | None = None
) -> str:
    """Issue an API token for `user`; the plain token is returned once and never stored."""
    token = auth.issue_token(session, user, name=name, lifetime=lifetime)
    audit.record(
        session,
        actor=user,
        action="token.create",
        entity="user",
        entity_id=user.id,
        after={"name": name},
    )
    return token


def ensure_admin(session: Session, *, password: str | None) -> str | None:
    """Create the `admin` account on first start. Returns a generated password to print once."""
    if by_username(session, ADMIN_USERNAME) is not None:
        return None
    generated = None
    if not password:
        password = generated = secrets.token_urlsafe(12)
    create(
        session,
        actor=None,
        data=UserCreate(
            username=ADMIN_USERNAME, password=password, display_name="Administrator", is_admin=True
        ),
    )
    return generated
