"""Measure PyPI `bpmn-python` against Prozessatlas' lxml code on the MIWG corpus (ADR 0004).

    python3 -m venv /tmp/bpvenv && /tmp/bpvenv/bin/pip install bpmn-python
    .venv/bin/python bench/bpmn_python_probe.py /tmp/bpvenv/bin/python [corpus_dir]

bpmn-python runs only inside the given (throwaway) venv, one worker process at a time, each file
with a 10 s timeout (its code can hang); a hung or crashed worker is killed and replaced. Nothing
here is imported by the app or the tests.
"""

from __future__ import annotations

import collections
import json
import os
import selectors
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lxml import etree  # noqa: E402

from app.bpmn.parse import UnsafeOrInvalidXml, parse_bpmn  # noqa: E402
from app.bpmn.validate import validate  # noqa: E402

TIMEOUT = 10.0
XSD_DIR = ROOT / "bpmn_schemas"

# Runs inside the bpmn-python venv: one path per stdin line, one JSON result per stdout line.
WORKER = r"""
import json, os, sys, warnings
warnings.simplefilter("ignore")
if os.environ.get("PROBE_SHIM"):  # networkx >= 2.4 removed Graph.node/.edge; bpmn-python 0.0.18 uses it
    import networkx
    networkx.Graph.node = property(lambda self: self.nodes)
    networkx.Graph.edge = property(lambda self: self.adj)
from bpmn_python.bpmn_diagram_rep import BpmnDiagramGraph
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    path = line.rstrip("\n")
    try:
        BpmnDiagramGraph().load_diagram_from_xml_file(path)
        result = {"ok": True}
    except BaseException as exc:
        result = {"ok": False, "error": type(exc).__name__ + ": " + str(exc)[:120]}
    print(json.dumps(result), flush=True)
"""

# Runs inside the bpmn-python venv: build a small diagram with its API and export it.
EXPORT = r"""
import os, sys, warnings
warnings.simplefilter("ignore")
if os.environ.get("PROBE_SHIM"):
    import networkx
    networkx.Graph.node = property(lambda self: self.nodes)
    networkx.Graph.edge = property(lambda self: self.adj)
from bpmn_python.bpmn_diagram_rep import BpmnDiagramGraph
g = BpmnDiagramGraph()
g.create_new_diagram_graph(diagram_name="probe")
pid = g.add_process_to_diagram()
s, _ = g.add_start_event_to_diagram(pid, start_event_name="start")
t, _ = g.add_task_to_diagram(pid, task_name="Antrag pruefen")
e, _ = g.add_end_event_to_diagram(pid, end_event_name="end")
g.add_sequence_flow_to_diagram(pid, s, t)
g.add_sequence_flow_to_diagram(pid, t, e)
out_dir = sys.argv[1]
g.export_xml_file(out_dir + "/", "api.bpmn")
if len(sys.argv) > 2:
    h = BpmnDiagramGraph()
    h.load_diagram_from_xml_file(sys.argv[2])
    h.export_xml_file(out_dir + "/", "roundtrip.bpmn")
"""

META = r"""
import importlib.metadata as m, json, sys, site
sp = site.getsitepackages()[0]
d = m.metadata("bpmn-python")
dists = sorted(x.metadata["Name"] for x in m.distributions())
added = sum(f.locate().stat().st_size for x in m.distributions() if x.metadata["Name"] not in ("pip", "setuptools")
            for f in (x.files or []) if f.locate().exists())
print(json.dumps({"added": added, "version": d["Version"], "license": d["License"],
                  "classifiers": [c for c in (d.get_all("Classifier") or []) if "icense" in c],
                  "requires": d.get_all("Requires-Dist") or [], "dists": dists, "site": sp}))
"""


class Worker:
    def __init__(self, python: str, shim: bool) -> None:
        env = {**os.environ, "MPLBACKEND": "Agg", "PROBE_SHIM": "1" if shim else ""}
        self.proc = subprocess.Popen(
            [python, "-c", WORKER],
            cwd=tempfile.gettempdir(),
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            bufsize=1,
        )
        self.sel = selectors.DefaultSelector()
        assert self.proc.stdout is not None
        self.sel.register(self.proc.stdout, selectors.EVENT_READ)
        ready = self.read(120.0)
        if not ready or not ready.get("ready"):
            raise RuntimeError("bpmn-python worker did not start (is bpmn-python installed?)")

    def read(self, timeout: float) -> dict[str, object] | None:
        assert self.proc.stdout is not None
        if not self.sel.select(timeout):
            return None
        line = self.proc.stdout.readline()
        return json.loads(line) if line else None

    def run(self, path: Path) -> dict[str, object] | None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"{path}\n")
        self.proc.stdin.flush()
        return self.read(TIMEOUT)

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()


def import_all(
    python: str, corpus: Path, files: list[str], shim: bool
) -> tuple[collections.Counter[str], collections.Counter[str], float, Path | None]:
    outcomes: collections.Counter[str] = collections.Counter()
    errors: collections.Counter[str] = collections.Counter()
    first_ok: Path | None = None
    worker = Worker(python, shim)
    started = time.perf_counter()
    for name in files:
        result = worker.run(corpus / name)
        if result is None:
            worker.kill()
            outcomes["timeout/crash"] += 1
            worker = Worker(python, shim)
        elif result["ok"]:
            outcomes["ok"] += 1
            if first_ok is None and name.startswith("Reference/"):
                first_ok = corpus / name
        else:
            outcomes["exception"] += 1
            errors[str(result["error"])[:70]] += 1
    seconds = time.perf_counter() - started
    worker.kill()
    return outcomes, errors, seconds, first_ok


