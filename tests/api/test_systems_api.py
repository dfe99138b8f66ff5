"""`GET /api/v1/systems`: the IT systems the catalogue names, for the modeler's suggestions."""

from __future__ import annotations

from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app import migrate
from app.models import Office, OfficeSystem, ProcessVersion, Role
from tests.factories import Actor, bpmn, grant, make_office, make_process, make_user


def naming(*systems: str) -> bytes:
    """A model whose tasks carry these `pa:system` names, one task each."""
    xml = bpmn([f"Vorgang {n} bearbeiten" for n in range(len(systems))])
    xml = xml.replace(
        b"<bpmn:definitions ", b'<bpmn:definitions xmlns:pa="urn:prozessatlas:bpmn:1.0" ', 1
    )
    for n, system in enumerate(systems):
        xml = xml.replace(
            f'<bpmn:userTask id="Task_{n}"'.encode(),
            f'<bpmn:userTask id="Task_{n}" pa:system="{system}"'.encode(),
        )
    return xml


def test_systems_of_the_newest_versions_the_caller_may_see(
    client: TestClient, db: Session, admin: Actor, office: Office
) -> None:
    # given a process whose first version named VOIS and whose newest names OK.EWO twice,
    # and a process in another office naming SAP
    process = make_process(db, office, admin, "melde", xml=naming("VOIS"))
    etag = client.get(f"/api/v1/processes/{process.id}", headers=admin.headers).headers["ETag"]
    response = client.post(
        f"/api/v1/processes/{process.id}/versions",
        headers={**admin.headers, "If-Match": etag, "Content-Type": "application/xml"},
        content=naming("OK.EWO", " ok.ewo ", "Fachverfahren"),
    )
    assert response.status_code == 201
    elsewhere = make_office(db, "kaemmerei")
    make_process(db, elsewhere, admin, "kasse", xml=naming("SAP"))
    reader = make_user(db, "lena")
    grant(db, reader, office, Role.READER)

    # when each asks for the systems
    seen_by_reader = client.get("/api/v1/systems", headers=reader.headers)
    seen_by_admin = client.get("/api/v1/systems", headers=admin.headers)

    # then each name comes once, as first written, from the newest versions they may see
    assert seen_by_reader.status_code == 200
    assert seen_by_reader.json() == ["Fachverfahren", "OK.EWO"]
    assert seen_by_admin.json() == ["Fachverfahren", "OK.EWO", "SAP"]
    assert client.get("/api/v1/systems").status_code == 401


def test_the_migration_counts_the_names_of_versions_stored_before(
    client: TestClient, db: Session, admin: Actor, office: Office, database_url: str
) -> None:
    # given a newest version whose stored analysis does not list the names (an older release)
    # and one whose analysis lists them, in a database from before the counts
    make_process(db, office, admin, "gewerbe", xml=naming("OK.GEWERBE"))
    make_process(db, office, admin, "kasse", xml=naming("SAP", "OK.GEWERBE"))
    db.execute(update(ProcessVersion).where(ProcessVersion.number == 1).values(analysis=None))
    db.execute(
        update(ProcessVersion)
        .where(ProcessVersion.process_id == 2)
        .values(analysis={"systems": ["SAP", "OK.GEWERBE"]})
    )
    db.commit()
    db.close()
    config = migrate.alembic_config(database_url)
    command.downgrade(config, "0004")

    # when migrated, then the names of both are counted, read from the analysis or the file
    command.upgrade(config, "head")
    counted = {(row.name, row.processes) for row in db.scalars(select(OfficeSystem))}
    assert counted == {("OK.GEWERBE", 2), ("SAP", 1)}
    assert client.get("/api/v1/systems", headers=admin.headers).json() == ["OK.GEWERBE", "SAP"]


def test_a_new_version_moves_its_process_names_and_unused_names_go(
    client: TestClient, db: Session, admin: Actor, office: Office
) -> None:
    process = make_process(db, office, admin, "melde", xml=naming("VOIS", "SAP"))
    make_process(db, office, admin, "kasse", xml=naming("SAP"))
    etag = client.get(f"/api/v1/processes/{process.id}", headers=admin.headers).headers["ETag"]
    client.post(
        f"/api/v1/processes/{process.id}/versions",
        headers={**admin.headers, "If-Match": etag, "Content-Type": "application/xml"},
        content=naming("OK.EWO"),
    )
    counted = {(row.name, row.processes) for row in db.scalars(select(OfficeSystem))}
    assert counted == {("OK.EWO", 1), ("SAP", 1)}
