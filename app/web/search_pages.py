"""The search page: `/search?q=...` with facet filters, rendered on the server (it works without
JavaScript); frontend/src/search.js adds suggestions while typing and applies a facet when its box
is ticked. The search box in every page's header (base.html) submits here.

The page calls the search service only, with the same parameters as `GET /api/v1/search`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Final
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from app.api.deps import SessionDep
from app.schemas import SearchMatch
from app.services import search as search_service
from app.web import i18n
from app.web.deps import PageUser
from app.web.pages import render

router = APIRouter(include_in_schema=False)

PAGE: Final = 20
_Values = Annotated[list[str], Query(max_length=20)]

#: The page's own strings (German, English).
MESSAGES: Final[dict[str, tuple[str, str]]] = {
    "search_title": ("Suche", "Search"),
    "search_label": ("Suchbegriffe", "Search terms"),
    "search_hint": (
        "Wörter in Titeln, Schritten, Rollen, IT-Systemen und Dokumenten; "
        "„in Anführungszeichen“ als Wortfolge.",
        "Words in titles, steps, roles, IT systems and documents; “in quotes” as a phrase.",
    ),
    "search_button": ("Suchen", "Search"),
    "filters": ("Filter", "Filters"),
    "apply_filters": ("Filter anwenden", "Apply filters"),
    "reset_filters": ("Filter zurücksetzen", "Clear filters"),
    "facet_office": ("Dienststelle (mit untergeordneten)", "Office (with sub-offices)"),
    "facet_status": ("Status", "Status"),
    "facet_element_type": ("Elementart", "Element type"),
    "facet_system": ("IT-System", "IT system"),
    "facet_medium": ("Medium", "Medium"),
    "facet_breaks": ("Medienbrüche", "Media breaks"),
    "only_breaks": ("Nur Prozesse mit Medienbrüchen", "Only processes with media breaks"),
    "any_office": ("Alle Dienststellen", "All offices"),
    "results": ("Treffer", "Results"),
    "total": ("{count} Treffer", "{count} results"),
    "total_one": ("1 Treffer", "1 result"),
    "none": ("Keine Treffer.", "No results."),
    "enter_query": (
        "Geben Sie Suchbegriffe ein oder wählen Sie Filter.",
        "Enter search terms or choose filters.",
    ),
    "version_status": ("Version {n} · {status}", "Version {n} · {status}"),
    "matched_in": ("Gefunden in", "Matched in"),
    "previous": ("Zurück", "Previous"),
    "next": ("Weiter", "Next"),
    "page_of": ("Treffer {first}–{last} von {total}", "Results {first}–{last} of {total}"),
    # where a hit matched (SearchMatch.field)
    "field_title": ("Titel", "Title"),
    "field_key": ("Kennung", "Key"),
    "field_leika_key": ("LeiKa-/FIM-Schlüssel", "LeiKa/FIM key"),
    "field_tags": ("Schlagwort", "Tag"),
    "field_description": ("Beschreibung", "Description"),
    "field_office": ("Dienststelle", "Office"),
    "field_element": ("Schritt", "Step"),
    "field_documentation": ("Dokumentation", "Documentation"),
    "field_role": ("Rolle", "Role"),
    "field_partner": ("Partner", "Partner"),
    "field_document": ("Dokument", "Document"),
    "field_system": ("IT-System", "IT system"),
    "field_medium": ("Medium", "Medium"),
}


def _translator(lang: str) -> i18n.Translate:
    return i18n.translator(lang, MESSAGES)


@dataclass(frozen=True)
class Snippet:
    """A match as the page shows it: where (a label), the text in parts (marked or not), and
    the link that opens the process at the element."""

    where: str
    parts: list[tuple[str, bool]]
    href: str


def marked_parts(highlight: str) -> list[tuple[str, bool]]:
    """`a «b» c` → [("a ", False), ("b", True), (" c", False)]; the template escapes each part."""
    parts: list[tuple[str, bool]] = []
    rest = highlight
    while rest:
        start = rest.find("«")
        end = rest.find("»", start + 1) if start >= 0 else -1
        if start < 0 or end < 0:
            parts.append((rest, False))
            break
        if start:
            parts.append((rest[:start], False))
        parts.append((rest[start + 1 : end], True))
        rest = rest[end + 1 :]
    return [part for part in parts if part[0]]


def process_href(process_id: int, element_id: str | None) -> str:
    if element_id:
        return f"/processes/{process_id}?{urlencode({'element': element_id})}"
    return f"/processes/{process_id}"


def _snippet(process_id: int, match: SearchMatch, g: i18n.Translate) -> Snippet:
    key = f"field_{match.field}"
    where = g(key) if key in MESSAGES else match.field
    return Snippet(where, marked_parts(match.highlight), process_href(process_id, match.element_id))


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    session: SessionDep,
    user: PageUser,
    q: Annotated[str, Query(max_length=500)] = "",
    office: Annotated[str, Query(alias="office_id", max_length=12)] = "",
    status: _Values = [],  # noqa: B006 (FastAPI copies defaults)
    element_type: _Values = [],  # noqa: B006
    system: _Values = [],  # noqa: B006
    medium: _Values = [],  # noqa: B006
    has_media_breaks: bool | None = None,
    offset: Annotated[int, Query(ge=0, le=search_service.MAX_OFFSET)] = 0,
) -> Response:
    lang = i18n.lang_of(request)
    g = _translator(lang)
    # "" is the "all offices" choice; anything else but an office number is ignored
    office_id = int(office) if office.isdigit() and 1 <= int(office) < 2**31 else None
    query = search_service.SearchQuery(
        q=q,
        office_id=office_id,
        status=tuple(status),
        element_type=tuple(element_type),
        system=tuple(system),
        medium=tuple(medium),
        has_media_breaks=has_media_breaks or None,
        limit=PAGE,
        offset=offset,
        language=lang,
    )
    filtered = bool(office_id or status or element_type or system or medium or has_media_breaks)
    asked = bool(q.strip()) or filtered
    result = search_service.search(session, actor=user, query=query) if asked else None
    hits = []
    if result is not None:
        for item in result.items:
            first = next((m.element_id for m in item.matches if m.element_id), None)
            hits.append(
                {
                    "item": item,
                    "href": process_href(item.process_id, first),
                    "snippets": [_snippet(item.process_id, m, g) for m in item.matches],
                }
            )
    params: list[tuple[str, str]] = [("q", q)] if q else []
    if office_id:
        params.append(("office_id", str(office_id)))
    for name, values in (
        ("status", status),
        ("element_type", element_type),
        ("system", system),
        ("medium", medium),
    ):
        params.extend((name, value) for value in values)
    if has_media_breaks:
        params.append(("has_media_breaks", "true"))
    base = "/search?" + urlencode(params) + ("&" if params else "")
    return render(
        request,
        "search.html",
        user=user,
        g=g,
        q=q,
        result=result,
        hits=hits,
        selected={
            "office_id": str(office_id) if office_id else "",
            "status": set(status),
            "element_type": set(element_type),
            "system": set(system),
            "medium": set(medium),
            "has_media_breaks": bool(has_media_breaks),
        },
        filtered=filtered,
        offset=offset,
        page_size=PAGE,
        page_base=base,
        max_offset=search_service.MAX_OFFSET,
    )
