"""The user of a page: one dependency that sends whoever is not logged in to the login form."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from app.api.deps import SessionDep
from app.auth import session_user
from app.models import User
from app.services import access


class LoginRequired(Exception):
    """Nobody is logged in: answered with a redirect to the login form (`next=` the page)."""

    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


def login_url(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"/login?next={quote(target, safe='')}"


def page_user(request: Request, session: SessionDep) -> User:
    """The logged-in user of a page; also keeps, for the navigation, what they may do anywhere."""
    user = session_user(request, session)
    if user is None:
        raise LoginRequired(login_url(request))
    request.state.may_anywhere = access.anywhere(session, user)
    return user


PageUser = Annotated[User, Depends(page_user)]


async def _to_login(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    return RedirectResponse(exc.target, status_code=303)


def install(app: FastAPI) -> None:
    """Answer `LoginRequired` with the redirect."""
    app.add_exception_handler(LoginRequired, _to_login)
