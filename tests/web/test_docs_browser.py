"""/docs in chromium: a link back to the app, and "Authorize" + "Try it out" really work."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import ADMIN_PASSWORD, LiveServer

pytestmark = pytest.mark.browser


def test_docs_link_back_and_authorize_then_try_it_out(
    live_server: LiveServer, browser: Any, browser_context_args: dict[str, Any]
) -> None:
    context = browser.new_context(**browser_context_args)  # not logged in: no session cookie
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + "/docs")

    back = page.locator('a[href="/"]').first
    back.wait_for()
    assert back.is_visible()

    page.locator(".btn.authorize").first.click()
    modal = page.locator(".modal-ux")
    flow = modal.locator(".auth-container", has_text="password (OAuth2, password)")
    flow.locator("#oauth_username").fill("admin")
    flow.locator("#oauth_password").fill(ADMIN_PASSWORD)
    flow.locator("button.authorize").click()
    flow.locator("button", has_text="Logout").wait_for()  # the password flow got its token
    flow.locator("button.btn-done").click()

    operation = page.locator('[id^="operations-offices-list_offices"]').first
    operation.locator(".opblock-summary").first.click()
    operation.locator(".try-out__btn").click()
    operation.locator(".execute").click()
    status = operation.locator(".live-responses-table tr.response .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"
    context.close()
    assert not errors, errors
