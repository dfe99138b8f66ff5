"""Tokens: the OAuth2 password flow for scripts, personal API tokens, their list and revocation."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request, Response

from app import auth
from app.api.deps import SessionDep
from app.auth import CurrentUser
from app.schemas import TokenCreate, TokenInfo, TokenRead
from app.services import sessions
from app.services import users as user_service

router = APIRouter(prefix="/auth", tags=["auth"])

LOGIN_TOKEN_LIFETIME = timedelta(hours=12)
TokenId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.post(
    "/token",
    response_model=TokenRead,
    responses={401: {"description": "wrong credentials"}, 429: {"description": "throttled"}},
)
def token(
    request: Request,
    session: SessionDep,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1024)],
) -> TokenRead:
    """OAuth2 password flow: exchange username and password for a bearer token (12 h).

    Failed attempts are throttled per account and client address (429 with `Retry-After`).
    """
    user = sessions.login(
        session,
        username=username,
        password=password,
        client=auth.client_address(request),
        via="token",
    )
    row, access_token = user_service.create_token(
        session, user=user, name="login", lifetime=LOGIN_TOKEN_LIFETIME
    )
    return TokenRead(
        access_token=access_token,
        expires_in=int(LOGIN_TOKEN_LIFETIME.total_seconds()),
        expires_at=row.expires_at,
        id=row.id,
    )


@router.post("/tokens", response_model=TokenRead, status_code=201)
def create_api_token(session: SessionDep, user: CurrentUser, data: TokenCreate) -> TokenRead:
    """A personal API token for scripts; shown once, stored hashed; expires (default 90 days)."""
    lifetime = user_service.token_lifetime(data.days)
    row, value = user_service.create_token(session, user=user, name=data.name, lifetime=lifetime)
    return TokenRead(
        access_token=value,
        expires_in=int(lifetime.total_seconds()),
        expires_at=row.expires_at,
        id=row.id,
    )


@router.get("/tokens", response_model=list[TokenInfo])
def list_tokens(
    session: SessionDep,
    actor: CurrentUser,
    user: Annotated[str | None, Query(max_length=80, description="admins: another user")] = None,
) -> list[TokenInfo]:
    """The caller's live tokens (admins may ask for another user's with `?user=`)."""
    tokens = user_service.list_tokens(session, actor=actor, username=user)
    return [TokenInfo.model_validate(t) for t in tokens]


@router.delete("/tokens/{token_id}", status_code=204)
def revoke_token(session: SessionDep, actor: CurrentUser, token_id: TokenId) -> Response:
    """Revoke a token: one's own (admins: anybody's). It stops working at once."""
    user_service.revoke_token(session, actor=actor, token_id=token_id)
    return Response(status_code=204)
