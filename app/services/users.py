"""User accounts and API tokens."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app import credentials
from app.config import settings
from app.db import utcnow
from app.errors import Conflict, NotFound, Unprocessable
from app.models import ApiToken, Membership, Office, User
from app.schemas import UserCreate
from app.services import access, audit, sessions

ADMIN_USERNAME = "admin"


def create(session: Session, *, actor: User | None, data: UserCreate) -> User:
    """Create a user (admins only; `actor=None` is the command line)."""
    if actor is not None:
        access.require_admin(actor)
    if session.scalar(select(User.id).where(User.username == data.username)) is not None:
        raise Conflict(
            f"Benutzer „{data.username}“ gibt es schon.", f"User '{data.username}' already exists."
        )
    credentials.check_new_password(data.password, user_inputs=(data.username, data.display_name))
    user = User(
        username=data.username,
        display_name=data.display_name or data.username,
        password_hash=credentials.hash_password(data.password),
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
    """Replace a user's password (the user themself, an admin, or the command line).

    Every session and every API token of the user ends with the old password.
    """
    if actor is not None and actor.id != user.id:
        access.require_admin(actor)
    credentials.check_new_password(password, user_inputs=(user.username, user.display_name))
    user.password_hash = credentials.hash_password(password)
    session.flush()
    ended = sessions.end_all(session, user=user)
    audit.record(
        session,
        actor=actor,
        action="user.password",
        entity="user",
        entity_id=user.id,
        after={"ended_sessions_and_tokens": ended},
    )


def change_own_password(
    session: Session, *, user: User, current_password: str, new_password: str
) -> None:
    """The user changes their password, proving the current one."""
    if not credentials.verify_password(user.password_hash, current_password):
        raise Unprocessable(
            "Das bisherige Passwort stimmt nicht.",
            "The current password is wrong.",
            code="wrong_password",
        )
    set_password(session, actor=user, user=user, password=new_password)


def set_active(session: Session, *, actor: User | None, user: User, active: bool) -> None:
    """Activate or deactivate an account (admins); deactivation ends its sessions and tokens."""
    if actor is not None:
        access.require_admin(actor)
        if actor.id == user.id and not active:
            raise Conflict(
                "Sie können Ihr eigenes Konto nicht deaktivieren.",
                "You cannot deactivate your own account.",
            )
    if user.is_active == active:
        return
    user.is_active = active
    session.flush()
    ended = 0 if active else sessions.end_all(session, user=user)
    audit.record(
        session,
        actor=actor,
        action="user.activate" if active else "user.deactivate",
        entity="user",
        entity_id=user.id,
        after={"is_active": active, "ended_sessions_and_tokens": ended},
    )


def get(session: Session, *, actor: User, user_id: int) -> User:
    access.require_admin(actor)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("Diesen Benutzer gibt es nicht.", "No such user.")
    return user


def list_users(session: Session, *, actor: User, limit: int, offset: int) -> tuple[int, list[User]]:
    access.require_admin(actor)
    total = session.scalar(select(func.count()).select_from(User)) or 0
    return total, list(
        session.scalars(select(User).order_by(User.username).limit(limit).offset(offset))
    )


def roles_of(session: Session, *, actor: User, user: User) -> list[tuple[Membership, Office]]:
    """The user's roles, office by office (admins)."""
    access.require_admin(actor)
    rows = session.execute(
        select(Membership, Office)
        .join(Office, Office.id == Membership.office_id)
        .where(Membership.user_id == user.id)
        .order_by(Office.name, Office.id)
    )
    return [(membership, office) for membership, office in rows]


def revoke_role(session: Session, *, actor: User | None, user: User, membership_id: int) -> None:
    """Take a role away from a user (admins; `actor=None` is the command line)."""
    if actor is not None:
        access.require_admin(actor)
    membership = session.get(Membership, membership_id)
    if membership is None or membership.user_id != user.id:
        raise NotFound("Diese Rolle gibt es nicht.", "No such role.")
    session.delete(membership)
    session.flush()
    access.forget_roles(session)
    audit.record(
        session,
        actor=actor,
        action="membership.revoke",
        entity="membership",
        entity_id=membership_id,
        office_id=membership.office_id,
        before={"username": user.username, "role": membership.role},
    )


def by_username(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def token_lifetime(days: int | None) -> timedelta:
    """The lifetime of a new token: `days`, or the default; never more than the admin's maximum."""
    if days is None:
        days = min(settings.token_default_days, settings.token_max_days)
    if not 1 <= days <= settings.token_max_days:
        raise Unprocessable(
            f"Ein Token gilt mindestens 1 und höchstens {settings.token_max_days} Tage.",
            f"A token is valid for at least 1 and at most {settings.token_max_days} days.",
            code="token_lifetime",
        )
    return timedelta(days=days)


def create_token(
    session: Session, *, user: User, name: str = "", lifetime: timedelta | None = None
) -> tuple[ApiToken, str]:
    """Issue an API token for `user` (default lifetime when none is given).

    Returns the row and the plain token, which is shown once and never stored.
    """
    row, token = credentials.issue_token(
        session, user, name=name, lifetime=lifetime or token_lifetime(None)
    )
    audit.record(
        session,
        actor=user,
        action="token.create",
        entity="api_token",
        entity_id=row.id,
        after={"name": name, "user": user.username, "expires_at": str(row.expires_at)},
    )
    return row, token


def list_tokens(
    session: Session, *, actor: User | None, username: str | None = None
) -> list[ApiToken]:
    """The live (neither revoked nor expired) tokens of the actor or, for admins and the command
    line (`actor=None`), of the user `username`."""
    if username is None or (actor is not None and username == actor.username):
        if actor is None:
            raise NotFound("Welcher Benutzer?", "Which user?")
        user = actor
    else:
        if actor is not None:
            access.require_admin(actor)
        found = by_username(session, username)
        if found is None:
            raise NotFound(f"Benutzer „{username}“ gibt es nicht.", f"No user '{username}'.")
        user = found
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .where(or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > utcnow()))
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke_token(session: Session, *, actor: User | None, token_id: int) -> ApiToken:
    """Revoke a token: one's own, or any for admins and the command line (`actor=None`)."""
    row = session.get(ApiToken, token_id)
    if row is None or (actor is not None and row.user_id != actor.id and not actor.is_admin):
        raise NotFound("Dieses Token gibt es nicht.", "No such token.")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.flush()
        audit.record(
            session,
            actor=actor,
            action="token.revoke",
            entity="api_token",
            entity_id=row.id,
            after={"name": row.name},
        )
    return row


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
