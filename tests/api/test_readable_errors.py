"""The API says what is wrong with a file in plain words, with libxml2's text beneath."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.factories import Actor, bpmn


def _validate(client: TestClient, admin: Actor, xml: bytes, lang: str = "de"):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/validate",
        content=xml,
        headers={**admin.headers, "Content-Type": "application/xml", "Accept-Language": lang},
    )


def test_a_not_well_formed_file_is_explained(client: TestClient, admin: Actor) -> None:
    xml = bpmn().replace(b"</bpmn:process>", b"</bpmn:prozess>")
    response = _validate(client, admin, xml)
    assert response.status_code == 400
    problem = response.json()
    assert problem["code"] == "not_well_formed"
    assert problem["reason"] == "tag_mismatch"
    assert problem["detail"].startswith(
        "Die Datei ist kein wohlgeformtes XML. Das Element <process> aus Zeile 2 wird mit "
        "</prozess> geschlossen"
    )
    assert problem["original"].startswith("Opening and ending tag mismatch: process line 2 and")
    assert problem["line"] == 2
    assert problem["column"] > 0
    english = _validate(client, admin, xml, "en").json()
    assert english["detail"].startswith("The file is not well-formed XML. The element <process>")


def test_xsd_errors_of_a_dry_run_come_in_the_asked_language(
    client: TestClient, admin: Actor
) -> None:
    xml = bpmn().replace(b'isExecutable="false"', b'isExecutable="nein"')
    report = _validate(client, admin, xml, "en").json()
    assert report["xsd_valid"] is False
    error = report["errors"][0]
    assert error["code"] == "invalid_value"
    assert error["message"] == error["message_en"]
    assert error["message_en"].startswith(
        "'nein' is not a boolean (attribute isExecutable of the element bpmn:process)"
    )
    assert error["message_de"].startswith("„nein“ ist kein Wahrheitswert")
    assert "xs:boolean" in error["original"]
    assert error["column"] is None
