"""HTML pages: catalogue, process, version viewer, modeler, new process.

Pages call services only; the modeler and viewer talk to the REST API from the browser with the
session cookie (and the session's CSRF token for writes).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from pydantic import ValidationError

from app.api.deps import SessionDep
from app.auth import check_csrf, csrf_token
from app.bpmn.messages import readable_issue
from app.config import ROOT, settings
from app.errors import AppError, Forbidden, NotFound
from app.models import Role, User
from app.schemas import ProcessCreate, ProcessRead, ProcessUpdate
from app.services import access
from app.services import catalogue as catalogue_service
from app.services import offices as office_service
from app.services import processes as process_service
from app.web import i18n
from app.web.deps import PageUser, login_url

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


@pass_context
def _local_time(context: Context, value: datetime | None, zone: bool = False) -> str:
    """`{{ version.created_at|local_time }}`: the city's time zone, the page's language."""
    return i18n.format_datetime(value, context.get("lang", "de"), zone=zone)


templates.filters["local_time"] = _local_time

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
        fmt_dt=lambda value, zone=False: i18n.format_datetime(value, lang, zone=zone),
        status_label=lambda status: t(STATUS_KEYS.get(status, "status_none")),
        lang_url={
            code: str(request.url.include_query_params(lang=code)) for code in i18n.LANGUAGES
        },
        may_anywhere=getattr(request.state, "may_anywhere", access.NOTHING),
        **context,
    )
    response = HTMLResponse(html, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"  # security headers: app/headers.py
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
    return RedirectResponse(login_url(request), status_code=303)


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
    archived: bool = False,
    *,
    user: PageUser,
) -> Response:
    offices = office_service.tree(session, actor=user)
    selected = offices.offices.get(office) if office is not None else None
    if office is not None and selected is None:
        return _error_page(
            request,
            user,
            NotFound("Diese Dienststelle gibt es nicht.", "There is no such office."),
        )
    within = offices.subtree_ids(selected.id) if selected is not None else None
    page = max(page, 1)
    # The next page by cursor (its number only shown); a typed-in page number by offset.
    found = catalogue_service.list_processes(
        session,
        actor=user,
        within=within,
        limit=CATALOGUE_PAGE,
        offset=0 if cursor else (page - 1) * CATALOGUE_PAGE,
        cursor=cursor,
        archived=archived,
    )
    total, processes = found.total, found.items
    names = {o.id: o.name for o in offices.offices.values()}
    return render(
        request,
        "catalogue.html",
        user=user,
        tree=offices.roots,
        processes=processes,
        total=total,
        page=page,
        pages=max(1, -(-total // CATALOGUE_PAGE)),
        next_cursor=found.next_cursor,
        previous_by_offset=(page - 2) * CATALOGUE_PAGE <= catalogue_service.MAX_OFFSET,
        office_names=names,
        selected=selected,
        archived=archived,
        # "Neuer Prozess" in the selected office, or in any office
        can_create=(
            access.permissions(session, user, selected.id)
            if selected is not None
            else access.anywhere(session, user)
        ).can_model,
    )


# --- processes --------------------------------------------------------------------------------


def _modeler_offices(session: SessionDep, user: User) -> list[tuple[int, str]]:
    """The offices in which `user` may create processes, by name."""
    allowed = access.offices_where(session, user, Role.MODELER)
    _, offices = office_service.visible(session, actor=user, limit=10_000, offset=0)
    return [(o.id, o.name) for o in offices if o.id in allowed]


@router.get("/processes/new", response_class=HTMLResponse)
def new_process_form(
    request: Request, session: SessionDep, user: PageUser, office: int | None = None
) -> Response:
    return render(
        request,
        "new_process.html",
        user=user,
        offices=_modeler_offices(session, user),
        form={"office_id": office},
        error=None,
    )


@router.post("/processes/new", response_class=HTMLResponse)
def create_process(
    request: Request,
    session: SessionDep,
    user: PageUser,
    office_id: Annotated[int, Form()],
    title: Annotated[str, Form(max_length=300)] = "",
    key: Annotated[str, Form(max_length=64)] = "",
    description: Annotated[str, Form(max_length=20_000)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """One use case in the request's transaction: the service checks everything before it
    writes, so a refusal is shown in the form and nothing is stored."""
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
    upload = None
    if file is not None and file.filename:
        filename = Path(file.filename).name
        upload = process_service.Upload(
            # one byte over the limit is enough for the service to refuse it
            xml=file.file.read(settings.max_upload_bytes + 1),
            filename=filename,
            change_note=note.strip() or t("uploaded_note", filename=filename),
        )
    try:
        process, version = process_service.create_with_first_version(
            session, actor=user, office_id=office_id, data=data, upload=upload
        )
    except AppError as exc:
        return again(exc.en if lang == "en" else exc.de, exc.status)
    target = f"/processes/{process.id}" if version is not None else f"/processes/{process.id}/edit"
    return RedirectResponse(target, status_code=303)


@router.get("/processes/{process_id}", response_class=HTMLResponse)
def process_page(
    request: Request, session: SessionDep, user: PageUser, process_id: int, saved: bool = False
) -> Response:
    return _process_page(request, session, user, process_id, saved=saved)


def _process_page(
    request: Request,
    session: SessionDep,
    user: User,
    process_id: int,
    *,
    status_code: int = 200,
    form: dict[str, str] | None = None,
    error: str | None = None,
    saved: bool = False,
) -> Response:
    try:
        info = process_service.read(session, actor=user, process_id=process_id)
        _, _, versions = process_service.list_versions(session, actor=user, process_id=process_id)
        office = office_service.get(session, actor=user, office_id=info.office_id)
    except (NotFound, Forbidden) as exc:
        return _error_page(request, user, exc)
    authors = process_service.author_names(session, versions)
    latest = versions[0] if versions else None
    page_data = _viewer_data(request, info.id, info.key, latest.number) if latest else None
    return render(
        request,
        "process.html",
        user=user,
        status_code=status_code,
        process=info,
        office=office,
        versions=versions,
        authors=authors,
        latest=latest,
        may=access.permissions(session, user, info.office_id),
        page_data=page_data,
        form=form or _metadata_form(info),
        error=error,
        saved=saved,
    )


def _metadata_form(info: ProcessRead) -> dict[str, str]:
    return {
        "title": info.title,
        "description": info.description,
        "owner": info.owner or "",
        "leika_key": info.leika_key or "",
        "tags": ", ".join(info.tags),
    }


def _metadata_changes(form: dict[str, str], info: ProcessRead) -> dict[str, Any]:
    """The fields the form changes, as a PATCH would send them (emptied owner / LeiKa: null)."""
    tags = [tag.strip() for tag in form["tags"].split(",") if tag.strip()]
    wanted: dict[str, Any] = {
        "title": form["title"].strip(),
        "description": form["description"].strip(),
        "owner": form["owner"].strip() or None,
        "leika_key": form["leika_key"].strip() or None,
        "tags": list(dict.fromkeys(tags)),
    }
    current: dict[str, Any] = {
        "title": info.title,
        "description": info.description,
        "owner": info.owner,
        "leika_key": info.leika_key,
        "tags": info.tags,
    }
    return {name: value for name, value in wanted.items() if value != current[name]}


@router.post("/processes/{process_id}", response_class=HTMLResponse)
def update_process(
    request: Request,
    session: SessionDep,
    user: PageUser,
    process_id: int,
    title: Annotated[str, Form(max_length=300)] = "",
    description: Annotated[str, Form(max_length=20_000)] = "",
    owner: Annotated[str, Form(max_length=80)] = "",
    leika_key: Annotated[str, Form(max_length=32)] = "",
    tags: Annotated[str, Form(max_length=5000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """The metadata form of the process page: only changed fields reach `update_metadata`."""
    t = i18n.translator(i18n.lang_of(request))
    form = {
        "title": title,
        "description": description,
        "owner": owner,
        "leika_key": leika_key,
        "tags": tags,
    }

    def again(message: str, status_code: int) -> Response:
        return _process_page(
            request, session, user, process_id, status_code=status_code, form=form, error=message
        )

    try:
        check_csrf(request, csrf_token)
    except Forbidden:
        return again(t("csrf_failed"), 403)
    try:
        info = process_service.read(session, actor=user, process_id=process_id)
    except (NotFound, Forbidden) as exc:
        return _error_page(request, user, exc)
    try:
        changes = ProcessUpdate(**_metadata_changes(form, info))
    except ValidationError as exc:
        fields = ", ".join(t(f"field_{e['loc'][0]}") for e in exc.errors() if e.get("loc"))
        return again(f"{t('metadata_invalid')}: {fields}", 422)
    if changes.model_fields_set:
        try:
            process_service.update_metadata(
                session, actor=user, process_id=process_id, data=changes
            )
        except AppError as exc:
            return again(exc.en if i18n.lang_of(request) == "en" else exc.de, exc.status)
    return RedirectResponse(f"/processes/{process_id}?saved=1", status_code=303)


@router.post("/processes/{process_id}/archive", response_class=HTMLResponse)
def archive_process(
    request: Request,
    session: SessionDep,
    user: PageUser,
    process_id: int,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    return _set_archived(request, session, user, process_id, csrf_token, archived=True)


@router.post("/processes/{process_id}/restore", response_class=HTMLResponse)
def restore_process(
    request: Request,
    session: SessionDep,
    user: PageUser,
    process_id: int,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    return _set_archived(request, session, user, process_id, csrf_token, archived=False)


def _set_archived(
    request: Request, session: SessionDep, user: User, process_id: int, csrf: str, *, archived: bool
) -> Response:
    t = i18n.translator(i18n.lang_of(request))
    try:
        check_csrf(request, csrf)
    except Forbidden:
        return _process_page(
            request, session, user, process_id, status_code=403, error=t("csrf_failed")
        )
    try:
        process_service.set_archived(session, actor=user, process_id=process_id, archived=archived)
    except AppError as exc:
        return _error_page(request, user, exc)
    return RedirectResponse(f"/processes/{process_id}", status_code=303)


def _viewer_data(request: Request, process_id: int, key: str, number: int) -> dict[str, Any]:
    base = f"{API}/processes/{process_id}/versions/{number}"
    return {
        "lang": i18n.lang_of(request),
        "bpmnUrl": f"{base}/bpmn",
        "analysisUrl": f"{base}/analysis",
        "filename": f"{key}-v{number}",
    }


@router.get("/processes/{process_id}/versions/{number}", response_class=HTMLResponse)
def version_page(
    request: Request, session: SessionDep, user: PageUser, process_id: int, number: int
) -> Response:
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
def edit_page(request: Request, session: SessionDep, user: PageUser, process_id: int) -> Response:
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
        "analysisUrl": (
            f"{API}/processes/{info.id}/versions/latest/analysis" if info.latest_version else None
        ),
        "systemsUrl": f"{API}/glossary/systems",
        "editUrlTemplate": "/processes/{id}/edit",
        "filename": info.key,
        "baseErrors": base_errors,
        "timeZone": settings.time_zone,
    }
    return render(request, "modeler.html", user=user, process=info, page_data=page_data)
