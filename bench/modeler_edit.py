"""Main-thread blocking after edits of a 1 000-node model in the real modeler page.

Starts the real server (`prozessatlas serve`, fresh SQLite), uploads a generated model of
`--nodes` flow nodes (tasks with media and systems, gateways, DI for everything), opens its modeler
page in chromium and, once the page has settled, makes `--edits` edits (rename a task, move a
task, set a task's medium, append a task, delete it again), waiting `--settle` seconds after each
so that drafts, lint and the live analysis have run. A PerformanceObserver collects the page's
long tasks (> 50 ms). Prints per edit and overall the longest task and the total blocking time
(the part of every long task beyond 50 ms), and the main thread's total task and script time
per edit (Chrome's Performance.getMetrics; steadier than the longest task on a loaded
machine). Target: no task over 100 ms after an edit.

Baseline in the same run: the same edits on a 20-node model, where the page's work is small.

    .venv/bin/python bench/modeler_edit.py [--nodes 1000] [--edits 5] [--settle 3]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from live import launch, live_server, login  # noqa: E402

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
MEDIA = ("paper", "it_system", "email", "phone", "it_system", "paper")
SYSTEMS = ("OK.VERFAHREN", "Fachverfahren Bau", "E-Akte", "Ratsinformationssystem")

OBSERVE = """
window.__longtasks = [];
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) {
    window.__longtasks.push({ start: entry.startTime, duration: entry.duration });
  }
}).observe({ type: 'longtask', buffered: true });
"""

EDITS = [
    (
        "rename a task",
        """() => { const m = window.prozessatlas.modeler, r = m.get('elementRegistry');
        m.get('modeling').updateLabel(r.get('Node_3'), 'Umbenannte Aufgabe'); }""",
    ),
    (
        "move a task",
        """() => { const m = window.prozessatlas.modeler, r = m.get('elementRegistry');
        m.get('modeling').moveElements([ r.get('Node_7') ], { x: 0, y: 30 }); }""",
    ),
    (
        "set a medium",
        """() => { const m = window.prozessatlas.modeler, r = m.get('elementRegistry');
        m.get('modeling').updateProperties(r.get('Node_8'), { 'pa:medium': 'email' }); }""",
    ),
    (
        "append a task",
        """() => { const m = window.prozessatlas.modeler, r = m.get('elementRegistry');
        const shape = m.get('elementFactory').createShape({ type: 'bpmn:Task' });
        const node = r.get('Node_12');
        window.__appended = m.get('modeling').appendShape(node, shape,
          { x: node.x + node.width / 2, y: node.y + 160 }).id; }""",
    ),
    (
        "delete it again",
        """() => { const m = window.prozessatlas.modeler, r = m.get('elementRegistry');
        m.get('modeling').removeElements([ r.get(window.__appended) ]); }""",
    ),
]


def generate_model(nodes: int, per_row: int = 25) -> str:
    """`nodes` flow nodes in snake rows: start, tasks (media, systems), an exclusive gateway at
    every tenth position, end; every node and flow has DI."""
    size = {"startEvent": (36, 36), "endEvent": (36, 36), "exclusiveGateway": (50, 50)}
    elements: list[str] = []
    shapes: list[str] = []
    edges: list[str] = []
    centres: list[tuple[float, float]] = []
    for index in range(nodes):
        attributes = ""
        if index == 0:
            kind, name = "startEvent", "Antrag eingegangen"
        elif index == nodes - 1:
            kind, name = "endEvent", "Bescheid versandt"
        elif index % 10 == 5:
            kind, name = "exclusiveGateway", f"Vollständig ({index})?"
        else:
            kind, name = "task", f"Aufgabe {index} bearbeiten"
            medium = MEDIA[index % len(MEDIA)]
            attributes = f' pa:medium="{medium}"'
            if medium == "it_system":
                attributes += f' pa:system="{SYSTEMS[index % len(SYSTEMS)]}"'
        row, column = divmod(index, per_row)
        if row % 2:
            column = per_row - 1 - column
        cx, cy = 100 + column * 160, 100 + row * 160
        width, height = size.get(kind, (100, 80))
        centres.append((cx, cy))
        incoming = f"<bpmn:incoming>Flow_{index - 1}</bpmn:incoming>" if index else ""
        outgoing = f"<bpmn:outgoing>Flow_{index}</bpmn:outgoing>" if index < nodes - 1 else ""
        elements.append(
            f'<bpmn:{kind} id="Node_{index}" name="{name}"{attributes}>'
            f"{incoming}{outgoing}</bpmn:{kind}>"
        )
        shapes.append(
            f'<bpmndi:BPMNShape id="Node_{index}_di" bpmnElement="Node_{index}">'
            f'<dc:Bounds x="{cx - width / 2}" y="{cy - height / 2}" width="{width}" '
            f'height="{height}" /></bpmndi:BPMNShape>'
        )
    for index in range(nodes - 1):
        elements.append(
            f'<bpmn:sequenceFlow id="Flow_{index}" sourceRef="Node_{index}" '
            f'targetRef="Node_{index + 1}" />'
        )
        (x1, y1), (x2, y2) = centres[index], centres[index + 1]
        points = (
            [(x1, y1), (x2, y2)]
            if y1 == y2
            else [(x1, y1), (x1, (y1 + y2) / 2), (x2, (y1 + y2) / 2), (x2, y2)]
        )
        waypoints = "".join(f'<di:waypoint x="{x}" y="{y}" />' for x, y in points)
        edges.append(
            f'<bpmndi:BPMNEdge id="Flow_{index}_di" bpmnElement="Flow_{index}">'
            f"{waypoints}</bpmndi:BPMNEdge>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<bpmn:definitions xmlns:bpmn="{BPMN}" '
        'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
        'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
        'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:pa="urn:prozessatlas:bpmn:1.0" '
        'id="Definitions_bench" targetNamespace="urn:prozessatlas:bench">'
        f'<bpmn:process id="Process_bench" isExecutable="false">{"".join(elements)}</bpmn:process>'
        '<bpmndi:BPMNDiagram id="Diagram_bench">'
        '<bpmndi:BPMNPlane id="Plane_bench" bpmnElement="Process_bench">'
        f"{''.join(shapes)}{''.join(edges)}</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>"
        "</bpmn:definitions>\n"
    )


def busy(cdp: Any) -> tuple[float, float]:
    """The page's main-thread task time and script time so far (ms, Chrome's own counters)."""
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return metrics["TaskDuration"] * 1000, metrics["ScriptDuration"] * 1000


def measure(
    page: Any, base: str, process_id: int, settle: float, edits: int
) -> tuple[list[list[float]], list[tuple[float, float]]]:
    """Long task durations (ms) after each edit, and the main thread's task and script time
    (ms) for each edit: less sensitive to a loaded machine than the longest task."""
    page.goto(f"{base}/processes/{process_id}/edit")
    page.wait_for_selector("body.pa-modeler-ready", timeout=120_000)
    page.wait_for_timeout(settle * 1000 + 2000)  # the first analysis and lint after opening
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    results: list[list[float]] = []
    work: list[tuple[float, float]] = []
    for _, script in EDITS[:edits]:
        task0, script0 = busy(cdp)
        since = page.evaluate("performance.now()")
        page.evaluate(script)
        page.wait_for_timeout(settle * 1000)
        durations: list[float] = page.evaluate(
            "since => window.__longtasks.filter(t => t.start >= since - 1).map(t => t.duration)",
            since,
        )
        results.append(durations)
        task1, script1 = busy(cdp)
        work.append((task1 - task0, script1 - script0))
    cdp.detach()
    if not page.evaluate("window.prozessatlas.session.dirty"):
        raise RuntimeError("the edits did not reach the page's session")
    return results, work


def summary(durations: list[float], work: list[tuple[float, float]]) -> str:
    longest = max(durations, default=0.0)
    blocked = sum(max(0.0, d - 50) for d in durations)
    tasks = sum(w[0] for w in work)
    scripts = sum(w[1] for w in work)
    return (
        f"longest task {longest:6.0f} ms, blocked {blocked:6.0f} ms, {len(durations):2} long tasks;"
        f" main thread busy {tasks:6.0f} ms, script {scripts:6.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=len(EDITS))
    parser.add_argument("--settle", type=float, default=3.0)
    args = parser.parse_args()

    with live_server() as (base, api), sync_playwright() as playwright:
        office = api.post(
            "/offices", json={"key": "bench", "name": "Bench-Amt", "kind": "amt"}
        ).json()
        sizes = {"baseline": 20, "model": args.nodes}
        browser = launch(playwright)
        context = browser.new_context(locale="de-DE", viewport={"width": 1440, "height": 900})
        context.add_init_script(OBSERVE)
        page = context.new_page()
        login(page, base)
        for label, nodes in sizes.items():
            process = api.post(
                f"/offices/{office['id']}/processes",
                json={"key": f"edit-{nodes}", "title": f"{nodes} Knoten"},
            ).json()
            api.post(
                f"/processes/{process['id']}/versions",
                content=generate_model(nodes).encode(),
                headers={"Content-Type": "application/xml"},
            ).raise_for_status()
            results, work = measure(page, base, process["id"], args.settle, args.edits)
            print(f"{label}: {nodes} nodes")
            for (name, _), durations, spent in zip(EDITS, results, work, strict=False):
                print(f"  {name:<16} {summary(durations, [spent])}")
            everything = [d for durations in results for d in durations]
            print(f"  {'all edits':<16} {summary(everything, work)}")
            # leave the page without the unsaved-changes prompt
            page.evaluate("window.prozessatlas.session.dirty = false; localStorage.clear()")
        browser.close()


if __name__ == "__main__":
    main()
