"""The ORM models: offices, processes, immutable versions, users, roles, tokens and the audit log."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from app.db import Base, UtcDateTime, utcnow


class Role(enum.StrEnum):
    """Roles on an office, weakest first; a role on an office holds for all its sub-offices."""

    READER = "reader"
    MODELER = "modeler"
    OWNER = "owner"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)


class VersionStatus(enum.StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    SUPERSEDED = "superseded"


class Office(Base):
    __tablename__ = "office"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"), index=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="amt")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    parent: Mapped[Office | None] = relationship(remote_side=[id], lazy="raise")


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(200))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Membership(Base):
    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("user_id", "office_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    user: Mapped[User] = relationship(lazy="raise")
    office: Mapped[Office] = relationship(lazy="raise")


class ApiToken(Base):
    """A bearer token: only a SHA-256 of its secret is stored; `lookup` finds the row."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120), default="")
    lookup: Mapped[str] = mapped_column(String(32), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    user: Mapped[User] = relationship(lazy="raise")


class UserSession(Base):
    """A browser session: the signed cookie carries a random secret, this row its SHA-256.

    Logout, a password change or a deactivation set `revoked_at`; the cookie is useless afterwards.
    """

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    client: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(200), default="")


class LoginThrottle(Base):
    """Failed logins of one account (`user:<name>`) or one client address (`addr:<ip>`)."""

    __tablename__ = "login_throttle"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # No attempt is checked before this moment (a growing delay) ...
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # ... and an account is locked until this one (an admin may lift it).
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)


# The rows the lists show: partial indexes hold only these (both dialects' spelling).
_LISTED: dict[str, Any] = {
    "sqlite_where": text("archived_at IS NULL"),
    "postgresql_where": text("archived_at IS NULL"),
}


