"""Search facets: an index on (facet, value, document_id).

A facet filter (`system IN ('SAP FI', 'OK.EWO')`) found its documents through the index on
`(facet, key)` and then read and filtered every row of that facet; with this index they are
read from the index alone (ADR 0018, addendum 2026-12-08).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("search_facet", schema=None) as batch_op:
        batch_op.create_index(
            "ix_search_facet_value", ["facet", "value", "document_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("search_facet", schema=None) as batch_op:
        batch_op.drop_index("ix_search_facet_value")
