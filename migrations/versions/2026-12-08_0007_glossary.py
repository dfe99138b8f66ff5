"""glossary: entries with their curation, aliases from splits, occurrences and usage counts

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08 02:10:00

The glossary (ADR 0021) is kept at save time: `glossary_occurrence` holds the roles, systems,
documents and partners of every process's newest version, `glossary_usage` how many processes
of an office use an entry. Existing versions are collected with `prozessatlas reindex-glossary`
(the migration does not parse models).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db import UtcDateTime

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "glossary_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("folded", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("curated", sa.Boolean(), nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["merged_into_id"],
            ["glossary_entry.id"],
            name=op.f("fk_glossary_entry_merged_into_id_glossary_entry"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_glossary_entry")),
        sa.UniqueConstraint("kind", "key", name=op.f("uq_glossary_entry_kind_key")),
    )
    with op.batch_alter_table("glossary_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_glossary_entry_merged_into_id"), ["merged_into_id"], unique=False
        )
    op.create_table(
        "glossary_alias",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("variant", sa.String(length=300), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["glossary_entry.id"],
            name=op.f("fk_glossary_alias_entry_id_glossary_entry"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("kind", "variant", name=op.f("pk_glossary_alias")),
    )
    op.create_table(
        "glossary_occurrence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("process_id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("variant", sa.String(length=300), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("medium", sa.String(length=60), nullable=True),
        sa.Column("detail", sa.String(length=20), nullable=True),
        sa.Column("element_ids", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["glossary_entry.id"],
            name=op.f("fk_glossary_occurrence_entry_id_glossary_entry"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["office.id"],
            name=op.f("fk_glossary_occurrence_office_id_office"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["process_id"],
            ["process.id"],
            name=op.f("fk_glossary_occurrence_process_id_process"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_glossary_occurrence")),
    )
    with op.batch_alter_table("glossary_occurrence", schema=None) as batch_op:
        batch_op.create_index(
            "ix_glossary_occurrence_entry", ["entry_id", "office_id", "process_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_glossary_occurrence_process_id"), ["process_id"], unique=False
        )
    op.create_table(
        "glossary_usage",
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("processes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["glossary_entry.id"],
            name=op.f("fk_glossary_usage_entry_id_glossary_entry"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["office.id"],
            name=op.f("fk_glossary_usage_office_id_office"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("entry_id", "office_id", name=op.f("pk_glossary_usage")),
    )


def downgrade() -> None:
    op.drop_table("glossary_usage")
    with op.batch_alter_table("glossary_occurrence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_glossary_occurrence_process_id"))
        batch_op.drop_index("ix_glossary_occurrence_entry")
    op.drop_table("glossary_occurrence")
    op.drop_table("glossary_alias")
    with op.batch_alter_table("glossary_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_glossary_entry_merged_into_id"))
    op.drop_table("glossary_entry")
