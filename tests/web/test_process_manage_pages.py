"""Pages by what the user may do: "Neuer Prozess", metadata editing, archive and restore, and the
create-process page as one use case that leaves nothing behind when it refuses."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import AuditEvent, Office, Process, Role
from tests.factories import Actor, bpmn, grant, make_office, make_process, make_user
from tests.web.test_pages import csrf_of, log_in


@pytest.fixture
def office(db: Session) -> Office:
    return make_office(db, "buergeramt")


@pytest.fixture
def admin(db: Session) -> Actor:
    return make_user(db, "chefin", admin=True)


def _events(db: Session, action: str) -> list[AuditEvent]:
    db.expire_all()
    return list(db.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_readers_see_no_new_process_link_modelers_do(
    client: TestClient, db: Session, office: Office, admin: Actor
) -> None:
    process = make_process(db, office, admin, "hund", xml=bpmn())
    grant(db, make_user(db, "leser"), office, Role.READER)
    grant(db, make_user(db, "lotse"), office, Role.MODELER)

    log_in(client, "leser")
    for path in ("/", f"/?office={office.id}", f"/processes/{process.id}"):
        page = client.get(path).text
        assert 'href="/processes/new' not in page, path
    process_page = client.get(f"/processes/{process.id}").text
    assert 'id="metadata-form"' not in process_page
    assert 'id="archive-process"' not in process_page
    assert 'id="open-modeler"' not in process_page
    assert "Sie dürfen in keiner Dienststelle modellieren." in client.get("/processes/new").text

    client.cookies.clear()
    log_in(client, "lotse")
    catalogue = client.get(f"/?office={office.id}").text
    assert 'id="nav-new-process"' in catalogue
    assert 'id="nav-new-process"' in client.get("/account").text
    assert 'id="nav-new-process"' in client.get("/processes/99999").text  # the error page too
    assert 'id="catalogue-new-process"' in catalogue
    process_page = client.get(f"/processes/{process.id}").text
    assert 'id="metadata-form"' in process_page
    assert 'id="archive-process"' not in process_page  # owners and admins only


def test_a_refused_upload_creates_nothing(
    client: TestClient, db: Session, office: Office, admin: Actor
) -> None:
    log_in(client, "chefin")
    token = csrf_of(client.get("/processes/new").text)
    processes_before = db.scalar(select(func.count()).select_from(Process))
    for name, data in (("kaputt.bpmn", b"<not-xml"), ("doctype.bpmn", b"<!DOCTYPE x []><x/>")):
        response = client.post(
            "/processes/new",
            data={
                "office_id": str(office.id),
                "title": "Kaputt",
                "key": "kaputt",
                "csrf_token": token,
            },
            files={"file": (name, data, "application/xml")},
        )
        assert response.status_code == 400, response.text
        assert 'id="form-error"' in response.text
        assert 'value="Kaputt"' in response.text  # the form keeps what was typed
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Process)) == processes_before
    assert _events(db, "process.create") == []


def test_a_created_process_with_upload_is_one_use_case(
    client: TestClient, db: Session, office: Office, admin: Actor
) -> None:
    log_in(client, "chefin")
    token = csrf_of(client.get("/processes/new").text)
    response = client.post(
        "/processes/new",
        data={"office_id": str(office.id), "title": "Hund", "key": "hund", "csrf_token": token},
        files={"file": ("hund.bpmn", bpmn(["Antrag prüfen"]), "application/xml")},
        follow_redirects=False,
    )
    assert response.status_code == 303
    process_id = int(response.headers["location"].rsplit("/", 1)[1])
    db.expire_all()
    process = db.get(Process, process_id)
    assert process is not None
    assert process.latest_version == 1
    assert len(_events(db, "process.create")) == 1
    assert len(_events(db, "version.create")) == 1


def _metadata_form(client: TestClient, process_id: int, **fields: str) -> dict[str, str]:
    page = client.get(f"/processes/{process_id}").text
    form = {
        name: re.search(rf'name="{name}"[^>]*value="([^"]*)"', page).group(1)  # type: ignore[union-attr]
        for name in ("title", "owner", "leika_key", "tags")
    }
    description = re.search(r'name="description"[^>]*>([^<]*)</textarea>', page)
    assert description is not None
    form["description"] = description.group(1)
    return {**form, "csrf_token": csrf_of(page), **fields}


def test_metadata_is_edited_in_the_page_with_patch_semantics(
    client: TestClient, db: Session, office: Office, admin: Actor
) -> None:
    process = make_process(db, office, admin, "hund", xml=bpmn())
    grant(db, make_user(db, "lotse"), office, Role.MODELER)
    log_in(client, "lotse")
    form = _metadata_form(
        client,
        process.id,
        title="Hundesteuer anmelden",
        leika_key="99001002000000",
        tags="Steuern, Hund, Steuern",
    )
    response = client.post(f"/processes/{process.id}", data=form, follow_redirects=False)
    assert response.status_code == 303
    page = client.get(response.headers["location"]).text
    assert 'id="metadata-saved"' in page
    assert "<h1>Hundesteuer anmelden</h1>" in page
    assert "99001002000000" in page
    db.expire_all()
    stored = db.get(Process, process.id)
    assert stored is not None
    assert stored.tags == ["Steuern", "Hund"]
    # only the changed fields reach the service (and the audit log)
    (event,) = _events(db, "process.update")
    assert event.after == {
        "title": "Hundesteuer anmelden",
        "leika_key": "99001002000000",
        "tags": ["Steuern", "Hund"],
    }
    assert event.before is not None
    assert event.before["title"] == "Hund"

    # emptying the LeiKa key clears it; an unchanged form changes nothing
    form = _metadata_form(client, process.id, leika_key="")
    assert client.post(f"/processes/{process.id}", data=form).status_code == 200
    db.expire_all()
    assert db.get(Process, process.id).leika_key is None  # type: ignore[union-attr]
    client.post(f"/processes/{process.id}", data=_metadata_form(client, process.id))
    assert len(_events(db, "process.update")) == 2


@pytest.mark.parametrize(
    ("fields", "status", "says"),
    [
        ({"leika_key": "12ab"}, 422, "LeiKa-Schlüssel"),
        ({"title": "  "}, 422, "Titel"),
        ({"owner": "niemand", "title": "Neuer Titel"}, 422, "Benutzer „niemand“ gibt es nicht."),
        ({"csrf_token": "forged", "title": "Neuer Titel"}, 403, "Das Formular ist abgelaufen."),
    ],
)
def test_refused_metadata_changes_nothing(
    client: TestClient,
    db: Session,
    office: Office,
    admin: Actor,
    fields: dict[str, str],
    status: int,
    says: str,
) -> None:
    process = make_process(db, office, admin, "hund", xml=bpmn())
    log_in(client, "chefin")
    response = client.post(
        f"/processes/{process.id}", data=_metadata_form(client, process.id, **fields)
    )
    assert response.status_code == status
    assert says in response.text
    assert 'id="form-error"' in response.text
    db.expire_all()
    stored = db.get(Process, process.id)
    assert stored is not None
    assert (stored.title, stored.leika_key) == ("Hund", None)
    assert _events(db, "process.update") == []


def test_owners_archive_and_restore_in_the_page(
    client: TestClient, db: Session, office: Office, admin: Actor
) -> None:
    process = make_process(db, office, admin, "hund", xml=bpmn())
    grant(db, make_user(db, "lotse"), office, Role.MODELER)
    grant(db, make_user(db, "inhaberin"), office, Role.OWNER)

    log_in(client, "lotse")
    token = csrf_of(client.get(f"/processes/{process.id}").text)
    refused = client.post(f"/processes/{process.id}/archive", data={"csrf_token": token})
    assert refused.status_code == 403

    client.cookies.clear()
    log_in(client, "inhaberin")
    page = client.get(f"/processes/{process.id}").text
    archived = client.post(
        f"/processes/{process.id}/archive",
        data={"csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert archived.status_code == 303
    assert "/processes/" + str(process.id) not in client.get("/").text  # not in the catalogue
    archive_list = client.get(f"/?office={office.id}&archived=1").text
    assert f'href="/processes/{process.id}"' in archive_list  # found again, to restore it
    assert "Archivierte Prozesse" in archive_list
    page = client.get(f"/processes/{process.id}").text
    assert 'id="archived-notice"' in page
    assert 'id="version-table"' in page  # history kept
    assert client.get(f"/api/v1/processes/{process.id}/versions/1/bpmn").content == bpmn()
    restored = client.post(
        f"/processes/{process.id}/restore",
        data={"csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert restored.status_code == 303
    assert f"/processes/{process.id}" in client.get("/").text
    assert len(_events(db, "process.archive")) == len(_events(db, "process.restore")) == 1
