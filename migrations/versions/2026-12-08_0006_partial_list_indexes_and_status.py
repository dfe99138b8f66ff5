"""list indexes hold only listed processes; versions indexed by status

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08 01:40:00

The lists show processes that are not archived: with `archived_at IS NULL` in the indexes of
their order (partial indexes), a page and its count are read from the index alone, without
visiting the rows. `ix_process_version_status` lets a status filter start from the versions of
that status instead of every version (ADR 0015).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LISTED = {
    "sqlite_where": sa.text("archived_at IS NULL"),
    "postgresql_where": sa.text("archived_at IS NULL"),
}


def upgrade() -> None:
    with op.batch_alter_table("process", schema=None) as batch_op:
        batch_op.drop_index("ix_process_office_updated")
        batch_op.drop_index("ix_process_updated")
    with op.batch_alter_table("process", schema=None) as batch_op:
        batch_op.create_index("ix_process_updated", ["updated_at", "id"], unique=False, **LISTED)
        batch_op.create_index(
            "ix_process_office_updated", ["office_id", "updated_at", "id"], unique=False, **LISTED
        )
    with op.batch_alter_table("process_version", schema=None) as batch_op:
        batch_op.create_index(
            "ix_process_version_status", ["status", "process_id", "number"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("process_version", schema=None) as batch_op:
        batch_op.drop_index("ix_process_version_status")
    with op.batch_alter_table("process", schema=None) as batch_op:
        batch_op.drop_index("ix_process_office_updated")
        batch_op.drop_index("ix_process_updated")
    with op.batch_alter_table("process", schema=None) as batch_op:
        batch_op.create_index("ix_process_updated", ["updated_at", "id"], unique=False)
        batch_op.create_index(
            "ix_process_office_updated", ["office_id", "updated_at", "id"], unique=False
        )
