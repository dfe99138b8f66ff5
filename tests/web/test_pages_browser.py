"""Pages in a real browser: login, catalogue, process and version pages, axe-core checks."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import SHARED, TEST_OFFICE, LiveServer, check_axe, login, screenshot

pytestmark = pytest.mark.browser


def test_login_page_and_catalogue(live_server: LiveServer, page: Any) -> None:
    page.goto(live_server.url + "/")
    assert "/login" in page.url  # not logged in: redirected
    check_axe(page, "login")
    screenshot(page, "login")

    page.get_by_label("Benutzername").fill("admin")
    page.get_by_label("Passwort").fill("wrong")
    page.get_by_role("button", name="Anmelden").click()
    assert page.get_by_role("alert").inner_text().startswith("Benutzername oder Passwort")

    login(page, live_server.url)
    assert page.get_by_role("heading", name="Prozesskatalog").is_visible()
    assert page.get_by_role("link", name=TEST_OFFICE).is_visible()
    check_axe(page, "catalogue")
    screenshot(page, "catalogue")

    # English via the language switch, kept in a cookie
    page.get_by_role("link", name="English").click()
    assert page.get_by_role("heading", name="Process catalogue").is_visible()
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="Deutsch").click()
    assert page.locator("html").get_attribute("lang") == "de"

    page.goto(live_server.url + "/processes/987654")
    assert page.get_by_role("heading", name="Fehler").is_visible()
    check_axe(page, "error page")

    page.get_by_role("button", name="Abmelden").click()
    assert "/login" in page.url


MIWG = SHARED / "corpus" / "miwg"
LABELLED = SHARED / "corpus" / "labelled"


def upload_process(page: Any, base: str, title: str, key: str, path: Path) -> int:
    page.goto(base + "/processes/new")
    page.get_by_label("Dienststelle").select_option(label=TEST_OFFICE)
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Schlüssel", exact=False).fill(key)
    page.get_by_label("BPMN-Datei", exact=False).set_input_files(str(path))
    page.get_by_role("button", name="Anlegen").click()
    page.wait_for_url(re.compile(r"/processes/\d+$"))
    page.wait_for_selector("body.pa-viewer-ready")
    return int(page.url.rstrip("/").split("/")[-1])


def test_upload_miwg_file_renders_its_elements(live_server: LiveServer, admin_page: Any) -> None:
    page, base = admin_page, live_server.url
    source = MIWG / "bpmn.io (Camunda Modeler) 18.6.1" / "A.2.0-export.bpmn"
    if not source.exists():
        pytest.skip("MIWG corpus not available")
    process_id = upload_process(page, base, "MIWG A.2.0", "miwg-a-2-0", source)

    ids = set(
        re.findall(
            r'<(?:\w+:)?(?:task|startEvent|endEvent|exclusiveGateway)\b[^>]*\bid="([^"]+)"',
            source.read_text("utf-8"),
        )
    )
    assert len(ids) >= 5
    for element_id in ids:
        assert page.locator(f'#pa-canvas .djs-element[data-element-id="{element_id}"]').count() == 1
    screenshot(page, "uploaded-miwg")

    # the version page: metadata, downloads of .bpmn, SVG and PNG
    page.goto(f"{base}/processes/{process_id}/versions/1")
    page.wait_for_selector("body.pa-viewer-ready")
    check_axe(page, "version page")
    with page.expect_download() as svg:
        page.click("#pa-download-svg")
    assert svg.value.suggested_filename == "miwg-a-2-0-v1.svg"
    with page.expect_download() as png:
        page.click("#pa-download-png")
    assert png.value.suggested_filename == "miwg-a-2-0-v1.png"
    with open(png.value.path(), "rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"
    original = page.request.get(f"{base}/api/v1/processes/{process_id}/versions/1/bpmn").body()
    assert original == source.read_bytes()


def test_viewer_shows_findings_and_focuses_them(live_server: LiveServer, admin_page: Any) -> None:
    page, base = admin_page, live_server.url
    source = LABELLED / "anwohnerparkausweis.bpmn"
    if not source.exists():
        pytest.skip("labelled corpus not available")
    upload_process(page, base, "Anwohnerparkausweis", "anwohnerparkausweis-test", source)

    page.wait_for_selector("#pa-findings-list .pa-finding")
    breaks = page.locator("#pa-findings-list .pa-finding-break")
    candidates = page.locator("#pa-findings-list .pa-finding-candidate")
    assert breaks.count() >= 1
    assert candidates.count() >= 1
    assert page.locator("#pa-canvas .pa-badge").count() >= 1
    assert page.locator("#pa-canvas .pa-media-break, #pa-canvas .pa-media-break-high").count() >= 1
    check_axe(page, "process page with findings")
    screenshot(page, "viewer-findings")

    # clicking a finding selects and centres its elements
    candidates.first.click()
    selected = page.evaluate("window.prozessatlas.viewer.get('selection').get().map(e => e.id)")
    assert len(selected) == 1
    after = page.evaluate("window.prozessatlas.viewer.get('canvas').viewbox()")
    element = page.evaluate(
        "id => { const e = window.prozessatlas.viewer.get('elementRegistry').get(id); "
        "return { x: e.x + e.width / 2, y: e.y + e.height / 2 }; }",
        selected[0],
    )
    assert abs(after["x"] + after["width"] / 2 - element["x"]) < 2
    assert abs(after["y"] + after["height"] / 2 - element["y"]) < 2

    # the toggle hides every overlay and marker
    page.get_by_label("Befunde im Diagramm zeigen").uncheck()
    assert page.locator("#pa-canvas .pa-badge").count() == 0
    assert (
        page.locator(
            "#pa-canvas .pa-media-break, #pa-canvas .pa-media-break-high, #pa-canvas .pa-candidate"
        ).count()
        == 0
    )
    page.get_by_label("Befunde im Diagramm zeigen").check()
    assert page.locator("#pa-canvas .pa-badge").count() >= 1
