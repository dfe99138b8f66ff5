"""`GET /api/v1/processes`: newest change first, paged by keyset cursor or small offsets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from app.models import Office, Process, ProcessVersion, Role
from app.services import catalogue
from app.services import processes as process_service
from tests.factories import Actor, bpmn, grant, make_office, make_process, make_user

START = datetime(2026, 1, 1, tzinfo=UTC)


def arrange(db: Session, office: Office, count: int, *, same_time: int = 0) -> list[int]:
    """`count` processes changed one minute apart, the first `same_time` at one instant."""
    processes = [
        Process(
            office_id=office.id,
            key=f"p{n:03}",
            title=f"Prozess {n:03}",
            tags=[],
            updated_at=START + timedelta(minutes=0 if n < same_time else n),
        )
        for n in range(count)
    ]
    db.add_all(processes)
    db.commit()
    return [p.id for p in processes]


def test_following_next_cursor_lists_every_process_once_newest_first(
    client: TestClient, db: Session, admin: Actor, office: Office
) -> None:
    # given 23 processes, 5 of them changed at the same instant (the id breaks the tie)
    arrange(db, office, 23, same_time=5)
    everything = client.get("/api/v1/processes?limit=500", headers=admin.headers).json()
    expected = [item["id"] for item in everything["items"]]
    assert everything["next_cursor"] is None

    # when the list is read 4 at a time by cursor
    seen: list[int] = []
    pages = 0
    url = "/api/v1/processes?limit=4"
    while url:
        body = client.get(url, headers=admin.headers).json()
        assert body["total"] == 23
        assert body["total_exact"] is True
        seen += [item["id"] for item in body["items"]]
        pages += 1
        url = (
            f"/api/v1/processes?limit=4&cursor={body['next_cursor']}" if body["next_cursor"] else ""
        )

    # then every process comes once, in the order of the whole list, newest change first
    assert seen == expected
    assert pages == 6
    stamps = [item["updated_at"] for item in everything["items"]]
    assert stamps == sorted(stamps, reverse=True)
    tied = [item["id"] for item in everything["items"] if item["updated_at"] == stamps[-1]]
    assert tied == sorted(tied, reverse=True)
    # and small offsets page the same list
    by_offset = client.get("/api/v1/processes?limit=4&offset=8", headers=admin.headers).json()
    assert [item["id"] for item in by_offset["items"]] == expected[8:12]


def test_large_offsets_and_broken_cursors_are_refused_in_plain_words(
    client: TestClient, admin: Actor
) -> None:
    too_far = client.get(
        f"/api/v1/processes?offset={catalogue.MAX_OFFSET + 1}",
        headers={**admin.headers, "Accept-Language": "de"},
    )
    assert too_far.status_code == 422
    assert too_far.headers["content-type"].startswith("application/problem+json")
    assert "cursor" in too_far.json()["detail"]
    assert (
        client.get(
            f"/api/v1/processes?offset={catalogue.MAX_OFFSET}", headers=admin.headers
        ).status_code
        == 200
    )
    assert client.get("/api/v1/processes?cursor=%00", headers=admin.headers).status_code == 422
    for broken in ("x", "bm9wZQ", "MjAyNi0wMS0wMXwx"):  # not base64, no position, naive time
        answer = client.get(f"/api/v1/processes?cursor={broken}", headers=admin.headers)
        assert answer.status_code == 422, broken
        assert "next_cursor" in answer.json()["detail"]


def test_filters_and_the_readers_offices(
    client: TestClient, db: Session, admin: Actor, office: Office
) -> None:
    # given two offices with processes, a reader of the first, and a version in one process
    arrange(db, office, 3)
    other = make_office(db, "kaemmerei")
    make_process(db, other, admin, "kasse", xml=bpmn())
    reader = make_user(db, "lena")
    grant(db, reader, office, Role.READER)

    # then each sees what they may, the status filter counts the newest versions
    mine = client.get("/api/v1/processes", headers=reader.headers).json()
    assert mine["total"] == 3
    assert len(mine["items"]) == 3
    drafts = client.get("/api/v1/processes?status=draft", headers=admin.headers).json()
    assert (drafts["total"], drafts["total_exact"]) == (1, True)
    assert [item["key"] for item in drafts["items"]] == ["kasse"]
    assert client.get(
        f"/api/v1/processes?office_id={other.id}", headers=reader.headers
    ).status_code in (403, 404)


def test_a_status_filter_counts_up_to_its_bound(
    db: Session, admin: Actor, office: Office, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    for key in ("a", "b", "c"):
        make_process(db, office, admin, key, xml=bpmn())
    monkeypatch.setattr(catalogue, "COUNT_BOUND", 2)
    found = catalogue.list_processes(db, actor=admin.user, status="draft", limit=1)
    assert (found.total, found.total_exact, len(found.items)) == (2, False, 1)
    unfiltered = catalogue.list_processes(db, actor=admin.user, limit=1)
    assert (unfiltered.total, unfiltered.total_exact) == (3, True)


def test_a_status_filter_counts_the_newest_version_of_listed_processes_only(
    db: Session, admin: Actor, office: Office
) -> None:
    # given three processes with an approved version: one has a newer draft, one is archived
    newer, approved, archived = (
        make_process(db, office, admin, key, xml=bpmn()) for key in ("neu", "frei", "alt")
    )
    db.execute(update(ProcessVersion).values(status="approved"))
    process_service.add_version(
        db,
        actor=admin.user,
        process_id=newer.id,
        if_match="*",
        upload=process_service.Upload(xml=bpmn(["Zweite Fassung"])),
    )
    archived.archived_at = START
    db.commit()

    # then a status counts and lists only listed processes whose newest version has it
    found = catalogue.list_processes(db, actor=admin.user, status="approved")
    assert (found.total, found.total_exact) == (1, True)
    assert [item.id for item in found.items] == [approved.id]
    drafts = catalogue.list_processes(db, actor=admin.user, status="draft")
    assert (drafts.total, [item.id for item in drafts.items]) == (1, [newer.id])
