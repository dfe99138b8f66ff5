"""Every page satisfies its Content-Security-Policy in chromium (issue 9 §4): no violation event,
no "Refused to …" in the console, while the page does its work (diagram drawn, Swagger UI up)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import LiveServer, check_axe

pytestmark = pytest.mark.browser

LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


def _watch(page: Any) -> list[str]:
    console: list[str] = []
    page.add_init_script(LISTEN)
    page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    return console


def _violations(page: Any, console: list[str]) -> list[str]:
    found: list[str] = page.evaluate("window.__cspViolations || []")
    return found + console


def _a_process_with_a_version(page: Any, base: str) -> tuple[int, int]:
    listed = page.request.get(base + "/api/v1/processes?limit=50").json()
    for item in listed["items"]:
        if item["latest_version"]:
            return item["id"], item["latest_version"]
    pytest.skip("no process with a version in the demo catalogue")


def test_no_page_violates_its_content_security_policy(
    live_server: LiveServer, admin_page: Any, browser: Any, browser_context_args: dict[str, Any]
) -> None:
    page, base = admin_page, live_server.url
    console = _watch(page)
    process_id, number = _a_process_with_a_version(page, base)
    admin_id = page.request.get(base + "/api/v1/users?limit=1").json()["items"][0]["id"]
    pages = [
        ("/", "h1"),
        (f"/processes/{process_id}", "body.pa-viewer-ready"),
        (f"/processes/{process_id}/versions/{number}", "body.pa-viewer-ready"),
        (f"/processes/{process_id}/edit", "#pa-canvas[data-state=ready]"),
        ("/processes/new", "#title"),
        ("/account", "#tokens-heading"),
        ("/admin/users", "#users-heading"),
        (f"/admin/users/{admin_id}", "#roles-heading"),
        ("/docs", "#swagger-ui .opblock"),
        ("/nope", "h1"),
    ]
    for path, ready in pages:
        response = page.goto(base + path)
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        assert response.headers["x-content-type-options"] == "nosniff"
        page.wait_for_selector(ready, timeout=20_000)
        page.wait_for_timeout(300)  # late styles and fetches
        assert _violations(page, console) == [], (path, _violations(page, console))

    # the key suggestion of "Neuer Prozess" now comes from a file, and still works
    page.goto(base + "/processes/new")
    page.get_by_label("Titel").fill("Hundesteuer Änderung")
    assert page.locator("#key").input_value() == "hundesteuer-aenderung"
    assert _violations(page, console) == []

    # the login page, logged out
    context = browser.new_context(**browser_context_args)
    anonymous = context.new_page()
    console_out = _watch(anonymous)
    anonymous.goto(base + "/login")
    anonymous.wait_for_selector("#username")
    assert _violations(anonymous, console_out) == []
    context.close()


def test_a_blocked_inline_script_would_be_reported(live_server: LiveServer, page: Any) -> None:
    """The listener catches what the policy blocks (so the test above can fail)."""
    console = _watch(page)
    page.goto(live_server.url + "/login")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.x") is None
    assert any("script-src" in v for v in _violations(page, console))


def test_the_account_and_admin_pages_pass_axe(live_server: LiveServer, admin_page: Any) -> None:
    page, base = admin_page, live_server.url
    admin_id = page.request.get(base + "/api/v1/users?limit=1").json()["items"][0]["id"]
    for path in ("/account", "/admin/users", f"/admin/users/{admin_id}"):
        page.goto(base + path)
        check_axe(page, path)
    # a token made on the page is shown once, in a field to copy from
    page.goto(base + "/account")
    page.get_by_label("Name", exact=True).fill("Browsertest")
    page.get_by_role("button", name="Token erzeugen").click()
    assert page.locator("#token-value").input_value().startswith("pa_")
    page.goto(base + "/account")
    assert page.locator("#token-value").count() == 0
    page.get_by_role("button", name="Token „Browsertest“ widerrufen").click()
    assert page.get_by_role("status").inner_text() == "Das Token wurde widerrufen."
