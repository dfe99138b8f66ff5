"""The modeler in a real browser: palette, properties panel (pa:medium), lint, save, versions, conflicts."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import ROOT, SHARED, TEST_OFFICE, LiveServer, check_axe, screenshot

pytestmark = pytest.mark.browser

DATA = Path(__file__).parent / "data"


def wait_ready(page: Any) -> None:
    page.wait_for_selector("body.pa-modeler-ready")


def new_process(page: Any, base: str, title: str, key: str) -> int:
    page.goto(base + "/processes/new")
    page.get_by_label("Dienststelle").select_option(label=TEST_OFFICE)
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Schlüssel", exact=False).fill(key)
    page.get_by_role("button", name="Anlegen").click()
    page.wait_for_url(re.compile(r"/processes/\d+/edit$"))
    wait_ready(page)
    return int(page.url.rstrip("/").split("/")[-2])


def place(page: Any, action: str, x: float, y: float) -> None:
    """Create an element from the palette at canvas-relative (x, y)."""
    box = page.locator("#pa-canvas").bounding_box()
    page.click(f'.djs-palette [data-action="{action}"]')
    page.mouse.move(box["x"] + x - 10, box["y"] + y - 10)
    page.mouse.move(box["x"] + x, box["y"] + y)
    page.mouse.click(box["x"] + x, box["y"] + y)


def click_at(page: Any, x: float, y: float) -> None:
    box = page.locator("#pa-canvas").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def selected(page: Any) -> list[str]:
    ids: list[str] = page.evaluate(
        "window.prozessatlas.modeler.get('selection').get().map(e => e.id)"
    )
    return ids


def select(page: Any, element_id: str) -> None:
    """Click an element on the canvas (again if diagram-js swallowed the click after a drag)."""
    box = page.locator(
        f'#pa-canvas .djs-element[data-element-id="{element_id}"]'
    ).first.bounding_box()
    # right of the centre: the context pad of a just-created flow sits on the target's left half
    x, y = box["x"] + box["width"] * 0.7, box["y"] + box["height"] / 2
    for attempt in range(5):
        page.mouse.move(x + 3, y)
        page.mouse.click(x, y)
        if selected(page) == [element_id]:
            return
        page.keyboard.press("Escape")
        page.wait_for_timeout(50 * (attempt + 1))
    hit = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).outerHTML.slice(0, 300)", [x, y]
    )
    raise AssertionError(f"could not select {element_id}: {selected(page)} {hit}")


def connected(page: Any, source: str, target: str) -> bool:
    return bool(
        page.evaluate(
            """([s, t]) => window.prozessatlas.modeler.get('elementRegistry').get(s).outgoing
            .some(c => c.target.id === t)""",
            [source, target],
        )
    )


def connect(page: Any, source: str, target: str) -> None:
    """Connect two elements with the context pad's connect tool."""
    for _ in range(3):
        select(page, source)
        page.click('.djs-context-pad [data-action="connect"]')
        box = page.locator(
            f'#pa-canvas .djs-element[data-element-id="{target}"]'
        ).first.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(x - 20, y, steps=4)
        page.mouse.move(x, y, steps=4)
        page.mouse.click(x, y)
        if connected(page, source, target):
            return
        page.keyboard.press("Escape")
    raise AssertionError(f"could not connect {source} -> {target}")


def elements(page: Any, bpmn_type: str) -> list[str]:
    ids: list[str] = page.evaluate(
        "t => window.prozessatlas.modeler.get('elementRegistry').filter(e => e.type === t).map(e => e.id)",
        bpmn_type,
    )
    return ids


def open_group(page: Any, group: str) -> None:
    header = page.locator(f'[data-group-id="group-{group}"] .bio-properties-panel-group-header')
    if "open" not in (header.get_attribute("class") or ""):
        header.click()


def save(page: Any, note: str) -> None:
    page.click("#pa-save")
    page.get_by_label("Was wurde geändert?", exact=False).fill(note)
    page.click("#pa-save-confirm")


