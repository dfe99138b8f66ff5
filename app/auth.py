"""The request side of credentials: the caller from a bearer token or the browser session, CSRF.

Passwords and tokens themselves are in `app.credentials`, sessions and logins in
`app.services.sessions`; who may do what is decided in `app.services.access`.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from app.api.deps import BearerCredentials, PasswordFlowToken, SessionDep
from app.credentials import hash_password as hash_password
from app.credentials import user_for_token
from app.errors import Forbidden, NotAuthenticated
from app.models import User
from app.services import sessions

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "x-csrf-token"
SESSION_KEY = "sid"


def client_address(request: Request) -> str:
    """The client's address (behind a reverse proxy: as uvicorn's proxy headers report it)."""
    return request.client.host if request.client else ""


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


def login_session(request: Request, session: Session, user: User) -> None:
    """Start a server-side session for `user` and put its secret into the signed cookie."""
    request.session.clear()
    request.session[SESSION_KEY] = sessions.start(
        session,
        user=user,
        client=client_address(request),
        user_agent=request.headers.get("user-agent", ""),
    )
    csrf_token(request)


def session_secret(request: Request) -> str | None:
    if "session" not in request.scope:
        return None
    secret = request.session.get(SESSION_KEY)
    return secret if isinstance(secret, str) and secret else None


def logout_session(request: Request, session: Session) -> None:
    """End the session on the server (a replayed cookie is useless) and clear the cookie."""
    secret = session_secret(request)
    if secret is not None:
        sessions.end(session, secret)
    request.session.clear()


def session_user(request: Request, session: Session) -> User | None:
    """The user logged in through the browser session, if the session is still live."""
    secret = session_secret(request)
    if secret is None:
        return None
    found = sessions.lookup(session, secret, touch=request.method not in SAFE_METHODS)
    return found[1] if found is not None else None


def session_id(request: Request, session: Session) -> int | None:
    """The id of the request's live session (to mark it in a list), if any."""
    secret = session_secret(request)
    found = sessions.lookup(session, secret) if secret is not None else None
    return found[0].id if found is not None else None


def current_user(
    request: Request,
    session: SessionDep,
    bearer: BearerCredentials,
    _password_flow: PasswordFlowToken,  # the same header; declared for the OpenAPI document
) -> User:
    """The caller, from a bearer token or the browser session (CSRF-checked on writes)."""
    if bearer is not None and bearer.credentials.strip():
        user = user_for_token(session, bearer.credentials.strip())
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
