"""the newest version number of each listed process, in id order (a status filter's count)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08 03:00:00

A status filter counts the listed processes whose newest version has that status. With
`(id, latest_version) WHERE archived_at IS NULL` beside `ix_process_version_status`, both
sides of that join are read from indexes in process id order: PostgreSQL merges two
index-only scans instead of hashing every process row (ADR 0015, addendum).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LISTED = {
    "sqlite_where": sa.text("archived_at IS NULL"),
    "postgresql_where": sa.text("archived_at IS NULL"),
}


def upgrade() -> None:
    with op.batch_alter_table("process", schema=None) as batch_op:
        batch_op.create_index("ix_process_latest", ["id", "latest_version"], unique=False, **LISTED)


def downgrade() -> None:
    with op.batch_alter_table("process", schema=None) as batch_op:
        batch_op.drop_index("ix_process_latest")
