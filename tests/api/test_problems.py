"""The problem handlers on a small app: what each kind of failure answers, as JSON or a page."""

from __future__ import annotations

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from starlette.responses import HTMLResponse, Response

from app.api import problems
from app.errors import NotFound

FAILURES: dict[str, Exception] = {
    "integrity": IntegrityError("INSERT …", {}, Exception("UNIQUE constraint failed")),
    "operational": OperationalError("SELECT 1", {}, Exception("connection refused")),
    "data": DataError("SELECT …", {}, Exception("value out of range")),
    "overflow": OverflowError("Python int too large to convert to SQLite INTEGER"),
    "encoding": UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed"),
    "bug": RuntimeError("a bug"),
    "not_found": NotFound("Gibt es nicht.", "Does not exist."),
}


def _page(request: Request, problem: problems.Problem) -> Response:
    return HTMLResponse(
        f"<h1>{problem.title('de')}</h1>", problem.status, dict(problem.headers or {})
    )


@pytest.fixture
def client() -> TestClient:
    app = FastAPI()
    problems.install(app, html=_page)

    @app.get("/api/fail/{kind}")
    @app.get("/fail/{kind}")
    def fail(kind: str) -> None:
        raise FAILURES[kind]

    return TestClient(app, raise_server_exceptions=False)


@pytest.mark.parametrize(
    ("kind", "status", "title"),
    [
        ("integrity", 409, "Konflikt"),
        ("operational", 503, "Vorübergehend nicht verfügbar"),
        ("data", 422, "Ungültige Eingabe"),
        ("overflow", 422, "Ungültige Eingabe"),
        ("encoding", 422, "Ungültige Eingabe"),
        ("bug", 500, "Interner Fehler"),
        ("not_found", 404, "Nicht gefunden"),
    ],
)
def test_each_failure_has_its_answer(
    client: TestClient, kind: str, status: int, title: str
) -> None:
    api = client.get(f"/api/fail/{kind}")
    assert api.status_code == status
    assert api.headers["content-type"] == "application/problem+json"
    assert api.json()["title"] == title
    page = client.get(f"/fail/{kind}", headers={"Accept": "text/html"})
    assert page.status_code == status
    assert page.text == f"<h1>{title}</h1>"


def test_unavailable_says_when_to_retry(client: TestClient) -> None:
    response = client.get("/api/fail/operational", headers={"Accept-Language": "en"})
    assert response.headers["retry-after"] == str(problems.RETRY_AFTER_SECONDS)
    assert response.json()["detail"].startswith("The database cannot be reached right now.")
    page = client.get("/fail/operational", headers={"Accept": "text/html"})
    assert page.headers["retry-after"] == str(problems.RETRY_AFTER_SECONDS)


def test_a_failing_error_page_still_answers_with_the_problem(client: TestClient) -> None:
    app = FastAPI()

    def broken(request: Request, problem: problems.Problem) -> Response:
        raise RuntimeError("template missing")

    problems.install(app, html=broken)
    response = TestClient(app).get("/nope", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_lone_surrogates_never_break_the_problem_document() -> None:
    app = FastAPI()
    problems.install(app)

    @app.post("/api/echo")
    def echo(body: dict[str, int]) -> None:  # a str value fails validation, echoing its key
        return None

    response = TestClient(app).post(
        "/api/echo",
        content=b'{"\\ud800": "x"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    place, key = response.json()["errors"][0]["loc"]
    assert place == "body"
    assert key
    assert set(key) == {"\ufffd"}  # replaced, so the answer is valid UTF-8
