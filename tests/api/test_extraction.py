"""The extraction is stored with each version, read without parsing, filled for older versions."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.bpmn import extract as extract_module
from app.models import Office, ProcessVersion, Role
from app.services import processes as process_service
from tests.factories import Actor, bpmn, grant, make_process, make_user


def _stored(db: Session, process_id: int) -> Any:
    db.expire_all()
    return db.scalars(
        select(ProcessVersion.extraction).where(ProcessVersion.process_id == process_id)
    ).one()


def test_a_saved_version_keeps_its_extraction(
    client: TestClient, db: Session, admin: Actor, office: Office
) -> None:
    process = make_process(db, office, admin, xml=bpmn(["Antrag in OK.EWO erfassen"]))
    stored = _stored(db, process.id)
    assert stored["version"] == extract_module.EXTRACTION_VERSION
    assert [e["name"] for e in stored["elements"] if e["type"] == "userTask"] == [
        "Antrag in OK.EWO erfassen"
    ]
    assert [s["name"] for s in stored["systems"]] == ["OK.EWO"]

    response = client.get(
        f"/api/v1/processes/{process.id}/versions/latest/extraction", headers=admin.headers
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["number"] == 1
    assert body["systems"] == stored["systems"]
    assert body["elements"] == stored["elements"]


def test_reading_a_stored_extraction_does_not_parse_again(
    client: TestClient, db: Session, admin: Actor, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    process = make_process(db, office, admin, xml=bpmn())

    def no_parse(*_: object, **__: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(process_service, "parse_bpmn", no_parse)
    response = client.get(
        f"/api/v1/processes/{process.id}/versions/1/extraction", headers=admin.headers
    )
    assert response.status_code == 200, response.text


def test_a_version_stored_before_extractions_gets_one_on_first_read(
    client: TestClient, db: Session, admin: Actor, office: Office
) -> None:
    process = make_process(db, office, admin, xml=bpmn(["Bescheid per Post senden"]))
    fresh = _stored(db, process.id)
    db.execute(update(ProcessVersion).values(extraction=None))
    db.commit()
    assert _stored(db, process.id) is None

    response = client.get(
        f"/api/v1/processes/{process.id}/versions/1/extraction", headers=admin.headers
    )
    assert response.status_code == 200, response.text
    assert _stored(db, process.id) == fresh


def test_reanalyze_fills_missing_and_outdated_extractions(
    db: Session, admin: Actor, office: Office
) -> None:
    first = make_process(db, office, admin, "a", xml=bpmn(["Antrag prüfen"]))
    second = make_process(db, office, admin, "b", xml=bpmn(["Antrag ablegen"]))
    fresh = _stored(db, first.id), _stored(db, second.id)
    db.execute(
        update(ProcessVersion).where(ProcessVersion.process_id == first.id).values(extraction=None)
    )
    db.execute(
        update(ProcessVersion)
        .where(ProcessVersion.process_id == second.id)
        .values(extraction={"version": 0})
    )
    db.commit()
    assert process_service.reanalyze_all(db) == 2
    db.commit()
    assert (_stored(db, first.id), _stored(db, second.id)) == fresh
    assert process_service.reanalyze_all(db) == 0  # nothing left to do


def test_readers_may_read_the_extraction_and_strangers_not(
    client: TestClient, db: Session, admin: Actor, office: Office
) -> None:
    process = make_process(db, office, admin, xml=bpmn())
    reader = make_user(db, "leser")
    grant(db, reader, office, Role.READER)
    stranger = make_user(db, "fremd")
    url = f"/api/v1/processes/{process.id}/versions/1/extraction"
    assert client.get(url, headers=reader.headers).status_code == 200
    assert client.get(url, headers=stranger.headers).status_code == 404


def test_saving_parses_the_upload_once_for_validation_analysis_and_extraction(
    db: Session, admin: Actor, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.bpmn import check as check_module

    calls: list[int] = []
    parse = check_module.parse_bpmn

    def counted(data: bytes, **limits: int) -> Any:
        calls.append(len(data))
        return parse(data, **limits)

    def no_parse(*_: object, **__: object) -> None:
        raise AssertionError("parsed a second time")

    monkeypatch.setattr(check_module, "parse_bpmn", counted)
    monkeypatch.setattr(process_service, "parse_bpmn", no_parse)
    process = make_process(db, office, admin, xml=bpmn(["Antrag prüfen"]))
    assert len(calls) == 1
    assert _stored(db, process.id)["elements"]
