"""Versions: upload, immutability, byte-identical download and optimistic concurrency."""

from __future__ import annotations

import hashlib

from fastapi.testclient import TestClient

from app.models import Office
from tests.factories import Actor, bpmn


def _process(client: TestClient, admin: Actor, office: Office, key: str = "wohnsitz") -> int:
    response = client.post(
        f"/api/v1/offices/{office.id}/processes",
        headers=admin.headers,
        json={"key": key, "title": "Wohnsitz anmelden", "tags": ["Meldewesen"]},
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _upload(client: TestClient, admin: Actor, pid: int, xml: bytes, **headers: str):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/processes/{pid}/versions",
        content=xml,
        headers={**admin.headers, "Content-Type": "application/xml", **headers},
    )


def test_first_version_needs_no_if_match_and_downloads_byte_identical(
    client, admin, office
) -> None:
    pid = _process(client, admin, office)
    xml = bpmn(["Antrag prüfen"], name="Größe &amp; &lt;script&gt;alert(1)&lt;/script&gt;")
    response = _upload(client, admin, pid, xml, **{"X-Change-Note": "Erste%20Fassung"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["number"] == 1
    assert body["xsd_valid"] is True
    assert body["change_note"] == "Erste Fassung"
    assert response.headers["ETag"] == f'"{hashlib.sha256(xml).hexdigest()}"'

    download = client.get(f"/api/v1/processes/{pid}/versions/1/bpmn", headers=admin.headers)
    assert download.status_code == 200
    assert download.content == xml
    assert download.headers["ETag"] == response.headers["ETag"]
    assert download.headers["content-type"].startswith("application/xml")
    latest = client.get(f"/api/v1/processes/{pid}/versions/latest/bpmn", headers=admin.headers)
    assert latest.content == xml


def test_new_version_requires_current_etag(client, admin, office) -> None:
    pid = _process(client, admin, office)
    first = _upload(client, admin, pid, bpmn(["A prüfen"]))
    etag = first.headers["ETag"]

    missing = _upload(client, admin, pid, bpmn(["B prüfen"]))
    assert missing.status_code == 428
    assert missing.headers["content-type"] == "application/problem+json"

    second = _upload(client, admin, pid, bpmn(["B prüfen"]), **{"If-Match": etag})
    assert second.status_code == 201
    assert second.json()["number"] == 2

    stale = _upload(client, admin, pid, bpmn(["C prüfen"]), **{"If-Match": etag})
    assert stale.status_code == 409
    problem = stale.json()
    assert problem["current_version"] == 2
    assert problem["current_etag"] == second.headers["ETag"]
    assert problem["author"] == "Admin"

    process = client.get(f"/api/v1/processes/{pid}", headers=admin.headers)
    assert process.headers["ETag"] == second.headers["ETag"]
    assert process.json()["latest_version"] == 2
    versions = client.get(f"/api/v1/processes/{pid}/versions", headers=admin.headers).json()
    assert versions["total"] == 2
    assert [v["number"] for v in versions["items"]] == [2, 1]


def test_multipart_upload_keeps_filename_note_and_bytes(client, admin, office) -> None:
    pid = _process(client, admin, office)
    xml = bpmn(["Gebühr berechnen"])
    response = client.post(
        f"/api/v1/processes/{pid}/versions",
        headers=admin.headers,
        files={"file": ("gewerbe.bpmn", xml, "text/xml")},
        data={"note": "Import aus Signavio"},
    )
    assert response.status_code == 201, response.text
    meta = client.get(f"/api/v1/processes/{pid}/versions/1", headers=admin.headers).json()
    assert meta["filename"] == "gewerbe.bpmn"
    assert meta["change_note"] == "Import aus Signavio"
    download = client.get(f"/api/v1/processes/{pid}/versions/1/bpmn", headers=admin.headers)
    assert download.content == xml
    assert download.headers["content-type"].startswith("text/xml")


def test_xsd_invalid_model_is_stored_as_flagged_draft_with_positions(client, admin, office) -> None:
    pid = _process(client, admin, office)
    xml = bpmn(["Prüfen"]).replace(
        b'<bpmn:endEvent id="EndEvent_1"', b'<bpmn:endEvent foo="1" id="EndEvent_1"'
    )
    response = _upload(client, admin, pid, xml)
    assert response.status_code == 201
    body = response.json()
    assert body["xsd_valid"] is False
    assert body["status"] == "draft"
    error = body["errors"][0]
    assert error["kind"] == "xsd"
    assert error["line"] >= 1
    assert error["column"] is None  # libxml2 reports no column for XSD errors (0): omitted
    assert error["element_id"] == "EndEvent_1"
    assert error["code"] == "attribute_not_allowed"
    assert error["message"] == "Das Attribut foo ist am Element bpmn:endEvent nicht erlaubt."
    assert error["message_en"] == "The attribute foo is not allowed on the element bpmn:endEvent."
    assert error["original"].startswith("Element '{http://www.omg.org/spec/BPMN/20100524/MODEL}")
    english = client.get(
        f"/api/v1/processes/{pid}/versions/1",
        headers={**admin.headers, "Accept-Language": "en-GB,en;q=0.9"},
    ).json()
    assert english["errors"][0]["message"] == error["message_en"]


def test_dangling_references_and_duplicate_ids_are_reported(client, admin) -> None:
    xml = (
        bpmn(["Prüfen"])
        .replace(b'targetRef="EndEvent_1"', b'targetRef="Nowhere"')
        .replace(b'bpmnElement="Task_0"', b'bpmnElement="Ghost"')
    )
    report = client.post(
        "/api/v1/validate",
        content=xml,
        headers={**admin.headers, "Content-Type": "application/xml"},
    )
    assert report.status_code == 200
    kinds = {(e["kind"], e["element_id"]) for e in report.json()["errors"]}
    assert ("dangling_reference", "Task_0_di") in kinds
    assert ("dangling_reference", "Flow_1") in kinds or any(k == "xsd" for k, _ in kinds)


def test_validate_is_a_dry_run(client, admin, office) -> None:
    pid = _process(client, admin, office)
    response = client.post(
        "/api/v1/validate",
        content=bpmn(),
        headers={**admin.headers, "Content-Type": "application/xml"},
    )
    assert response.json() == {"wellformed": True, "xsd_valid": True, "errors": []}
    assert (
        client.get(f"/api/v1/processes/{pid}/versions", headers=admin.headers).json()["total"] == 0
    )


def test_process_list_filters_and_counts(client, admin, office, db) -> None:
    from tests.factories import make_office

    other = make_office(db, "ordnungsamt")
    pid = _process(client, admin, office, "a")
    _process(client, admin, office, "b")
    client.post(
        f"/api/v1/offices/{other.id}/processes",
        headers=admin.headers,
        json={"key": "c", "title": "C"},
    )
    _upload(client, admin, pid, bpmn())
    everything = client.get("/api/v1/processes", headers=admin.headers).json()
    assert everything["total"] == 3
    mine = client.get(f"/api/v1/processes?office_id={office.id}", headers=admin.headers).json()
    assert mine["total"] == 2
    drafts = client.get("/api/v1/processes?status=draft", headers=admin.headers).json()
    assert [p["id"] for p in drafts["items"]] == [pid]
    page = client.get("/api/v1/processes?limit=1&offset=1", headers=admin.headers).json()
    assert page["total"] == 3
    assert len(page["items"]) == 1


def test_unknown_version_and_process_are_404_problems(client, admin, office) -> None:
    pid = _process(client, admin, office)
    for path in (
        f"/api/v1/processes/{pid}/versions/1",
        f"/api/v1/processes/{pid}/versions/x/bpmn",
        "/api/v1/processes/999999",
    ):
        response = client.get(path, headers={**admin.headers, "Accept-Language": "en"})
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["status"] == 404


def test_problem_details_speak_german_or_english(client, admin, office) -> None:
    german = client.get(
        "/api/v1/processes/424242", headers={**admin.headers, "Accept-Language": "de-DE,de;q=0.9"}
    )
    english = client.get(
        "/api/v1/processes/424242",
        headers={**admin.headers, "Accept-Language": "en-GB,en;q=0.9,de;q=0.5"},
    )
    assert german.json()["detail"] == "Prozess nicht gefunden."
    assert english.json()["detail"] == "Process not found."


def test_api_documentation_is_served_without_a_cdn(client) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/static/dist/swagger/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower()
    spec = client.get("/openapi.json").json()
    assert "/api/v1/processes/{process_id}/versions" in spec["paths"]
