"""HTML pages: catalogue, process, version viewer, modeler, new process.

Pages call services only; the modeler and viewer talk to the REST API from the browser with the
session cookie (and the session's CSRF token for writes).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import ValidationError

from app.api.deps import SessionDep
from app.auth import check_csrf, csrf_token, session_user
from app.bpmn.messages import readable_issue
from app.config import ROOT, settings
from app.errors import AppError, Forbidden, NotFound
from app.models import Role, User
from app.schemas import ProcessCreate
from app.services import access
from app.services import catalogue as catalogue_service
from app.services import offices as office_service
from app.services import processes as process_service
from app.web import i18n
from app.web.catalogue import office_tree, subtree_ids

router = APIRouter(include_in_schema=False)

TEMPLATE_DIR = ROOT / "app" / "templates"
DIST_DIR = ROOT / "app" / "static" / "dist"
API = "/api/v1"

templates = Environment(
    loader=FileSystemLoader(str(TEMPLATE_DIR)),
    autoescape=select_autoescape(enabled_extensions=("html", "xml"), default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)

STATUS_KEYS = {
    None: "status_none",
    "draft": "status_draft",
    "in_review": "status_in_review",
    "approved": "status_approved",
    "changes_requested": "status_changes_requested",
    "superseded": "status_superseded",
}


def asset_url(name: str) -> str:
    """URL of a built asset with its modification time as a cache buster."""
    path = DIST_DIR / name
    version = int(path.stat().st_mtime) if path.exists() else 0
    return f"/static/dist/{name}?v={version}"


def _static_url(name: str) -> str:
    path = ROOT / "app" / "static" / name
    version = int(path.stat().st_mtime) if path.exists() else 0
    return f"/static/{name}?v={version}"


def render(
    request: Request, template: str, *, user: User | None, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """Render a page in the request's language; `?lang=` also sets the language cookie."""
    lang = i18n.lang_of(request)
    t = i18n.translator(lang)
    html = templates.get_template(template).render(
        request=request,
        user=user,
        lang=lang,
        t=t,
        csrf=csrf_token(request),
        asset_url=asset_url,
        static_url=_static_url,
        fmt_dt=lambda value: i18n.format_datetime(value, lang),
        status_label=lambda status: t(STATUS_KEYS.get(status, "status_none")),
        lang_url={
            code: str(request.url.include_query_params(lang=code)) for code in i18n.LANGUAGES
        },
        **context,
    )
    response = HTMLResponse(html, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    if request.query_params.get("lang") in i18n.LANGUAGES:
        response.set_cookie(
            i18n.LANG_COOKIE,
            lang,
            max_age=365 * 24 * 3600,
            samesite="lax",
            secure=settings.session_cookie_secure,
        )
    return response


def _login_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


def _safe_next(target: str | None) -> str:
    """Only local paths: no scheme, no host, no protocol-relative `//`."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _error_page(request: Request, user: User | None, exc: AppError) -> HTMLResponse:
    lang = i18n.lang_of(request)
    return render(
        request,
        "error.html",
        user=user,
        status_code=exc.status,
        message=exc.en if lang == "en" else exc.de,
    )


# --- catalogue --------------------------------------------------------------------------------


# Processes per page of the catalogue.
CATALOGUE_PAGE = 100


@router.get("/", response_class=HTMLResponse)
def catalogue(
    request: Request,
    session: SessionDep,
    office: int | None = None,
    page: int = 1,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    user = session_user(request, session)
    if user is None:
        return _login_redirect(request)
    _, offices = office_service.visible(session, actor=user, limit=10_000, offset=0)
    tree = office_tree(offices)
    selected = next((o for o in offices if o.id == office), None)
    within = subtree_ids(offices, selected.id) if selected is not None else None
    page = max(page, 1)
    # The next page by cursor (its number only shown); a typed-in page number by offset.
    found = catalogue_service.list_processes(
        session,
        actor=user,
        within=within,
        limit=CATALOGUE_PAGE,
        offset=0 if cursor else (page - 1) * CATALOGUE_PAGE,
        cursor=cursor,
    )
    total, processes = found.total, found.items
    names = {o.id: o.name for o in offices}
    roles = access.effective_roles(session, user)
    can_model = any(role.rank >= Role.MODELER.rank for role in roles.values())
    return render(
        request,
        "catalogue.html",
        user=user,
        tree=tree,
        processes=processes,
        total=total,
        page=page,
        pages=max(1, -(-total // CATALOGUE_PAGE)),
        next_cursor=found.next_cursor,
        previous_by_offset=(page - 2) * CATALOGUE_PAGE <= catalogue_service.MAX_OFFSET,
        office_names=names,
        selected=selected,
        can_model=can_model,
    )


# --- processes --------------------------------------------------------------------------------


def _modeler_offices(session: SessionDep, user: User) -> list[tuple[int, str]]:
    roles = access.effective_roles(session, user)
    _, offices = office_service.visible(session, actor=user, limit=10_000, offset=0)
    return [
        (o.id, o.name) for o in offices if roles.get(o.id, Role.READER).rank >= Role.MODELER.rank
    ]


@router.get("/processes/new", response_class=HTMLResponse)
def new_process_form(request: Request, session: SessionDep, office: int | None = None) -> Response:
    user = session_user(request, session)
    if user is None:
        return _login_redirect(request)
    return render(
        request,
        "new_process.html",
        user=user,
        offices=_modeler_offices(session, user),
        form={"office_id": office},
        error=None,
    )


@router.post("/processes/new", response_class=HTMLResponse)
async def create_process(
    request: Request,
    session: SessionDep,
    office_id: Annotated[int, Form()],
    title: Annotated[str, Form(max_length=300)] = "",
    key: Annotated[str, Form(max_length=64)] = "",
    description: Annotated[str, Form(max_length=20_000)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    user = session_user(request, session)
    if user is None:
        return _login_redirect(request)
    lang = i18n.lang_of(request)
    t = i18n.translator(lang)
    form = {
        "office_id": office_id,
        "title": title,
        "key": key,
        "description": description,
        "note": note,
    }

    def again(message: str, status_code: int) -> HTMLResponse:
        return render(
            request,
            "new_process.html",
            user=user,
            status_code=status_code,
            offices=_modeler_offices(session, user),
            form=form,
            error=message,
        )

    try:
        check_csrf(request, csrf_token)
    except Forbidden:
        return again(t("csrf_failed"), 403)
    try:
        data = ProcessCreate(title=title.strip(), key=key.strip(), description=description.strip())
    except ValidationError as exc:
        fields = ", ".join(str(e["loc"][0]) for e in exc.errors() if e.get("loc"))
        return again(f"{t('required')}: {fields}", 422)

    upload: process_service.Upload | None = None
    checked = None
    try:
        if file is not None and file.filename:
            raw = await file.read(settings.max_upload_bytes + 1)
            if len(raw) > settings.max_upload_bytes:
                return again(f"> {settings.max_upload_bytes} bytes", 413)
            checked = process_service.inspect_upload(raw)  # refuses unsafe / not well-formed XML
            upload = process_service.Upload(
                xml=raw,
                filename=Path(file.filename).name,
                change_note=note.strip() or t("uploaded_note", filename=Path(file.filename).name),
            )
        process = process_service.create(session, actor=user, office_id=office_id, data=data)
        if upload is not None:
            process_service.add_version(
                session,
                actor=user,
                process_id=process.id,
                upload=upload,
                if_match=None,
                checked=checked,
            )
    except AppError as exc:
        session.rollback()
        return again(exc.en if lang == "en" else exc.de, exc.status)
    target = f"/processes/{process.id}" if upload is not None else f"/processes/{process.id}/edit"
    return RedirectResponse(target, status_code=303)


@router.get("/processes/{process_id}", response_class=HTMLResponse)
def process_page(request: Request, session: SessionDep, process_id: int) -> Response:
    user = session_user(request, session)
    if user is None:
        return _login_redirect(request)
    try:
        info = process_service.read(session, actor=user, process_id=process_id)
        _, _, versions = process_service.list_versions(session, actor=user, process_id=process_id)
        office = office_service.get(session, actor=user, office_id=info.office_id)
    except (NotFound, Forbidden) as exc:
        return _error_page(request, user, exc)
    authors = process_service.author_names(session, versions)
    latest = versions[0] if versions else None
    can_model = (
        access.role_on(session, user, info.office_id) or Role.READER
    ).rank >= Role.MODELER.rank
    page_data = _viewer_data(request, info.id, info.key, latest.number) if latest else None
    return render(
        request,
        "process.html",
        user=user,
        process=info,
        office=office,
        versions=versions,
        authors=authors,
        latest=latest,
        can_model=can_model,
        page_data=page_data,
    )


def _viewer_data(request: Request, process_id: int, key: str, number: int) -> dict[str, Any]:
    base = f"{API}/processes/{process_id}/versions/{number}"
    return {
        "lang": i18n.lang_of(request),
        "bpmnUrl": f"{base}/bpmn",
        "analysisUrl": f"{base}/analysis",
        "filename": f"{key}-v{number}",
    }


@router.get("/processes/{process_id}/versions/{number}", response_class=HTMLResponse)
def version_page(request: Request, session: SessionDep, process_id: int, number: int) -> Response:
    user = session_user(request, session)
    if user is None:
        return _login_redirect(request)
    try:
        info = process_service.read(session, actor=user, process_id=process_id)
        _, version = process_service.get_version(
            session, actor=user, process_id=process_id, number=number
        )
    except (NotFound, Forbidden) as exc:
        return _error_page(request, user, exc)
    authors = process_service.author_names(session, [version])
    page_data = _viewer_data(request, info.id, info.key, version.number)
    page_data["errorElements"] = sorted(
        {str(e["element_id"]) for e in version.errors or [] if e.get("element_id")}
    )
    return render(
        request,
        "version.html",
        user=user,
        process=info,
        version=version,
        errors=[readable_issue(e, i18n.lang_of(request)) for e in version.errors or []],
        author=authors.get(version.author_id or 0),
        page_data=page_data,
    )


@router.get("/processes/{process_id}/edit", response_class=HTMLResponse)
def edit_page(request: Request, session: SessionDep, process_id: int) -> Response:
    user = session_user(request, session)
    if user is None:
        return _login_redirect(request)
    try:
        process_service.get(session, actor=user, process_id=process_id, needed=Role.MODELER)
        info = process_service.read(session, actor=user, process_id=process_id)
    except (NotFound, Forbidden) as exc:
        return _error_page(request, user, exc)
    lang = i18n.lang_of(request)
    base_errors: list[dict[str, Any]] = []
    if info.latest_version and info.xsd_valid is False:
        _, latest = process_service.get_version(
            session, actor=user, process_id=process_id, number="latest"
        )
        base_errors = [readable_issue(e, lang) for e in latest.errors or []]
    page_data = {
        "lang": lang,
        "csrf": csrf_token(request),
        "processId": info.id,
        "officeId": info.office_id,
        "processTitle": info.title,
        "processKey": info.key,
        "version": info.latest_version,
        "etag": info.etag,
        "draftKey": f"process-{info.id}",
        "apiBase": API,
        "bpmnUrl": f"{API}/processes/{info.id}/versions/latest/bpmn",
        "versionsUrl": f"{API}/processes/{info.id}/versions",
        "officeProcessesUrl": f"{API}/offices/{info.office_id}/processes",
        "analyseUrl": f"{API}/analyse",
        "systemsUrl": f"{API}/systems",
        "editUrlTemplate": "/processes/{id}/edit",
        "filename": info.key,
        "baseErrors": base_errors,
    }
    return render(request, "modeler.html", user=user, process=info, page_data=page_data)
