"""The HTML pages without a browser: login, CSRF, redirects, escaping, language, access."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.models import Process, Role
from tests.factories import PASSWORD, bpmn, grant, make_office, make_process, make_user


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF field in the form"
    return match.group(1)


def log_in(client: TestClient, username: str, password: str = PASSWORD) -> None:
    form = client.get("/login")
    response = client.post(
        "/login",
        data={
            "username": username,
            "password": password,
            "csrf_token": csrf_of(form.text),
            "next": "/",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


@pytest.fixture
def office(db: Session):  # type: ignore[no-untyped-def]
    return make_office(db, "buergeramt")


def test_pages_redirect_to_login_with_next(client: TestClient) -> None:
    for path in (
        "/",
        "/processes/new",
        "/processes/1",
        "/processes/1/edit",
        "/processes/1/versions/1",
    ):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")


def test_login_needs_csrf_and_right_password(client: TestClient, db: Session) -> None:
    make_user(db, "lotse")
    assert (
        client.post(
            "/login", data={"username": "lotse", "password": PASSWORD, "csrf_token": "forged"}
        ).status_code
        == 403
    )
    form = client.get("/login")
    wrong = client.post(
        "/login", data={"username": "lotse", "password": "nope", "csrf_token": csrf_of(form.text)}
    )
    assert wrong.status_code == 401
    assert "Benutzername oder Passwort ist falsch" in wrong.text
    assert 'value="lotse"' in wrong.text


def test_login_redirects_only_to_local_paths(client: TestClient, db: Session) -> None:
    make_user(db, "lotse")
    form = client.get("/login")
    for target, expected in (
        ("/processes/new", "/processes/new"),
        ("//evil.example/x", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
    ):
        response = client.post(
            "/login",
            data={
                "username": "lotse",
                "password": PASSWORD,
                "csrf_token": csrf_of(form.text),
                "next": target,
            },
            follow_redirects=False,
        )
        assert response.headers["location"] == expected
        form = client.get("/login?next=/")  # logged in now: redirects, keep a fresh token
        client.cookies.clear()
        form = client.get("/login")


def test_logout_needs_csrf(client: TestClient, db: Session) -> None:
    make_user(db, "lotse")
    log_in(client, "lotse")
    page = client.get("/")
    assert (
        client.post("/logout", data={"csrf_token": "forged"}, follow_redirects=False).headers[
            "location"
        ]
        == "/"
    )
    assert client.get("/", follow_redirects=False).status_code == 200
    response = client.post(
        "/logout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False
    )
    assert response.headers["location"] == "/login?logged_out=1"
    assert client.get("/", follow_redirects=False).status_code == 303


def test_catalogue_lists_visible_processes_escaped(client: TestClient, db: Session, office) -> None:  # type: ignore[no-untyped-def]
    admin = make_user(db, "chefin", admin=True)
    process = make_process(db, office, admin, "hund", xml=bpmn())
    process.title = "<script>alert(1)</script> Hundesteuer"
    db.commit()
    other = make_office(db, "kaemmerei")
    make_process(db, other, admin, "geheim")
    reader = make_user(db, "leser")
    grant(db, reader, office, Role.READER)

    log_in(client, "leser")
    page = client.get("/")
    assert page.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Hundesteuer" in page.text
    assert "<script>alert(1)" not in page.text
    assert "Buergeramt" in page.text
    assert "geheim" not in page.text
    assert "Kaemmerei" not in page.text
    assert 'class="button" href="/processes/new' not in page.text  # readers cannot model
    filtered = client.get(f"/?office={office.id}")
    assert f'/processes/{process.id}"' in filtered.text
    # an office the reader cannot see, or none at all, is not an empty list but a 404 page
    for unknown in (other.id, 2**31 - 1):
        refused = client.get(f"/?office={unknown}")
        assert refused.status_code == 404
        assert refused.headers["content-type"].startswith("text/html")
        assert "Diese Dienststelle gibt es nicht." in refused.text
        assert "geheim" not in refused.text


def test_catalogue_pages_through_many_processes_and_filters_by_office_subtree(
    client: TestClient, db: Session, office
) -> None:  # type: ignore[no-untyped-def]
    # given 104 processes in an office, one in its sub-office and one in another office
    admin = make_user(db, "chefin", admin=True)
    for n in range(104):
        db.add(Process(office_id=office.id, key=f"p{n:03}", title=f"Prozess {n:03}", tags=[]))
    abteilung = make_office(db, "meldewesen", parent=office)
    db.add(Process(office_id=abteilung.id, key="melde", title="Ummeldung", tags=[]))
    other = make_office(db, "kaemmerei")
    db.add(Process(office_id=other.id, key="kasse", title="Kassenbuch", tags=[]))
    db.commit()
    log_in(client, admin.user.username)

    def rows(html: str) -> int:
        return html.count('<th scope="row"><a href="/processes/')

    # when the whole catalogue is listed, then it comes in pages of 100 with a way on and back
    first = client.get("/").text
    assert re.search(r"\b106 (Prozesse|processes)\b", first)
    assert rows(first) == 100
    following = re.search(r'href="(/\?page=2&amp;cursor=[^"]+)" rel="next"', first)
    assert following, "the next page is linked by cursor"
    second = client.get(html.unescape(following.group(1))).text
    assert rows(second) == 6
    assert 'href="/?page=1" rel="prev"' in second
    assert 'rel="next"' not in second
    assert rows(client.get("/?page=2").text) == 6  # a page number typed in works too

    # and an office lists its own processes and its sub-offices', on every page
    filtered = client.get(f"/?office={office.id}&page=2").text
    assert re.search(r"\b105 (Prozesse|processes)\b", filtered)
    assert rows(filtered) == 5
    assert f'href="/?office={office.id}&amp;page=1" rel="prev"' in filtered
    sub = client.get(f"/?office={abteilung.id}").text
    assert rows(sub) == 1
    assert "Ummeldung" in sub
    assert "Kassenbuch" not in sub


def test_process_version_and_edit_pages(client: TestClient, db: Session, office) -> None:  # type: ignore[no-untyped-def]
    admin = make_user(db, "chefin", admin=True)
    process = make_process(db, office, admin, "hund", xml=bpmn(["Antrag prüfen"]))
    reader = make_user(db, "leser")
    grant(db, reader, office, Role.READER)

    log_in(client, "chefin")
    page = client.get(f"/processes/{process.id}")
    assert page.status_code == 200
    assert 'id="version-table"' in page.text
    assert f"/api/v1/processes/{process.id}/versions/1/bpmn" in page.text
    assert "viewer.js" in page.text
    assert client.get(f"/processes/{process.id}/versions/1").status_code == 200
    assert client.get(f"/processes/{process.id}/versions/9").status_code == 404
    edit = client.get(f"/processes/{process.id}/edit")
    assert edit.status_code == 200
    data = re.search(
        r'<script type="application/json" id="pa-page-data">(.*?)</script>', edit.text, re.S
    )
    assert data is not None
    assert '"etag": "\\"' in data.group(1) or '"etag":"\\"' in data.group(1)
    assert "modeler.js" in edit.text
    assert client.get("/processes/999").status_code == 404

    client.cookies.clear()
    log_in(client, "leser")
    assert client.get(f"/processes/{process.id}").status_code == 200
    assert client.get(f"/processes/{process.id}/edit").status_code == 403


def test_new_process_empty_and_upload(client: TestClient, db: Session, office) -> None:  # type: ignore[no-untyped-def]
    make_user(db, "chefin", admin=True)
    log_in(client, "chefin")
    form = client.get("/processes/new")
    assert form.status_code == 200
    token = csrf_of(form.text)

    empty = client.post(
        "/processes/new",
        data={"office_id": str(office.id), "title": "Leer", "key": "leer", "csrf_token": token},
        follow_redirects=False,
    )
    assert empty.status_code == 303
    assert re.fullmatch(r"/processes/\d+/edit", empty.headers["location"])

    upload = client.post(
        "/processes/new",
        data={
            "office_id": str(office.id),
            "title": "Hochgeladen",
            "key": "hochgeladen",
            "csrf_token": token,
        },
        files={"file": ("hund.bpmn", bpmn(), "application/xml")},
        follow_redirects=False,
    )
    assert upload.status_code == 303
    target = upload.headers["location"]
    assert re.fullmatch(r"/processes/\d+", target)
    assert "hund.bpmn" in client.get(target).text  # the change note names the file

    broken = client.post(
        "/processes/new",
        data={"office_id": str(office.id), "title": "Kaputt", "key": "kaputt", "csrf_token": token},
        files={"file": ("x.bpmn", b"<not-xml", "application/xml")},
    )
    assert broken.status_code == 400
    assert 'role="alert"' in broken.text
    assert "kaputt" not in client.get("/").text  # nothing half-created

    duplicate = client.post(
        "/processes/new",
        data={"office_id": str(office.id), "title": "Leer 2", "key": "leer", "csrf_token": token},
    )
    assert duplicate.status_code == 409
    assert (
        client.post(
            "/processes/new",
            data={"office_id": str(office.id), "title": "X", "key": "x", "csrf_token": "forged"},
        ).status_code
        == 403
    )


def test_language_switch_sets_cookie(client: TestClient) -> None:
    german = client.get("/login")
    assert '<html lang="de">' in german.text
    assert "Anmelden" in german.text
    english = client.get("/login?lang=en")
    assert '<html lang="en">' in english.text
    assert "Log in" in english.text
    assert client.cookies.get("lang") == "en"
    assert '<html lang="en">' in client.get("/login").text
