"""search index: documents, facets, and the full-text index per dialect

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08 02:20:00

One document per process and kind with four weighted fields of prepared terms (ADR 0018).
SQLite: an FTS5 table with the documents as external content, kept in step by triggers (the
`ascii` tokenizer: the terms are lower-case letters and digits already). PostgreSQL: a GIN index
over the weighted `simple` tsvector of the same terms (the app stems and splits, so both
databases match the same). `prozessatlas reindex` fills it for processes stored before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIELDS = ("t_title", "t_role", "t_element", "t_doc")
TSVECTOR = (
    "setweight(to_tsvector('simple', t_title), 'A') || "
    "setweight(to_tsvector('simple', t_role), 'B') || "
    "setweight(to_tsvector('simple', t_element), 'C') || "
    "setweight(to_tsvector('simple', t_doc), 'D')"
)


def upgrade() -> None:
    op.create_table(
        "search_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("process_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("title_key", sa.String(length=300), nullable=False),
        sa.Column("updated_at", app.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("has_media_breaks", sa.Boolean(), nullable=False),
        *(sa.Column(name, sa.Text(), nullable=False) for name in FIELDS),
        sa.ForeignKeyConstraint(["process_id"], ["process.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["office_id"], ["office.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("process_id", "kind"),
    )
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.create_index("ix_search_document_office", ["office_id", "kind"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_search_document_title_key"), ["title_key"], unique=False
        )
    op.create_table(
        "search_facet",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("facet", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["search_document.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id", "facet", "value"),
    )
    with op.batch_alter_table("search_facet", schema=None) as batch_op:
        batch_op.create_index("ix_search_facet_key", ["facet", "key"], unique=False)

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        columns = ", ".join(FIELDS)
        new = ", ".join(f"new.{name}" for name in FIELDS)
        old = ", ".join(f"old.{name}" for name in FIELDS)
        op.execute(
            f"CREATE VIRTUAL TABLE search_fts USING fts5({columns}, content='search_document', "
            "content_rowid='id', tokenize='ascii')"
        )
        op.execute(
            "CREATE TRIGGER search_fts_insert AFTER INSERT ON search_document BEGIN "
            f"INSERT INTO search_fts(rowid, {columns}) VALUES (new.id, {new}); END"
        )
        op.execute(
            "CREATE TRIGGER search_fts_delete AFTER DELETE ON search_document BEGIN "
            f"INSERT INTO search_fts(search_fts, rowid, {columns}) "
            f"VALUES ('delete', old.id, {old}); END"
        )
        op.execute(
            "CREATE TRIGGER search_fts_update AFTER UPDATE ON search_document BEGIN "
            f"INSERT INTO search_fts(search_fts, rowid, {columns}) "
            f"VALUES ('delete', old.id, {old}); "
            f"INSERT INTO search_fts(rowid, {columns}) VALUES (new.id, {new}); END"
        )
    elif dialect == "postgresql":
        op.execute(
            f"CREATE INDEX ix_search_document_terms ON search_document USING gin (({TSVECTOR}))"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("search_fts_insert", "search_fts_delete", "search_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_search_document_terms")
    with op.batch_alter_table("search_facet", schema=None) as batch_op:
        batch_op.drop_index("ix_search_facet_key")
    op.drop_table("search_facet")
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_document_title_key"))
        batch_op.drop_index("ix_search_document_office")
    op.drop_table("search_document")
