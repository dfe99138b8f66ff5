"""Catalogue search: one service over two index back-ends (SQLite FTS5, PostgreSQL tsvector).

`search` and `suggest` are the use cases (the routers and pages call them); `index` keeps the
index in step with every write in the writer's transaction; the back-ends in `sqlite` and
`postgresql` only store and match the prepared terms of `app.bpmn.search_text`.
"""

from __future__ import annotations

from app.services.search.service import MAX_LIMIT, MAX_OFFSET, SearchQuery, search, suggest

__all__ = ["MAX_LIMIT", "MAX_OFFSET", "SearchQuery", "search", "suggest"]
