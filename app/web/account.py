"""Pages of accounts: login and logout, "Meine Zugänge" (tokens, sessions, password) and the
administration of users and their roles under /admin.

Every form carries the session's CSRF token; who may do what is decided in the services.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.api.deps import SessionDep
from app.auth import (
    check_csrf,
    client_address,
    login_session,
    logout_session,
    session_id,
    session_user,
)
from app.config import settings
from app.errors import AppError, Forbidden
from app.models import Role, User
from app.schemas import MemberCreate, UserCreate
from app.services import offices as office_service
from app.services import sessions
from app.services import users as user_service
from app.web import i18n
from app.web.deps import page_user
from app.web.pages import _error_page, _login_redirect, _safe_next, render

router = APIRouter(include_in_schema=False)

Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
CsrfField = Annotated[str, Form(max_length=200)]

# Messages after a redirect (`?done=`): a fixed set of keys, never text from the query.
DONE = frozenset(
    {
        "token_revoked",
        "session_ended",
        "password_changed",
        "user_created",
        "user_activated",
        "user_deactivated",
        "user_unlocked",
        "password_reset",
        "role_granted",
        "role_revoked",
    }
)


def _message(request: Request, exc: AppError) -> str:
    return exc.en if i18n.lang_of(request) == "en" else exc.de


def _done(request: Request) -> str | None:
    key = request.query_params.get("done")
    return i18n.translator(i18n.lang_of(request))(key) if key in DONE else None


def _redirect(path: str, done: str) -> RedirectResponse:
    return RedirectResponse(f"{path}?done={done}", status_code=303)


# --- login ------------------------------------------------------------------------------------


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, session: SessionDep, next: str | None = None) -> Response:
    user = session_user(request, session)
    if user is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(
        request,
        "login.html",
        user=None,
        next=_safe_next(next),
        error=None,
        logged_out=request.query_params.get("logged_out") == "1",
    )


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    session: SessionDep,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf_token: CsrfField = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    t = i18n.translator(i18n.lang_of(request))

    def again(status_code: int, error: str, headers: dict[str, str] | None = None) -> Response:
        response = render(
            request,
            "login.html",
            user=None,
            status_code=status_code,
            next=_safe_next(next),
            error=error,
            username=username,
            logged_out=False,
        )
        response.headers.update(headers or {})
        return response

    try:
        check_csrf(request, csrf_token)
    except Forbidden:
        return again(403, t("csrf_failed"))
    try:
        user = sessions.login(
            session,
            username=username.strip(),
            password=password,
            client=client_address(request),
            via="form",
        )
    except AppError as exc:
        return again(exc.status, _message(request, exc), exc.headers)
    login_session(request, session, user)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, session: SessionDep, csrf_token: CsrfField = "") -> Response:
    try:
        check_csrf(request, csrf_token)
    except Forbidden:
        return RedirectResponse("/", status_code=303)
    logout_session(request, session)
    return RedirectResponse("/login?logged_out=1", status_code=303)


# --- Meine Zugänge ----------------------------------------------------------------------------


def _account_page(
    request: Request,
    session: SessionDep,
    user: User,
    *,
    status_code: int = 200,
    error: str | None = None,
    new_token: str | None = None,
    form: dict[str, Any] | None = None,
) -> HTMLResponse:
    return render(
        request,
        "account.html",
        user=user,
        status_code=status_code,
        tokens=user_service.list_tokens(session, actor=user),
        sessions=sessions.live(session, user=user),
        current_session=session_id(request, session),
        default_days=min(settings.token_default_days, settings.token_max_days),
        max_days=settings.token_max_days,
        error=error,
        done=_done(request),
        new_token=new_token,
        form=form or {},
    )


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, session: SessionDep) -> Response:
    user = page_user(request, session)
    return _account_page(request, session, user)


@router.post("/account/tokens", response_class=HTMLResponse)
def create_token(
    request: Request,
    session: SessionDep,
    name: Annotated[str, Form(max_length=120)] = "",
    days: Annotated[int | None, Form(ge=1, le=36_500)] = None,
    csrf_token: CsrfField = "",
) -> Response:
    user = page_user(request, session)
    form = {"name": name, "days": days}
    try:
        check_csrf(request, csrf_token)
        lifetime = user_service.token_lifetime(days)
        _, token = user_service.create_token(
            session, user=user, name=name.strip(), lifetime=lifetime
        )
    except AppError as exc:
        return _account_page(
            request, session, user, status_code=exc.status, error=_message(request, exc), form=form
        )
    return _account_page(request, session, user, status_code=201, new_token=token)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(
    request: Request, session: SessionDep, token_id: Id, csrf_token: CsrfField = ""
) -> Response:
    user = page_user(request, session)
    try:
        check_csrf(request, csrf_token)
        user_service.revoke_token(session, actor=user, token_id=token_id)
    except AppError as exc:
        return _account_page(
            request, session, user, status_code=exc.status, error=_message(request, exc)
        )
    return _redirect("/account", "token_revoked")


@router.post("/account/sessions/{record_id}/end")
def end_session(
    request: Request, session: SessionDep, record_id: Id, csrf_token: CsrfField = ""
) -> Response:
    user = page_user(request, session)
    try:
        check_csrf(request, csrf_token)
        sessions.end_one(session, actor=user, session_id=record_id)
    except AppError as exc:
        return _account_page(
            request, session, user, status_code=exc.status, error=_message(request, exc)
        )
    return _redirect("/account", "session_ended")


@router.post("/account/password", response_class=HTMLResponse)
def change_password(
    request: Request,
    session: SessionDep,
    current_password: Annotated[str, Form(max_length=1024)] = "",
    new_password: Annotated[str, Form(max_length=1024)] = "",
    repeat_password: Annotated[str, Form(max_length=1024)] = "",
    csrf_token: CsrfField = "",
) -> Response:
    """A new password ends every session and token of the user; this browser gets a new session."""
    user = page_user(request, session)
    t = i18n.translator(i18n.lang_of(request))
    try:
        check_csrf(request, csrf_token)
        if new_password != repeat_password:
            return _account_page(
                request, session, user, status_code=422, error=t("passwords_differ")
            )
        user_service.change_own_password(
            session, user=user, current_password=current_password, new_password=new_password
        )
    except AppError as exc:
        return _account_page(
            request, session, user, status_code=exc.status, error=_message(request, exc)
        )
    login_session(request, session, user)
    return _redirect("/account", "password_changed")


# --- administration of users and roles --------------------------------------------------------


def _admin(request: Request, session: SessionDep) -> tuple[User | None, Response | None]:
    """The logged-in admin, or the response to give instead (login, or a 403 page)."""
    user = page_user(request, session)  # not logged in: the login form (LoginRequired)
    if not user.is_admin:
        return None, _error_page(
            request, user, Forbidden("Nur für Administrator:innen.", "Administrators only.")
        )
    return user, None


def _users_page(
    request: Request,
    session: SessionDep,
    admin: User,
    *,
    status_code: int = 200,
    error: str | None = None,
    form: dict[str, Any] | None = None,
) -> HTMLResponse:
    total, users = user_service.list_users(session, actor=admin, limit=1000, offset=0)
    return render(
        request,
        "admin_users.html",
        user=admin,
        status_code=status_code,
        users=users,
        total=total,
        error=error,
        done=_done(request),
        form=form or {},
    )


@router.get("/admin", response_class=HTMLResponse)
@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, session: SessionDep) -> Response:
    admin, refused = _admin(request, session)
    if admin is None:
        return refused or _login_redirect(request)
    return _users_page(request, session, admin)


@router.post("/admin/users", response_class=HTMLResponse)
def create_user(
    request: Request,
    session: SessionDep,
    username: Annotated[str, Form(max_length=80)] = "",
    display_name: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    is_admin: Annotated[bool, Form()] = False,
    csrf_token: CsrfField = "",
) -> Response:
    admin, refused = _admin(request, session)
    if admin is None:
        return refused or _login_redirect(request)
    form = {"username": username, "display_name": display_name, "is_admin": is_admin}
    t = i18n.translator(i18n.lang_of(request))
    try:
        check_csrf(request, csrf_token)
        try:
            data = UserCreate(
                username=username.strip(),
                password=password,
                display_name=display_name.strip(),
                is_admin=is_admin,
            )
        except ValueError:
            return _users_page(
                request, session, admin, status_code=422, error=t("bad_username"), form=form
            )
        created = user_service.create(session, actor=admin, data=data)
    except AppError as exc:
        return _users_page(
            request, session, admin, status_code=exc.status, error=_message(request, exc), form=form
        )
    return _redirect(f"/admin/users/{created.id}", "user_created")


def _user_page(
    request: Request,
    session: SessionDep,
    admin: User,
    user_id: int,
    *,
    status_code: int = 200,
    error: str | None = None,
) -> HTMLResponse:
    try:
        target = user_service.get(session, actor=admin, user_id=user_id)
    except AppError as exc:
        return _error_page(request, admin, exc)
    _, offices = office_service.visible(session, actor=admin, limit=10_000, offset=0)
    return render(
        request,
        "admin_user.html",
        user=admin,
        status_code=status_code,
        target=target,
        locked_until=sessions.locked_until(session, user=target),
        roles=user_service.roles_of(session, actor=admin, user=target),
        offices=offices,
        role_names=[role.value for role in Role],
        tokens=user_service.list_tokens(session, actor=admin, username=target.username),
        live_sessions=sessions.live(session, user=target),
        error=error,
        done=_done(request),
    )


@router.get("/admin/users/{user_id}", response_class=HTMLResponse)
def user_page(request: Request, session: SessionDep, user_id: Id) -> Response:
    admin, refused = _admin(request, session)
    if admin is None:
        return refused or _login_redirect(request)
    return _user_page(request, session, admin, user_id)


def _user_action(
    request: Request,
    session: SessionDep,
    user_id: int,
    csrf_token: str,
    done: str,
    action: Any,
) -> Response:
    """Run `action(admin, target)` for a form on the user page; errors re-render that page."""
    admin, refused = _admin(request, session)
    if admin is None:
        return refused or _login_redirect(request)
    try:
        check_csrf(request, csrf_token)
        target = user_service.get(session, actor=admin, user_id=user_id)
        result = action(admin, target)
    except AppError as exc:
        return _user_page(
            request, session, admin, user_id, status_code=exc.status, error=_message(request, exc)
        )
    return _redirect(f"/admin/users/{user_id}", result if isinstance(result, str) else done)


@router.post("/admin/users/{user_id}/active")
def set_active(
    request: Request,
    session: SessionDep,
    user_id: Id,
    active: Annotated[bool, Form()] = False,
    csrf_token: CsrfField = "",
) -> Response:
    def act(admin: User, target: User) -> str:
        user_service.set_active(session, actor=admin, user=target, active=active)
        return "user_activated" if active else "user_deactivated"

    return _user_action(request, session, user_id, csrf_token, "", act)


@router.post("/admin/users/{user_id}/password")
def reset_password(
    request: Request,
    session: SessionDep,
    user_id: Id,
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf_token: CsrfField = "",
) -> Response:
    def act(admin: User, target: User) -> None:
        user_service.set_password(session, actor=admin, user=target, password=password)

    return _user_action(request, session, user_id, csrf_token, "password_reset", act)


@router.post("/admin/users/{user_id}/unlock")
def unlock(
    request: Request, session: SessionDep, user_id: Id, csrf_token: CsrfField = ""
) -> Response:
    def act(admin: User, target: User) -> None:
        sessions.unlock(session, actor=admin, user=target)

    return _user_action(request, session, user_id, csrf_token, "user_unlocked", act)


@router.post("/admin/users/{user_id}/roles")
def grant_role(
    request: Request,
    session: SessionDep,
    user_id: Id,
    office_id: Annotated[int, Form(ge=1, le=2**31 - 1)],
    role: Annotated[Role, Form()],
    csrf_token: CsrfField = "",
) -> Response:
    def act(admin: User, target: User) -> None:
        office_service.grant(
            session,
            actor=admin,
            office_id=office_id,
            data=MemberCreate(username=target.username, role=role),
        )

    return _user_action(request, session, user_id, csrf_token, "role_granted", act)


@router.post("/admin/users/{user_id}/roles/{membership_id}/revoke")
def revoke_role(
    request: Request,
    session: SessionDep,
    user_id: Id,
    membership_id: Id,
    csrf_token: CsrfField = "",
) -> Response:
    def act(admin: User, target: User) -> None:
        user_service.revoke_role(session, actor=admin, user=target, membership_id=membership_id)

    return _user_action(request, session, user_id, csrf_token, "role_revoked", act)