def test_model_save_reload_and_version_two(live_server: LiveServer, admin_page: Any) -> None:
    page, base = admin_page, live_server.url
    page.goto(base + "/processes/new")
    check_axe(page, "new process")
    process_id = new_process(page, base, "Gewerbeanmeldung (Browsertest)", "gewerbe-browsertest")

    # a new diagram starts with one start event; lint waits for the first edit; saving is offered
    assert len(elements(page, "bpmn:StartEvent")) == 1
    assert "neuer Prozess, noch nicht gespeichert" in page.locator(".modeler-head h1").inner_text()
    assert "Neuer Prozess, noch nicht gespeichert" in page.locator("#pa-status").inner_text()
    assert not page.locator(".bjsl-button").is_visible()
    assert page.locator("#pa-save").is_enabled()
    # the palette does not cover the diagram
    palette = page.locator(".djs-palette").bounding_box()
    start_box = page.locator('.djs-element[data-element-id="StartEvent_1"]').bounding_box()
    assert start_box["x"] > palette["x"] + palette["width"]

    place(page, "create.task", 320, 250)
    page.locator(".bjsl-button").wait_for(state="visible")
    place(page, "create.task", 520, 250)
    place(page, "create.end-event", 700, 250)
    assert len(elements(page, "bpmn:StartEvent")) == 1
    tasks = elements(page, "bpmn:Task")
    assert len(tasks) == 2
    assert len(elements(page, "bpmn:EndEvent")) == 1

    start, end = elements(page, "bpmn:StartEvent")[0], elements(page, "bpmn:EndEvent")[0]
    connect(page, start, tasks[0])
    connect(page, tasks[0], tasks[1])
    connect(page, tasks[1], end)
    assert len(elements(page, "bpmn:SequenceFlow")) == 3

    # live lint: the tasks have no label yet
    page.wait_for_function(
        "id => (window.prozessatlas.modeler.get('linting')._issues[id] || []).length > 0",
        arg=tasks[0],
    )
    lint_text = page.locator(
        f'.djs-overlays[data-container-id="{tasks[0]}"] .bjsl-overlay'
    ).inner_text()
    assert lint_text is not None
    assert (
        page.locator(f'.djs-overlays[data-container-id="{tasks[0]}"] .bjsl-dropdown').count() == 1
    )
    assert (
        "Element hat keine Beschriftung"
        in page.locator(
            f'.djs-overlays[data-container-id="{tasks[0]}"] .bjsl-dropdown'
        ).text_content()
    )

    # name the first task and set its medium in the properties panel
    select(page, tasks[0])
    open_group(page, "general")
    page.fill("#bio-properties-panel-name", "Antrag auf Papier prüfen")
    open_group(page, "prozessatlas")
    page.select_option("#bio-properties-panel-pa-medium", "paper")
    page.fill("#bio-properties-panel-pa-system", "")
    page.wait_for_function(
        "id => window.prozessatlas.modeler.get('elementRegistry').get(id).businessObject.get('pa:medium') === 'paper'",
        arg=tasks[0],
    )

    # the second task works in an IT system: live analysis finds the media break paper → IT system
    select(page, tasks[1])
    page.select_option("#bio-properties-panel-pa-medium", "it_system")
    page.fill("#bio-properties-panel-pa-system", "OK.GEWERBE")
    page.wait_for_function(
        "id => window.prozessatlas.modeler.get('elementRegistry').get(id).businessObject.get('pa:system') === 'OK.GEWERBE'",
        arg=tasks[1],
    )
    page.wait_for_selector("#pa-findings-list .pa-finding-break", timeout=15_000)
    assert page.locator("#pa-canvas .pa-badge-break").count() >= 1
    check_axe(page, "modeler")
    screenshot(page, "modeler")

    save(page, "Erste Fassung")
    page.wait_for_function(
        "() => document.getElementById('pa-notice').textContent.includes('Version 1')"
    )
    assert "Alle Änderungen gespeichert" in page.locator("#pa-status").inner_text()
    assert page.locator("#pa-current-version").inner_text() == "1"

    # nothing to save: neither the button nor Ctrl+S offers it (the API would take the same bytes)
    assert page.locator("#pa-save").is_disabled()
    page.keyboard.press("Control+s")
    assert not page.locator("#pa-save-dialog").is_visible()

    page.reload()
    wait_ready(page)
    assert page.locator("#pa-current-version").inner_text() == "1"
    xml = page.request.get(f"{base}/api/v1/processes/{process_id}/versions/1/bpmn").text()
    assert 'pa:medium="paper"' in xml
    assert 'xmlns:pa="urn:prozessatlas:bpmn:1.0"' in xml
    assert 'pa:system="OK.GEWERBE"' in xml
    # pa:system suggestions come from the systems used in the catalogue
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('#pa-system-suggestions option')).some(o => o.value === 'OK.GEWERBE')"
    )

    # edit and save version 2
    select(page, tasks[1])
    open_group(page, "general")
    page.fill("#bio-properties-panel-name", "Gebühr berechnen")
    page.wait_for_function("() => window.prozessatlas.session.dirty")
    save(page, "Zweite Aufgabe benannt")
    page.wait_for_function(
        "() => document.getElementById('pa-notice').textContent.includes('Version 2')"
    )
    versions = page.request.get(f"{base}/api/v1/processes/{process_id}/versions").json()
    assert [v["number"] for v in versions["items"]] == [2, 1]
    assert versions["items"][0]["change_note"] == "Zweite Aufgabe benannt"
    assert all(v["xsd_valid"] for v in versions["items"])  # pa: attributes keep the model XSD-valid

    # the process page lists both versions and renders the latest one read-only
    page.goto(f"{base}/processes/{process_id}")
    page.wait_for_selector("body.pa-viewer-ready")
    assert page.locator("#version-table tbody tr").count() == 2
    assert page.locator(f'#pa-canvas .djs-element[data-element-id="{tasks[1]}"]').count() == 1
    check_axe(page, "process page")
    screenshot(page, "process")


