"""The request session commits writes and finishes reads (always in the thread pool)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import make_office, make_user


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
