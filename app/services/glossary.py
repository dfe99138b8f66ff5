"""The glossary: roles, IT systems, documents and partners of the catalogue, with where-used (ADR 0021).

Kept at save time: storing a version replaces its process's rows in `glossary_occurrence` with the
terms of the new version's stored extraction (no document is parsed again) and moves the per-office
counts in `glossary_usage`, in the caller's transaction. Each term finds its entry by the curation
first (a split's alias for the written variant), then by its normalized name; an entry merged into
another (a synonym, or marked as IT system) hands its terms on. Curation lives on the entries and
aliases, which are keyed by names, not by processes: it survives new versions and re-imports.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, and_, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from app.bpmn import glossary as terms_core
from app.db import utcnow
from app.errors import Forbidden, NotFound, Unprocessable
from app.models import (
    GlossaryAlias,
    GlossaryEntry,
    GlossaryOccurrence,
    GlossaryUsage,
    Office,
    Process,
    ProcessVersion,
    User,
)
from app.schemas import Input
from app.services import access, audit, counts

KINDS = terms_core.KINDS
_CHUNK = 500  # names per IN (...) list


# --- schemas --------------------------------------------------------------------------------


class EntryRead(BaseModel):
    id: int
    kind: str
    name: str
    description: str
    curated: bool
    processes: int = Field(description="processes using it that the caller may see")


class EntryPage(BaseModel):
    total: int
    items: list[EntryRead]


class Variant(BaseModel):
    variant: str
    names: list[str]
    processes: int


class Use(BaseModel):
    process_id: int
    title: str
    key: str
    office: dict[str, Any]
    version: int
    status: str | None
    names: list[str]
    media: list[str]
    element_ids: list[str]
    details: list[str]


class EntryDetail(EntryRead):
    merged_into: int | None = None
    merged_from: list[dict[str, Any]] = []
    variants: list[Variant] = []
    media: list[str] = []
    used_in: list[Use] = []
    used_in_total: int = 0


class EntryUpdate(Input):
    name: str | None = Field(default=None, min_length=1, max_length=terms_core.MAX_NAME)
    description: str | None = Field(default=None, max_length=10_000)
    kind: str | None = Field(
        default=None,
        pattern=r"^(role|system|document|partner)$",
        description="`system` marks the entry as an IT system",
    )


class MergeRequest(Input):
    entry_ids: list[int] = Field(min_length=1, max_length=100, description="merged into this one")


class SplitRequest(Input):
    variants: list[str] = Field(min_length=1, max_length=100, description="written names to move")
    name: str = Field(min_length=1, max_length=terms_core.MAX_NAME)


# --- kept at save time ------------------------------------------------------------------------


@dataclass(frozen=True)
class Newest:
    """The newest version of one process, as the glossary reads it."""

    process_id: int
    office_id: int
    version: int
    extraction: dict[str, Any] | None


def _chunks(values: Iterable[Any]) -> Iterable[list[Any]]:
    items = list(values)
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _final(session: Session, ids: set[int]) -> dict[int, int]:
    """Entry id -> the entry it ends up in (merges are kept one step deep)."""
    found: dict[int, int] = {}
    for chunk in _chunks(ids):
        for entry_id, merged in session.execute(
            select(GlossaryEntry.id, GlossaryEntry.merged_into_id).where(
                GlossaryEntry.id.in_(chunk)
            )
        ):
            found[entry_id] = merged or entry_id
    return found


def _resolve(session: Session, terms: Sequence[terms_core.Term]) -> dict[tuple[str, str], int]:
    """(kind, variant) -> entry id for every term, creating the entries of new names."""
    aliases: dict[tuple[str, str], int] = {}
    for chunk in _chunks({t.name.variant for t in terms}):
        for kind, variant, entry_id in session.execute(
            select(GlossaryAlias.kind, GlossaryAlias.variant, GlossaryAlias.entry_id).where(
                GlossaryAlias.variant.in_(chunk)
            )
        ):
            aliases[kind, variant] = entry_id
    by_key: dict[tuple[str, str], int] = {}

    def load(keys: Iterable[str]) -> None:
        for chunk in _chunks(keys):
            for entry_id, kind, key, merged in session.execute(
                select(
                    GlossaryEntry.id,
                    GlossaryEntry.kind,
                    GlossaryEntry.key,
                    GlossaryEntry.merged_into_id,
                ).where(GlossaryEntry.key.in_(chunk))
            ):
                by_key[kind, key] = merged or entry_id

    unaliased = [t for t in terms if (t.kind, t.name.variant) not in aliases]
    load({t.name.key for t in unaliased})
    missing: dict[tuple[str, str], terms_core.Term] = {}
    for term in unaliased:
        if (term.kind, term.name.key) not in by_key:
            missing.setdefault((term.kind, term.name.key), term)
    if missing:
        now = utcnow()
        statement = counts.insert_for(session)(GlossaryEntry).on_conflict_do_nothing(
            index_elements=[GlossaryEntry.kind, GlossaryEntry.key]
        )
        session.execute(
            statement,
            [
                {
                    "kind": kind,
                    "key": key,
                    "name": term.name.name,
                    "folded": term.name.variant,
                    "description": "",
                    "curated": False,
                    "created_at": now,
                    "updated_at": now,
                }
                for (kind, key), term in sorted(missing.items(), key=lambda item: item[0])
            ],
        )
        load({key for _, key in missing})
    final = _final(session, set(aliases.values()))
    resolved: dict[tuple[str, str], int] = {}
    for term in terms:
        alias = aliases.get((term.kind, term.name.variant))
        resolved[term.kind, term.name.variant] = (
            final.get(alias, alias) if alias is not None else by_key[term.kind, term.name.key]
        )
    return resolved


def _count(session: Session, changes: Counter[tuple[int, int]]) -> None:
    """Apply process-count changes per (entry, office); counts at zero are removed."""
    counts.apply(session, GlossaryUsage, ("entry_id", "office_id"), changes)


def _recount(session: Session, entry_ids: set[int]) -> None:
    """Count the usage of some entries again from their occurrences (after a curation)."""
    ids = list(entry_ids)
    session.execute(
        delete(GlossaryUsage)
        .where(GlossaryUsage.entry_id.in_(ids))
        .execution_options(synchronize_session=False)
    )
    rows = session.execute(
        select(
            GlossaryOccurrence.entry_id,
            GlossaryOccurrence.office_id,
            func.count(func.distinct(GlossaryOccurrence.process_id)),
        )
        .where(GlossaryOccurrence.entry_id.in_(ids))
        .group_by(GlossaryOccurrence.entry_id, GlossaryOccurrence.office_id)
    ).all()
    if rows:
        session.execute(
            insert(GlossaryUsage),
            [{"entry_id": e, "office_id": o, "processes": n} for e, o, n in rows],
        )


def record(session: Session, newest: Sequence[Newest]) -> None:
    """Make the glossary hold the terms of these newest versions in place of their processes'
    earlier ones: one call per save, or one per batch of an import."""
    if not newest:
        return
    process_ids = [item.process_id for item in newest]
    changes: Counter[tuple[int, int]] = Counter()
    for chunk in _chunks(process_ids):
        for _process_id, office_id, entry_id in session.execute(
            select(
                GlossaryOccurrence.process_id,
                GlossaryOccurrence.office_id,
                GlossaryOccurrence.entry_id,
            )
            .where(GlossaryOccurrence.process_id.in_(chunk))
            .distinct()
        ):
            changes[entry_id, office_id] -= 1
        session.execute(
            delete(GlossaryOccurrence)
            .where(GlossaryOccurrence.process_id.in_(chunk))
            .execution_options(synchronize_session=False)
        )
    found = {
        item.process_id: terms_core.terms(item.extraction) if item.extraction else []
        for item in newest
    }
    resolved = _resolve(session, [term for terms in found.values() for term in terms])
    rows: list[dict[str, Any]] = []
    for item in newest:
        used: set[int] = set()
        for term in found[item.process_id]:
            entry_id = resolved[term.kind, term.name.variant]
            used.add(entry_id)
            rows.append(
                {
                    "process_id": item.process_id,
                    "office_id": item.office_id,
                    "version": item.version,
                    "entry_id": entry_id,
                    "kind": term.kind,
                    "key": term.name.key,
                    "variant": term.name.variant,
                    "name": term.name.name,
                    "medium": term.name.medium,
                    "detail": term.detail,
                    "element_ids": term.element_ids,
                }
            )
        for entry_id in used:
            changes[entry_id, item.office_id] += 1
    if rows:
        session.execute(insert(GlossaryOccurrence), rows)
    _count(session, Counter({key: n for key, n in changes.items() if n}))


def forget(session: Session, process_id: int) -> None:
    """Take an (archived) process out of the glossary."""
    record(session, [Newest(process_id, 0, 0, None)])


def fill_if_empty(session: Session) -> int:
    """Collect the glossary when it holds nothing but processes with versions exist (a database
    migrated from before the glossary); returns the number of processes read."""
    if session.scalar(select(GlossaryOccurrence.id).limit(1)) is not None:
        return 0
    stored = select(Process.id).where(Process.archived_at.is_(None), Process.latest_version > 0)
    if session.scalar(stored.limit(1)) is None:
        return 0
    return rebuild(session)


def rebuild(session: Session) -> int:
    """Collect the glossary again from the newest version of every process that is not archived
    (versions without a current extraction get one first); curation is kept. Returns the count."""
    from app.services.processes import extraction_of  # the write path imports this module

    session.execute(delete(GlossaryUsage).execution_options(synchronize_session=False))
    session.execute(delete(GlossaryOccurrence).execution_options(synchronize_session=False))
    rows = session.execute(
        select(Process.id, Process.office_id, Process.latest_version)
        .where(Process.archived_at.is_(None), Process.latest_version > 0)
        .order_by(Process.id)
    ).all()
    for chunk in _chunks(rows):
        versions = session.scalars(
            select(ProcessVersion).where(
                or_(
                    *(
                        and_(ProcessVersion.process_id == pid, ProcessVersion.number == number)
                        for pid, _, number in chunk
                    )
                )
            )
        ).all()
        by_process = {v.process_id: v for v in versions}
        record(
            session,
            [
                Newest(pid, office_id, number, extraction_of(session, by_process[pid]))
                for pid, office_id, number in chunk
                if pid in by_process
            ],
        )
        session.flush()
        session.expunge_all()
    return len(rows)


# --- reading ----------------------------------------------------------------------------------


def _visible(session: Session, actor: User) -> list[int] | None:
    """The offices whose processes the actor may see; None for all (admins)."""
    if actor.is_admin:
        return None
    return list(access.effective_roles(session, actor))


def _usage(visible: list[int] | None) -> Any:
    query = select(
        GlossaryUsage.entry_id, func.sum(GlossaryUsage.processes).label("processes")
    ).group_by(GlossaryUsage.entry_id)
    if visible is not None:
        query = query.where(GlossaryUsage.office_id.in_(visible))
    return query.subquery("usage")


def _matches(q: str) -> list[ColumnElement[bool]]:
    """One condition per word of the filter: a spelling in the folded name, or its stem in the
    key (so "Gewerbeanmeldungen" finds "Gewerbeanmeldung")."""
    return [
        or_(
            *(
                or_(
                    GlossaryEntry.folded.contains(word, autoescape=True),
                    GlossaryEntry.key.contains(stem, autoescape=True),
                )
                for word, stem in spellings
            )
        )
        for spellings in terms_core.query_keys(q)
    ]


def list_entries(
    session: Session,
    *,
    actor: User,
    kind: str | None = None,
    q: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> EntryPage:
    """Entries used in processes the actor may see, by name, with the number of those processes."""
    if kind is not None and kind not in KINDS:
        raise Unprocessable(
            f"Unbekannte Art {kind!r}: role, system, document oder partner.",
            f"Unknown kind {kind!r}: role, system, document or partner.",
        )
    usage = _usage(_visible(session, actor))
    query = (
        select(GlossaryEntry, usage.c.processes)
        .join(usage, usage.c.entry_id == GlossaryEntry.id)
        .where(GlossaryEntry.merged_into_id.is_(None), usage.c.processes > 0)
    )
    if kind is not None:
        query = query.where(GlossaryEntry.kind == kind)
    for condition in _matches(q or ""):
        query = query.where(condition)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(
        query.order_by(GlossaryEntry.folded, GlossaryEntry.id).limit(limit).offset(offset)
    ).all()
    return EntryPage(total=total, items=[_read(entry, int(n)) for entry, n in rows])


def _read(entry: GlossaryEntry, processes: int) -> EntryRead:
    return EntryRead(
        id=entry.id,
        kind=entry.kind,
        name=entry.name,
        description=entry.description,
        curated=entry.curated,
        processes=processes,
    )


def system_names(session: Session, *, actor: User) -> list[str]:
    """Names of the IT systems used in processes the actor may see (the modeler's suggestions)."""
    usage = _usage(_visible(session, actor))
    names = session.scalars(
        select(GlossaryEntry.name)
        .join(usage, usage.c.entry_id == GlossaryEntry.id)
        .where(GlossaryEntry.kind == "system", GlossaryEntry.merged_into_id.is_(None))
    ).all()
    return sorted(set(names), key=str.casefold)


def _entry(session: Session, entry_id: int) -> GlossaryEntry:
    entry = session.get(GlossaryEntry, entry_id)
    if entry is None:
        raise NotFound("Glossareintrag nicht gefunden.", "Glossary entry not found.")
    return entry


def get_entry(
    session: Session, *, actor: User, entry_id: int, limit: int = 200, offset: int = 0
) -> EntryDetail:
    """One entry with its written variants, media and the processes using it that the actor may
    see (a page of them, by office name and then age), each with version and element ids."""
    entry = _entry(session, entry_id)
    visible = _visible(session, actor)
    # Archived processes have no occurrences (`forget`): the occurrences alone say who uses it.
    where: list[ColumnElement[bool]] = [GlossaryOccurrence.entry_id == entry.id]
    if visible is not None:
        where.append(GlossaryOccurrence.office_id.in_(visible))
    total = (
        session.scalar(
            select(func.count(func.distinct(GlossaryOccurrence.process_id))).where(*where)
        )
        or 0
    )
    # By office, then oldest process first: read from the occurrences and the few offices alone
    # (ordering 10 000 uses by title would visit as many process rows).
    page_ids = session.scalars(
        select(GlossaryOccurrence.process_id)
        .join(Office, Office.id == GlossaryOccurrence.office_id)
        .where(*where)
        .group_by(Office.name, GlossaryOccurrence.process_id)
        .order_by(Office.name, GlossaryOccurrence.process_id)
        .limit(limit)
        .offset(offset)
    ).all()
    uses = _uses(session, entry.id, list(page_ids))
    if visible is not None and entry.merged_into_id is None and total == 0:
        # An entry used only where the actor cannot look: not even its name is theirs to see.
        raise NotFound("Glossareintrag nicht gefunden.", "Glossary entry not found.")
    # Written variants and media, counted by the database (an entry may have 10 000 uses).
    visible_uses = select(
        GlossaryOccurrence.variant, GlossaryOccurrence.name, GlossaryOccurrence.medium
    ).where(*where)
    names: dict[str, set[str]] = {}
    media: set[str] = set()
    for variant, name, medium in session.execute(visible_uses.distinct()):
        names.setdefault(variant, set()).add(name)
        if medium:
            media.update(medium.split("/"))
    counts = dict(
        session.execute(
            visible_uses.with_only_columns(
                GlossaryOccurrence.variant,
                func.count(func.distinct(GlossaryOccurrence.process_id)),
            ).group_by(GlossaryOccurrence.variant)
        ).all()
    )
    merged_from = session.execute(
        select(GlossaryEntry.id, GlossaryEntry.kind, GlossaryEntry.name)
        .where(GlossaryEntry.merged_into_id == entry.id)
        .order_by(GlossaryEntry.folded)
    ).all()
    return EntryDetail(
        **_read(entry, total).model_dump(),
        merged_into=entry.merged_into_id,
        merged_from=[{"id": i, "kind": k, "name": n} for i, k, n in merged_from],
        variants=[
            Variant(variant=v, names=sorted(written), processes=counts.get(v, 0))
            for v, written in sorted(names.items())
        ],
        media=sorted(media),
        used_in=uses,
        used_in_total=total,
    )


def _uses(session: Session, entry_id: int, process_ids: list[int]) -> list[Use]:
    if not process_ids:
        return []
    rows = session.execute(
        select(GlossaryOccurrence, Process.title, Process.key, Office.id, Office.name)
        .join(Process, Process.id == GlossaryOccurrence.process_id)
        .join(Office, Office.id == Process.office_id)
        .where(
            GlossaryOccurrence.entry_id == entry_id,
            GlossaryOccurrence.process_id.in_(process_ids),
        )
        .order_by(GlossaryOccurrence.id)
    ).all()
    status = dict(
        session.execute(
            select(ProcessVersion.process_id, ProcessVersion.status)
            .join(Process, Process.id == ProcessVersion.process_id)
            .where(
                ProcessVersion.process_id.in_(process_ids),
                ProcessVersion.number == Process.latest_version,
            )
        ).all()
    )
    by_process: dict[int, Use] = {}
    for occurrence, title, key, office_id, office_name in rows:
        use = by_process.get(occurrence.process_id)
        if use is None:
            use = by_process[occurrence.process_id] = Use(
                process_id=occurrence.process_id,
                title=title,
                key=key,
                office={"id": office_id, "name": office_name},
                version=occurrence.version,
                status=status.get(occurrence.process_id),
                names=[],
                media=[],
                element_ids=[],
                details=[],
            )
        for field, values in (
            (use.names, [occurrence.name]),
            (use.media, (occurrence.medium or "").split("/") if occurrence.medium else []),
            (use.element_ids, occurrence.element_ids or []),
            (use.details, [occurrence.detail] if occurrence.detail else []),
        ):
            for value in values:
                if value not in field:
                    field.append(value)
    return [by_process[pid] for pid in process_ids if pid in by_process]


# --- curation (admins) ------------------------------------------------------------------------


def _require_admin(actor: User) -> None:
    if not actor.is_admin:
        raise Forbidden(
            "Nur Administratoren pflegen das Glossar.", "Only administrators curate the glossary."
        )


def _audit(
    session: Session, actor: User, action: str, entry: GlossaryEntry, after: dict[str, Any]
) -> None:
    audit.record(
        session,
        actor=actor,
        action=f"glossary.{action}",
        entity="glossary_entry",
        entity_id=entry.id,
        after=after,
    )


def _get_or_create(session: Session, *, kind: str, key: str, name: str) -> GlossaryEntry:
    entry = session.scalar(
        select(GlossaryEntry).where(GlossaryEntry.kind == kind, GlossaryEntry.key == key)
    )
    if entry is None:
        entry = GlossaryEntry(
            kind=kind,
            key=key,
            name=name,
            folded=terms_core.variant_of(name),
            description="",
            curated=True,
        )
        session.add(entry)
        session.flush()
    elif entry.merged_into_id is not None:
        entry = _entry(session, entry.merged_into_id)
    return entry


def _merge_into(session: Session, target: GlossaryEntry, sources: list[GlossaryEntry]) -> None:
    ids = [source.id for source in sources]
    session.execute(
        update(GlossaryEntry)
        .where(or_(GlossaryEntry.id.in_(ids), GlossaryEntry.merged_into_id.in_(ids)))
        .values(merged_into_id=target.id, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(GlossaryAlias)
        .where(GlossaryAlias.entry_id.in_(ids))
        .values(entry_id=target.id)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(GlossaryOccurrence)
        .where(GlossaryOccurrence.entry_id.in_(ids))
        .values(entry_id=target.id)
        .execution_options(synchronize_session=False)
    )
    target.curated = True
    target.updated_at = utcnow()
    for source in sources:
        if not target.description and source.description:
            target.description = source.description
    session.flush()
    _recount(session, {target.id, *ids})
    for source in sources:
        session.refresh(source)


def update_entry(
    session: Session, *, actor: User, entry_id: int, data: EntryUpdate
) -> GlossaryEntry:
    """Rename or describe an entry, or give it another kind (`system`: mark it as an IT system,
    which merges it into the system entry of its name). Returns the entry that holds it now."""
    _require_admin(actor)
    entry = _entry(session, entry_id)
    if entry.merged_into_id is not None:
        raise Unprocessable(
            "Dieser Eintrag wurde zusammengeführt; bitte den Zieleintrag bearbeiten.",
            "This entry was merged; please edit the entry it was merged into.",
            merged_into=entry.merged_into_id,
        )
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    if "name" in changes:
        name = " ".join(changes["name"].split())
        if not terms_core.variant_of(name):
            raise Unprocessable("Der Name braucht ein Wort.", "The name needs a word.")
        entry.name, entry.folded = name, terms_core.variant_of(name)
    if "description" in changes:
        entry.description = changes["description"].strip()
    entry.curated = True
    entry.updated_at = utcnow()
    session.flush()
    if changes.get("kind") not in (None, entry.kind):
        target = _get_or_create(session, kind=changes["kind"], key=entry.key, name=entry.name)
        _merge_into(session, target, [entry])
        entry = target
    _audit(session, actor, "update", entry, {"entry_id": entry_id, **changes})
    return entry


def merge(session: Session, *, actor: User, entry_id: int, data: MergeRequest) -> GlossaryEntry:
    """Merge synonyms into entry `entry_id`: their terms, past and future, count as its own."""
    _require_admin(actor)
    target = _entry(session, entry_id)
    if target.merged_into_id is not None:
        target = _entry(session, target.merged_into_id)
    sources = [_entry(session, i) for i in dict.fromkeys(data.entry_ids)]
    if any(source.id == target.id for source in sources):
        raise Unprocessable(
            "Ein Eintrag kann nicht in sich selbst zusammengeführt werden.",
            "An entry cannot be merged into itself.",
        )
    _merge_into(session, target, sources)
    _audit(session, actor, "merge", target, {"merged": [s.id for s in sources]})
    return target


def split(session: Session, *, actor: User, entry_id: int, data: SplitRequest) -> GlossaryEntry:
    """Move written variants of an entry into an entry of their own named `data.name` (created,
    or the existing one of that name); later versions and re-imports keep them apart."""
    _require_admin(actor)
    entry = _entry(session, entry_id)
    wanted = {terms_core.variant_of(terms_core.split_medium(v)[0]) for v in data.variants}
    present = session.execute(
        select(GlossaryOccurrence.kind, GlossaryOccurrence.variant)
        .where(GlossaryOccurrence.entry_id == entry.id, GlossaryOccurrence.variant.in_(wanted))
        .distinct()
    ).all()
    unknown = wanted - {variant for _, variant in present}
    if unknown or not wanted:
        raise Unprocessable(
            f"Diese Schreibweisen gehören nicht zum Eintrag: {', '.join(sorted(unknown))}.",
            f"These written names do not belong to the entry: {', '.join(sorted(unknown))}.",
        )
    name = " ".join(data.name.split())
    if not terms_core.variant_of(name):
        raise Unprocessable("Der Name braucht ein Wort.", "The name needs a word.")
    # A key no normalized name has ("=" is no word character): the split entry is the admins'.
    target = _get_or_create(
        session, kind=entry.kind, key="=" + terms_core.variant_of(name), name=name
    )
    if target.id == entry.id:
        raise Unprocessable(
            "Die Schreibweisen gehören schon zu diesem Eintrag.",
            "The written names already belong to this entry.",
        )
    for kind, variant in present:
        session.execute(
            delete(GlossaryAlias)
            .where(GlossaryAlias.kind == kind, GlossaryAlias.variant == variant)
            .execution_options(synchronize_session=False)
        )
        session.add(GlossaryAlias(kind=kind, variant=variant, entry_id=target.id))
    session.flush()
    session.execute(
        update(GlossaryOccurrence)
        .where(GlossaryOccurrence.entry_id == entry.id, GlossaryOccurrence.variant.in_(wanted))
        .values(entry_id=target.id)
        .execution_options(synchronize_session=False)
    )
    _recount(session, {entry.id, target.id})
    _audit(session, actor, "split", entry, {"variants": sorted(wanted), "into": target.id})
    return target
