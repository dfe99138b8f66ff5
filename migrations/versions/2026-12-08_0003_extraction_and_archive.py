"""the extraction of each version, and archived processes

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-08 01:20:00

`process_version.extraction` keeps what the pure core extracts from a model at save time (element
texts, roles, partners, documents, systems), filled for older versions by `prozessatlas
reanalyze` and on first read. On SQLite it stands before `analysis` and `xml`, like the metadata
(see revision 0002), so reading it does not walk the document's overflow pages.
`process.archived_at` marks an archived process (hidden from lists, nothing deleted).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

METADATA = (
    "id",
    "process_id",
    "number",
    "sha256",
    "size",
    "content_type",
    "filename",
    "author_id",
    "created_at",
    "change_note",
    "xsd_valid",
    "errors",
    "status",
    "analysis_version",
    "media_break_count",
    "candidate_count",
    "automation_share",
)


def upgrade() -> None:
    with op.batch_alter_table("process", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("archived_at", app.db.UtcDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("process_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("extraction", sa.JSON(), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        order = (*METADATA, "extraction", "analysis", "xml")
        with op.batch_alter_table("process_version", recreate="always", partial_reordering=[order]):
            pass


def downgrade() -> None:
    with op.batch_alter_table("process_version", schema=None) as batch_op:
        batch_op.drop_column("extraction")
    with op.batch_alter_table("process", schema=None) as batch_op:
        batch_op.drop_column("archived_at")