def export_and_validate(python: str, source: Path | None, shim: bool) -> dict[str, str]:
    schema = etree.XMLSchema(etree.parse(str(XSD_DIR / "BPMN20.xsd")))
    results: dict[str, str] = {}
    env = {**os.environ, "MPLBACKEND": "Agg", "PROBE_SHIM": "1" if shim else ""}
    with tempfile.TemporaryDirectory() as tmp:
        args = [python, "-c", EXPORT, tmp] + ([str(source)] if source else [])
        proc = subprocess.run(args, capture_output=True, text=True, timeout=60, cwd=tmp, env=env)
        for label in ("api.bpmn", "roundtrip.bpmn"):
            path = Path(tmp) / label
            if not path.exists():
                last = (
                    proc.stderr.strip().splitlines()[-1][:90]
                    if proc.stderr.strip()
                    else "no source"
                )
                results[label] = f"not written ({last})"
                continue
            doc = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
            if schema.validate(doc):
                results[label] = "XSD-valid"
            else:
                first = schema.error_log[0].message[:90]
                results[label] = f"XSD-invalid, {len(schema.error_log)} errors (first: {first})"
    return results


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    python = sys.argv[1]
    corpus = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("/work/shared/corpus/miwg")
    expected = json.loads((corpus / "expected.json").read_text())
    files = sorted(name for name, e in expected.items() if e["wellformed"])

    meta = json.loads(
        subprocess.run(
            [python, "-c", META],
            capture_output=True,
            text=True,
            check=True,
            cwd=tempfile.gettempdir(),
        ).stdout
    )

    # bpmn-python import, file by file, with a timeout each; as released, then with a shim.
    runs = {shim: import_all(python, corpus, files, shim) for shim in (False, True)}

    # bpmn-python export, then validate its output with lxml against the OMG XSD.
    exports = {shim: export_and_validate(python, runs[shim][3], shim) for shim in (False, True)}

    # Prozessatlas on lxml: parse + validate every file, compare with expected.json.
    agree = imported = 0
    started = time.perf_counter()
    for name, exp in expected.items():
        try:
            tree = parse_bpmn((corpus / name).read_bytes())
        except UnsafeOrInvalidXml:
            agree += not exp["wellformed"]
            continue
        imported += 1
        agree += exp["wellformed"] and validate(tree, XSD_DIR).xsd_valid == exp["xsd_valid"]
    pa_seconds = time.perf_counter() - started

    n = len(files)
    (ok0, err0, sec0, _), (ok1, err1, sec1, src1) = runs[False], runs[True]
    rows = [
        ("version", meta["version"] + " (sdist only, 2017)", "-"),
        (
            "licence (metadata)",
            f"{meta['license']} {' '.join(meta['classifiers'])}".strip(),
            "EUPL-1.2; lxml BSD-3",
        ),
        ("Requires-Dist", ", ".join(meta["requires"]), "lxml (already used)"),
        (
            "installed size added",
            f"{meta['added'] / 2**20:.0f} MiB ({len(meta['dists']) - 2} dists)",
            "0",
        ),
        (
            f"MIWG well-formed imported (of {n})",
            f"{ok0['ok']} ({100 * ok0['ok'] / n:.0f} %)",
            str(imported),
        ),
        ("  exception / hung > 10 s", f"{ok0['exception']} / {ok0['timeout/crash']}", "0 / 0"),
        (
            "  same, networkx .node/.edge shim",
            f"{ok1['ok']} ok ({100 * ok1['ok'] / n:.0f} %), {ok1['exception']} exc, {ok1['timeout/crash']} hung",
            "-",
        ),
        (f"XSD verdicts = expected.json (of {len(expected)})", "- (no validation)", f"{agree}"),
        (
            "wall time, import of all files",
            f"{sec0:.1f} s / {sec1:.1f} s with shim",
            f"{pa_seconds:.2f} s (parse + XSD)",
        ),
        (
            "export via its API -> BPMN20.xsd",
            exports[False]["api.bpmn"],
            "stored bytes returned unchanged",
        ),
        ("  same, with shim", exports[True]["api.bpmn"], "-"),
        (
            f"  round trip ({src1.relative_to(corpus) if src1 else '-'}), shim",
            exports[True]["roundtrip.bpmn"],
            "-",
        ),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'':{width}}  | bpmn-python | Prozessatlas (lxml)")
    for label, a, b in rows:
        print(f"{label:{width}}  | {a} | {b}")
    print("\nexceptions (as released, then with shim):")
    for label, errs in (("released", err0), ("shim", err1)):
        for message, count in errs.most_common(6):
            print(f"  {label:8} {count:4}  {message}")
    print("dists in the venv:", ", ".join(meta["dists"]))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("MPLBACKEND", "Agg")
    sys.exit(main())
