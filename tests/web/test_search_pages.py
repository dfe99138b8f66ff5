"""The search page without a browser: results rendered on the server (no JavaScript needed),
snippets escaped with the matched words marked, labels in both languages, permissions, bad input."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.models import Role
from app.web.search_pages import marked_parts, process_href
from tests.factories import bpmn, grant, make_office, make_process, make_user
from tests.web.test_pages import log_in


def test_marked_parts_split_the_highlight_marks() -> None:
    assert marked_parts("a «b» c «d»") == [("a ", False), ("b", True), (" c ", False), ("d", True)]
    assert marked_parts("kein Treffer") == [("kein Treffer", False)]
    assert marked_parts("offen «ohne Ende") == [("offen «ohne Ende", False)]
    assert marked_parts("") == []
    assert process_href(7, "Task 1&x") == "/processes/7?element=Task+1%26x"
    assert process_href(7, None) == "/processes/7"


def test_search_page_needs_a_login(client: TestClient) -> None:
    response = client.get("/search?q=x", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


def test_hits_are_rendered_without_javascript_escaped_and_marked(
    client: TestClient, db: Session
) -> None:
    admin = make_user(db, "chefin", admin=True)
    office = make_office(db, "ordnungsamt")
    xml = bpmn(["Straßensperrung &lt;b&gt;prüfen&lt;/b&gt;", "Bescheid senden"])
    process = make_process(db, office, admin, "sperrung", xml=xml)
    log_in(client, "chefin")

    empty = client.get("/search")
    assert empty.status_code == 200
    assert 'id="search-hits"' not in empty.text
    assert 'role="combobox"' in empty.text  # the header box and the page's box

    page = client.get("/search", params={"q": "Strassensperrung"})
    assert page.status_code == 200
    text = page.text
    assert "1 Treffer" in text
    assert f'href="/processes/{process.id}?element=Task_0"' in text
    assert "<b>" not in text.split('id="search-hits"')[1]
    assert re.search(r"Schritt:</span>\s*<a[^>]*><mark>Straßensperrung</mark> &lt;b&gt;", text)
    assert 'id="facet-element_type"' in text

    english = client.get("/search", params={"q": "Strassensperrung", "lang": "en"})
    assert "1 result" in english.text
    assert "Step:</span>" in english.text

    filtered = client.get(
        "/search", params={"q": "Strassensperrung", "element_type": "serviceTask", "lang": "de"}
    )
    assert filtered.status_code == 200
    assert "0 Treffer" in filtered.text
    assert "Keine Treffer." in filtered.text
    assert "Filter zurücksetzen" in filtered.text


def test_another_offices_drafts_are_neither_hits_nor_counted(
    client: TestClient, db: Session
) -> None:
    admin = make_user(db, "chef", admin=True)
    mine = make_office(db, "buergeramt")
    other = make_office(db, "bauamt")
    make_process(db, mine, admin, "meldung", xml=bpmn(["Wohnsitz anmelden"]))
    make_process(db, other, admin, "bauantrag", xml=bpmn(["Wohnsitz prüfen"]))
    reader = make_user(db, "leser")
    grant(db, reader, mine, Role.READER)
    log_in(client, "leser")

    page = client.get("/search", params={"q": "Wohnsitz"})
    assert page.status_code == 200
    assert "1 Treffer" in page.text
    assert "Meldung" in page.text
    assert "Bauantrag" not in page.text
    assert "Bauamt" not in page.text  # nor in the office facet


def test_bad_parameters_get_a_clear_answer_never_a_500(client: TestClient, db: Session) -> None:
    make_user(db, "chefin", admin=True)
    log_in(client, "chefin")
    # the "all offices" choice sends an empty office_id; nonsense there is ignored
    for office in ("", "abc", "0", "99999999999"):
        assert client.get("/search", params={"q": "x", "office_id": office}).status_code == 200
    for params in ({"offset": "-1"}, {"q": "x" * 501}, {"has_media_breaks": "vielleicht"}):
        response = client.get("/search", params=params)
        assert 400 <= response.status_code < 500, params
