"""Concurrent saves that share glossary names: every save counted once, no deadlock."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database
from app.models import GlossaryUsage, Office, Process, User
from app.services import glossary
from app.services import processes as process_service
from tests.factories import Actor, make_process
from tests.glossary.models import model

NAMES = ["OK.EWO", "VOIS", "SAP FI", "DMS", "ALKIS", "winOWiG"]


def names_of(n: int) -> list[str]:
    """Three systems per process, overlapping, in opposite orders for odd and even ones."""
    return [NAMES[(n + k) % len(NAMES)] for k in range(3)][:: 1 if n % 2 else -1]


def test_parallel_saves_sharing_new_names_keep_exact_counts(
    app: FastAPI, db: Session, admin: Actor, office: Office
) -> None:
    # given eight processes, each about to get a version naming systems new to the glossary
    ids = [make_process(db, office, admin, f"p{i}", xml=model()).id for i in range(8)]
    database: Database = app.state.db

    def save(n: int) -> None:
        names = names_of(n)
        with database.session() as session:
            process = session.get(Process, ids[n])
            assert process is not None
            actor = session.scalars(select(User).where(User.username == "admin")).one()
            process_service.add_version(
                session,
                actor=actor,
                process_id=process.id,
                upload=process_service.Upload(xml=model(systems=names)),
                if_match=process_service.etag_of(process.latest_sha256),
            )
            session.commit()

    # when they are saved at the same time
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(save, range(8)))

    # then the counts kept by the saves are those a rebuild finds
    db.expire_all()
    kept = sorted(db.execute(select(GlossaryUsage.entry_id, GlossaryUsage.processes)).all())
    glossary.rebuild(db)
    db.commit()
    assert sorted(db.execute(select(GlossaryUsage.entry_id, GlossaryUsage.processes)).all()) == kept
    reloaded = db.scalars(select(User).where(User.username == "admin")).one()
    counted = {
        item.name: item.processes
        for item in glossary.list_entries(db, actor=reloaded, limit=100).items
    }
    expected = Counter(name for n in range(8) for name in names_of(n))
    assert {name: counted[name] for name in NAMES} == {name: expected[name] for name in NAMES}
    assert counted["Stadtverwaltung"] == 8
