"""The glossary: roles, IT systems, documents and partners with where-used; curation by admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import PagingDep, SessionDep
from app.auth import CurrentUser
from app.services import glossary as glossary_service
from app.services.glossary import EntryDetail, EntryPage, EntryUpdate, MergeRequest, SplitRequest

router = APIRouter(prefix="/glossary", tags=["glossary"])

Kind = Annotated[
    str | None, Query(pattern=r"^(role|system|document|partner)$", description="entry kind")
]


@router.get("", response_model=EntryPage)
def list_entries(
    session: SessionDep,
    actor: CurrentUser,
    page: PagingDep,
    kind: Kind = None,
    q: Annotated[str | None, Query(max_length=200, description="filter by name")] = None,
) -> EntryPage:
    """Entries used in the processes the caller may see, by name, each with how many use it.

    `q` matches folded names (case, umlauts, ß; "ae" for "ä") and inflected forms.
    """
    return glossary_service.list_entries(
        session, actor=actor, kind=kind, q=q, limit=page.limit, offset=page.offset
    )


@router.get("/systems")
def system_names(session: SessionDep, actor: CurrentUser) -> list[str]:
    """IT system names of the glossary used where the caller may look (`pa:system` suggestions)."""
    return glossary_service.system_names(session, actor=actor)


@router.get("/{entry_id}", response_model=EntryDetail)
def get_entry(
    session: SessionDep,
    actor: CurrentUser,
    entry_id: int,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> EntryDetail:
    """One entry with its written variants, media and where-used (the processes the caller may
    see, a page of `limit` by office and title, each with version and element ids)."""
    return glossary_service.get_entry(
        session, actor=actor, entry_id=entry_id, limit=limit, offset=offset
    )


@router.patch("/{entry_id}", response_model=EntryDetail)
def update_entry(
    session: SessionDep, actor: CurrentUser, entry_id: int, data: EntryUpdate
) -> EntryDetail:
    """Rename, describe, or set the kind (`"kind": "system"` marks it as an IT system; the
    answer is then the system entry). Admins only."""
    entry = glossary_service.update_entry(session, actor=actor, entry_id=entry_id, data=data)
    return glossary_service.get_entry(session, actor=actor, entry_id=entry.id)


@router.post("/{entry_id}/merge", response_model=EntryDetail)
def merge(
    session: SessionDep, actor: CurrentUser, entry_id: int, data: MergeRequest
) -> EntryDetail:
    """Merge the entries `entry_ids` (synonyms) into this one, for good. Admins only."""
    entry = glossary_service.merge(session, actor=actor, entry_id=entry_id, data=data)
    return glossary_service.get_entry(session, actor=actor, entry_id=entry.id)


@router.post("/{entry_id}/split", response_model=EntryDetail, status_code=201)
def split(
    session: SessionDep, actor: CurrentUser, entry_id: int, data: SplitRequest
) -> EntryDetail:
    """Move written `variants` of this entry into an entry of their own called `name`; the
    answer is that entry. Admins only."""
    entry = glossary_service.split(session, actor=actor, entry_id=entry_id, data=data)
    return glossary_service.get_entry(session, actor=actor, entry_id=entry.id)
