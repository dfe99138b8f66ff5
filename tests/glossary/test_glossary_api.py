"""The glossary through the API: merged names, where-used, curation that survives, permissions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import GlossaryOccurrence, GlossaryUsage, Office, Role
from app.services import glossary as glossary_service
from app.services import transfer
from tests.factories import Actor, grant, make_office, make_process, make_user
from tests.glossary.models import model


def entries(client: TestClient, actor: Actor, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/api/v1/glossary", params=params, headers=actor.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == len(body["items"])
    return list(body["items"])


def entry(client: TestClient, actor: Actor, entry_id: int) -> dict[str, Any]:
    response = client.get(f"/api/v1/glossary/{entry_id}", headers=actor.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def named(items: list[dict[str, Any]], name: str) -> dict[str, Any]:
    found = [item for item in items if item["name"] == name]
    assert len(found) == 1, [item["name"] for item in items]
    return found[0]


def new_version(client: TestClient, actor: Actor, process_id: int, xml: bytes) -> None:
    etag = client.get(f"/api/v1/processes/{process_id}", headers=actor.headers).headers["ETag"]
    response = client.post(
        f"/api/v1/processes/{process_id}/versions",
        headers={**actor.headers, "If-Match": etag, "Content-Type": "application/xml"},
        content=xml,
    )
    assert response.status_code == 201, response.text


def test_inflected_and_suffixed_names_are_one_entry_with_the_suffix_as_medium(
    client: TestClient, db: Session, admin: Actor, office: Office
) -> None:
    # given two processes writing the same form and role in other forms
    first = make_process(
        db,
        office,
        admin,
        "hund",
        xml=model(lanes=["Sachbearbeiter"], documents=["Antrag (Papier)"], systems=["OK.EWO"]),
    )
    second = make_process(
        db,
        office,
        admin,
        "gewerbe",
        xml=model(
            lanes=["Sachbearbeiterin"],
            documents=["Anträge (PDF)", "Gewerbeanmeldungen"],
            systems=["ok.ewo"],
            partners=["Bürgerin"],
        ),
    )

    # when the glossary is listed by kind
    documents = entries(client, admin, kind="document")
    roles = entries(client, admin, kind="role")
    systems = entries(client, admin, kind="system")

    # then inflected forms, case and medium suffixes meet in one entry each
    assert [d["name"] for d in documents] == ["Antrag", "Gewerbeanmeldungen"]
    assert named(documents, "Antrag")["processes"] == 2
    assert named(roles, "Sachbearbeiter")["processes"] == 2
    assert [s["name"] for s in systems] == ["OK.EWO"]
    assert [p["name"] for p in entries(client, admin, kind="partner")] == ["Bürgerin"]
    # and the entry shows the media and where it is used, element by element
    form = entry(client, admin, named(documents, "Antrag")["id"])
    assert form["media"] == ["PDF", "Papier"]
    assert sorted(v["variant"] for v in form["variants"]) == ["antrag", "antrage"]
    used = {use["process_id"]: use for use in form["used_in"]}
    assert set(used) == {first.id, second.id}
    assert used[first.id]["element_ids"] == ["Doc_0"]
    assert used[first.id]["names"] == ["Antrag"]
    assert used[first.id]["media"] == ["Papier"]
    assert used[second.id]["names"] == ["Anträge"]
    assert used[second.id]["version"] == 1
    assert used[second.id]["office"] == {"id": office.id, "name": office.name}
    # and the filter box folds and stems what is typed
    assert [d["name"] for d in entries(client, admin, q="gewerbeanmeldung")] == [
        "Gewerbeanmeldungen"
    ]
    assert [d["name"] for d in entries(client, admin, q="Antraege")] == ["Antrag"]
    assert [d["name"] for d in entries(client, admin, q="buergerin")] == ["Bürgerin"]
    assert entries(client, admin, q="100%_") == []


def test_where_used_is_exact_after_a_new_version_removes_an_element(
    client: TestClient, db: Session, admin: Actor, office: Office
) -> None:
    # given a process whose first version has two forms and the system VOIS
    process = make_process(
        db,
        office,
        admin,
        "melde",
        xml=model(documents=["Meldeschein", "Vollmacht"], systems=["VOIS"]),
    )
    other = make_process(db, office, admin, "pass", xml=model(documents=["Vollmacht"]))
    power = named(entries(client, admin, kind="document"), "Vollmacht")
    assert power["processes"] == 2

    # when its second version drops the power of attorney and VOIS, and moves the form
    new_version(client, admin, process.id, model(documents=["Gebühr", "Meldeschein"]))

    # then where-used lists only what the newest versions hold, with their element ids
    assert named(entries(client, admin, kind="document"), "Vollmacht")["processes"] == 1
    assert [u["process_id"] for u in entry(client, admin, power["id"])["used_in"]] == [other.id]
    form = entry(client, admin, named(entries(client, admin, q="Meldeschein"), "Meldeschein")["id"])
    assert [(u["version"], u["element_ids"]) for u in form["used_in"]] == [(2, ["Doc_1"])]
    assert entries(client, admin, kind="system") == []
    # (Gebühr, Meldeschein and the pool of one; Vollmacht and the pool of the other)
    assert db.scalar(select(func.count()).select_from(GlossaryOccurrence)) == 5
    # and archiving takes a process out, restoring brings it back
    client.post(f"/api/v1/processes/{other.id}/archive", headers=admin.headers)
    assert "Vollmacht" not in [d["name"] for d in entries(client, admin, kind="document")]
    client.post(f"/api/v1/processes/{other.id}/restore", headers=admin.headers)
    assert named(entries(client, admin, kind="document"), "Vollmacht")["processes"] == 1


def test_curation_survives_new_versions_and_a_reimport(
    client: TestClient, db: Session, admin: Actor, office: Office, tmp_path: Path
) -> None:
    # given the same system written two ways and a role, in two processes
    xml_a = model(lanes=["Meldebehörde"], systems=["OK.EWO"], documents=["Meldeschein"])
    xml_b = model(lanes=["Einwohnermeldeamt"], systems=["OKEWO"])
    make_process(db, office, admin, "a", xml=xml_a)
    process_b = make_process(db, office, admin, "b", xml=xml_b)
    systems = entries(client, admin, kind="system")
    ok_ewo, okewo = named(systems, "OK.EWO"), named(systems, "OKEWO")
    roles = entries(client, admin, kind="role")

    # when an admin merges the synonyms, renames and describes the result, merges two roles,
    # and marks a document as an IT system
    merged = client.post(
        f"/api/v1/glossary/{ok_ewo['id']}/merge",
        json={"entry_ids": [okewo["id"]]},
        headers=admin.headers,
    )
    assert merged.status_code == 200, merged.text
    renamed = client.patch(
        f"/api/v1/glossary/{ok_ewo['id']}",
        json={"name": "OK.EWO Einwohnerwesen", "description": "Fachverfahren Meldewesen"},
        headers=admin.headers,
    )
    assert renamed.status_code == 200, renamed.text
    client.post(
        f"/api/v1/glossary/{named(roles, 'Meldebehörde')['id']}/merge",
        json={"entry_ids": [named(roles, "Einwohnermeldeamt")["id"]]},
        headers=admin.headers,
    )
    document = named(entries(client, admin, kind="document"), "Meldeschein")
    marked = client.patch(
        f"/api/v1/glossary/{document['id']}", json={"kind": "system"}, headers=admin.headers
    )
    assert marked.status_code == 200
    assert marked.json()["kind"] == "system"

    # then the merged entry holds both processes, the merged-away entry points at it
    detail = entry(client, admin, ok_ewo["id"])
    assert (detail["name"], detail["processes"]) == ("OK.EWO Einwohnerwesen", 2)
    assert entry(client, admin, okewo["id"])["merged_into"] == ok_ewo["id"]

    # when a new version and a re-import of both files into another office bring the names again
    new_version(client, admin, process_b.id, model(lanes=["Einwohnermeldeamt"], systems=["OKEWO"]))
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "a.bpmn").write_bytes(xml_a)
    (folder / "b.bpmn").write_bytes(xml_b)
    elsewhere = make_office(db, "standesamt")
    report = transfer.import_path(db, folder, office_key=elsewhere.key, username="admin")
    db.commit()
    assert [e.outcome for e in report.entries] == ["stored", "stored"]

    # then the curation holds: one system, renamed and described, used by all four processes
    systems = entries(client, admin, kind="system")
    assert [(s["name"], s["processes"]) for s in systems] == [
        ("Meldeschein", 2),
        ("OK.EWO Einwohnerwesen", 4),
    ]
    assert named(systems, "OK.EWO Einwohnerwesen")["description"] == "Fachverfahren Meldewesen"
    assert [(r["name"], r["processes"]) for r in entries(client, admin, kind="role")] == [
        ("Meldebehörde", 4),
        ("Stadtverwaltung", 4),
    ]
    assert entries(client, admin, kind="document") == []
    # and the counts kept at save time agree with a rebuild from the stored versions
    before = sorted(db.execute(select(GlossaryUsage.entry_id, GlossaryUsage.processes)).all())
    glossary_service.rebuild(db)
    db.commit()
    assert (
        sorted(db.execute(select(GlossaryUsage.entry_id, GlossaryUsage.processes)).all()) == before
    )


def test_split_keeps_written_names_apart_in_later_versions(
    client: TestClient, db: Session, admin: Actor, office: Office
) -> None:
    # given "Bescheid" and "Bescheide", merged by their stem
    process = make_process(db, office, admin, "a", xml=model(documents=["Bescheid"]))
    make_process(db, office, admin, "b", xml=model(documents=["Bescheide"]))
    both = named(entries(client, admin, kind="document"), "Bescheid")
    assert both["processes"] == 2

    # when an admin splits "Bescheide" off as "Sammelbescheid"
    split = client.post(
        f"/api/v1/glossary/{both['id']}/split",
        json={"variants": ["Bescheide"], "name": "Sammelbescheid"},
        headers=admin.headers,
    )

    # then both entries have one process each, also after a new version names it again
    assert split.status_code == 201, split.text
    assert split.json()["name"] == "Sammelbescheid"
    assert split.json()["processes"] == 1
    new_version(client, admin, process.id, model(documents=["Bescheide"]))
    assert [(d["name"], d["processes"]) for d in entries(client, admin, kind="document")] == [
        ("Sammelbescheid", 2)
    ]
    refused = client.post(
        f"/api/v1/glossary/{both['id']}/split",
        json={"variants": ["Widerspruch"], "name": "X"},
        headers=admin.headers,
    )
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")


def test_readers_see_only_their_offices_and_cannot_curate(
    client: TestClient, db: Session, admin: Actor, office: Office
) -> None:
    # given OK.EWO in a process of the reader's office and of another office, VOIS only elsewhere
    mine = make_process(db, office, admin, "mine", xml=model(systems=["OK.EWO"]))
    elsewhere = make_office(db, "kaemmerei")
    make_process(db, elsewhere, admin, "theirs", xml=model(systems=["OK.EWO", "VOIS"]))
    reader = make_user(db, "lena")
    grant(db, reader, office, Role.READER)

    # when the reader lists and opens the glossary
    systems = entries(client, reader, kind="system")

    # then counts and where-used cover only the processes the reader may see
    assert [(s["name"], s["processes"]) for s in systems] == [("OK.EWO", 1)]
    assert [u["process_id"] for u in entry(client, reader, systems[0]["id"])["used_in"]] == [
        mine.id
    ]
    assert entry(client, admin, systems[0]["id"])["processes"] == 2
    vois = named(entries(client, admin, kind="system"), "VOIS")
    assert client.get(f"/api/v1/glossary/{vois['id']}", headers=reader.headers).status_code == 404
    # and the modeler's suggestions come from the glossary, per caller
    assert client.get("/api/v1/glossary/systems", headers=reader.headers).json() == ["OK.EWO"]
    assert client.get("/api/v1/glossary/systems", headers=admin.headers).json() == [
        "OK.EWO",
        "VOIS",
    ]
    # and only admins curate
    for method, path, body in (
        ("PATCH", f"/api/v1/glossary/{vois['id']}", {"name": "x"}),
        ("POST", f"/api/v1/glossary/{vois['id']}/merge", {"entry_ids": [systems[0]["id"]]}),
    ):
        response = client.request(method, path, json=body, headers=reader.headers)
        assert response.status_code == 403
    assert client.get("/api/v1/glossary").status_code == 401
    assert client.get("/api/v1/glossary?kind=fax", headers=admin.headers).status_code == 422
    assert client.get("/api/v1/glossary/999999", headers=admin.headers).status_code == 404


def test_bad_input_is_a_clear_4xx(
    client: TestClient, db: Session, admin: Actor, office: Office
) -> None:
    make_process(db, office, admin, "a", xml=model(systems=["OK.EWO"]))
    system = entries(client, admin, kind="system")[0]
    h = admin.headers
    assert client.get("/api/v1/glossary", params={"q": "a\x00b"}, headers=h).status_code == 422
    assert client.get("/api/v1/glossary", params={"q": "x" * 201}, headers=h).status_code == 422
    assert client.get(f"/api/v1/glossary/{2**40}", headers=h).status_code == 404
    for path, body in (
        (f"/api/v1/glossary/{system['id']}/merge", {"entry_ids": [2**40]}),
        (f"/api/v1/glossary/{system['id']}/merge", {"entry_ids": []}),
        (f"/api/v1/glossary/{system['id']}/merge", {"entry_ids": [system["id"]]}),
        (f"/api/v1/glossary/{system['id']}/split", {"variants": [], "name": "X"}),
        (f"/api/v1/glossary/{system['id']}/split", {"variants": ["ok.ewo"], "name": "   "}),
    ):
        response = client.post(path, json=body, headers=h)
        assert response.status_code in (404, 422), (body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    for body in ({"name": "   "}, {"kind": "fax"}, {"description": "a\x00"}):
        response = client.patch(f"/api/v1/glossary/{system['id']}", json=body, headers=h)
        assert response.status_code == 422, (body, response.text)
    assert entry(client, admin, system["id"])["name"] == "OK.EWO"
