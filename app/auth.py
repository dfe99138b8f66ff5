"""Credentials: argon2 password hashes, API tokens, browser sessions and their CSRF token.

Who may do what is decided in `app.services.access`, not here.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import Annotated

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import Depends, Request
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from app.api.deps import SessionDep
from app.db import utcnow
from app.errors import Forbidden, NotAuthenticated
from app.models import ApiToken, User

_hasher = PasswordHasher()
# A hash to verify against when the user does not exist, so timing does not reveal usernames.
_DUMMY_HASH = _hasher.hash("prozessatlas-dummy-password")

TOKEN_PREFIX = "pa"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "x-csrf-token"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with this username and password, or None."""
    user = session.scalar(select(User).where(User.username == username))
    if not verify_password(user.password_hash if user else None, password):
        return None
    return user if user is not None and user.is_active else None


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(
    session: Session, user: User, *, name: str = "", lifetime: timedelta | None = None
) -> str:
    """Create an API token for `user` and return it; only its hash is stored, so show it once."""
    lookup = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    expires_at: datetime | None = utcnow() + lifetime if lifetime else None
    session.add(
        ApiToken(
            user_id=user.id,
            name=name,
            lookup=lookup,
            secret_hash=_digest(secret),
            expires_at=expires_at,
        )
    )
    session.flush()
    return f"{TOKEN_PREFIX}_{lookup}_{secret}"


# Built once: every API request runs it, and building it costs as much as running it.
_TOKEN_QUERY = (
    select(ApiToken, User)
    .join(User, User.id == ApiToken.user_id)
    .where(ApiToken.lookup == bindparam("lookup"))
)


def user_for_token(session: Session, token: str) -> User | None:
    prefix, _, rest = token.partition("_")
    lookup, _, secret = rest.partition("_")
    if prefix != TOKEN_PREFIX or not lookup or not secret:
        return None
    row = session.execute(_TOKEN_QUERY, {"lookup": lookup}).first()
    if row is None:
        return None
    api_token, user = row
    if not hmac.compare_digest(api_token.secret_hash, _digest(secret)):
        return None
    if api_token.revoked_at is not None or (
        api_token.expires_at and api_token.expires_at < utcnow()
    ):
        return None
    return user if user.is_active else None


# --- browser sessions -------------------------------------------------------------------------


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def check_csrf(request: Request, submitted: str | None) -> None:
    expected = request.session.get("csrf")
    if (
        not isinstance(expected, str)
        or not submitted
        or not hmac.compare_digest(expected, submitted)
    ):
        raise Forbidden("CSRF-Token fehlt oder ist ungültig.", "Missing or invalid CSRF token.")


def login_session(request: Request, user: User) -> None:
    request.session.clear()
    request.session["user_id"] = user.id
    csrf_token(request)


def logout_session(request: Request) -> None:
    request.session.clear()


def session_user(request: Request, session: Session) -> User | None:
    """The user logged in through the browser session, if any."""
    if "session" not in request.scope:
        return None
    user_id = request.session.get("user_id")
    if not isinstance(user_id, int):
        return None
    user = session.get(User, user_id)
    return user if user is not None and user.is_active else None


def current_user(request: Request, session: SessionDep) -> User:
    """The caller, from a bearer token or the browser session (CSRF-checked on writes)."""
    header = request.headers.get("authorization", "")
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() == "bearer" and credentials:
        user = user_for_token(session, credentials.strip())
        if user is None:
            raise NotAuthenticated(
                "Das Token ist ungültig oder abgelaufen.",
                "The token is invalid or expired.",
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        return user
    user = session_user(request, session)
    if user is None:
        raise NotAuthenticated(headers={"WWW-Authenticate": "Bearer"})
    if request.method not in SAFE_METHODS:
        check_csrf(request, request.headers.get(CSRF_HEADER))
    return user


CurrentUser = Annotated[User, Depends(current_user)]
