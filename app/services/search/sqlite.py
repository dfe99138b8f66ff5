"""SQLite: the FTS5 table `search_fts` (external content: the search documents, kept in step by
triggers). Every term is quoted in the MATCH expression; no user text reaches it as syntax."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    Select,
    bindparam,
    case,
    column,
    literal_column,
    select,
    table,
    text,
)

from app.bpmn.search_text import Phrase, Query, Term
from app.models import SearchDocument
from app.services.search.backend import WEIGHTS

_FTS = table("search_fts", column("rowid"))
FIELDS = ("t_title", "t_role", "t_element", "t_doc")


def _quoted(form: str) -> str:
    return '"' + form.replace('"', '""') + '"'


def _term(term: Term, *, parts: bool = True) -> str:
    alternatives = [_quoted(form) for form in term.forms]
    alternatives += [_quoted(prefix) + "*" for prefix in term.prefixes]
    if term.parts and parts:  # all parts of a compound, in one field
        together = "(" + " AND ".join(_quoted(part) for part in term.parts) + ")"
        alternatives += [f"({name} : {together})" for name in FIELDS]
    return "(" + " OR ".join(alternatives) + ")"


def _phrase(phrase: Phrase) -> str:
    return "(" + " OR ".join(_quoted(" ".join(words)) for words in phrase.variants) + ")"


def match_expression(query: Query) -> str:
    """The FTS5 MATCH text of a query: its terms and phrases AND-ed, each form quoted."""
    parts = [_term(term) for term in query.terms] + [_phrase(p) for p in query.phrases]
    return " AND ".join(parts)


def _in_field(expression: str, field: str) -> ColumnElement[bool]:
    """Whether the document matches one term or phrase within one field."""
    rowid = literal_column("search_fts.rowid", Integer)
    inner = (
        select(literal_column("rowid", Integer))
        .select_from(_FTS)
        .where(
            text("search_fts MATCH :field_match").bindparams(
                bindparam("field_match", f"{field} : {expression}", unique=True)
            )
        )
    )
    return rowid.in_(inner)


def tier_score(query: Query) -> ColumnElement[float]:
    """Per term or phrase the weight of the strongest field it occurs in, summed (FTS5's bm25
    saturates: a weight of 1000 on one occurrence barely beats 10 on another), plus a little
    unweighted bm25 to order documents of equal tiers."""
    items = [_term(term, parts=False) for term in query.terms] + [_phrase(p) for p in query.phrases]
    total: ColumnElement[float] = literal_column("-bm25(search_fts)", Float) * 0.001
    for expression in items:
        # A matching document has the term in some field: the weakest needs no look-up.
        total = total + case(
            *(
                (_in_field(expression, field), weight)
                for field, weight in zip(FIELDS[:-1], WEIGHTS[:-1], strict=True)
            ),
            else_=WEIGHTS[-1],
        )
    return total


class SqliteBackend:
    def hits(self, query: Query, where: Sequence[ColumnElement[bool]]) -> Select[int, float]:
        score = tier_score(query)
        rowid = literal_column("search_fts.rowid", Integer)
        return (
            select(rowid.label("id"), score.label("score"))
            .select_from(_FTS)
            .join(SearchDocument, SearchDocument.id == rowid)
            .where(text("search_fts MATCH :match").bindparams(match=match_expression(query)))
            .where(*where)
        )
