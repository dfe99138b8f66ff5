"""Catalogue search: `GET /search` with facet filters and `GET /search/suggest` while typing."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import LanguageDep, SessionDep
from app.auth import CurrentUser
from app.schemas import INT_MAX, SearchResult, SuggestResult
from app.services import search as search_service

router = APIRouter(prefix="/search", tags=["search"])

_Values = Annotated[list[str], Query(max_length=20)]


@router.get("", response_model=SearchResult)
def search(
    session: SessionDep,
    actor: CurrentUser,
    lang: LanguageDep,
    q: Annotated[str, Query(max_length=500, description='words; "a phrase" in quotes')] = "",
    office_id: Annotated[
        int | None, Query(ge=1, le=INT_MAX, description="with its sub-offices")
    ] = None,
    status: _Values = [],  # noqa: B006 (FastAPI copies defaults)
    element_type: _Values = [],  # noqa: B006
    system: _Values = [],  # noqa: B006
    medium: _Values = [],  # noqa: B006
    has_media_breaks: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=search_service.MAX_LIMIT)] = 20,
    offset: Annotated[int, Query(ge=0, le=search_service.MAX_OFFSET)] = 0,
) -> SearchResult:
    """Processes matching all words of `q` (the last one also as a prefix), best first; the
    facets count the hits the caller may see. Repeat a facet parameter to allow several values."""
    return search_service.search(
        session,
        actor=actor,
        query=search_service.SearchQuery(
            q=q,
            office_id=office_id,
            status=tuple(status),
            element_type=tuple(element_type),
            system=tuple(system),
            medium=tuple(medium),
            has_media_breaks=has_media_breaks,
            limit=limit,
            offset=offset,
            language=lang,
        ),
    )


@router.get("/suggest", response_model=SuggestResult)
def suggest(
    session: SessionDep,
    actor: CurrentUser,
    q: Annotated[str, Query(max_length=200)] = "",
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> SuggestResult:
    """Completions of what is typed: process titles, IT systems and roles starting with it."""
    return search_service.suggest(session, actor=actor, prefix=q, limit=limit)
