"""The search page in chromium: suggestions while typing, a facet, a hit that opens the viewer at
the element that matched; the header's search box on every page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.web.conftest import LiveServer, check_axe
from tests.web.test_glossary_browser import with_system
from tests.web.test_pages_browser import upload_process


def _active_option(page: Any) -> str:
    return str(
        page.evaluate(
            """() => { const input = document.getElementById('search-q');
                const id = input.getAttribute('aria-activedescendant');
                const node = id && document.getElementById(id);
                return node ? node.querySelector('span').textContent : ''; }"""
        )
    )


def test_search_suggestion_facet_and_hit_open_the_element_in_the_viewer(
    live_server: LiveServer, admin_page: Any, tmp_path: Path
) -> None:
    page, base = admin_page, live_server.url
    # given two processes about the same thing, in different IT systems
    first = tmp_path / "first.bpmn"
    first.write_bytes(with_system(["Sondernutzung prüfen", "Bescheid erstellen"], "SUCHTEST.EWO"))
    second = tmp_path / "second.bpmn"
    second.write_bytes(with_system(["Standplatz vergeben"], "SUCHTEST.GIS"))
    first_id = upload_process(page, base, "Suchtest Sondernutzung", "suchtest-sondernutzung", first)
    upload_process(page, base, "Suchtest Sondernutzung Markt", "suchtest-markt", second)

    # when the user types on the search page, suggestions open as a listbox
    page.goto(base + "/search")
    box = page.get_by_role("combobox", name="Suchbegriffe")
    box.press_sequentially("suchtest sond", delay=20)
    listbox = page.locator("#search-q-list")
    listbox.get_by_role("option").first.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    texts = listbox.locator(".suggestion > span:first-child").all_inner_texts()
    assert "Suchtest Sondernutzung" in texts
    check_axe(page, "search suggestions")

    # Escape closes them, typing opens them again, the arrow keys move, Enter picks
    box.press("Escape")
    assert listbox.is_hidden()
    assert box.get_attribute("aria-expanded") == "false"
    box.press("ArrowDown")
    listbox.get_by_role("option").first.wait_for()
    for _ in range(len(texts) + 1):
        box.press("ArrowDown")
        if _active_option(page) == "Suchtest Sondernutzung":
            break
    assert _active_option(page) == "Suchtest Sondernutzung"
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=Suchtest\+Sondernutzung$"))
    assert page.locator("#search-total").inner_text() == "2 Treffer"
    systems = page.locator("#facet-system")
    assert systems.get_by_label("SUCHTEST.EWO (1)").is_visible()
    assert systems.get_by_label("SUCHTEST.GIS (1)").is_visible()
    check_axe(page, "search results")

    # ticking a facet applies it at once and keeps the keyboard focus on it
    systems.get_by_label("SUCHTEST.EWO (1)").check()
    page.wait_for_url(re.compile(r"system=SUCHTEST.EWO"))
    assert page.locator("#search-total").inner_text() == "1 Treffer"
    ticked = page.locator("#facet-system").get_by_label("SUCHTEST.EWO (1)")
    assert ticked.is_checked()
    assert page.evaluate("() => document.activeElement.value") == "SUCHTEST.EWO"
    hit = page.locator("#search-hits > li")
    assert hit.count() == 1
    # the snippet says where it matched, with the matched words marked
    step = hit.locator(".search-matches li", has_text="Schritt:")
    assert step.locator("mark").first.inner_text() == "Sondernutzung"

    # when the hit is opened, the viewer selects the matched step
    hit.locator("h3").get_by_role("link", name="Suchtest Sondernutzung").click()
    page.wait_for_url(re.compile(rf"/processes/{first_id}\?element=Task_0$"))
    page.wait_for_selector("#pa-canvas[data-state=ready]")
    selected = page.evaluate(
        "() => window.prozessatlas.viewer.get('selection').get().map(e => e.id)"
    )
    assert selected == ["Task_0"]
    # and the element is in view
    inside = page.evaluate(
        """() => { const box = document.querySelector('[data-element-id="Task_0"]').getBoundingClientRect();
            const c = document.getElementById('pa-canvas').getBoundingClientRect();
            return box.left >= c.left && box.right <= c.right && box.top >= c.top && box.bottom <= c.bottom; }"""
    )
    assert inside


def test_the_header_search_box_searches_from_any_page(
    live_server: LiveServer, admin_page: Any
) -> None:
    page, base = admin_page, live_server.url
    page.goto(base + "/glossary")
    box = page.get_by_role("combobox", name="Prozesskatalog durchsuchen")
    box.fill("Straßensperrung")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=Stra%C3%9Fensperrung$"))
    assert page.get_by_role("combobox", name="Suchbegriffe").input_value() == "Straßensperrung"
    assert page.locator("#search-total").is_visible()
