"""The interface of the two index back-ends: both match the prepared terms of
`app.bpmn.search_text` and rank with the same field weights (ADR 0018)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sqlalchemy import ColumnElement, Select
from sqlalchemy.orm import Session

from app.bpmn.search_text import Query

#: Weights of the fields title/key, role/system, element name, documentation: a hit in a
#: stronger field outranks any number of hits in the weaker ones (as far as the ranking
#: functions let it; ties then go by recency).
WEIGHTS = (1000.0, 100.0, 10.0, 1.0)


class Backend(Protocol):
    def hits(self, query: Query, where: Sequence[ColumnElement[bool]]) -> Select[int, float]:
        """Ids of the matching search documents that satisfy `where` (conditions on
        `SearchDocument`), with a score (higher is better): only those are ranked."""
        ...


def for_session(session: Session) -> Backend:
    """The back-end of the session's database."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from app.services.search.postgresql import PostgresBackend

        return PostgresBackend()
    from app.services.search.sqlite import SqliteBackend

    return SqliteBackend()
