"""The search use cases: query, ranking, facets, permissions, matches and suggestions.

Permissions: a user sees the documents of the offices they have a role on (drafts included)
and the released documents of every other office; never another office's drafts, neither as
hits nor in the facet counts (the counts are taken over the same visible, filtered hits).
Facet values of one facet are OR-ed, facets AND-ed; the counts are those of the hits as
filtered. Ranking: the back-end's weighted score (title/key > role/system > element names >
documentation), then the newest change first.
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    exists,
    func,
    literal,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session, aliased

from app.bpmn.search_text import (
    MARK_CLOSE,
    MARK_OPEN,
    Highlighter,
    Query,
    Term,
    folded_prefix,
    parse_query,
)
from app.models import Office, Process, ProcessVersion, SearchDocument, SearchFacet, User
from app.schemas import (
    Facet,
    SearchFacets,
    SearchHit,
    SearchMatch,
    SearchOffice,
    SearchResult,
    Suggestion,
    SuggestResult,
)
from app.services import access
from app.services.search.backend import for_session
from app.services.search.index import FACET_SEPARATOR, MEDIUM_WORDS

#: Bounds of a page of hits (the API refuses more with 422).
MAX_LIMIT = 100
MAX_OFFSET = 1000
#: Values listed per facet (the most frequent first).
FACET_VALUES = 30
#: Matches shown per hit, and at most this many of one kind of field (title and key are one).
MAX_MATCHES = 8
MAX_PER_FIELD = 3

FACET_KINDS = ("element_type", "system", "medium")

STATUS_LABELS = {
    "draft": ("Entwurf", "Draft"),
    "in_review": ("In Prüfung", "In review"),
    "approved": ("Freigegeben", "Approved"),
    "changes_requested": ("Änderungen angefordert", "Changes requested"),
    "superseded": ("Abgelöst", "Superseded"),
}
MEDIUM_LABELS = {
    "paper": ("Papier", "Paper"),
    "fax": ("Fax", "Fax"),
    "phone": ("Telefon", "Phone"),
    "in_person": ("Persönlich", "In person"),
    "email": ("E-Mail", "Email"),
    "office_file": ("Office-Datei", "Office file"),
    "it_system": ("IT-System", "IT system"),
}
ELEMENT_LABELS = {
    "task": ("Aufgabe", "Task"),
    "userTask": ("Benutzeraufgabe", "User task"),
    "manualTask": ("Manuelle Aufgabe", "Manual task"),
    "serviceTask": ("Serviceaufgabe", "Service task"),
    "scriptTask": ("Skriptaufgabe", "Script task"),
    "sendTask": ("Sendeaufgabe", "Send task"),
    "receiveTask": ("Empfangsaufgabe", "Receive task"),
    "businessRuleTask": ("Geschäftsregelaufgabe", "Business rule task"),
    "subProcess": ("Teilprozess", "Sub-process"),
    "callActivity": ("Aufrufaktivität", "Call activity"),
    "startEvent": ("Startereignis", "Start event"),
    "endEvent": ("Endereignis", "End event"),
    "intermediateCatchEvent": ("Zwischenereignis (eintretend)", "Intermediate catch event"),
    "intermediateThrowEvent": ("Zwischenereignis (auslösend)", "Intermediate throw event"),
    "boundaryEvent": ("Randereignis", "Boundary event"),
    "exclusiveGateway": ("Exklusives Gateway", "Exclusive gateway"),
    "parallelGateway": ("Paralleles Gateway", "Parallel gateway"),
    "inclusiveGateway": ("Inklusives Gateway", "Inclusive gateway"),
    "eventBasedGateway": ("Ereignisbasiertes Gateway", "Event-based gateway"),
    "dataObjectReference": ("Datenobjekt", "Data object"),
    "dataObject": ("Datenobjekt", "Data object"),
    "dataStoreReference": ("Datenspeicher", "Data store"),
    "lane": ("Lane (Rolle)", "Lane (role)"),
    "participant": ("Pool", "Pool"),
    "messageFlow": ("Nachrichtenfluss", "Message flow"),
}


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


def _label(labels: dict[str, tuple[str, str]], value: str, language: str) -> str:
    pair = labels.get(value)
    if pair is None:
        return value
    return pair[1] if language == "en" else pair[0]


_Draft = aliased(SearchDocument)


def _visible(session: Session, actor: User) -> ColumnElement[bool]:
    """Documents the actor may see: drafts in their offices, released versions everywhere; where
    they see a process's newer draft, that one instead of its released version."""
    released = SearchDocument.kind == "released"
    if actor.is_admin:
        mine: ColumnElement[bool] = literal(True)
    else:
        offices = list(access.effective_roles(session, actor))
        if not offices:
            return released
        mine = SearchDocument.office_id.in_(offices)
    has_draft = exists().where(
        _Draft.process_id == SearchDocument.process_id, _Draft.kind == "draft"
    )
    return or_(
        and_(SearchDocument.kind == "draft", mine),
        and_(released, ~and_(mine, has_draft)),
    )


