"""SQLite: the FTS5 table `search_fts` (external content: the search documents, kept in step by
triggers). Every term is quoted in the MATCH expression; no user text reaches it as syntax."""

from __future__ import annotations

from sqlalchemy import (
    ColumnClause,
    Float,
    Integer,
    Select,
    column,
    literal_column,
    select,
    table,
    text,
)

from app.bpmn.search_text import Phrase, Query, Term
from app.services.search.backend import WEIGHTS

_FTS = table("search_fts", column("rowid"))


def _quoted(form: str) -> str:
    return '"' + form.replace('"', '""') + '"'


def _term(term: Term) -> str:
    alternatives = [_quoted(form) for form in term.forms]
    alternatives += [_quoted(prefix) + "*" for prefix in term.prefixes]
    if term.parts:
        alternatives.append("(" + " AND ".join(_quoted(part) for part in term.parts) + ")")
    return "(" + " OR ".join(alternatives) + ")"


def _phrase(phrase: Phrase) -> str:
    return "(" + " OR ".join(_quoted(" ".join(words)) for words in phrase.variants) + ")"


def match_expression(query: Query) -> str:
    """The FTS5 MATCH text of a query: its terms and phrases AND-ed, each form quoted."""
    parts = [_term(term) for term in query.terms] + [_phrase(p) for p in query.phrases]
    return " AND ".join(parts)


class SqliteBackend:
    def hits(self, query: Query) -> Select[int, float]:
        weights = ", ".join(str(weight) for weight in WEIGHTS)
        score: ColumnClause[float] = literal_column(f"-bm25(search_fts, {weights})", Float)
        return (
            select(literal_column("search_fts.rowid", Integer).label("id"), score.label("score"))
            .select_from(_FTS)
            .where(text("search_fts MATCH :match").bindparams(match=match_expression(query)))
        )

    def matching(self, query: Query) -> Select[int]:
        return (
            select(literal_column("search_fts.rowid", Integer).label("id"))
            .select_from(_FTS)
            .where(text("search_fts MATCH :match").bindparams(match=match_expression(query)))
        )
