"""Glossary pages: `/glossary` (by kind, with a filter box) and `/glossary/{entry_id}` listing every
process that uses an entry; admins curate there (rename, describe, kind, merge, split).

Pages call the glossary service only; forms post back here with the session's CSRF token.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Final

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.api.deps import SessionDep
from app.auth import check_csrf
from app.errors import AppError, Unprocessable
from app.services import glossary as glossary_service
from app.web import i18n
from app.web.deps import PageUser
from app.web.pages import _error_page, render

router = APIRouter(include_in_schema=False)

Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
CsrfField = Annotated[str, Form(max_length=200)]
PAGE: Final = 100

#: The pages' own strings (German, English).
MESSAGES: Final[dict[str, tuple[str, str]]] = {
    "glossary_title": ("Glossar", "Glossary"),
    "glossary_intro": (
        "Rollen, IT-Systeme, Dokumente und Partner aus allen Prozessmodellen, die Sie sehen "
        "dürfen – gleiche Namen in anderer Form (Beugung, Groß/klein, „(Papier)“) sind ein Eintrag.",
        "Roles, IT systems, documents and partners from every process model you may see – the "
        "same name in other forms (inflection, case, “(Paper)”) is one entry.",
    ),
    "kind_all": ("Alle", "All"),
    "kind_role": ("Rollen", "Roles"),
    "kind_system": ("IT-Systeme", "IT systems"),
    "kind_document": ("Dokumente", "Documents"),
    "kind_partner": ("Partner", "Partners"),
    "one_role": ("Rolle", "Role"),
    "one_system": ("IT-System", "IT system"),
    "one_document": ("Dokument", "Document"),
    "one_partner": ("Partner", "Partner"),
    "kinds": ("Arten", "Kinds"),
    "filter": ("Filtern", "Filter"),
    "filter_label": ("Name enthält", "Name contains"),
    "name": ("Name", "Name"),
    "kind": ("Art", "Kind"),
    "processes_count": ("Prozesse", "Processes"),
    "no_entries": ("Keine Einträge.", "No entries."),
    "entries_total": ("{count} Einträge", "{count} entries"),
    "previous": ("Zurück", "Previous"),
    "next": ("Weiter", "Next"),
    "used_in": ("Verwendet in {count} Prozessen", "Used in {count} processes"),
    "not_used": (
        "In keinem Prozess verwendet, den Sie sehen dürfen.",
        "Used in no process you may see.",
    ),
    "process": ("Prozess", "Process"),
    "office": ("Dienststelle", "Office"),
    "version": ("Version", "Version"),
    "written_as": ("Geschrieben als", "Written as"),
    "elements": ("Elemente", "Elements"),
    "media": ("Medien", "Media"),
    "variants": ("Schreibweisen", "Written names"),
    "merged_from": ("Zusammengeführt aus", "Merged from"),
    "description": ("Beschreibung", "Description"),
    "curation": ("Pflege (Administration)", "Curation (administrators)"),
    "rename_describe": ("Umbenennen und beschreiben", "Rename and describe"),
    "save": ("Speichern", "Save"),
    "mark_system": ("Als IT-System kennzeichnen", "Mark as IT system"),
    "merge_title": ("Synonyme zusammenführen", "Merge synonyms"),
    "merge_label": (
        "Nummern der Einträge, die hierher gehören (durch Komma getrennt)",
        "Numbers of the entries that belong here (comma-separated)",
    ),
    "merge": ("Zusammenführen", "Merge"),
    "split_title": ("Schreibweisen abtrennen", "Split off written names"),
    "split_name": ("Name des neuen Eintrags", "Name of the new entry"),
    "split": ("Abtrennen", "Split"),
    "entry_number": ("Eintrag Nr. {id}", "Entry no. {id}"),
    "back_to_glossary": ("Zum Glossar", "To the glossary"),
    "done_saved": ("Gespeichert.", "Saved."),
    "bad_ids": ("Bitte Nummern von Einträgen angeben.", "Please give numbers of entries."),
}
DONE: Final = frozenset({"done_saved"})


def _translator(lang: str) -> i18n.Translate:
    return i18n.translator(lang, MESSAGES)


def _render(request: Request, template: str, *, user: PageUser, **context: Any) -> HTMLResponse:
    return render(request, template, user=user, g=_translator(i18n.lang_of(request)), **context)


@router.get("/glossary", response_class=HTMLResponse)
def glossary_page(
    request: Request,
    session: SessionDep,
    user: PageUser,
    kind: Annotated[str | None, Query(max_length=20)] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Response:
    kind = kind if kind in glossary_service.KINDS else None
    found = glossary_service.list_entries(
        session, actor=user, kind=kind, q=q, limit=PAGE, offset=offset
    )
    return _render(
        request,
        "glossary.html",
        user=user,
        kinds=glossary_service.KINDS,
        kind=kind,
        q=q or "",
        page=found,
        offset=offset,
        page_size=PAGE,
    )


@router.get("/glossary/{entry_id}", response_class=HTMLResponse)
def entry_page(
    request: Request,
    session: SessionDep,
    user: PageUser,
    entry_id: Id,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Response:
    try:
        entry = glossary_service.get_entry(
            session, actor=user, entry_id=entry_id, limit=PAGE, offset=offset
        )
    except AppError as exc:
        return _error_page(request, user, exc)
    if entry.merged_into is not None:
        return RedirectResponse(f"/glossary/{entry.merged_into}", status_code=303)
    done = request.query_params.get("done")
    error = request.query_params.get("error")
    g = _translator(i18n.lang_of(request))
    return _render(
        request,
        "glossary_entry.html",
        user=user,
        entry=entry,
        offset=offset,
        page_size=PAGE,
        done=g(done) if done in DONE else None,
        error=g(error) if error in MESSAGES else None,
    )


def _curate(
    request: Request,
    session: Session,
    user: PageUser,
    csrf_token: str,
    action: Callable[[], int],
) -> Response:
    """Run one curation and go to the entry that holds the result (or show the refusal)."""
    try:
        check_csrf(request, csrf_token)
        entry_id = action()
    except ValidationError:
        session.rollback()
        return _error_page(request, user, Unprocessable("Ungültige Eingabe.", "Invalid input."))
    except AppError as exc:
        session.rollback()  # nothing of a refused curation is kept
        return _error_page(request, user, exc)
    return RedirectResponse(f"/glossary/{entry_id}?done=done_saved", status_code=303)


@router.post("/glossary/{entry_id}")
def update_entry(
    request: Request,
    session: SessionDep,
    user: PageUser,
    entry_id: Id,
    csrf_token: CsrfField = "",
    name: Annotated[str | None, Form(max_length=400)] = None,
    description: Annotated[str | None, Form(max_length=10_000)] = None,
    kind: Annotated[str | None, Form(max_length=20)] = None,
) -> Response:
    def run() -> int:
        fields = {"name": name, "description": description, "kind": kind}
        data = glossary_service.EntryUpdate(**{k: v for k, v in fields.items() if v is not None})
        return glossary_service.update_entry(session, actor=user, entry_id=entry_id, data=data).id

    return _curate(request, session, user, csrf_token, run)


@router.post("/glossary/{entry_id}/merge")
def merge_entries(
    request: Request,
    session: SessionDep,
    user: PageUser,
    entry_id: Id,
    csrf_token: CsrfField = "",
    entry_ids: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    def run() -> int:
        try:
            ids = [int(part) for part in entry_ids.replace(";", ",").split(",") if part.strip()]
        except ValueError:
            ids = []
        if not ids or any(not 1 <= i < 2**31 for i in ids):
            raise Unprocessable(
                "Bitte Nummern von Einträgen angeben.", "Please give numbers of entries."
            )
        data = glossary_service.MergeRequest(entry_ids=ids)
        return glossary_service.merge(session, actor=user, entry_id=entry_id, data=data).id

    return _curate(request, session, user, csrf_token, run)


@router.post("/glossary/{entry_id}/split")
def split_entry(
    request: Request,
    session: SessionDep,
    user: PageUser,
    entry_id: Id,
    csrf_token: CsrfField = "",
    variants: Annotated[list[str] | None, Form(max_length=400)] = None,
    name: Annotated[str, Form(max_length=400)] = "",
) -> Response:
    def run() -> int:
        data = glossary_service.SplitRequest(variants=variants or [], name=name)
        return glossary_service.split(session, actor=user, entry_id=entry_id, data=data).id

    return _curate(request, session, user, csrf_token, run)
