"""Keeping the search index in step with the catalogue, in the writer's transaction.

A process has one search document per kind: `released` (its newest approved version) and
`draft` (its newest version, when that is not the released one). Until the review workflow
lands every version is a draft, so a process has its newest version as its one document. An
archived process or one without a version has none. Each write of `app.services.processes`
calls `index_process` (or `index_new` for a bulk import); `reindex_all` rebuilds everything.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.orm import Session

from app.bpmn.search_text import FieldBuilder, folded_prefix, local_words
from app.models import Office, Process, ProcessVersion, SearchDocument, SearchFacet, VersionStatus

_DOCUMENT = cast(Table, SearchDocument.__table__)
_FACET = cast(Table, SearchFacet.__table__)

#: Words indexed for a medium, German and English, so "Papier" or "Fax" finds the steps.
MEDIUM_WORDS = {
    "paper": "Papier Post paper",
    "fax": "Fax",
    "phone": "Telefon phone",
    "in_person": "persönlich vor Ort in person",
    "email": "E-Mail email",
    "office_file": "Office-Datei Excel Word office file",
    "it_system": "IT-System Fachverfahren IT system",
}
#: Element types whose name is a role (they go into the role field, not the element field).
ROLE_TYPES = frozenset({"lane", "participant"})
#: The facets whose values are counted (`search_document.facets`: "facet=value" joined by this).
COUNTED = ("element_type", "system", "medium")
FACET_SEPARATOR = "\x1f"
#: Longest value kept for a facet or a suggestion (the column's width).
MAX_VALUE = 200


@dataclass(frozen=True)
class Source:
    """What one search document is made of."""

    process_id: int
    office_id: int
    office_name: str
    key: str
    title: str
    description: str
    leika_key: str | None
    tags: Sequence[str]
    updated_at: datetime
    version: int
    status: str
    extraction: dict[str, Any]
    analysis: dict[str, Any]


def kind_of(status: str) -> str:
    return "released" if status == VersionStatus.APPROVED.value else "draft"


def build(source: Source) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The row of a search document and its (facet, value) pairs."""
    extraction = source.extraction
    language = str(extraction.get("language") or "de")
    elements: list[dict[str, Any]] = list(extraction.get("elements") or [])
    texts = [source.title, source.description]
    texts.extend(str(e.get("name") or "") for e in elements)
    local = local_words(texts)

    title = FieldBuilder(language, local)
    title.add(source.title)
    title.add(source.key.replace("-", " ").replace("_", " "))
    title.add(source.leika_key)
    for tag in source.tags:
        title.add(tag)
    for name in extraction.get("names", ()):  # the model's own title(s)
        title.add(name)

    role = FieldBuilder(language, local)
    for entry in (*extraction.get("roles", ()), *extraction.get("partners", ())):
        role.add(entry.get("name"))
    for entry in extraction.get("systems", ()):
        role.add(entry.get("name"))
    role.add(source.office_name)

    element = FieldBuilder(language, local)
    documentation = FieldBuilder(language, local)
    documentation.add(source.description)
    for item in elements:
        if item.get("type") not in ROLE_TYPES:
            element.add(item.get("name"))
        documentation.add(item.get("documentation"))
    media: dict[str, str] = dict(source.analysis.get("media") or {})
    for medium in dict.fromkeys(media.values()):
        documentation.add(MEDIUM_WORDS.get(medium, medium))
    breaks = bool(source.analysis.get("media_breaks"))
    if breaks:
        documentation.add("Medienbruch media break")
    if source.analysis.get("automation_candidates"):
        documentation.add("Automatisierung automation")

    facets: dict[tuple[str, str], None] = {}
    for item in elements:
        if item.get("type"):
            facets["element_type", str(item["type"])] = None
    for entry in extraction.get("systems", ()):
        facets["system", str(entry.get("name") or "")[:MAX_VALUE]] = None
    for medium in media.values():
        facets["medium", str(medium)] = None
    for entry in extraction.get("roles", ()):
        facets["role", str(entry.get("name") or "")[:MAX_VALUE]] = None
    counted = [f"{facet}={value}" for facet, value in facets if value and facet in COUNTED]
    row = {
        "facets": FACET_SEPARATOR.join(counted),
        "process_id": source.process_id,
        "kind": kind_of(source.status),
        "office_id": source.office_id,
        "version": source.version,
        "status": source.status,
        "title": source.title[:300],
        "title_key": folded_prefix(source.title)[:300],
        "updated_at": source.updated_at,
        "has_media_breaks": breaks,
        "t_title": title.text(),
        "t_role": role.text(),
        "t_element": element.text(),
        "t_doc": documentation.text(),
    }
    return row, [(facet, value) for facet, value in facets if value]


def write(session: Session, sources: Iterable[Source]) -> int:
    """Insert the documents of `sources` (their processes have none at this point), batched."""
    built = [build(source) for source in sources]
    if not built:
        return 0
    ids: dict[tuple[int, str], int] = {
        (process_id, kind): doc_id
        for process_id, kind, doc_id in session.execute(
            insert(_DOCUMENT).returning(_DOCUMENT.c.process_id, _DOCUMENT.c.kind, _DOCUMENT.c.id),
            [row for row, _facets in built],
        )
    }
    facet_rows = [
        {
            "document_id": ids[row["process_id"], row["kind"]],
            "facet": facet,
            "value": value,
            "key": folded_prefix(value)[:MAX_VALUE],
        }
        for row, facets in built
        for facet, value in facets
    ]
    if facet_rows:
        session.execute(insert(_FACET), facet_rows)
    return len(built)


