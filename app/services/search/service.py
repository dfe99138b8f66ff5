"""The search use cases: query, ranking, facets and permissions."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.models import User
from app.schemas import SearchFacets, SearchResult, SuggestResult

#: Bounds of a page of hits (the API refuses more with 422).
MAX_LIMIT = 100
MAX_OFFSET = 1000


@dataclass(frozen=True)
class SearchQuery:
    """A search: the text as typed plus facet filters (values of one facet are OR-ed, facets
    AND-ed)."""

    q: str
    office_id: int | None = None
    status: tuple[str, ...] = ()
    element_type: tuple[str, ...] = ()
    system: tuple[str, ...] = ()
    medium: tuple[str, ...] = ()
    has_media_breaks: bool | None = None
    limit: int = 20
    offset: int = 0
    language: str = "de"


def search(session: Session, *, actor: User, query: SearchQuery) -> SearchResult:
    # Interim: the contract first (no index yet, so nothing is found); the index follows.
    return SearchResult(total=0, items=[], facets=SearchFacets())


def suggest(session: Session, *, actor: User, prefix: str, limit: int = 10) -> SuggestResult:
    return SuggestResult(items=[])  # interim, see `search`