def make_saved_process(page: Any, base: str, key: str) -> tuple[int, str]:
    """A process with version 1 (start → task → end), created through the modeler."""
    process_id = new_process(page, base, f"Prozess {key}", key)
    place(page, "create.task", 330, 250)
    task = elements(page, "bpmn:Task")[0]
    save(page, "Version 1")
    page.wait_for_function(
        "() => document.getElementById('pa-notice').textContent.includes('Version 1')"
    )
    return process_id, task


def rename(page: Any, element_id: str, name: str) -> None:
    select(page, element_id)
    open_group(page, "general")
    page.fill("#bio-properties-panel-name", name)
    page.wait_for_function("() => window.prozessatlas.session.dirty")


def test_conflicting_saves_show_dialog_and_lose_nothing(
    live_server: LiveServer,
    admin_page: Any,
    browser: Any,
    browser_context_args: dict[str, Any],
    admin_state: dict[str, Any],
) -> None:
    base, first = live_server.url, admin_page
    process_id, task = make_saved_process(first, base, "konflikt-test")

    other_context = browser.new_context(**browser_context_args, storage_state=admin_state)
    second = other_context.new_page()
    try:
        second.goto(f"{base}/processes/{process_id}/edit")
        wait_ready(second)
        first.reload()
        wait_ready(first)

        rename(first, task, "Änderung im ersten Fenster")
        rename(second, task, "Änderung im zweiten Fenster")

        save(first, "erstes Fenster")
        first.wait_for_function(
            "() => document.getElementById('pa-notice').textContent.includes('Version 2')"
        )

        save(second, "zweites Fenster")
        dialog = second.locator("#pa-conflict-dialog")
        dialog.wait_for(state="visible")
        assert second.locator("#pa-conflict-version").inner_text() == "2"
        assert second.locator("#pa-conflict-author").inner_text() == "Administrator"
        # the city's time zone, named
        assert re.fullmatch(
            r"\d\d\.\d\d\.\d{4}, \d\d:\d\d MES?Z", second.locator("#pa-conflict-time").inner_text()
        )
        proposed = second.locator("#pa-copy-title").input_value()
        assert re.fullmatch(
            r"Prozess konflikt-test \(Kopie vom \d\d\.\d\d\.\d{4}, \d\d:\d\d\)", proposed
        ), proposed
        check_axe(second, "conflict dialog")
        screenshot(second, "conflict-dialog")

        # nothing was overwritten: version 2 is the first window's, the second window still has its work
        versions = second.request.get(f"{base}/api/v1/processes/{process_id}/versions").json()
        assert [v["number"] for v in versions["items"]] == [2, 1]
        latest = second.request.get(f"{base}/api/v1/processes/{process_id}/versions/2/bpmn").text()
        assert "Änderung im ersten Fenster" in latest
        draft = second.evaluate(f"localStorage.getItem('prozessatlas:draft:process-{process_id}')")
        assert draft is not None
        assert "Änderung im zweiten Fenster" in draft

        # save the second window's work as a new process, under a title of one's own
        second.fill("#pa-copy-title", "Zweite Fassung Konflikt-Test")
        second.click("#pa-conflict-save-new")
        second.wait_for_url(
            lambda url: (
                re.search(r"/processes/\d+/edit$", url) is not None
                and f"/processes/{process_id}/" not in url
            )
        )
        copy_id = int(second.url.split("/")[-2])
        assert copy_id != process_id
        wait_ready(second)
        copy_xml = second.request.get(f"{base}/api/v1/processes/{copy_id}/versions/1/bpmn").text()
        copy = second.request.get(f"{base}/api/v1/processes/{copy_id}").json()
        assert copy["title"] == "Zweite Fassung Konflikt-Test"
        assert "Änderung im zweiten Fenster" in copy_xml
        assert (
            second.evaluate(f"localStorage.getItem('prozessatlas:draft:process-{process_id}')")
            is None
        )
    finally:
        other_context.close()


