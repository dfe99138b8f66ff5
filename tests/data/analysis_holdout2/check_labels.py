"""Checks that every task is labelled exactly once (candidate / not / automated) and that label ids exist."""
import json
from pathlib import Path
from lxml import etree

HERE = Path(__file__).resolve().parent
B = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
TASKS = ("task", "userTask", "manualTask", "serviceTask", "scriptTask", "businessRuleTask", "sendTask", "receiveTask")
for f in sorted(HERE.glob("*.bpmn")):
    doc = etree.parse(str(f))
    lab = json.loads(f.with_suffix("").with_suffix(".labels.json").read_text()) if False else json.loads((HERE / (f.stem + ".labels.json")).read_text())
    ids = {e.get("id") for e in doc.iter() if isinstance(e.tag, str) and e.get("id")}
    tasks = {e.get("id"): etree.QName(e).localname for t in TASKS for e in doc.iter(B + t)}
    cands = [c["element"] for c in lab["automation_candidates"]]
    nots = lab["not_candidates"]
    both = set(cands) & set(nots)
    unl = [t for t, k in tasks.items() if t not in cands and t not in nots]
    missing = [i for m in lab["media_breaks"] for i in m["elements"] if i not in ids] + [i for i in cands + nots if i not in ids]
    print(f.stem, "tasks", len(tasks), "cand", len(cands), "not", len(nots), "both", both, "missing", missing)
    print("   unlabelled (should be automated):", [(t, tasks[t]) for t in unl])
