"""Property-based: no page answers 5xx, whatever a browser's address bar holds (issue 9 §5).

The API is fuzzed from its OpenAPI document (tests/api/test_fuzz.py); the pages are not in it, so
here hypothesis fills their paths and query strings with arbitrary text and numbers, as a
logged-in admin, on the database of the run.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from tests.factories import bpmn, make_office, make_process, make_user
from tests.web.test_pages import log_in

PAGES = [
    "/",
    "/account",
    "/admin",
    "/admin/users",
    "/admin/users/{}",
    "/login",
    "/processes/new",
    "/processes/{}",
    "/processes/{}/edit",
    "/processes/{}/versions/{}",
    "/processes/{}/versions/latest",
]
QUERY_KEYS = ["office", "page", "cursor", "archived", "lang", "next", "user", "q", "offset"]

SPECIAL = [
    "1",
    "0",
    "-1",
    "latest",
    "54-upload",
    "%00",
    "%ED%A0%80",  # an encoded lone surrogate
    "99999999999999999999999",
    "9223372036854775808",
    "9223372036854775807",
    "2147483648",
]
segments = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(SPECIAL),
    st.text(max_size=12).map(lambda s: quote(s, safe="")),
)
values = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["", "true", "false", "en", "de", "\x00", "//evil.example", "/processes/1"]),
    st.text(max_size=20),
)


def _logged_in(client: TestClient, db: Session) -> None:
    admin = make_user(db, "admin", admin=True)
    office = make_office(db, "amt")
    make_process(db, office, admin, "antrag", xml=bpmn())
    log_in(client, "admin")


def _visit(client: TestClient, url: str) -> None:
    response = client.get(url, headers={"Accept": "text/html"}, follow_redirects=False)
    assert response.status_code < 500, (url, response.status_code, response.text[:300])


def test_no_page_answers_a_server_error_for_the_known_hard_values(
    client: TestClient, db: Session
) -> None:
    _logged_in(client, db)
    for page in PAGES:
        for first in SPECIAL:
            for second in SPECIAL if page.count("{}") == 2 else ["1"]:
                _visit(client, page.format(first, second))
    for key in QUERY_KEYS:
        for value in SPECIAL:
            _visit(client, f"/?{key}={value}")


def test_no_page_answers_a_server_error(client: TestClient, db: Session) -> None:
    _logged_in(client, db)

    @settings(
        max_examples=150,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        page=st.sampled_from(PAGES),
        parts=st.lists(segments, min_size=2, max_size=2),
        query=st.dictionaries(st.sampled_from(QUERY_KEYS), values, max_size=3),
    )
    def visit(page: str, parts: list[str], query: dict[str, str]) -> None:
        path = page.format(*parts)
        _visit(client, path + ("?" + urlencode(query) if query else ""))

    visit()
