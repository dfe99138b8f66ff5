"""Security headers on every kind of response (issue 9 §4); the browser test checks the policy."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import make_user


def test_every_response_carries_the_security_headers(client: TestClient, db: Session) -> None:
    admin = make_user(db, "chefin", admin=True)
    responses = {
        "page": client.get("/login"),
        "redirect": client.get("/", follow_redirects=False),
        "api": client.get("/api/v1/offices", headers=admin.headers),
        "problem": client.get("/api/v1/offices"),
        "validation problem": client.get("/api/v1/processes?limit=0", headers=admin.headers),
        "not found": client.get("/nope"),
        "docs": client.get("/docs"),
        "openapi": client.get("/openapi.json"),
        "static": client.get("/static/js/docs.js"),
        "health": client.get("/healthz"),
    }
    for name, response in responses.items():
        headers = response.headers
        assert headers["x-content-type-options"] == "nosniff", name
        assert headers["x-frame-options"] == "DENY", name
        assert headers["referrer-policy"] == "same-origin", name
        policy = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy, name
        assert "script-src 'self';" in policy, name
        assert "unsafe-eval" not in policy, name
        assert "strict-transport-security" not in headers, name
        assert len(headers.get_list("x-frame-options")) == 1, name


def test_the_docs_page_runs_no_inline_script(client: TestClient) -> None:
    html = client.get("/docs").text
    assert '<script src="/static/js/docs.js">' in html
    inline = [
        part
        for part in html.split("<script")[1:]
        if " src=" not in part.split(">")[0] and 'type="application/json"' not in part.split(">")[0]
    ]
    assert inline == []
    assert '<a href="/">' in html


def test_no_template_has_an_inline_script_or_handler() -> None:
    import re
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "app" / "templates"
    for path in templates.glob("*.html"):
        text = path.read_text("utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag or 'type="application/json"' in tag, (path.name, tag)
        assert not re.search(r"\son[a-z]+\s*=", text), path.name
