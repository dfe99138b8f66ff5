"""version documents last: metadata reads stop walking the document's pages

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 02:40:00

SQLite stores a row's columns in order, and a document of tens of kilobytes spills into a chain
of overflow pages: a column after it can only be read by walking that chain. Every read of a
version's metadata (and every process list, which joins the newest version) did so, because
`xml` and `analysis` stood before the metadata. The table is rebuilt with both at the end.
PostgreSQL keeps large values out of line anyway (TOAST), so nothing changes there.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
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
DOCUMENTS_LAST = (*METADATA, "analysis", "xml")
# The order of revision 0001.
ORIGINAL = (
    *METADATA[:3],
    "xml",
    *METADATA[3:13],
    "analysis",
    *METADATA[13:],
)


def _reorder(order: tuple[str, ...]) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table("process_version", recreate="always", partial_reordering=[order]):
        pass


def upgrade() -> None:
    _reorder(DOCUMENTS_LAST)


def downgrade() -> None:
    _reorder(ORIGINAL)
