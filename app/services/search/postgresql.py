"""PostgreSQL: the weighted `simple` tsvector of the prepared terms, stored in the generated
column `search_vector` with its GIN index (migrations 0008 and 0010; the models do not describe
it, as SQLite has no such column). The tsquery is built from quoted terms and passed as a
parameter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnClause,
    ColumnElement,
    Float,
    Select,
    func,
    literal_column,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import TSQUERY

from app.bpmn.search_text import Phrase, Query, Term
from app.models import SearchDocument
from app.services.search.backend import WEIGHTS

#: The stored vector (migration 0010).
VECTOR = "search_document.search_vector"


def _quoted(form: str) -> str:
    return "'" + form.replace("'", "''") + "'"


def _term(term: Term) -> str:
    alternatives = [_quoted(form) for form in term.forms]
    alternatives += [_quoted(prefix) + ":*" for prefix in term.prefixes]
    if term.parts:  # all parts of a compound, in one field (the weight labels the field)
        for weight in "ABCD":
            together = " & ".join(_quoted(part) + ":" + weight for part in term.parts)
            alternatives.append("(" + together + ")")
    return "(" + " | ".join(alternatives) + ")"


def _phrase(phrase: Phrase) -> str:
    variants = ["(" + " <-> ".join(_quoted(w) for w in words) + ")" for words in phrase.variants]
    return "(" + " | ".join(variants) + ")"


def tsquery_text(query: Query) -> str:
    parts = [_term(term) for term in query.terms] + [_phrase(p) for p in query.phrases]
    return " & ".join(parts)


def _tsquery(query: Query) -> Any:
    return func.to_tsquery(
        literal_column("'simple'::regconfig"),
        text(":tsquery").bindparams(tsquery=tsquery_text(query)),
        type_=TSQUERY,
    )


class PostgresBackend:
    def hits(self, query: Query, where: Sequence[ColumnElement[bool]]) -> Select[int, float]:
        tsquery = _tsquery(query)
        vector: ColumnClause[Any] = literal_column(VECTOR)
        # ts_rank's weights are {D, C, B, A}, scaled into 0..1.
        weights = "{" + ", ".join(str(w / WEIGHTS[0]) for w in reversed(WEIGHTS)) + "}"
        score = func.ts_rank(literal_column(f"'{weights}'::float4[]"), vector, tsquery, type_=Float)
        # The filters on the same rows: `ts_rank` reads (detoasts) each vector it ranks, so only
        # the visible, filtered matches are ranked (ADR 0018 addendum).
        return select(SearchDocument.id.label("id"), score.label("score")).where(
            vector.op("@@")(tsquery), *where
        )
