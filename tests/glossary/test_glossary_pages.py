"""The glossary pages: by kind with a filter, an entry's processes, curation forms for admins."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.models import Office, Role
from tests.factories import PASSWORD, Actor, grant, make_office, make_process, make_user
from tests.glossary.models import model


def login(client: TestClient, actor: Actor) -> None:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    response = client.post(
        "/login",
        data={"username": actor.user.username, "password": PASSWORD, "csrf_token": token[1]},
        follow_redirects=False,
    )
    assert response.status_code == 303


def csrf(html: str) -> str:
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert token is not None
    return token[1]


def test_the_page_of_an_it_system_lists_its_processes_in_both_languages(
    client: TestClient, db: Session, admin: Actor, office: Office
) -> None:
    # given OK.EWO in two processes, one of them in an office the reader cannot see
    make_process(db, office, admin, "melde", xml=model(systems=["OK.EWO"]))
    elsewhere = make_office(db, "kaemmerei")
    make_process(db, elsewhere, admin, "kasse", xml=model(systems=["OK.EWO", "SAP FI"]))
    reader = make_user(db, "lena")
    grant(db, reader, office, Role.READER)
    login(client, reader)

    # when the reader opens the systems of the glossary and then OK.EWO
    listing = client.get("/glossary?kind=system")
    link = re.search(r'<a href="(/glossary/\d+)">OK\.EWO</a>', listing.text)

    # then the entry lists the process the reader may see, with a link to its element
    assert listing.status_code == 200
    assert "SAP FI" not in listing.text
    assert link is not None
    page = client.get(link[1])
    assert page.status_code == 200
    assert "Verwendet in 1 Prozessen" in page.text
    assert 'href="/processes/1?element=Task_S0"' in page.text
    assert "Kasse" not in page.text
    assert "Pflege (Administration)" not in page.text  # no curation for readers
    assert "Used in 1 processes" in client.get(link[1] + "?lang=en").text
    assert "<script>" not in page.text  # strict CSP: no inline scripts
    assert client.get("/glossary/999999?lang=de").status_code == 404


def test_an_admin_renames_and_merges_on_the_page(
    client: TestClient, db: Session, admin: Actor, office: Office
) -> None:
    # given two ways of writing one system
    make_process(db, office, admin, "a", xml=model(systems=["OK.EWO"]))
    make_process(db, office, admin, "b", xml=model(systems=["OKEWO"]))
    login(client, admin)
    ids = {
        name: int(i)
        for i, name in re.findall(
            r'<a href="/glossary/(\d+)">([^<]+)</a>', client.get("/glossary?kind=system").text
        )
    }

    # when the admin merges OKEWO into OK.EWO and renames it
    page = client.get(f"/glossary/{ids['OK.EWO']}")
    merged = client.post(
        f"/glossary/{ids['OK.EWO']}/merge",
        data={"csrf_token": csrf(page.text), "entry_ids": str(ids["OKEWO"])},
        follow_redirects=False,
    )
    renamed = client.post(
        f"/glossary/{ids['OK.EWO']}",
        data={"csrf_token": csrf(page.text), "name": "OK.EWO (Meldewesen)", "description": ""},
        follow_redirects=False,
    )
    forged = client.post(
        f"/glossary/{ids['OK.EWO']}", data={"csrf_token": "x", "name": "Y"}, follow_redirects=False
    )

    # then one entry holds both processes under the new name; the old one redirects to it
    assert merged.status_code == 303
    assert renamed.status_code == 303
    assert forged.status_code == 403
    after = client.get(f"/glossary/{ids['OK.EWO']}")
    assert "OK.EWO (Meldewesen)" in after.text
    assert "Verwendet in 2 Prozessen" in after.text
    moved = client.get(f"/glossary/{ids['OKEWO']}", follow_redirects=False)
    assert moved.status_code == 303
    assert moved.headers["location"] == f"/glossary/{ids['OK.EWO']}"


def test_an_admin_splits_and_marks_as_it_system_on_the_page(
    client: TestClient, db: Session, admin: Actor, office: Office
) -> None:
    # given "Bescheid" and "Bescheide" (one entry) and a data store named like a system
    make_process(db, office, admin, "a", xml=model(documents=["Bescheid", "DMS"]))
    make_process(db, office, admin, "b", xml=model(documents=["Bescheide"]))
    login(client, admin)
    listing = client.get("/glossary?kind=document").text
    ids = {n: int(i) for i, n in re.findall(r'<a href="/glossary/(\d+)">([^<]+)</a>', listing)}
    page = client.get(f"/glossary/{ids['Bescheid']}")
    assert 'value="bescheide"' in page.text

    # when the admin splits "Bescheide" off and marks DMS as an IT system
    split = client.post(
        f"/glossary/{ids['Bescheid']}/split",
        data={"csrf_token": csrf(page.text), "variants": ["bescheide"], "name": "Sammelbescheid"},
        follow_redirects=False,
    )
    marked = client.post(
        f"/glossary/{ids['DMS']}",
        data={"csrf_token": csrf(page.text), "kind": "system"},
        follow_redirects=False,
    )

    # then each lands on the entry that holds the result
    assert split.status_code == 303
    assert "Sammelbescheid" in client.get(split.headers["location"]).text
    assert marked.status_code == 303
    system = client.get(marked.headers["location"])
    assert '<span id="entry-kind">IT-System</span>' in system.text
    documents = client.get("/glossary?kind=document").text
    assert "Sammelbescheid" in documents
    assert ">DMS<" not in documents
    refused = client.post(
        f"/glossary/{ids['Bescheid']}/split",
        data={"csrf_token": csrf(page.text), "variants": ["nichts"], "name": "X"},
        follow_redirects=False,
    )
    assert refused.status_code == 422