def _subtree(session: Session, office_id: int) -> list[int]:
    parents: dict[int, int | None] = dict(
        session.execute(select(Office.id, Office.parent_id)).all()
    )
    children: dict[int, list[int]] = {}
    for child, parent in parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(child)
    found: list[int] = []
    todo = [office_id] if office_id in parents else []
    while todo:
        node = todo.pop()
        if node in found:
            continue
        found.append(node)
        todo.extend(children.get(node, ()))
    return found


def _filters(session: Session, actor: User, query: SearchQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [_visible(session, actor)]
    if query.office_id is not None:
        conditions.append(SearchDocument.office_id.in_(_subtree(session, query.office_id)))
    if query.status:
        conditions.append(SearchDocument.status.in_(query.status))
    if query.has_media_breaks is not None:
        conditions.append(SearchDocument.has_media_breaks.is_(query.has_media_breaks))
    for facet in FACET_KINDS:
        values: tuple[str, ...] = getattr(query, facet)
        if values:
            conditions.append(
                exists().where(
                    SearchFacet.document_id == SearchDocument.id,
                    SearchFacet.facet == facet,
                    SearchFacet.value.in_(values),
                )
            )
    return conditions


def search(session: Session, *, actor: User, query: SearchQuery) -> SearchResult:
    """The page of hits the actor may see, best first, with the facets of all of them."""
    return _search(session, actor, query, parse_query(query.q))


def _search(session: Session, actor: User, query: SearchQuery, parsed: Query) -> SearchResult:
    conditions = _filters(session, actor, query)
    if parsed.empty:
        base: Select[int, float] = select(SearchDocument.id, literal(0.0).label("score")).where(
            and_(*conditions)
        )
    else:
        # Ranked with the filters applied: only what the actor may see and asked for is scored.
        base = for_session(session).hits(parsed, conditions)
    # One query and one pass over the hits for the page, the total and every facet (ADR 0018
    # addendum): the full-text match runs once, not once for the page and once for the counts;
    # the page is the top of the scored rows (score, newest change, process id; all descending).
    # Reading the facet values with the hits and counting them here is ~3x faster than grouping
    # facet rows in the database; Core rows, as the ORM's result machinery costs as much as the
    # query for 10 000 rows. `updated_at` as stored (one format per database) orders the same.
    rows = (
        session.connection()
        .execute(
            base.add_columns(
                type_coerce(SearchDocument.updated_at, String).label("updated"),
                SearchDocument.process_id,
                SearchDocument.version,
                SearchDocument.status,
                SearchDocument.title,
                SearchDocument.office_id,
                SearchDocument.facets,
            )
        )
        .all()
    )
    offset = min(query.offset, MAX_OFFSET)
    best = heapq.nlargest(
        offset + min(query.limit, MAX_LIMIT),
        rows,
        key=lambda row: (float(row.score or 0.0), row.updated, row.process_id),
    )
    page = best[offset:]
    groups: Counter[tuple[int, str]] = Counter((row.office_id, row.status) for row in rows)
    joined = FACET_SEPARATOR.join(row.facets for row in rows if row.facets)
    values: Counter[str] = Counter(joined.split(FACET_SEPARATOR) if joined else ())
    counts = [(office, status, count) for (office, status), count in groups.items()]
    total = sum(groups.values())
    facet_counts = []
    for pair, count in values.items():
        facet, _, value = pair.partition("=")
        facet_counts.append((facet, value, count))

    office_ids = {office for office, _s, _c in counts} | {row.office_id for row in page}
    names: dict[int, str] = (
        dict(session.execute(select(Office.id, Office.name).where(Office.id.in_(office_ids))).all())
        if office_ids
        else {}
    )
    facets = _facets(counts, facet_counts, names, query.language)
    items = _hits(session, page, names, parsed.all_terms(), query)
    return SearchResult(total=total, items=items, facets=facets)


def _top(entries: dict[str, int], label: Any) -> list[Facet]:
    ordered = sorted(entries.items(), key=lambda item: (-item[1], item[0]))[:FACET_VALUES]
    return [Facet(value=value, label=label(value), count=count) for value, count in ordered]


def _facets(counts: Any, facet_counts: Any, names: dict[int, str], language: str) -> SearchFacets:
    offices: dict[str, int] = {}
    statuses: dict[str, int] = {}
    for office_id, status, count in counts:
        offices[str(office_id)] = offices.get(str(office_id), 0) + count
        statuses[status] = statuses.get(status, 0) + count
    per_kind: dict[str, dict[str, int]] = {kind: {} for kind in FACET_KINDS}
    for facet, value, count in facet_counts:
        if facet in per_kind:
            per_kind[facet][value] = count
    return SearchFacets(
        office=_top(offices, lambda v: names.get(int(v), v)),
        status=_top(statuses, lambda v: _label(STATUS_LABELS, v, language)),
        element_type=_top(per_kind["element_type"], lambda v: _label(ELEMENT_LABELS, v, language)),
        system=_top(per_kind["system"], lambda v: v),
        medium=_top(per_kind["medium"], lambda v: _label(MEDIUM_LABELS, v, language)),
    )


# --- matches ------------------------------------------------------------------------------------

#: The order in which matches are listed (the ranking's fields).
_FIELD_ORDER = {
    name: rank
    for rank, name in enumerate(
        (
            "title",
            "key",
            "leika_key",
            "tags",
            "role",
            "system",
            "partner",
            "office",
            "element",
            "document",
            "description",
            "documentation",
            "medium",
        )
    )
}


def _hits(
    session: Session, page: Any, names: dict[int, str], terms: tuple[Term, ...], query: SearchQuery
) -> list[SearchHit]:
    if not page:
        return []
    process_ids = [row.process_id for row in page]
    processes = {
        process.id: process
        for process in session.scalars(select(Process).where(Process.id.in_(process_ids)))
    }
    extractions: dict[tuple[int, int], tuple[dict[str, Any], dict[str, str]]] = {
        (process_id, number): (extraction or {}, media or {})
        for process_id, number, extraction, media in session.execute(
            select(
                ProcessVersion.process_id,
                ProcessVersion.number,
                ProcessVersion.extraction,
                ProcessVersion.analysis["media"],  # element id -> medium, not the whole analysis
            )
            .where(ProcessVersion.process_id.in_(process_ids))
            .where(
                or_(
                    *(
                        and_(
                            ProcessVersion.process_id == row.process_id,
                            ProcessVersion.number == row.version,
                        )
                        for row in page
                    )
                )
            )
        )
    }
    items = []
    marker = Highlighter(terms)  # one per page: every distinct word is judged once
    for row in page:
        process = processes[row.process_id]
        extraction, media = extractions.get((row.process_id, row.version), ({}, {}))
        matches = (
            _matches(process, names.get(row.office_id, ""), extraction, media, marker, query)
            if terms
            else []
        )
        items.append(
            SearchHit(
                process_id=row.process_id,
                title=row.title,
                office=SearchOffice(id=row.office_id, name=names.get(row.office_id, "")),
                version=row.version,
                status=row.status,
                score=float(row.score or 0.0),
                matches=matches,
            )
        )
    return items


def _matches(
    process: Process,
    office_name: str,
    extraction: dict[str, Any],
    media: dict[str, str],
    highlight: Highlighter,
    query: SearchQuery,
) -> list[SearchMatch]:
    """Where the words of the query occur in a hit, strongest field first."""
    found: list[SearchMatch] = []
    seen: set[tuple[str, str | None, str]] = set()

    def check(
        field: str, text: str | None, element_id: str | None = None, type_: str | None = None
    ) -> None:
        if not text or (field, element_id, text) in seen:
            return
        marked, matched = highlight(text)
        if matched:
            seen.add((field, element_id, text))
            found.append(
                SearchMatch(
                    field=field,
                    element_id=element_id,
                    element_type=type_,
                    text=text,
                    highlight=marked,
                )
            )

    check("title", process.title)
    check("key", process.key)
    check("leika_key", process.leika_key)
    for tag in process.tags or []:
        check("tags", tag)
    for name in extraction.get("names", ()):
        check("title", name)
    check("office", office_name)
    check("description", process.description)
    types = {str(e.get("id")): str(e.get("type")) for e in extraction.get("elements", ())}
    for entry in extraction.get("roles", ()):
        ids = entry.get("ids") or [None]
        check("role", entry.get("name"), ids[0], types.get(str(ids[0])))
    for entry in extraction.get("partners", ()):
        ids = entry.get("ids") or [None]
        check("partner", entry.get("name"), ids[0], types.get(str(ids[0])))
    for entry in extraction.get("systems", ()):
        ids = entry.get("ids") or [None]
        check("system", entry.get("name"), ids[0], types.get(str(ids[0])))
    wanted = set(query.element_type)
    for element in extraction.get("elements", ()):
        type_ = element.get("type")
        if wanted and type_ not in wanted:
            continue
        field = "document" if str(type_).startswith("data") else "element"
        if type_ not in {"lane", "participant"}:
            check(field, element.get("name"), element.get("id"), type_)
        check("documentation", element.get("documentation"), element.get("id"), type_)
    # A medium matches by its words in the index ("Papier", "paper", "Post"); shown by its label.
    for element_id, medium in media.items() if isinstance(media, dict) else ():
        type_ = types.get(str(element_id))
        if wanted and type_ not in wanted:
            continue
        if highlight(MEDIUM_WORDS.get(medium, medium))[1]:
            label = _label(MEDIUM_LABELS, medium, query.language)
            found.append(
                SearchMatch(
                    field="medium",
                    element_id=element_id,
                    element_type=type_,
                    text=label,
                    highlight=MARK_OPEN + label + MARK_CLOSE,
                )
            )
    found.sort(key=lambda match: _FIELD_ORDER.get(match.field, 99))
    shown: list[SearchMatch] = []
    per_field: Counter[str] = Counter()
    for match in found:  # every field that matched, a few matches of each
        group = "title" if match.field in {"title", "key", "leika_key", "tags"} else match.field
        if per_field[group] < MAX_PER_FIELD:
            per_field[group] += 1
            shown.append(match)
    return shown[:MAX_MATCHES]


# --- suggestions --------------------------------------------------------------------------------


def _like(prefix: str) -> tuple[str, str]:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%", "% " + escaped + "%"


def suggest(session: Session, *, actor: User, prefix: str, limit: int = 10) -> SuggestResult:
    """Titles, IT systems and roles whose name (or one of its words) starts with `prefix`."""
    key = folded_prefix(prefix)
    if not key:
        return SuggestResult(items=[])
    start, word = _like(key)
    visible = _visible(session, actor)
    titles = session.execute(
        select(SearchDocument.title, SearchDocument.process_id)
        .where(
            visible,
            or_(
                SearchDocument.title_key.like(start, escape="\\"),
                SearchDocument.title_key.like(word, escape="\\"),
            ),
        )
        .order_by(SearchDocument.title_key.like(start, escape="\\").desc(), SearchDocument.title)
        .limit(limit)
    ).all()
    names = session.execute(
        select(SearchFacet.facet, SearchFacet.value, func.count())
        .join(SearchDocument, SearchDocument.id == SearchFacet.document_id)
        .where(
            visible,
            SearchFacet.facet.in_(("system", "role")),
            or_(SearchFacet.key.like(start, escape="\\"), SearchFacet.key.like(word, escape="\\")),
        )
        .group_by(SearchFacet.facet, SearchFacet.value)
        .order_by(func.count().desc(), SearchFacet.value)
        .limit(limit)
    ).all()
    items = [Suggestion(kind="title", text=title, process_id=pid) for title, pid in titles]
    items += [Suggestion(kind=facet, text=value) for facet, value, _count in names]
    # Systems first among the names, then by how many processes use them; titles beside them.
    ordered = sorted(
        items, key=lambda s: 0 if s.kind == "system" else 1 if s.kind == "title" else 2
    )
    return SuggestResult(items=ordered[:limit])
