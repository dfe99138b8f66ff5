"""Time the real pages through the real server: the process page and the modeler page of generated
models, cold and warm, against a bare bpmn-js viewer of the same file in the same run.

    python bench/browser_open.py [--nodes 500 1000 2000] [--runs 5] [--pages process modeler]

What it does:
- starts `prozessatlas serve` on a temporary SQLite database (no demo catalogue), creates an office,
  one process per size and uploads a generated model of that many flow nodes (with DI; task names
  that give media breaks and automation candidates, about one finding per node);
- logs in through the login form once (chromium, headless), then for every run opens each page in a
  new browser context with that session cookie (cold: empty cache) and once more in the same
  context (warm);
- stops the clock at the pages' ready signal: `data-state="ready"` on `#pa-canvas` and the
  performance mark `pa-ready`, set once the diagram and its findings (badges, markers, the side
  list) are on the screen, i.e. after the frame that shows them was rendered. The time is the
  mark's offset from the navigation start;
- the baseline is bpmn-js' own NavigatedViewer bundle (`bpmn-navigated-viewer.production.min.js`
  from frontend/node_modules) on a static page from a loopback server: fetch the same file,
  `importXML`, `zoom('fit-viewport')`. Baseline and pages are taken in turns within each run, so a
  busy machine slows both; each ratio is the median over the runs of page / baseline, and the
  best ratio that of the fastest page run to the fastest baseline run (the least disturbed);
- also the CPU time the browser's renderer and GPU processes spent until ready (Chrome's
  SystemInfo.getProcessInfo), and its ratio of medians: while other processes share the cores, wall
  times scatter by a factor of two, CPU times by a few per cent.

Targets (issue 9): process page ≤ 1.3× the bare viewer at every size; < 1 s cold for 500 nodes.
Needs `npm ci && npm run build` in frontend/ and Debian's chromium (/usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "app" / "static" / "dist"
APP_CSS = ROOT / "app" / "static" / "css" / "app.css"
BPMN_JS_DIST = ROOT / "frontend" / "node_modules" / "bpmn-js" / "dist"
CHROMIUM = os.environ.get("PROZESSATLAS_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "bench-browser-Passw0rd"
VIEWPORT = {"width": 1440, "height": 900}

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"

# Task names of a city office: media words (post, telephone, printing, IT system) give media
# breaks between neighbours, verbs (erfassen, prüfen, abrufen) automation candidates.
TASK_NAMES = (
    "Antrag per Post erhalten",
    "Antragsdaten im Fachverfahren erfassen",
    "Unterlagen auf Vollständigkeit prüfen",
    "Rückfragen telefonisch klären",
    "Halterdaten im Melderegister abrufen",
    "Sachverhalt bewerten",
    "Bescheid ausdrucken und unterschreiben",
    "Bescheid per Post versenden",
    "Vorgang abschließen",
)


def generate_model(nodes: int, per_row: int = 25) -> str:
    """A process of `nodes` flow nodes in snake rows: start, named tasks with an unnamed exclusive
    gateway every tenth position, end; every node and flow has DI."""
    size = {"startEvent": (36, 36), "endEvent": (36, 36), "exclusiveGateway": (50, 50)}
    elements: list[str] = []
    shapes: list[str] = []
    edges: list[str] = []
    centres: list[tuple[float, float]] = []
    for index in range(nodes):
        if index == 0:
            kind, name = "startEvent", "Antrag eingegangen"
        elif index == nodes - 1:
            kind, name = "endEvent", "Bescheid zugestellt"
        elif index % 10 == 5:
            kind, name = "exclusiveGateway", ""
        else:
            kind, name = "task", f"{TASK_NAMES[index % len(TASK_NAMES)]} ({index})"
        row, column = divmod(index, per_row)
        if row % 2:
            column = per_row - 1 - column  # snake, so flows stay short
        cx, cy = 100 + column * 160, 100 + row * 160
        width, height = size.get(kind, (100, 80))
        centres.append((cx, cy))
        named = f' name="{name}"' if name else ""
        incoming = f"<bpmn:incoming>Flow_{index - 1}</bpmn:incoming>" if index else ""
        outgoing = f"<bpmn:outgoing>Flow_{index}</bpmn:outgoing>" if index < nodes - 1 else ""
        elements.append(f'<bpmn:{kind} id="Node_{index}"{named}>{incoming}{outgoing}</bpmn:{kind}>')
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


# The baseline: bpmn-js' own viewer bundle, nothing of ours, the same signal as our pages.
BARE_PAGE = """<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>bare bpmn-js viewer</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="assets/diagram-js.css"><link rel="stylesheet" href="assets/bpmn-js.css">
<style>body { margin: 0; } #pa-canvas { height: 100vh; }</style></head>
<body><div id="pa-canvas"></div>
<script src="bpmn-navigated-viewer.production.min.js"></script>
<script>
(async function() {
  var viewer = new BpmnJS({ container: '#pa-canvas' });
  var xml = await (await fetch(new URLSearchParams(location.search).get('file'))).text();
  performance.mark('pa-import-start');
  await viewer.importXML(xml);
  performance.mark('pa-imported');
  viewer.get('canvas').zoom('fit-viewport');
  // on the screen: after the next frame's layout and paint, as the pages' markReady()
  requestAnimationFrame(function() {
    setTimeout(function() {
      document.getElementById('pa-canvas').setAttribute('data-state', 'ready');
      performance.mark('pa-ready');
    }, 0);
  });
})();
</script></body></html>
"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@contextlib.contextmanager
def static_server(folder: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class App:
    url: str
    env: dict[str, str]

    def cli(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", "from app.cli import main; main()", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )
        return done.stdout

    def api(self, method: str, path: str, token: str, body: bytes, content_type: str) -> Any:
        request = urllib.request.Request(
            self.url + "/api/v1" + path,
            data=body,
            method=method,
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": content_type,
                "Accept": "application/json",
            },
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.loads(response.read())


@contextlib.contextmanager
def app_server(tmp: Path) -> Iterator[App]:
    """`prozessatlas serve` (one worker, as on a small installation) on a fresh SQLite database."""
    env = {
        **os.environ,
        "PROZESSATLAS_DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}",
        "PROZESSATLAS_ADMIN_PASSWORD": PASSWORD,
        "PROZESSATLAS_SECRET_KEY": "bench-browser-session-secret-0123456789",
        "PROZESSATLAS_SEED_DEMO": "false",
    }
    port = _free_port()
    log = (tmp / "server.log").open("wb")
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from app.cli import main; main()",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise SystemExit("the server did not start:\n" + (tmp / "server.log").read_text())
        time.sleep(0.2)
    try:
        yield App(url, env)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def upload_models(app: App, models: dict[int, bytes]) -> dict[int, int]:
    """One process per size in a new office; returns {nodes: process id}."""
    token = app.cli("create-token", "admin").strip().splitlines()[-1]
    office = app.api(
        "POST",
        "/offices",
        token,
        json.dumps({"key": "bench", "name": "Bench-Amt", "kind": "amt"}).encode(),
        "application/json",
    )
    ids: dict[int, int] = {}
    for nodes, xml in models.items():
        process = app.api(
            "POST",
            f"/offices/{office['id']}/processes",
            token,
            json.dumps({"key": f"bench-{nodes}", "title": f"Bench {nodes} Knoten"}).encode(),
            "application/json",
        )
        app.api("POST", f"/processes/{process['id']}/versions", token, xml, "application/xml")
        ids[nodes] = process["id"]
    return ids


_TIMING = """() => {
    const at = name => { const e = performance.getEntriesByName(name)[0]; return e ? e.startTime : null; };
    return { ready: at('pa-ready'), imported: at('pa-imported'), import_start: at('pa-import-start'),
             findings: at('pa-findings-shown'),
             badges: document.querySelectorAll('#pa-canvas .pa-badge').length,
             cards: document.querySelectorAll('#pa-findings-list .pa-finding').length };
}"""


def renderer_cpu_ms(browser_cdp: Any) -> float:
    """CPU time so far of all renderer processes and the GPU (compositing) process, in ms. Unlike
    wall time it hardly grows when other processes take the cores, so on a busy machine it is the
    steadier measure of what a page costs."""
    info = browser_cdp.send("SystemInfo.getProcessInfo")["processInfo"]
    return 1000.0 * sum(p["cpuTime"] for p in info if p["type"] in ("renderer", "GPU"))


def open_page(context: Any, url: str, browser_cdp: Any) -> dict[str, Any]:
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.wait_for_timeout(100)  # let the previous page's last frames settle
    cpu_before = renderer_cpu_ms(browser_cdp)
    page.goto(url)
    try:
        page.wait_for_selector('#pa-canvas[data-state="ready"]', state="attached", timeout=120_000)
    except Exception as exc:
        notice = page.evaluate("(document.getElementById('pa-notice') || {}).textContent || ''")
        raise SystemExit(f"{url} never got ready ({notice!r}; errors {errors}): {exc}") from exc
    cpu = renderer_cpu_ms(browser_cdp) - cpu_before
    timing: dict[str, Any] = page.evaluate(_TIMING)
    timing["cpu"] = cpu
    page.close()
    if errors:
        raise SystemExit(f"JavaScript errors on {url}: {errors}")
    return timing


def login(browser: Any, base: str) -> dict[str, Any]:
    context = browser.new_context(viewport=VIEWPORT, locale="de-DE")
    page = context.new_page()
    page.goto(base + "/login")
    page.get_by_label("Benutzername").fill("admin")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(base + "/")
    state: dict[str, Any] = context.storage_state()
    context.close()
    return state


def measure(
    browser: Any, urls: dict[str, str], state: dict[str, Any], runs: int
) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """For each run and each page in turn: cold (new context) then warm (same context again)."""
    results: dict[str, dict[str, list[dict[str, Any]]]] = {
        name: {"cold": [], "warm": []} for name in urls
    }
    browser_cdp = browser.new_browser_cdp_session()
    for _ in range(runs):
        for name, url in urls.items():
            context = browser.new_context(
                viewport=VIEWPORT, locale="de-DE", storage_state=None if name == "bare" else state
            )
            results[name]["cold"].append(open_page(context, url, browser_cdp))
            results[name]["warm"].append(open_page(context, url, browser_cdp))
            context.close()
    return results


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _phases(runs: list[dict[str, Any]]) -> dict[str, int] | None:
    """Medians of: navigation start → import start (HTML, scripts, the model's download), the
    import, import end → ready (overlays and the findings list)."""
    marked = [
        r for r in runs if r.get("import_start") is not None and r.get("imported") is not None
    ]
    if not marked:
        return None
    return {
        "before_import": round(_median([r["import_start"] for r in marked])),
        "import": round(_median([r["imported"] - r["import_start"] for r in marked])),
        "after_import": round(_median([r["ready"] - r["imported"] for r in marked])),
    }


def report(nodes: int, results: dict[str, dict[str, list[dict[str, Any]]]]) -> dict[str, Any]:
    summary: dict[str, Any] = {"nodes": nodes}
    bare = results["bare"]
    print(f"\n{nodes} flow nodes")
    for name, modes in results.items():
        for mode, runs in modes.items():
            ready = [r["ready"] for r in runs]
            cpu = [r["cpu"] for r in runs]
            line = f"  {name:8} {mode:4}  ready median {_median(ready):6.0f} ms (min {min(ready):5.0f}, max {max(ready):5.0f})"
            line += f"  cpu {_median(cpu):5.0f} ms"
            entry: dict[str, Any] = {
                "ready_ms": [round(x) for x in ready],
                "cpu_ms": [round(x) for x in cpu],
            }
            if name != "bare":
                ratios = [r["ready"] / b["ready"] for r, b in zip(runs, bare[mode], strict=True)]
                entry["ratio_to_bare"] = round(_median(ratios), 2)
                # the fastest runs are the least disturbed by other processes on the machine
                entry["best_ratio_to_bare"] = round(
                    min(ready) / min(b["ready"] for b in bare[mode]), 2
                )
                entry["cpu_ratio_to_bare"] = round(
                    _median(cpu) / _median([b["cpu"] for b in bare[mode]]), 2
                )
                line += f"  ×{entry['ratio_to_bare']:.2f} of bare (best ×{entry['best_ratio_to_bare']:.2f}, cpu ×{entry['cpu_ratio_to_bare']:.2f})"
            phases = _phases(runs)
            if phases:
                entry["phases_ms"] = phases
                line += "  [{before_import} + import {import} + {after_import}]".format(**phases)
            if name != "bare":
                line += f"  {runs[-1]['badges']} badges, {runs[-1]['cards']} cards"
            summary[f"{name}_{mode}"] = entry
            print(line)
    return summary


def bundle_sizes() -> dict[str, dict[str, int]]:
    """What each page downloads of its own (KB minified and gzip), against bpmn-js' viewer bundle."""
    pages = {
        "process page": [DIST / "viewer.js", DIST / "viewer.css", APP_CSS],
        "modeler page": [DIST / "modeler.js", DIST / "modeler.css", APP_CSS],
        "bare viewer": [
            BPMN_JS_DIST / "bpmn-navigated-viewer.production.min.js",
            BPMN_JS_DIST / "assets" / "diagram-js.css",
            BPMN_JS_DIST / "assets" / "bpmn-js.css",
        ],
    }
    sizes: dict[str, dict[str, int]] = {}
    for page, files in pages.items():
        data = [path.read_bytes() for path in files]
        sizes[page] = {
            "min": sum(len(d) for d in data),
            "gzip": sum(len(gzip.compress(d, compresslevel=9)) for d in data),
        }
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--nodes", type=int, nargs="+", default=[500, 1000, 2000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--pages", nargs="+", choices=["process", "modeler"], default=["process", "modeler"]
    )
    args = parser.parse_args()
    if not (DIST / "viewer.js").exists() or not (BPMN_JS_DIST / "assets").exists():
        raise SystemExit("no bundle: run `npm ci && npm run build` in frontend/")
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"no chromium at {CHROMIUM} (apt-get install chromium)")

    from playwright.sync_api import sync_playwright

    models = {nodes: generate_model(nodes).encode() for nodes in args.nodes}
    summaries: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        static = tmp / "static"
        static.mkdir()
        (static / "index.html").write_text(BARE_PAGE, "utf-8")
        for item in ("bpmn-navigated-viewer.production.min.js", "assets"):
            (static / item).symlink_to(BPMN_JS_DIST / item)
        for nodes, xml in models.items():
            (static / f"model-{nodes}.bpmn").write_bytes(xml)

        with app_server(tmp) as app, static_server(static) as static_url, sync_playwright() as pw:
            ids = upload_models(app, models)
            browser = pw.chromium.launch(
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
            state = login(browser, app.url)
            print(
                f"server {app.url}, {args.runs} runs, viewport {VIEWPORT['width']}×{VIEWPORT['height']}"
            )
            for nodes in args.nodes:
                urls = {"bare": f"{static_url}/index.html?file=model-{nodes}.bpmn"}
                if "process" in args.pages:
                    urls["process"] = f"{app.url}/processes/{ids[nodes]}"
                if "modeler" in args.pages:
                    urls["modeler"] = f"{app.url}/processes/{ids[nodes]}/edit"
                summaries.append(report(nodes, measure(browser, urls, state, args.runs)))
            browser.close()

    sizes = bundle_sizes()
    print("\nbundles (scripts and styles of each page)")
    for page, size in sizes.items():
        print(f"  {page:13} {size['min'] / 1024:7.1f} KB min {size['gzip'] / 1024:7.1f} KB gzip")

    if len(summaries) > 1:
        print("\ngrowth from one size to the next (cold medians)")
        for before, after in zip(summaries, summaries[1:], strict=False):
            parts = []
            for key in ("bare_cold", "process_cold", "modeler_cold"):
                if key in before:
                    growth = _median(after[key]["ready_ms"]) / _median(before[key]["ready_ms"])
                    parts.append(f"{key.split('_')[0]} ×{growth:.2f}")
            print(f"  {before['nodes']} → {after['nodes']}: " + ", ".join(parts))
    print(
        "\ntargets: process page ≤ ×1.30 of the bare viewer at every size, < 1000 ms cold at 500 nodes"
    )
    for summary in summaries:
        for key in ("process_cold", "process_warm", "modeler_cold", "modeler_warm"):
            if key in summary:
                entry = summary[key]
                print(
                    f"  {summary['nodes']:5} {key:13} median ×{entry['ratio_to_bare']:.2f}"
                    f"  best ×{entry['best_ratio_to_bare']:.2f}  cpu ×{entry['cpu_ratio_to_bare']:.2f}"
                    f"  {_median(entry['ready_ms']):6.0f} ms (best {min(entry['ready_ms'])} ms)"
                )
    print(json.dumps({"pages": summaries, "bundles": sizes}))


if __name__ == "__main__":
    main()
