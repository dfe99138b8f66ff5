"""Bad input never gets a 500 (issue 9 §5): huge integers, lone surrogates, NUL bytes.

Run on both databases (the PostgreSQL pass of the suite): they must answer alike.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Membership, Office, Process, ProcessVersion
from tests.factories import Actor, bpmn, make_process
from tests.web.test_pages import log_in

HUGE = [
    "99999999999999999999999",  # beyond 64 bits
    "9223372036854775808",  # 2**63
    "9223372036854775807",  # 2**63 - 1: fits 64 bits, not PostgreSQL's integer
    "2147483648",  # 2**31
]


def _counts(db: Session) -> tuple[int, ...]:
    db.expire_all()
    return tuple(
        int(db.scalar(select(func.count()).select_from(model)) or 0)
        for model in (Office, Process, ProcessVersion, Membership)
    )


@pytest.mark.parametrize("number", HUGE)
def test_ids_beyond_the_integer_columns_are_404(
    client: TestClient, admin: Actor, number: str
) -> None:
    for path in (
        f"/api/v1/processes/{number}",
        f"/api/v1/processes/{number}/versions",
        f"/api/v1/processes/{number}/versions/1",
        f"/api/v1/offices/{number}",
        f"/api/v1/offices/{number}/processes",
    ):
        response = client.get(path, headers=admin.headers)
        assert response.status_code == 404, (path, response.text)
        assert response.headers["content-type"] == "application/problem+json"
    patched = client.patch(
        f"/api/v1/processes/{number}", headers=admin.headers, json={"title": "Neu"}
    )
    assert patched.status_code == 404


@pytest.mark.parametrize("number", HUGE)
def test_page_ids_beyond_the_integer_columns_are_an_html_404(
    client: TestClient, admin: Actor, number: str
) -> None:
    log_in(client, "admin")
    for path in (
        f"/processes/{number}",
        f"/processes/{number}/edit",
        f"/processes/1/versions/{number}",
    ):
        response = client.get(path)
        assert response.status_code == 404, (path, response.status_code)
        assert response.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("number", ["9223372036854775808", "99999999999999999999999", "-1"])
def test_paging_beyond_range_is_422(client: TestClient, admin: Actor, number: str) -> None:
    for path in ("/api/v1/processes", "/api/v1/offices", "/api/v1/users"):
        response = client.get(f"{path}?offset={number}", headers=admin.headers)
        assert response.status_code == 422, (path, response.text)
        assert response.json()["errors"][0]["loc"] == ["query", "offset"]


@pytest.mark.parametrize("number", [2**63, 2**63 - 1, 2**31, -(2**63) - 1])
def test_integers_beyond_range_in_bodies_are_422_and_nothing_is_stored(
    client: TestClient, admin: Actor, db: Session, number: int
) -> None:
    before = _counts(db)
    response = client.post(
        "/api/v1/offices",
        headers=admin.headers,
        json={"key": "neu", "name": "Neu", "kind": "amt", "parent_id": number},
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"] == ["body", "parent_id"]
    assert _counts(db) == before


def _raw_json(client: TestClient, method: str, path: str, body: str, headers: dict[str, str]):  # type: ignore[no-untyped-def]
    # a lone surrogate cannot be encoded by a JSON library's client side: send the JSON text
    return client.request(
        method,
        path,
        content=body.encode(),
        headers={**headers, "Content-Type": "application/json"},
    )


@pytest.mark.parametrize("bad", ["\\ud800", "\\udfff", "A\\u0000B", "\\u0007"])
def test_unstorable_characters_in_text_fields_are_422_and_nothing_is_stored(
    client: TestClient, admin: Actor, db: Session, office: Office, bad: str
) -> None:
    process = make_process(db, office, admin, "antrag", xml=bpmn())
    before = _counts(db)
    cases = [
        (
            "POST",
            f"/api/v1/offices/{office.id}/processes",
            f'{{"key": "p", "title": "T", "owner": "{bad}"}}',
        ),
        (
            "POST",
            f"/api/v1/offices/{office.id}/processes",
            f'{{"key": "p", "title": "T", "tags": ["{bad}"]}}',
        ),
        ("POST", f"/api/v1/offices/{office.id}/processes", f'{{"key": "p", "title": "{bad}"}}'),
        (
            "POST",
            f"/api/v1/offices/{office.id}/processes",
            f'{{"key": "p", "title": "T", "description": "{bad}"}}',
        ),
        ("PATCH", f"/api/v1/processes/{process.id}", f'{{"owner": "{bad}"}}'),
        ("PATCH", f"/api/v1/processes/{process.id}", f'{{"tags": ["ok", "{bad}"]}}'),
        (
            "POST",
            f"/api/v1/offices/{office.id}/members",
            f'{{"username": "{bad}", "role": "reader"}}',
        ),
        ("POST", "/api/v1/offices", f'{{"key": "neu", "name": "{bad}"}}'),
        (
            "POST",
            "/api/v1/users",
            f'{{"username": "neu", "password": "lang-genug-{bad}-passwort", "display_name": "{bad}"}}',
        ),
    ]
    for method, path, body in cases:
        response = _raw_json(client, method, path, body, admin.headers)
        assert response.status_code == 422, (path, body, response.status_code, response.text)
        problem = response.json()
        assert problem["title"] == "Ungültige Eingabe"
        assert problem["errors"], problem
    assert _counts(db) == before


def test_nul_in_query_strings_is_422_on_every_route(client: TestClient, admin: Actor) -> None:
    for path in (
        "/api/v1/processes?status=%00",
        "/api/v1/processes?office_id=1&status=a%00b",
        "/api/v1/auth/tokens?user=admin%00",
        "/api/v1/processes?cursor=%00",
    ):
        response = client.get(path, headers=admin.headers)
        assert response.status_code == 422, (path, response.text)
        assert response.headers["content-type"] == "application/problem+json"
    page = client.get("/?office=%00", headers={"Accept": "text/html"})
    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")


def test_nul_in_path_segments_is_422(client: TestClient, admin: Actor, office: Office) -> None:
    response = client.get("/api/v1/processes/1/versions/la%00test", headers=admin.headers)
    assert response.status_code == 422, response.text


def test_nul_in_forms_and_the_change_note_is_422_and_nothing_is_stored(
    client: TestClient, admin: Actor, db: Session, office: Office
) -> None:
    process = make_process(db, office, admin, "antrag")
    before = _counts(db)
    token = client.post("/api/v1/auth/token", data={"username": "admin\x00", "password": "x"})
    assert token.status_code == 422
    login = client.post(
        "/login", data={"username": "ad\x00min", "password": "x"}, headers={"Accept": "text/html"}
    )
    assert login.status_code == 422
    assert login.headers["content-type"].startswith("text/html")
    upload = client.post(
        f"/api/v1/processes/{process.id}/versions",
        content=bpmn(),
        headers={**admin.headers, "Content-Type": "application/xml", "X-Change-Note": "a%00b"},
    )
    assert upload.status_code == 422, upload.text
    multipart = client.post(
        f"/api/v1/processes/{process.id}/versions",
        files={"file": ("m.bpmn", bpmn(), "application/xml")},
        data={"note": "Notiz\x00"},
        headers=admin.headers,
    )
    assert multipart.status_code == 422, multipart.text
    assert _counts(db) == before
