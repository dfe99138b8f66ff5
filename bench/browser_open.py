"""Open the modeler with a generated 500-flow-node model (with DI) in headless chromium.

Prints the time from navigation start to "rendered" (the model imported and drawn, the page's
`pa-rendered` performance mark) and the modeler page's bundle size, minified and gzip.
Targets: < 1 s to rendered, < 600 KB gzip for the modeler page.

    python bench/browser_open.py [--nodes 500] [--runs 5]

Needs `npm ci && npm run build` in frontend/ and Debian's chromium (/usr/bin/chromium).
The page is served from a temporary folder on loopback: the real modeler bundle, the modeler
page's DOM, the generated model; no app server, no network.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import statistics
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "app" / "static" / "dist"
APP_CSS = ROOT / "app" / "static" / "css" / "app.css"
CHROMIUM = os.environ.get("PROZESSATLAS_CHROMIUM", "/usr/bin/chromium")

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def generate_model(nodes: int, per_row: int = 25) -> str:
    """A process of `nodes` flow nodes in rows: start, tasks with an exclusive split/join every
    tenth position, end; every node and flow has DI."""
    kinds: list[str] = []
    for index in range(nodes):
        if index == 0:
            kinds.append("startEvent")
        elif index == nodes - 1:
            kinds.append("endEvent")
        elif index % 10 == 5:
            kinds.append("exclusiveGateway")
        else:
            kinds.append("task")
    size = {
        "startEvent": (36, 36),
        "endEvent": (36, 36),
        "exclusiveGateway": (50, 50),
        "task": (100, 80),
    }
    elements: list[str] = []
    shapes: list[str] = []
    edges: list[str] = []
    centres: list[tuple[float, float]] = []
    for index, kind in enumerate(kinds):
        row, column = divmod(index, per_row)
        if row % 2:
            column = per_row - 1 - column  # snake, so flows stay short
        cx, cy = 100 + column * 160, 100 + row * 160
        width, height = size[kind]
        centres.append((cx, cy))
        name = "" if kind == "exclusiveGateway" else f' name="{kind} {index}"'
        incoming = f"<bpmn:incoming>Flow_{index - 1}</bpmn:incoming>" if index else ""
        outgoing = f"<bpmn:outgoing>Flow_{index}</bpmn:outgoing>" if index < nodes - 1 else ""
        elements.append(f'<bpmn:{kind} id="Node_{index}"{name}>{incoming}{outgoing}</bpmn:{kind}>')
        shapes.append(
            f'<bpmndi:BPMNShape id="Node_{index}_di" bpmnElement="Node_{index}">'
            f'<dc:Bounds x="{cx - width / 2}" y="{cy - height / 2}" width="{width}" height="{height}" />'
            f"</bpmndi:BPMNShape>"
        )
    for index in range(nodes - 1):
        elements.append(
            f'<bpmn:sequenceFlow id="Flow_{index}" sourceRef="Node_{index}" targetRef="Node_{index + 1}" />'
        )
        (x1, y1), (x2, y2) = centres[index], centres[index + 1]
        points = (
            [(x1, y1), (x2, y2)]
            if y1 == y2
            else [(x1, y1), (x1, (y1 + y2) / 2), (x2, (y1 + y2) / 2), (x2, y2)]
        )
        waypoints = "".join(f'<di:waypoint x="{x}" y="{y}" />' for x, y in points)
        edges.append(
            f'<bpmndi:BPMNEdge id="Flow_{index}_di" bpmnElement="Flow_{index}">{waypoints}</bpmndi:BPMNEdge>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<bpmn:definitions xmlns:bpmn="{BPMN}" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
        'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" '
        'id="Definitions_bench" targetNamespace="urn:prozessatlas:bench">'
        f'<bpmn:process id="Process_bench" isExecutable="false">{"".join(elements)}</bpmn:process>'
        '<bpmndi:BPMNDiagram id="Diagram_bench"><bpmndi:BPMNPlane id="Plane_bench" bpmnElement="Process_bench">'
        f"{''.join(shapes)}{''.join(edges)}</bpmndi:BPMNPlane></bpmndi:BPMNDiagram></bpmn:definitions>\n"
    )


PAGE = """<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>Bench</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="app.css"><link rel="stylesheet" href="dist/modeler.css"></head>
<body class="modeler-page"><main class="modeler-main">
<div class="modeler-head"><h1>Bench</h1><span id="pa-current-version">1</span><span id="pa-status"></span>
<p id="pa-notice" hidden></p></div>
<div class="modeler-layout"><div id="pa-canvas" class="pa-canvas"></div>
<aside class="modeler-side"><div id="pa-properties"></div><input type="checkbox" id="pa-toggle-findings" checked>
<section id="pa-xsd-errors" hidden><ul id="pa-xsd-error-list"></ul></section><div id="pa-findings-list"></div></aside></div>
<dialog id="pa-save-dialog"><form id="pa-save-form"><textarea id="pa-change-note"></textarea></form></dialog>
<dialog id="pa-conflict-dialog"></dialog>
<script type="application/json" id="pa-page-data">%s</script>
</main><script src="dist/modeler.js"></script></body></html>
"""


def bundle_sizes() -> dict[str, dict[str, int]]:
    files = {
        "modeler.js": DIST / "modeler.js",
        "modeler.css": DIST / "modeler.css",
        "app.css": APP_CSS,
    }
    sizes: dict[str, dict[str, int]] = {}
    for name, path in files.items():
        data = path.read_bytes()
        sizes[name] = {"min": len(data), "gzip": len(gzip.compress(data, compresslevel=9))}
    return sizes


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def measure(nodes: int, runs: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "model.bpmn").write_text(generate_model(nodes), "utf-8")
        (folder / "dist").symlink_to(DIST, target_is_directory=True)
        (folder / "app.css").write_bytes(APP_CSS.read_bytes())
        data = {
            "lang": "de",
            "csrf": "bench",
            "processId": 0,
            "version": 1,
            "etag": None,
            "draftKey": "bench",
            "bpmnUrl": "model.bpmn",
            "versionsUrl": "versions",
            "analyseUrl": None,
            "systemsUrl": None,
            "filename": "bench",
        }
        (folder / "index.html").write_text(PAGE % json.dumps(data), "utf-8")

        handler = functools.partial(_Quiet, directory=str(folder))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
        results: list[dict[str, float]] = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM,
                    args=[
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--no-first-run",
                    ],
                )
                for _ in range(runs):
                    context = browser.new_context(viewport={"width": 1440, "height": 900})
                    page = context.new_page()
                    page.goto(url)
                    page.wait_for_selector("body.pa-modeler-ready", timeout=60_000)
                    timing = page.evaluate("""() => {
                        const at = name => (performance.getEntriesByName(name)[0] || {}).startTime || 0;
                        return { rendered: at('pa-rendered'), import_start: at('pa-import-start'),
                                 load_start: at('pa-load-start'),
                                 shapes: window.prozessatlas.modeler.get('elementRegistry')
                                     .filter(e => /Task|Event|Gateway/.test(e.type) && e.type !== 'label').length };
                    }""")
                    results.append(timing)
                    context.close()
                browser.close()
        finally:
            server.shutdown()

    rendered = [r["rendered"] for r in results]
    imported = [r["rendered"] - r["import_start"] for r in results]
    return {
        "nodes": nodes,
        "flow_nodes_rendered": int(results[-1]["shapes"]),
        "runs": runs,
        "time_to_rendered_ms": {
            "median": round(statistics.median(rendered)),
            "min": round(min(rendered)),
            "max": round(max(rendered)),
        },
        "import_and_render_ms": {"median": round(statistics.median(imported))},
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--nodes", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not (DIST / "modeler.js").exists():
        raise SystemExit("no bundle: run `npm ci && npm run build` in frontend/")
    sizes = bundle_sizes()
    timing = measure(args.nodes, args.runs)
    total_min = sum(s["min"] for s in sizes.values())
    total_gzip = sum(s["gzip"] for s in sizes.values())
    print(
        f"model: {timing['nodes']} flow nodes with DI ({timing['flow_nodes_rendered']} rendered), {timing['runs']} runs"
    )
    t = timing["time_to_rendered_ms"]
    print(
        f"time to rendered: median {t['median']} ms (min {t['min']}, max {t['max']})  target < 1000 ms"
    )
    print(f"  of which import and render: median {timing['import_and_render_ms']['median']} ms")
    for name, size in sizes.items():
        print(f"  {name:12} {size['min'] / 1024:8.1f} KB min {size['gzip'] / 1024:8.1f} KB gzip")
    print(
        f"modeler page bundle: {total_min / 1024:.1f} KB min, {total_gzip / 1024:.1f} KB gzip  target < 600 KB gzip"
    )
    print(json.dumps({"timing": timing, "sizes": sizes}))


if __name__ == "__main__":
    main()
