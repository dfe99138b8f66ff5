"""Tokens: the OAuth2 password flow for scripts and personal API tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form

from app import auth
from app.api.deps import SessionDep
from app.auth import CurrentUser
from app.errors import NotAuthenticated
from app.schemas import TokenCreate, TokenRead
from app.services import users as user_service

router = APIRouter(prefix="/auth", tags=["auth"])

LOGIN_TOKEN_LIFETIME = timedelta(hours=12)


@router.post("/token", response_model=TokenRead)
def token(
    session: SessionDep,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
) -> TokenRead:
    """OAuth2 password flow: exchange username and password for a bearer token (12 h)."""
    user = auth.authenticate(session, username, password)
    if user is None:
        raise NotAuthenticated(
            "Benutzername oder Passwort ist falsch.", "Wrong username or password."
        )
    access_token = user_service.create_token(
        session, user=user, name="login", lifetime=LOGIN_TOKEN_LIFETIME
    )
    return TokenRead(
        access_token=access_token, expires_in=int(LOGIN_TOKEN_LIFETIME.total_seconds())
    )


@router.post("/tokens", response_model=TokenRead, status_code=201)
def create_api_token(session: SessionDep, user: CurrentUser, data: TokenCreate) -> TokenRead:
    """A personal API token for scripts; shown once, stored hashed."""
    lifetime = timedelta(days=data.days) if data.days else None
    value = user_service.create_token(session, user=user, name=data.name, lifetime=lifetime)
    return TokenRead(
        access_token=value, expires_in=int(lifetime.total_seconds()) if lifetime else None
    )
