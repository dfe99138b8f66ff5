"""The process page's viewer in chromium, checked geometrically: the canvas fills the window below
the header, the zoom buttons, a finding zooms to a readable scale, badges cover no label and no
other badge, and the finding cards name their elements (issue 9, sections 2 and 3)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.web.conftest import ROOT, SHARED, LiveServer, check_axe
from tests.web.test_pages_browser import upload_process

pytestmark = pytest.mark.browser

DATA = Path(__file__).parent / "data"
LABELLED = SHARED / "corpus" / "labelled"

READY = '#pa-canvas[data-state="ready"]'


def _bench() -> ModuleType:
    """bench/browser_open.py, for its model generator."""
    spec = importlib.util.spec_from_file_location(
        "_browser_open_bench", ROOT / "bench" / "browser_open.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def open_viewer(page: Any, base: str, key: str, source: Path) -> int:
    process_id = upload_process(page, base, f"Viewer {key}", key, source)
    page.wait_for_selector(READY, state="attached")
    return process_id


def viewbox(page: Any) -> dict[str, Any]:
    box: dict[str, Any] = page.evaluate("window.prozessatlas.viewer.get('canvas').viewbox()")
    return box


def overlaps(a: dict[str, float], b: dict[str, float], tolerance: float = 0.5) -> bool:
    return (
        a["x"] + tolerance < b["x"] + b["w"]
        and b["x"] + tolerance < a["x"] + a["w"]
        and a["y"] + tolerance < b["y"] + b["h"]
        and b["y"] + tolerance < a["y"] + a["h"]
    )


_GEOMETRY = """() => {
    const rect = node => { const r = node.getBoundingClientRect();
        return { x: r.x, y: r.y, w: r.width, h: r.height, text: node.textContent.trim().slice(0, 40) }; };
    const badges = Array.from(document.querySelectorAll('#pa-canvas .pa-badge')).map(rect);
    const labels = Array.from(document.querySelectorAll('#pa-canvas .djs-element > .djs-visual text'))
        .filter(node => node.textContent.trim()).map(rect).filter(r => r.w > 0 && r.h > 0);
    return { badges, labels };
}"""


def assert_badges_clear(page: Any, name: str) -> tuple[int, int]:
    """At zoom 1: no badge overlaps a label's text or another badge. Returns how many badges
    and labels were compared."""
    page.evaluate("window.prozessatlas.viewer.get('canvas').zoom(1)")
    geometry = page.evaluate(_GEOMETRY)
    badges, labels = geometry["badges"], geometry["labels"]
    for i, badge in enumerate(badges):
        assert min(badge["w"], badge["h"]) > 10, (name, badge)
        for label in labels:
            assert not overlaps(badge, label), f"{name}: badge {badge} covers label {label}"
        for other in badges[i + 1 :]:
            assert not overlaps(badge, other), f"{name}: badges {badge} and {other} overlap"
    return len(badges), len(labels)


def assert_long_list_pages(page: Any) -> None:
    """More than 100 findings of a kind: the first 100 cards, and a button for the rest."""
    candidates = page.evaluate(
        "window.prozessatlas.viewer.get('findingOverlays').getFindings().automation_candidates.length"
    )
    assert candidates > 100
    cards = page.locator("#pa-findings-list .pa-finding-candidate")
    assert cards.count() == 100
    more = page.get_by_role("button", name=f"Weitere {candidates - 100} zeigen")
    more.click()
    assert cards.count() == candidates
    assert more.count() == 0
    assert page.evaluate("document.activeElement.getAttribute('data-finding-index')") == "100"


def test_canvas_fills_the_window_and_zoom_buttons_work(
    live_server: LiveServer, admin_page: Any
) -> None:
    page, base = admin_page, live_server.url
    open_viewer(page, base, "viewer-zoom", DATA / "unnamed-media-breaks.bpmn")

    # the canvas is as high as the window below the header; the findings list no higher
    sizes = page.evaluate("""() => ({
        window: window.innerHeight,
        header: document.querySelector('.site-header').getBoundingClientRect().height,
        canvas: document.getElementById('pa-canvas').getBoundingClientRect(),
        findings: document.querySelector('.viewer .findings').getBoundingClientRect().height })""")
    assert abs(sizes["canvas"]["height"] - (sizes["window"] - sizes["header"])) <= 2
    assert sizes["findings"] <= sizes["canvas"]["height"] + 1

    # a smaller window: the canvas follows
    page.set_viewport_size({"width": 1440, "height": 700})
    page.wait_for_function(
        "Math.abs(document.getElementById('pa-canvas').getBoundingClientRect().height"
        " - (700 - document.querySelector('.site-header').getBoundingClientRect().height)) <= 2"
    )
    page.set_viewport_size({"width": 1440, "height": 900})

    # the zoom buttons sit beside the canvas, not on the diagram
    zoom_in = page.get_by_role("button", name="Vergrößern")
    zoom_out = page.get_by_role("button", name="Verkleinern")
    fit = page.get_by_role("button", name="Ganzes Diagramm zeigen")
    canvas_box = page.locator("#pa-canvas").bounding_box()
    for button in (zoom_in, zoom_out, fit):
        box = button.bounding_box()
        assert box["x"] >= canvas_box["x"] + canvas_box["width"]
        assert canvas_box["y"] <= box["y"] <= canvas_box["y"] + canvas_box["height"]

    fitted = viewbox(page)["scale"]
    zoom_in.click()
    larger = viewbox(page)["scale"]
    assert larger > fitted * 1.05
    zoom_out.click()
    zoom_out.click()
    assert viewbox(page)["scale"] < larger / 1.1
    fit.click()
    assert abs(viewbox(page)["scale"] - fitted) < 0.01

    # keyboard: the buttons are reachable with Tab and work with Enter
    page.get_by_label("Befunde im Diagramm zeigen").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "pa-zoom-in"
    page.keyboard.press("Enter")
    assert viewbox(page)["scale"] > fitted * 1.05
    check_axe(page, "viewer with zoom buttons")


def test_finding_cards_name_their_elements_in_both_languages(
    live_server: LiveServer, admin_page: Any
) -> None:
    page, base = admin_page, live_server.url
    process_id = open_viewer(page, base, "viewer-unnamed", DATA / "unnamed-media-breaks.bpmn")

    cards = page.locator("#pa-findings-list .pa-finding-break .pa-finding-elements")
    # unnamed elements: type and id; two breaks of rule a from the same task still differ
    assert cards.all_inner_texts() == [
        "Aufgabe Task_Paper → Aufgabe Task_Mail",
        "Aufgabe Task_Paper → Aufgabe Task_System",
        "Aufgabe Task_System → Aufgabe Task_Mail",
    ]
    explanations = page.locator("#pa-findings-list .pa-finding-break .pa-finding-text")
    assert explanations.first.inner_text() == "Im Ablauf wechselt der Träger: Papier → E-Mail."

    page.goto(f"{base}/processes/{process_id}?lang=en")
    page.wait_for_selector(READY, state="attached")
    assert cards.all_inner_texts() == [
        "Task Task_Paper → Task Task_Mail",
        "Task Task_Paper → Task Task_System",
        "Task Task_System → Task Task_Mail",
    ]
    assert explanations.first.inner_text() == "The flow changes carrier: paper → e-mail."
    page.goto(f"{base}/processes/{process_id}?lang=de")


def test_named_cards_are_distinguishable_and_focus_zooms_to_readable_scale(
    live_server: LiveServer, admin_page: Any
) -> None:
    source = LABELLED / "anwohnerparkausweis.bpmn"
    if not source.exists():
        pytest.skip("labelled corpus not available")
    page, base = admin_page, live_server.url
    open_viewer(page, base, "viewer-named", source)

    names = page.evaluate("""() => {
        const registry = window.prozessatlas.viewer.get('elementRegistry');
        return Object.fromEntries(registry.getAll().filter(e => e.businessObject && e.businessObject.name)
            .map(e => [e.id, e.businessObject.name.replace(/\\s+/g, ' ').trim()])); }""")
    analysis = page.evaluate(
        "window.prozessatlas.viewer.get('findingOverlays').getFindings().media_breaks"
    )
    cards = page.locator("#pa-findings-list .pa-finding-break .pa-finding-elements")
    texts = cards.all_inner_texts()
    assert len(texts) == len(analysis) >= 2
    for text, finding in zip(texts, analysis, strict=True):
        expected = " → ".join(names.get(i, i) for i in finding["elements"])
        assert text == expected
    # two breaks of the same rule read differently
    by_rule: dict[str, list[str]] = {}
    for text, finding in zip(texts, analysis, strict=True):
        by_rule.setdefault(finding["rule"], []).append(text)
    assert any(len(group) > 1 for group in by_rule.values())
    for group in by_rule.values():
        assert len(set(group)) == len(group)

    # clicking a card zooms in on its elements at a readable scale, not only centres them
    fitted = viewbox(page)
    for index in range(len(analysis)):
        page.locator("#pa-findings-list .pa-finding-break").nth(index).click()
        after = viewbox(page)
        assert 0.8 - 1e-6 <= after["scale"] <= 1.5 + 1e-6
        assert after["scale"] >= fitted["scale"]
        selected = page.evaluate(
            "window.prozessatlas.viewer.get('selection').get().map(e => e.id).sort()"
        )
        assert selected == sorted(analysis[index]["elements"])
        # the first element is entirely in view
        first = page.locator(
            f'#pa-canvas .djs-element[data-element-id="{analysis[index]["elements"][0]}"]'
        ).bounding_box()
        canvas = page.locator("#pa-canvas").bounding_box()
        assert canvas["x"] <= first["x"]
        assert first["x"] + first["width"] <= canvas["x"] + canvas["width"]
        assert canvas["y"] <= first["y"]
        assert first["y"] + first["height"] <= canvas["y"] + canvas["height"]


def test_badges_cover_no_labels_and_no_other_badges(
    live_server: LiveServer, admin_page: Any, tmp_path: Path
) -> None:
    page, base = admin_page, live_server.url
    generated = tmp_path / "dense.bpmn"
    generated.write_text(_bench().generate_model(200), "utf-8")
    sources = [DATA / "unnamed-media-breaks.bpmn", generated] + [
        LABELLED / f"{name}.bpmn"
        for name in ("anwohnerparkausweis", "akteneinsicht-ifg", "baumfaellgenehmigung")
        if (LABELLED / f"{name}.bpmn").exists()
    ]
    counts = {}
    for index, source in enumerate(sources):
        open_viewer(page, base, f"viewer-badges-{index}", source)
        counts[source.name] = assert_badges_clear(page, source.name)
        if source == generated:
            assert_long_list_pages(page)
    # every model here has findings with badges; the generated one about one per task
    assert all(badges for badges, _ in counts.values()), counts
    assert counts["dense.bpmn"][0] >= 100
    assert counts["dense.bpmn"][1] >= 100

    # an element in several findings of one kind shows one badge with a count, not a pile
    page.goto(base + "/")
    open_viewer(page, base, "viewer-badges-count", DATA / "unnamed-media-breaks.bpmn")
    texts = page.locator("#pa-canvas .pa-badge").all_text_contents()
    assert sorted(texts) == ["Medienbruch (a)", "Medienbruch (a) ×2"]
    stacks = page.evaluate(
        "Array.from(document.querySelectorAll('#pa-canvas .pa-badges'))"
        ".map(n => n.getAttribute('data-element-id')).sort()"
    )
    assert stacks == ["Task_Paper", "Task_System"]


def test_badges_follow_their_element_in_the_modeler(
    live_server: LiveServer, admin_page: Any
) -> None:
    page, base = admin_page, live_server.url
    process_id = open_viewer(
        page, base, "viewer-modeler-badges", DATA / "unnamed-media-breaks.bpmn"
    )
    page.goto(f"{base}/processes/{process_id}/edit")
    page.wait_for_selector(READY, state="attached", timeout=20_000)

    def stack_box() -> dict[str, float]:
        box: dict[str, float] = page.evaluate(
            "() => { const r = document.querySelector('#pa-canvas .pa-badges[data-element-id=\"Task_Paper\"]')"
            ".getBoundingClientRect(); return { x: r.x, y: r.y }; }"
        )
        return box

    before = stack_box()
    scale = page.evaluate("window.prozessatlas.modeler.get('canvas').viewbox().scale")
    # two frames later, long before the live analysis of the change could answer
    moved_by = page.evaluate(
        """async () => {
            const m = window.prozessatlas.modeler;
            const y = () => document.querySelector('#pa-canvas .pa-badges[data-element-id="Task_Paper"]')
                .getBoundingClientRect().y;
            const start = y();
            m.get('modeling').moveElements([m.get('elementRegistry').get('Task_Paper')], { x: 0, y: 200 });
            await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
            return y() - start;
        }"""
    )
    assert abs(moved_by - 200 * scale) < 40 * scale
    assert stack_box()["x"] == pytest.approx(before["x"], abs=40 * scale)
