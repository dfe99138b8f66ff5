"""indexes in the lists' order, and the IT systems named per office

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08 01:45:00

`ix_process_updated` and `ix_process_office_updated` give the catalogue and `GET /processes` their
order (newest change first, id as tie-breaker) from an index, overall and per office.
`office_system` counts, per office, the processes whose newest version names an IT system; it is
filled here from the newest versions (their stored analysis, or the document for versions
analysed before the analysis listed the names) and kept up to date at save time (ADR 0015).
"""

from collections import Counter
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("process", schema=None) as batch_op:
        batch_op.create_index("ix_process_updated", ["updated_at", "id"], unique=False)
        batch_op.create_index(
            "ix_process_office_updated", ["office_id", "updated_at", "id"], unique=False
        )
    office_system = op.create_table(
        "office_system",
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("processes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["office.id"],
            name=op.f("fk_office_system_office_id_office"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("office_id", "name", name=op.f("pk_office_system")),
    )
    # Existing rows: every newest version counted once per office and name.
    from app.services.system_names import names_in

    connection = op.get_bind()
    counts: Counter[tuple[int, str]] = Counter()
    newest = connection.execute(
        sa.text(
            "SELECT p.office_id, v.analysis, v.id FROM process p JOIN process_version v"
            " ON v.process_id = p.id AND v.number = p.latest_version"
        )
    )
    for office_id, analysis, version_id in newest:

        def document(version_id: int = version_id) -> bytes:
            return bytes(
                connection.execute(
                    sa.text("SELECT xml FROM process_version WHERE id = :id"), {"id": version_id}
                ).scalar_one()
            )

        for name in names_in(analysis, document):
            counts[office_id, name] += 1
    if counts:
        op.bulk_insert(
            office_system,
            [
                {"office_id": office_id, "name": name, "processes": n}
                for (office_id, name), n in counts.items()
            ],
        )


def downgrade() -> None:
    op.drop_table("office_system")
    with op.batch_alter_table("process", schema=None) as batch_op:
        batch_op.drop_index("ix_process_office_updated")
        batch_op.drop_index("ix_process_updated")
