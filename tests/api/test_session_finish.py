"""The request session's finish runs on the event loop only when it cannot block."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.api.deps import _finishing_is_io
from app.db import Database
from app.models import Office
from tests.conftest import BACKEND
from tests.factories import make_office, make_user


def test_only_a_read_only_sqlite_session_finishes_without_io(app: FastAPI) -> None:
    database: Database = app.state.db
    with database.session() as session:
        assert _finishing_is_io(session) is False  # no connection yet
        session.execute(select(Office.id)).all()
        # pysqlite opens no transaction for reads; PostgreSQL has one open to commit
        assert _finishing_is_io(session) is (BACKEND == "postgresql")
        session.add(Office(key="neu", name="Neu"))
        assert _finishing_is_io(session) is True  # something to flush
        session.flush()
        assert _finishing_is_io(session) is True  # a write transaction to commit
        session.rollback()


def test_reads_and_writes_through_the_api_still_commit(client: TestClient, db: Session) -> None:
    admin = make_user(db, "admin", admin=True)
    office = make_office(db, "amt")
    created = client.post(
        f"/api/v1/offices/{office.id}/processes",
        headers=admin.headers,
        json={"key": "p", "title": "P"},
    )
    assert created.status_code == 201
    read = client.get(f"/api/v1/processes/{created.json()['id']}", headers=admin.headers)
    assert read.status_code == 200
    assert read.json()["key"] == "p"
