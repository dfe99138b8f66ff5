"""Archive and restore through the API: hidden from the lists, nothing deleted, owners only."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEvent, Office, Role
from tests.factories import Actor, bpmn, grant, make_process, make_user


def _listed(client: TestClient, actor: Actor, office: Office) -> list[int]:
    everywhere = client.get("/api/v1/processes", headers=actor.headers).json()["items"]
    in_office = client.get(f"/api/v1/offices/{office.id}/processes", headers=actor.headers)
    assert in_office.status_code == 200, in_office.text
    ids = [p["id"] for p in everywhere]
    assert ids == [p["id"] for p in in_office.json()["items"]]
    return ids


def test_archive_hides_and_restore_brings_back(
    client: TestClient, db: Session, admin: Actor, office: Office
) -> None:
    process = make_process(db, office, admin, "hund", xml=bpmn())
    other = make_process(db, office, admin, "katze")
    owner = make_user(db, "inhaberin")
    grant(db, owner, office, Role.OWNER)
    assert sorted(_listed(client, owner, office)) == sorted([process.id, other.id])

    response = client.post(f"/api/v1/processes/{process.id}/archive", headers=owner.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["archived"] is True
    assert body["archived_at"] is not None
    assert body["latest_version"] == 1
    assert _listed(client, owner, office) == [other.id]
    only_archived = client.get("/api/v1/processes?archived=true", headers=owner.headers).json()
    assert [p["id"] for p in only_archived["items"]] == [process.id]
    assert only_archived["total"] == 1
    # still readable, with its versions and bytes
    read = client.get(f"/api/v1/processes/{process.id}", headers=owner.headers).json()
    assert read["archived"] is True
    download = client.get(f"/api/v1/processes/{process.id}/versions/1/bpmn", headers=owner.headers)
    assert download.content == bpmn()
    # archiving again changes nothing
    again = client.post(f"/api/v1/processes/{process.id}/archive", headers=owner.headers)
    assert again.json()["archived_at"] == body["archived_at"]

    restored = client.post(f"/api/v1/processes/{process.id}/restore", headers=owner.headers)
    assert restored.status_code == 200
    assert restored.json()["archived"] is False
    assert restored.json()["archived_at"] is None
    assert sorted(_listed(client, owner, office)) == sorted([process.id, other.id])

    db.expire_all()
    actions = list(
        db.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.action.in_(["process.archive", "process.restore"]))
            .order_by(AuditEvent.id)
        )
    )
    assert actions == ["process.archive", "process.restore"]


def test_only_owners_and_admins_archive(
    client: TestClient, db: Session, admin: Actor, office: Office
) -> None:
    process = make_process(db, office, admin, "hund")
    modeler = make_user(db, "lotse")
    grant(db, modeler, office, Role.MODELER)
    reader = make_user(db, "leser")
    grant(db, reader, office, Role.READER)
    stranger = make_user(db, "fremd")
    for actor, status in ((modeler, 403), (reader, 403), (stranger, 404)):
        for action in ("archive", "restore"):
            response = client.post(
                f"/api/v1/processes/{process.id}/{action}", headers=actor.headers
            )
            assert response.status_code == status, (actor.user.username, action)
            assert response.headers["content-type"].startswith("application/problem+json")
    assert client.post("/api/v1/processes/999/archive", headers=admin.headers).status_code == 404
    assert (
        client.post(f"/api/v1/processes/{process.id}/archive", headers=admin.headers).status_code
        == 200
    )


def test_patch_clears_owner_and_leika_key_with_null_and_keeps_unset_fields(
    client: TestClient, db: Session, admin: Actor, office: Office
) -> None:
    process = make_process(db, office, admin, "hund")
    url = f"/api/v1/processes/{process.id}"
    set_ = client.patch(
        url, headers=admin.headers, json={"owner": "admin", "leika_key": "99001002000000"}
    )
    assert set_.status_code == 200, set_.text
    assert (set_.json()["owner"], set_.json()["leika_key"]) == ("admin", "99001002000000")
    cleared = client.patch(url, headers=admin.headers, json={"leika_key": None, "owner": None})
    assert cleared.status_code == 200
    body = cleared.json()
    assert (body["owner"], body["leika_key"], body["title"]) == (None, None, "Hund")
    # null for a field that cannot be empty changes nothing
    assert client.patch(url, headers=admin.headers, json={"title": None}).json()["title"] == "Hund"
