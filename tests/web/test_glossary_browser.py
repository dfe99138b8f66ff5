"""The glossary in chromium: "which processes use this IT system" is one click from its entry."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.factories import bpmn
from tests.web.conftest import LiveServer, check_axe
from tests.web.test_pages_browser import upload_process

SYSTEM = "GLOSSAR.TEST"


def with_system(tasks: list[str], system: str) -> bytes:
    """The factories' model (with diagram information), its first task naming `system`."""
    xml = bpmn(tasks)
    xml = xml.replace(
        b"<bpmn:definitions ", b'<bpmn:definitions xmlns:pa="urn:prozessatlas:bpmn:1.0" ', 1
    )
    return xml.replace(
        b'<bpmn:userTask id="Task_0"', f'<bpmn:userTask id="Task_0" pa:system="{system}"'.encode()
    )


def test_the_glossary_page_of_an_it_system_lists_its_processes(
    live_server: LiveServer, admin_page: Any, tmp_path: Path
) -> None:
    page, base = admin_page, live_server.url
    # given two processes that name the system, one in other letters
    first = tmp_path / "first.bpmn"
    first.write_bytes(with_system(["Meldedaten prüfen"], SYSTEM))
    second = tmp_path / "second.bpmn"
    second.write_bytes(with_system(["Auskunft erteilen"], SYSTEM.lower()))
    first_id = upload_process(page, base, "Glossar Ummeldung", "glossar-ummeldung", first)
    second_id = upload_process(page, base, "Glossar Auskunft", "glossar-auskunft", second)

    # when the user goes to the glossary from the header, picks IT systems and filters
    page.get_by_role("link", name="Glossar").click()
    page.get_by_role("link", name="IT-Systeme").click()
    page.get_by_label("Name enthält").fill("glossar.test")
    page.get_by_label("Name enthält").press("Enter")
    page.wait_for_url(re.compile(r"/glossary\?.*q=glossar"))
    row = page.locator("#glossary-entries tbody tr")
    assert row.count() == 1
    assert row.locator("td").last.inner_text() == "2"
    check_axe(page, "glossary")

    # then one click on the entry lists both processes
    row.get_by_role("link", name=SYSTEM).click()
    page.wait_for_url(re.compile(r"/glossary/\d+$"))
    assert page.get_by_role("heading", name=SYSTEM).is_visible()
    used = page.locator("#entry-used-in tbody tr")
    assert sorted(used.locator("th").all_inner_texts()) == ["Glossar Auskunft", "Glossar Ummeldung"]
    check_axe(page, "glossary entry")

    # and a process link opens the process at the element that names the system
    page.get_by_role("link", name="Glossar Ummeldung").click()
    page.wait_for_url(re.compile(rf"/processes/{first_id}\?element=Task_0$"))
    assert second_id != first_id