def remove(session: Session, process_ids: Sequence[int]) -> None:
    """Drop the documents of processes (their facets go with them)."""
    if not process_ids:
        return
    documents = select(SearchDocument.id).where(SearchDocument.process_id.in_(process_ids))
    session.execute(
        delete(SearchFacet)
        .where(SearchFacet.document_id.in_(documents))
        .execution_options(synchronize_session=False)
    )
    session.execute(
        delete(SearchDocument)
        .where(SearchDocument.process_id.in_(process_ids))
        .execution_options(synchronize_session=False)
    )


def _sources(
    session: Session,
    process_ids: Sequence[int] | None,
    known: dict[int, tuple[dict[str, Any], dict[str, Any]]] | None = None,
) -> list[Source]:
    """The sources of the processes' documents (all processes when `process_ids` is None) that
    are not archived: the newest version, and the newest approved one when a draft is newer;
    `known` holds the newest version's (extraction, analysis) already in memory by process id."""
    from app.services.processes import extraction_of

    query = (
        select(Process, Office.name, ProcessVersion)
        .join(Office, Office.id == Process.office_id)
        .join(
            ProcessVersion,
            (ProcessVersion.process_id == Process.id)
            & (ProcessVersion.number == Process.latest_version),
        )
        .where(Process.archived_at.is_(None))
        .order_by(Process.id)
    )
    if process_ids is not None:
        query = query.where(Process.id.in_(process_ids))
    rows = [(process, name, version) for process, name, version in session.execute(query)]
    # The released version beside a newer draft: the newest approved one below the newest.
    drafts = {
        process.id: (process, office_name)
        for process, office_name, version in rows
        if kind_of(version.status) == "draft"
    }
    if drafts:
        newest_approved = (
            select(ProcessVersion.process_id, func.max(ProcessVersion.number).label("number"))
            .where(
                ProcessVersion.status == VersionStatus.APPROVED.value,
                ProcessVersion.process_id.in_(list(drafts)),
            )
            .group_by(ProcessVersion.process_id)
            .subquery()
        )
        released = session.scalars(
            select(ProcessVersion).join(
                newest_approved,
                (newest_approved.c.process_id == ProcessVersion.process_id)
                & (newest_approved.c.number == ProcessVersion.number),
            )
        )
        rows += [(*drafts[version.process_id], version) for version in released]
    sources: list[Source] = []
    for process, office_name, version in rows:
        if known and process.id in known and version.number == process.latest_version:
            extraction, analysis = known[process.id]
        else:
            extraction = extraction_of(session, version)
            analysis = version.analysis or {}
        sources.append(
            Source(
                process_id=process.id,
                office_id=process.office_id,
                office_name=office_name,
                key=process.key,
                title=process.title,
                description=process.description or "",
                leika_key=process.leika_key,
                tags=list(process.tags or []),
                updated_at=process.updated_at,
                version=version.number,
                status=version.status,
                extraction=extraction,
                analysis=analysis,
            )
        )
    return sources


def index_process(
    session: Session,
    process_id: int,
    *,
    extraction: dict[str, Any] | None = None,
    analysis: dict[str, Any] | None = None,
) -> None:
    """Rebuild the documents of one process after any change to it (in the caller's
    transaction); `extraction` and `analysis` of its newest version when the caller has them."""
    session.flush()
    remove(session, [process_id])
    known = None
    if extraction is not None and analysis is not None:
        known = {process_id: (extraction, analysis)}
    write(session, _sources(session, [process_id], known))


def index_new(session: Session, items: Sequence[tuple[int, dict[str, Any], dict[str, Any]]]) -> int:
    """Index processes a bulk import has just inserted: (process id, extraction, analysis)."""
    if not items:
        return 0
    known = {process_id: (extraction, analysis) for process_id, extraction, analysis in items}
    return write(session, _sources(session, list(known), known))


def index_office(session: Session, office_id: int) -> None:
    """Rebuild the documents of an office's processes (after a rename)."""
    ids = list(session.scalars(select(Process.id).where(Process.office_id == office_id)))
    remove(session, ids)
    write(session, _sources(session, ids))


def fill_if_empty(session: Session) -> int:
    """Build the index when it is empty but processes with versions exist (a database migrated
    from before the index); returns the number of documents written."""
    if session.scalar(select(SearchDocument.id).limit(1)) is not None:
        return 0
    stored = select(Process.id).where(Process.archived_at.is_(None), Process.latest_version > 0)
    if session.scalar(stored.limit(1)) is None:
        return 0
    return reindex_all(session)


def reindex_all(session: Session, batch: int = 500) -> int:
    """Rebuild the whole index (`prozessatlas reindex`); returns the number of documents."""
    session.execute(delete(SearchFacet).execution_options(synchronize_session=False))
    session.execute(delete(SearchDocument).execution_options(synchronize_session=False))
    ids = list(
        session.scalars(
            select(Process.id)
            .where(Process.archived_at.is_(None), Process.latest_version > 0)
            .order_by(Process.id)
        )
    )
    written = 0
    for start in range(0, len(ids), batch):
        written += write(session, _sources(session, ids[start : start + batch]))
        session.flush()
        session.expunge_all()
    return written