class Process(Base):
    __tablename__ = "process"
    __table_args__ = (
        UniqueConstraint("office_id", "key"),
        # The lists' order (newest change first, id as tie-breaker), overall and per office, of
        # the processes they show (not archived): a page and its count are read from the index
        # instead of sorting and counting the catalogue (ADR 0015).
        Index("ix_process_updated", "updated_at", "id", **_LISTED),
        Index("ix_process_office_updated", "office_id", "updated_at", "id", **_LISTED),
        # A status filter's count joins each listed process's newest version number with the
        # versions of that status; in id order both sides are read from indexes alone, and
        # PostgreSQL merges them instead of hashing the catalogue (ADR 0015, addendum).
        Index("ix_process_latest", "id", "latest_version", **_LISTED),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    key: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    leika_key: Mapped[str | None] = mapped_column(String(32))
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The newest version's number and sha256: the optimistic-concurrency token (0 = no version yet).
    latest_version: Mapped[int] = mapped_column(Integer, default=0)
    latest_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Archived processes are hidden from the catalogue and the lists; nothing of them is deleted.
    archived_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    office: Mapped[Office] = relationship(lazy="raise")
    owner: Mapped[User | None] = relationship(lazy="raise")


class OfficeSystem(Base):
    """How many processes of an office name an IT system (`pa:system`) in their newest version.

    Kept up to date in the transaction that stores a version, so `/api/v1/systems` reads a few
    hundred rows instead of every model's analysis (ADR 0015).
    """

    __tablename__ = "office_system"

    office_id: Mapped[int] = mapped_column(
        ForeignKey("office.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    processes: Mapped[int] = mapped_column(Integer)


class GlossaryEntry(Base):
    """A glossary entry: a role, IT system, document or partner, one per normalized name (ADR 0021).

    Entries are found by `(kind, key)`, the normalized name, so a new version or a re-import meets
    the same entry and its curation again: `name` and `description` as the admins set them, and
    `merged_into_id` when it was merged into another entry (a synonym) or marked as an IT system.
    """

    __tablename__ = "glossary_entry"
    __table_args__ = (UniqueConstraint("kind", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(300))
    name: Mapped[str] = mapped_column(String(300))
    # Folded name, for the filter box.
    folded: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    curated: Mapped[bool] = mapped_column(Boolean, default=False)
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("glossary_entry.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class GlossaryAlias(Base):
    """A written name (folded, medium removed) of one kind that belongs to a given entry: the
    curation record of a split, consulted before the normalized name."""

    __tablename__ = "glossary_alias"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    variant: Mapped[str] = mapped_column(String(300), primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("glossary_entry.id", ondelete="CASCADE"))


class GlossaryOccurrence(Base):
    """Where a glossary name is used: one row per process, name and kind of its newest version,
    written in the transaction that stores the version (never computed by parsing documents)."""

    __tablename__ = "glossary_occurrence"
    __table_args__ = (Index("ix_glossary_occurrence_entry", "entry_id", "office_id", "process_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("process.id", ondelete="CASCADE"), index=True
    )
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    entry_id: Mapped[int] = mapped_column(ForeignKey("glossary_entry.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(300))
    variant: Mapped[str] = mapped_column(String(300))
    name: Mapped[str] = mapped_column(String(300))
    medium: Mapped[str | None] = mapped_column(String(60))
    # lane / pool, object / store, declared (pa:system) / recognised.
    detail: Mapped[str | None] = mapped_column(String(20))
    element_ids: Mapped[list[str]] = mapped_column(JSON, default=list)


class GlossaryUsage(Base):
    """How many processes of an office use an entry, kept with the occurrences, so a list of
    entries with counts (and the modeler's system suggestions) reads a few rows per entry."""

    __tablename__ = "glossary_usage"

    entry_id: Mapped[int] = mapped_column(
        ForeignKey("glossary_entry.id", ondelete="CASCADE"), primary_key=True
    )
    office_id: Mapped[int] = mapped_column(
        ForeignKey("office.id", ondelete="CASCADE"), primary_key=True
    )
    processes: Mapped[int] = mapped_column(Integer)


class ProcessVersion(Base):
    """One saved state of a process. The bytes are immutable; only review status and analysis change."""

    __tablename__ = "process_version"
    __table_args__ = (
        UniqueConstraint("process_id", "number"),
        # A status filter starts from the versions of that status (ADR 0015).
        Index("ix_process_version_status", "status", "process_id", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str] = mapped_column(String(120), default="application/xml")
    filename: Mapped[str | None] = mapped_column(String(255))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    change_note: Mapped[str] = mapped_column(Text, default="")
    xsd_valid: Mapped[bool] = mapped_column(Boolean)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default=VersionStatus.DRAFT.value)
    analysis_version: Mapped[str | None] = mapped_column(String(64))
    media_break_count: Mapped[int] = mapped_column(Integer, default=0)
    candidate_count: Mapped[int] = mapped_column(Integer, default=0)
    automation_share: Mapped[float | None] = mapped_column(Float)
    # Large columns last (SQLite reads a column after a large one by walking its pages: see
    # migration 0002), and loaded only when read (downloads, analysis), not with the metadata.
    # The texts, roles, partners, documents and systems of the model (app/bpmn/extract.py), so
    # search, glossary and diff never parse the document again; None until computed.
    extraction: Mapped[dict[str, Any] | None] = mapped_column(JSON, deferred=True)
    analysis: Mapped[dict[str, Any] | None] = mapped_column(JSON, deferred=True)
    xml: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)

    process: Mapped[Process] = relationship(lazy="raise")
    author: Mapped[User | None] = relationship(lazy="raise")


class SearchDocument(Base):
    """The search index: one document per process and kind (`released`, `draft`), its texts as
    the prepared terms of `app.bpmn.search_text` in four weighted fields (ADR 0018).

    The full-text index over the `t_` fields is per dialect and created by the migration (SQLite:
    the FTS5 table `search_fts` with external content and triggers; PostgreSQL: a GIN index over
    the weighted tsvector); see `DIALECT_OBJECTS`.
    """

    __tablename__ = "search_document"
    __table_args__ = (
        UniqueConstraint("process_id", "kind"),
        Index("ix_search_document_office", "office_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    title_key: Mapped[str] = mapped_column(String(300), index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    has_media_breaks: Mapped[bool] = mapped_column(Boolean, default=False)
    t_title: Mapped[str] = mapped_column(Text, default="")
    t_role: Mapped[str] = mapped_column(Text, default="")
    t_element: Mapped[str] = mapped_column(Text, default="")
    t_doc: Mapped[str] = mapped_column(Text, default="")
    # The facet values again, "facet=value" joined by U+001F: the counts of many hits are read
    # with the hits instead of grouping their `search_facet` rows (migration 0009, ADR 0018).
    facets: Mapped[str] = mapped_column(Text, default="", server_default="")


class SearchFacet(Base):
    """The facet values of a search document (element_type, system, medium) and the names the
    suggestions complete (system, role); `key` is the folded name for prefix look-ups."""

    __tablename__ = "search_facet"
    __table_args__ = (
        Index("ix_search_facet_key", "facet", "key"),
        # Facet filters (`system IN (…)`): the documents of a value from the index alone.
        Index("ix_search_facet_value", "facet", "value", "document_id"),
    )

    document_id: Mapped[int] = mapped_column(
        ForeignKey("search_document.id", ondelete="CASCADE"), primary_key=True
    )
    facet: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), primary_key=True)
    key: Mapped[str] = mapped_column(String(200))


#: Objects the migrations create for one dialect only, which the models do not describe:
#: SQLite's FTS5 table and its shadow tables; PostgreSQL's stored tsvector column of the search
#: documents and its GIN index.
DIALECT_OBJECTS = (
    "search_fts",
    "search_vector",
    "ix_search_document_terms",
    "ix_search_document_vector",
)


def described_by_models(name: str | None, type_: str, reflected: bool) -> bool:
    """For Alembic's comparison: False for the per-dialect objects of `DIALECT_OBJECTS`."""
    if not reflected or name is None or type_ not in {"table", "index", "column"}:
        return True
    return not name.startswith(DIALECT_OBJECTS)


class AuditEvent(Base):
    """Append-only: rows are inserted, never updated or deleted (enforced below and by triggers)."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class ImmutableRowError(RuntimeError):
    pass


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _audit_is_append_only(_mapper: Mapper[Any], _connection: Any, target: AuditEvent) -> None:
    raise ImmutableRowError(f"audit event {target.id} is append-only")


@event.listens_for(ProcessVersion, "before_update")
def _version_bytes_are_immutable(
    _mapper: Mapper[Any], _connection: Any, target: ProcessVersion
) -> None:
    from sqlalchemy import inspect

    state = inspect(target)
    for name in ("xml", "sha256", "number", "process_id", "author_id", "created_at"):
        if state.attrs[name].history.has_changes():
            raise ImmutableRowError(f"version {target.number}: {name} is immutable")
