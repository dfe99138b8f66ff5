"""The HTML error page for browsers: what `app.api.problems` would say as JSON, as a page."""

from __future__ import annotations

import logging

from fastapi import Request
from starlette.responses import Response

from app.api.problems import Problem
from app.auth import session_user
from app.models import User
from app.services import access
from app.web import i18n
from app.web.pages import render

log = logging.getLogger(__name__)


def _user(request: Request, problem: Problem) -> User | None:
    """The logged-in user for the page's header, if the database answers; never an error."""
    if problem.status >= 500 or "session" not in request.scope:
        return None
    try:
        with request.app.state.db.session() as session:
            user = session_user(request, session)
            if user is not None:  # what the navigation offers them (as on every page)
                request.state.may_anywhere = access.anywhere(session, user)
            return user
    except Exception:  # an error page must not fail on its header
        log.debug("no user for the error page", exc_info=True)
        return None


def error_page(request: Request, problem: Problem) -> Response:
    lang = i18n.lang_of(request)
    response = render(
        request,
        "error.html",
        user=_user(request, problem),
        status_code=problem.status,
        status=problem.status,
        title=problem.title(lang),
        message=problem.detail(lang),
        items=list(problem.items(lang)),
        original=problem.original,
    )
    for name, value in (problem.headers or {}).items():
        response.headers[name] = value
    return response
