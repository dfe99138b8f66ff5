"""Search quality over the labelled corpus: staff queries scored as recall@10 and MRR.

The queries and the model files each must find are in bench/search_queries.json (60 queries,
German and English; question words, compounds, folding, systems as written). The corpus is read
at run time from ../shared/corpus/labelled/ and imported through the service layer
(`prozessatlas import`) into a fresh migrated database (a temporary SQLite file unless
`--database-url` names another); every query runs through the search service as an admin.

recall@10: the share of a query's expected processes among its first 10 hits, averaged over the
queries. MRR: the mean over the queries of 1 / rank of the first expected hit (0 if none in the
top 10). Target: every expected process in the top 10 (recall@10 = 1.0), MRR ≥ 0.9. Misses (an
expected process not in the top 10, or a first expected hit below rank 1) are printed per query.

    .venv/bin/python bench/search_quality.py [--corpus DIR] [--database-url URL] [--json]

tests/search/test_search_quality.py runs it on the test database and asserts just below what it
measured.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from app import migrate
from app.config import ROOT
from app.db import Database
from app.models import Process, User
from app.schemas import OfficeCreate, UserCreate
from app.services import offices as office_service
from app.services import transfer
from app.services import users as user_service
from app.services.search import SearchQuery, search

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "labelled"
QUERIES = Path(__file__).resolve().parent / "search_queries.json"
TOP = 10


@dataclass
class Outcome:
    q: str
    expect: list[str]
    ranked: list[str]  # the model files of the first TOP hits

    @property
    def recall(self) -> float:
        return sum(1 for e in self.expect if e in self.ranked) / len(self.expect)

    @property
    def first(self) -> int | None:
        """The 1-based rank of the first expected hit."""
        for rank, name in enumerate(self.ranked, 1):
            if name in self.expect:
                return rank
        return None

    @property
    def reciprocal(self) -> float:
        return 1.0 / self.first if self.first else 0.0


@dataclass
class Score:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return sum(o.recall for o in self.outcomes) / len(self.outcomes)

    @property
    def mrr(self) -> float:
        return sum(o.reciprocal for o in self.outcomes) / len(self.outcomes)

    def misses(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.recall < 1.0 or o.first != 1]


def load_queries(path: Path = QUERIES) -> list[tuple[str, list[str]]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [(entry["q"], list(entry["expect"])) for entry in data["queries"]]


def run(url: str, corpus: Path = DEFAULT_CORPUS, queries: Path = QUERIES) -> Score:
    """Import `corpus` into the (migrated, empty) database at `url` and score the queries."""
    migrate.upgrade(url)
    database = Database(url)
    score = Score()
    try:
        with database.session() as session:
            user_service.create(
                session,
                actor=None,
                data=UserCreate(username="quality", password="search quality bench", is_admin=True),
            )
            office_service.create(
                session, actor=None, data=OfficeCreate(key="stadt", name="Stadtverwaltung")
            )
            session.commit()
            transfer.import_path(session, corpus, office_key="stadt", username="quality")
            session.commit()
            actor = session.scalars(select(User).where(User.username == "quality")).one()
            # `prozessatlas import` keys a process by its file name.
            names: dict[int, str] = dict(session.execute(select(Process.id, Process.key)).all())
            expected_files = {path.stem for path in corpus.glob("*.bpmn")}
            for q, expect in load_queries(queries):
                unknown = set(expect) - expected_files
                if unknown:
                    raise SystemExit(f"{q!r} expects files not in {corpus}: {sorted(unknown)}")
                result = search(session, actor=actor, query=SearchQuery(q=q, limit=TOP))
                ranked = [names[hit.process_id] for hit in result.items]
                score.outcomes.append(Outcome(q, expect, ranked))
    finally:
        database.dispose()
    return score


def report(score: Score) -> None:
    print(f"queries: {len(score.outcomes)}")
    print(f"recall@{TOP}: {score.recall:.3f}   MRR: {score.mrr:.3f}   (target 1.000 / ≥ 0.900)")
    misses = score.misses()
    print(f"queries with a miss or a first expected hit below rank 1: {len(misses)}")
    for outcome in misses:
        missing = [e for e in outcome.expect if e not in outcome.ranked]
        print(
            f"  {outcome.q!r}: first expected at {outcome.first or '-'}"
            + (f", missing {missing}" if missing else "")
            + f"; top 3: {outcome.ranked[:3]}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--database-url", help="an empty database (default: a temporary SQLite)")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"{args.corpus} is not there (../shared beside the repository?)")
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'quality.db'}"
        score = run(url, args.corpus)
    if args.json:
        print(json.dumps({"recall_at_10": score.recall, "mrr": score.mrr}))
    else:
        report(score)


if __name__ == "__main__":
    main()