def test_unsaved_changes_survive_reload_and_warn_before_leaving(
    live_server: LiveServer, admin_page: Any
) -> None:
    page, base = admin_page, live_server.url
    process_id, task = make_saved_process(page, base, "entwurf-test")
    rename(page, task, "Noch nicht gespeichert")
    page.wait_for_function(
        f"() => (localStorage.getItem('prozessatlas:draft:process-{process_id}') || '').includes('Noch nicht gespeichert')"
    )

    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", on_dialog)
    page.reload()
    wait_ready(page)
    assert dialogs == ["beforeunload"]
    name = page.evaluate(
        "id => window.prozessatlas.modeler.get('elementRegistry').get(id).businessObject.name", task
    )
    assert name == "Noch nicht gespeichert"
    assert "wiederhergestellt" in page.locator("#pa-notice").inner_text()
    assert "Ungespeicherte Änderungen" in page.locator("#pa-status").inner_text()

    # saving the restored draft needs no conflict: it was based on the newest version
    save(page, "aus Entwurf")
    page.wait_for_function(
        "() => document.getElementById('pa-notice').textContent.includes('Version 2')"
    )
    assert page.evaluate(f"localStorage.getItem('prozessatlas:draft:process-{process_id}')") is None

    # palette, context pad and panel in German, English through the language switch
    assert (
        page.locator('.djs-palette [data-action="create.task"]').get_attribute("aria-label")
        == "Aufgabe erstellen"
    )
    page.goto(f"{base}/processes/{process_id}/edit?lang=en")
    wait_ready(page)
    assert (
        page.locator('.djs-palette [data-action="create.task"]').get_attribute("aria-label")
        == "Create task"
    )
    assert page.get_by_role("button", name="Save …").is_visible()


def test_xsd_errors_point_at_elements(live_server: LiveServer, admin_page: Any) -> None:
    page, base = admin_page, live_server.url
    page.goto(base + "/processes/new")
    page.get_by_label("Dienststelle").select_option(label=TEST_OFFICE)
    page.get_by_label("Titel").fill("XSD-Fehler")
    page.get_by_label("Schlüssel", exact=False).fill("xsd-fehler")
    page.get_by_label("BPMN-Datei", exact=False).set_input_files(
        str(DATA / "xsd-invalid-attribute.bpmn")
    )
    page.get_by_role("button", name="Anlegen").click()
    page.wait_for_url(re.compile(r"/processes/\d+$"))
    process_id = int(page.url.split("/")[-1])

    # the version page lists the error and points at the element
    page.goto(f"{base}/processes/{process_id}/versions/1")
    page.wait_for_selector("body.pa-viewer-ready")
    assert (
        page.locator('#pa-canvas .djs-element.pa-xsd-error[data-element-id="Task_Invalid"]').count()
        == 1
    )
    page.click('[data-focus-element="Task_Invalid"]')
    assert page.evaluate("window.prozessatlas.viewer.get('selection').get().map(e => e.id)") == [
        "Task_Invalid"
    ]
    # in plain German with prefixed names; libxml2's own text folded away beneath (ADR 0011)
    listed = page.locator(".xsd-errors li").first
    assert "Das Attribut dringlichkeit ist am Element bpmn:task nicht erlaubt." in (
        listed.inner_text()
    )
    assert "Spalte" not in listed.inner_text()
    assert not listed.locator("details code").is_visible()
    listed.locator("details summary").click()
    assert "is not allowed" in listed.locator("details code").inner_text()
    check_axe(page, "version page with XSD errors")

    page.goto(f"{base}/processes/{process_id}/edit")
    wait_ready(page)
    errors = page.locator("#pa-xsd-error-list button")
    errors.first.wait_for()
    assert "Das Attribut dringlichkeit ist am Element bpmn:task nicht erlaubt." in (
        errors.first.inner_text()
    )
    assert "is not allowed" in (errors.first.get_attribute("title") or "")  # the original
    # long messages wrap inside the side panel
    side, first = page.locator(".modeler-side").bounding_box(), errors.first.bounding_box()
    assert first["x"] + first["width"] <= side["x"] + side["width"] + 1
    assert (
        page.locator('#pa-canvas .djs-element.pa-xsd-error[data-element-id="Task_Invalid"]').count()
        == 1
    )
    errors.first.click()
    assert selected(page) == ["Task_Invalid"]

    # search in the diagram, undo and redo from the toolbar
    page.click("#pa-search")
    page.wait_for_selector(".djs-search-container.open input:focus")
    page.keyboard.type("Antrag")
    page.wait_for_selector(".djs-search-container .djs-search-result")
    page.keyboard.press("Escape")
    rename(page, "Start_1", "Antrag ist eingegangen")
    name_of = (
        "window.prozessatlas.modeler.get('elementRegistry').get('Start_1').businessObject.name"
    )
    page.click("#pa-undo")
    assert page.evaluate(name_of) == "Antrag eingegangen"
    page.click("#pa-redo")
    assert page.evaluate(name_of) == "Antrag ist eingegangen"

    # saving keeps the unknown attribute (nothing is dropped): the server flags the new version too
    save(page, "Start umbenannt")
    page.wait_for_function(
        "() => document.getElementById('pa-notice').textContent.includes('nicht XSD-gültig')"
    )
    assert page.locator("#pa-xsd-error-list button").count() >= 1


