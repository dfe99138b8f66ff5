"""Browser routes answer errors with the HTML error page; the API keeps problem+json."""

from __future__ import annotations

import html
import json
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import bpmn, make_office, make_process, make_user
from tests.web.test_pages import log_in

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def _heading(page: str) -> str:
    match = re.search(r"<h1>(.*?)</h1>", page)
    assert match, page[:500]
    return html.unescape(match.group(1))


def _alert(page: str) -> str:
    match = re.search(r'role="alert">(.*?)</p>', page, re.S)
    assert match, page[:500]
    return html.unescape(match.group(1))


@pytest.mark.parametrize(
    ("method", "path", "status", "heading", "text"),
    [
        ("GET", "/nope", 404, "Nicht gefunden", "Diese Adresse gibt es nicht"),
        (
            "GET",
            "/processes/54-upload",
            422,
            "Ungültige Eingabe",
            "„process_id“ in der Adresse muss eine ganze Zahl sein.",
        ),
        ("POST", "/", 405, "Aktion nicht möglich", "HTTP-Methode POST"),
        ("DELETE", "/login", 405, "Aktion nicht möglich", "HTTP-Methode DELETE"),
        ("GET", "/static/nope.css", 404, "Nicht gefunden", "Diese Adresse gibt es nicht"),
    ],
)
def test_browser_routes_answer_an_html_error_page(
    client: TestClient, db: Session, method: str, path: str, status: int, heading: str, text: str
) -> None:
    # logged in: pages send anonymous visitors to the login form first (app/web/deps.py)
    make_user(db, "lotse")
    log_in(client, "lotse")
    response = client.request(method, path, headers=BROWSER)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert _heading(response.text) == heading
    assert text in _alert(response.text)
    assert '<a href="/">' in response.text  # a way back into the app


def test_the_error_page_speaks_english_by_the_language_switch(
    client: TestClient, db: Session
) -> None:
    make_user(db, "lotse")
    log_in(client, "lotse")
    response = client.get("/processes/54-upload?lang=en", headers=BROWSER)
    assert response.status_code == 422
    assert _heading(response.text) == "Invalid input"
    assert "'process_id' in the address must be a whole number." in _alert(response.text)


def test_a_logged_in_user_keeps_the_navigation_on_error_pages(
    client: TestClient, db: Session
) -> None:
    make_user(db, "lotse")
    log_in(client, "lotse")
    response = client.get("/processes/54-upload", headers=BROWSER)
    assert response.status_code == 422
    assert "Abmelden" in response.text
    missing = client.get("/nope", headers=BROWSER)
    assert missing.status_code == 404
    assert "Abmelden" in missing.text


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/api/v1/nope", BROWSER),  # the API stays JSON, even for a browser
        ("/api/v1/processes/54-upload", {}),
        ("/nope", {"Accept": "application/json"}),  # a script that asks for JSON gets JSON
    ],
)
def test_api_paths_and_json_clients_keep_problem_json(
    client: TestClient, path: str, headers: dict[str, str]
) -> None:
    response = client.get(path, headers=headers)
    assert response.status_code in (401, 404, 422)
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == response.status_code
    assert body["title"]
    assert body["detail"]


def test_validation_problems_name_the_field_in_both_languages(
    client: TestClient, db: Session
) -> None:
    admin = make_user(db, "admin", admin=True)
    office = make_office(db, "amt")
    response = client.post(
        f"/api/v1/offices/{office.id}/processes",
        headers={**admin.headers, "Accept-Language": "en"},
        json={"key": "x", "title": 5},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["title"] == "Invalid input"
    assert body["errors"][0]["loc"] == ["body", "title"]
    assert body["errors"][0]["message"] == "'title' in the field must be a text."
    german = client.post(
        f"/api/v1/offices/{office.id}/processes", headers=admin.headers, json={"key": "x"}
    ).json()
    assert german["detail"] == "Ungültige Angabe: „title“ im Feld fehlt."


def test_version_page_shows_translated_xsd_errors_with_the_original_beneath(
    client: TestClient, db: Session
) -> None:
    admin = make_user(db, "admin", admin=True)
    office = make_office(db, "amt")
    xml = bpmn(["Prüfen"]).replace(
        b'<bpmn:endEvent id="EndEvent_1"', b'<bpmn:endEvent foo="1" id="EndEvent_1"'
    )
    process = make_process(db, office, admin, "p", xml=xml)
    log_in(client, "admin")
    page = client.get(f"/processes/{process.id}/versions/1").text
    section = page[page.index('class="xsd-errors"') :]
    assert "Das Attribut foo ist am Element bpmn:endEvent nicht erlaubt." in section
    assert "Spalte" not in section  # libxml2 knows no column here
    assert re.search(r"Zeile \d+:", section)
    assert "<details" in section
    assert "The attribute &#39;foo&#39; is not allowed." in section  # the original text
    english = client.get(f"/processes/{process.id}/versions/1?lang=en").text
    assert "The attribute foo is not allowed on the element bpmn:endEvent." in english


def test_modeler_page_hands_the_translated_errors_to_the_error_panel(
    client: TestClient, db: Session
) -> None:
    admin = make_user(db, "admin", admin=True)
    office = make_office(db, "amt")
    xml = bpmn(["Prüfen"]).replace(
        b'<bpmn:endEvent id="EndEvent_1"', b'<bpmn:endEvent foo="1" id="EndEvent_1"'
    )
    process = make_process(db, office, admin, "p", xml=xml)
    log_in(client, "admin")
    page = client.get(f"/processes/{process.id}/edit").text
    block = re.search(r'id="pa-page-data"[^>]*>(.*?)</script>', page, re.S)
    assert block
    data = json.loads(block.group(1))
    error = data["baseErrors"][0]
    assert error["message_de"] == "Das Attribut foo ist am Element bpmn:endEvent nicht erlaubt."
    assert error["message_en"] == "The attribute foo is not allowed on the element bpmn:endEvent."
    assert error["original"].startswith("Element '{http://www.omg.org/spec/BPMN/20100524/MODEL}")
    assert error["column"] is None