def test_readme_scene_shows_the_findings_of_a_labelled_model(
    live_server: LiveServer, admin_page: Any
) -> None:
    """The README's scene: a labelled model in the modeler with its findings on the diagram and in
    the side list, the properties panel on a media-break task. PROZESSATLAS_UPDATE_SCREENSHOTS=1
    also writes it to docs/screenshots/modeler.png."""
    source = SHARED / "corpus" / "labelled" / "anwohnerparkausweis.bpmn"
    if not source.exists():
        pytest.skip("../shared/corpus is not beside the repository")
    page, base = admin_page, live_server.url
    page.goto(base + "/processes/new")
    page.get_by_label("Dienststelle").select_option(label=TEST_OFFICE)
    page.get_by_label("Titel").fill("Anwohnerparkausweis ausstellen")
    page.get_by_label("Schlüssel", exact=False).fill("anwohnerparkausweis-doku")
    page.get_by_label("BPMN-Datei", exact=False).set_input_files(str(source))
    page.get_by_role("button", name="Anlegen").click()
    page.wait_for_url(re.compile(r"/processes/\d+$"))
    process_id = int(page.url.rsplit("/", 1)[-1])
    page.get_by_role("link", name="Im Modeler bearbeiten").click()
    wait_ready(page)
    page.wait_for_selector("#pa-findings-list .pa-finding")
    stored = page.evaluate(
        f"""async () => (await (await fetch('/api/v1/processes/{process_id}/versions/latest/analysis',
            {{ credentials: 'same-origin' }})).json())"""
    )
    labels = json.loads(source.with_name(source.stem + ".labels.json").read_text("utf-8"))
    assert len(stored["media_breaks"]) == len(labels["media_breaks"])
    shown = page.evaluate(
        "() => window.prozessatlas.modeler.get('findingOverlays').getFindings().media_breaks.length"
    )
    assert shown == len(stored["media_breaks"])
    assert page.locator('#pa-canvas .pa-badges[data-element-id="S_KFZ"]').count() == 1
    page.evaluate("""() => { const m = window.prozessatlas.modeler;
        m.get('canvas').zoom(0.9); m.get('findingOverlays').focus(['S_KFZ', 'S_Druck']); }""")
    select(page, "S_KFZ")
    page.evaluate("window.prozessatlas.modeler.get('canvas').scroll({ dx: 330, dy: -40 })")
    open_group(page, "prozessatlas")
    assert page.locator("#bio-properties-panel-pa-medium").is_visible()
    page.wait_for_timeout(300)
    screenshot(page, "readme-modeler")
    if os.environ.get("PROZESSATLAS_UPDATE_SCREENSHOTS"):
        target = ROOT / "docs" / "screenshots" / "modeler.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target))


def test_open_local_file_in_modeler_and_save_as_new_version(
    live_server: LiveServer, admin_page: Any
) -> None:
    page, base = admin_page, live_server.url
    source = SHARED / "corpus" / "miwg" / "bpmn.io (Camunda Modeler) 18.6.1" / "A.2.0-export.bpmn"
    if not source.exists():
        pytest.skip("MIWG corpus not available")
    process_id, _ = make_saved_process(page, base, "datei-oeffnen")
    page.set_input_files("#pa-import-file", str(source))
    page.wait_for_selector('#pa-canvas .djs-element[data-element-id="Activity_0opq70y"]')
    assert page.evaluate("window.prozessatlas.session.dirty")
    save(page, "Export aus Camunda Modeler übernommen")
    page.wait_for_function(
        "() => document.getElementById('pa-notice').textContent.includes('Version 2')"
    )
    xml = page.request.get(f"{base}/api/v1/processes/{process_id}/versions/2/bpmn").text()
    assert 'id="Activity_0opq70y"' in xml
