# ruff: noqa: B007, B023  (per-pool closures are called inside their own loop iteration)
"""Generator of the hold-out models for the analysis (see README.md).

    python generate.py        # rewrite all *.bpmn and *.labels.json in this folder

The models are described compactly below; the labels are written by hand, blind, from
ANALYSIS.md alone (the engine was not consulted while writing them).
"""

from __future__ import annotations

import json
from pathlib import Path

from lxml import etree

MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
PA = "urn:prozessatlas:bpmn:1.0"

HERE = Path(__file__).resolve().parent

TASK_TYPES = {
    "task",
    "userTask",
    "manualTask",
    "serviceTask",
    "scriptTask",
    "sendTask",
    "receiveTask",
    "businessRuleTask",
}
SIZES = {"task": (100, 80), "event": (36, 36), "gateway": (50, 50)}
AUTOMATED = {"serviceTask", "scriptTask", "businessRuleTask"}


def size(kind: str) -> tuple[int, int]:
    if kind in TASK_TYPES or kind == "subProcess":
        return SIZES["task"]
    if kind.endswith("Gateway"):
        return SIZES["gateway"]
    return SIZES["event"]


def N(kind, id_, name="", **extra):
    """A flow node: kind is the BPMN element name; extra: medium, system, doc, event, inner, flows."""
    return {"kind": kind, "id": id_, "name": name, **extra}


def build(spec: dict) -> tuple[bytes, dict]:
    prefix = spec.get("prefix")
    nsmap = {prefix: MODEL, "bpmndi": BPMNDI, "dc": DC, "di": DI, "xsi": XSI, "pa": PA}

    def q(tag: str, ns: str = MODEL) -> str:
        return f"{{{ns}}}{tag}"

    defs = etree.Element(q("definitions"), nsmap=nsmap)
    defs.set("id", f"Definitions_{spec['key']}")
    defs.set("name", spec["title"])
    defs.set("targetNamespace", spec.get("tns", "urn:prozessatlas:holdout"))
    defs.set("exporter", spec.get("exporter", "holdout generator"))
    defs.set("exporterVersion", "1.0")

    def base(parent, tag, id_, name=None, medium=None, system=None, doc=None, **attrs):
        el = etree.SubElement(parent, q(tag))
        el.set("id", id_)
        if name:
            el.set("name", name)
        for k, v in attrs.items():
            el.set(k, v)
        if medium:
            el.set(q("medium", PA), medium)
        if system:
            el.set(q("system", PA), system)
        if doc:
            d = etree.SubElement(el, q("documentation"))
            d.text = doc
        return el

    # data stores at root
    for pool in spec["pools"]:
        for d in pool.get("data", []):
            if d["store"]:
                base(defs, "dataStore", "DSt_" + d["id"], d["name"])

    collab = base(defs, "collaboration", f"Collaboration_{spec['key']}", spec["title"])
    for pool in spec["pools"]:
        attrs = {}
        if not pool.get("collapsed"):
            attrs["processRef"] = "Process_" + pool["id"]
        base(collab, "participant", pool["id"], pool["name"], **attrs)
    for mf in spec.get("messages", []):
        base(
            collab,
            "messageFlow",
            mf["id"],
            mf["name"],
            mf.get("medium"),
            mf.get("system"),
            sourceRef=mf["src"],
            targetRef=mf["tgt"],
        )

    layout: dict[str, tuple[int, int, int, int]] = {}
    edges: list[tuple[str, str, str]] = []  # (element id, from, to)
    all_tasks: dict[str, str] = {}
    y = 40
    for pool in spec["pools"]:
        if pool.get("collapsed"):
            pool["_y"] = y
            y += 100
            continue
        proc = base(defs, "process", "Process_" + pool["id"], pool["name"], isExecutable="false")
        lanes = pool.get("lanes")
        node_lane = {}
        if lanes:
            ls = base(proc, "laneSet", "LaneSet_" + pool["id"])
            for lid, lname, members in lanes:
                lane = base(ls, "lane", lid, lname)
                for m in members:
                    r = etree.SubElement(lane, q("flowNodeRef"))
                    r.text = m
                    node_lane[m] = lid
        lane_ids = [lane[0] for lane in lanes] if lanes else ["_single"]
        lane_y = {lid: y + i * 200 for i, lid in enumerate(lane_ids)}
        pool["_y"], pool["_h"] = y, 200 * len(lane_ids)
        pool["_lane_y"] = lane_y
        inputs = {}
        outputs = {}
        for kind, a, b in pool.get("assoc", []):
            if kind == "in":
                inputs.setdefault(b, []).append(a)
            else:
                outputs.setdefault(a, []).append(b)
        col = [0]

        def place(node, lid, inner=False):
            w, h = size(node["kind"])
            top = lane_y[lid]
            if node["kind"] == "subProcess":
                start = col[0]
                x0 = 180 + start * 140
                for inn in node["inner"]:
                    place(inn, lid, inner=True)
                x1 = 180 + col[0] * 140 - 20
                layout[node["id"]] = (x0 - 10, top + 15, x1 - x0 + 20, 150)
                col[0] += 0
                return
            cx = 180 + col[0] * 140 + 50
            cy = top + 80
            layout[node["id"]] = (cx - w // 2, cy - h // 2, w, h)
            col[0] += 1

        def emit(parent, nodes, flows, prefix_flow):
            flow_ids = {}
            for s, t, *rest in flows:
                flow_ids[(s, t)] = f"{prefix_flow}_{s}_{t}"
            for node in nodes:
                kind = node["kind"]
                el = base(
                    parent,
                    kind,
                    node["id"],
                    node["name"],
                    node.get("medium"),
                    node.get("system"),
                    node.get("doc"),
                )
                if kind == "subProcess":
                    pass
                for (s, t), fid in flow_ids.items():
                    if t == node["id"]:
                        etree.SubElement(el, q("incoming")).text = fid
                for (s, t), fid in flow_ids.items():
                    if s == node["id"]:
                        etree.SubElement(el, q("outgoing")).text = fid
                if kind in TASK_TYPES or kind == "subProcess":
                    all_tasks[node["id"]] = kind if kind != "subProcess" else "_sub"
                    ins = inputs.get(node["id"], [])
                    if ins:
                        base(el, "property", "Prop_" + node["id"], "__targetRef_placeholder")
                    for d in ins:
                        dia = base(el, "dataInputAssociation", f"DIA_{node['id']}_{d}")
                        etree.SubElement(dia, q("sourceRef")).text = d
                        etree.SubElement(dia, q("targetRef")).text = "Prop_" + node["id"]
                        edges.append((dia.get("id"), d, node["id"]))
                    for d in outputs.get(node["id"], []):
                        doa = base(el, "dataOutputAssociation", f"DOA_{node['id']}_{d}")
                        etree.SubElement(doa, q("targetRef")).text = d
                        edges.append((doa.get("id"), node["id"], d))
                ev = node.get("event")
                if ev == "timer":
                    ted = base(el, "timerEventDefinition", "TED_" + node["id"])
                    tag = "timeCycle" if kind == "startEvent" else "timeDuration"
                    te = etree.SubElement(ted, q(tag))
                    te.set(
                        f"{{{XSI}}}type",
                        f"{prefix}:tFormalExpression" if prefix else "tFormalExpression",
                    )
                    te.text = node.get("time", "P14D")
                elif ev == "message":
                    base(el, "messageEventDefinition", "MED_" + node["id"])
                if kind == "subProcess":
                    emit(el, node["inner"], node["flows"], "SF")
            for s, t, *rest in flows:
                fid = flow_ids[(s, t)]
                base(
                    parent, "sequenceFlow", fid, rest[0] if rest else None, sourceRef=s, targetRef=t
                )
                edges.append((fid, s, t))

        for node in pool["nodes"]:
            place(node, node_lane.get(node["id"], lane_ids[0]))
        emit(proc, pool["nodes"], pool["flows"], "SF")
        for d in pool.get("data", []):
            if d["store"]:
                base(
                    proc,
                    "dataStoreReference",
                    d["id"],
                    d["name"],
                    d.get("medium"),
                    d.get("system"),
                    dataStoreRef="DSt_" + d["id"],
                )
            else:
                base(proc, "dataObject", "DOb_" + d["id"])
                base(
                    proc,
                    "dataObjectReference",
                    d["id"],
                    d["name"],
                    d.get("medium"),
                    d.get("system"),
                    dataObjectRef="DOb_" + d["id"],
                )
            near = d["near"]
            nx, ny, nw, nh = layout[near]
            lid = node_lane.get(near, lane_ids[0])
            for pn in pool["nodes"]:
                if pn["kind"] == "subProcess" and near in {i["id"] for i in pn["inner"]}:
                    lid = node_lane.get(pn["id"], lane_ids[0])
            w, h = (50, 50) if d["store"] else (36, 50)
            layout[d["id"]] = (nx + 30 + d.get("dx", 0), lane_y[lid] + 140, w, h)
        y += pool["_h"] + 40
    width = (
        180
        + 140
        * max(
            sum(len(n.get("inner", [])) or 1 for n in p["nodes"])
            for p in spec["pools"]
            if not p.get("collapsed")
        )
        + 100
    )
    for pool in spec["pools"]:
        if pool.get("collapsed"):
            layout[pool["id"]] = (100, pool["_y"], width, 60)
        else:
            layout[pool["id"]] = (100, pool["_y"], width, pool["_h"])
            for lid, ly in pool["_lane_y"].items():
                if lid != "_single":
                    layout[lid] = (130, ly, width - 30, 200)
    for mf in spec.get("messages", []):
        edges.append((mf["id"], mf["src"], mf["tgt"]))

    diagram = etree.SubElement(defs, q("BPMNDiagram", BPMNDI))
    diagram.set("id", f"Diagram_{spec['key']}")
    plane = etree.SubElement(diagram, q("BPMNPlane", BPMNDI))
    plane.set("id", f"Plane_{spec['key']}")
    plane.set("bpmnElement", f"Collaboration_{spec['key']}")
    pool_ids = {p["id"] for p in spec["pools"]}
    lane_set = {ln[0] for p in spec["pools"] for ln in (p.get("lanes") or [])}
    order = (
        [p["id"] for p in spec["pools"]]
        + sorted(lane_set)
        + [k for k in layout if k not in pool_ids and k not in lane_set]
    )
    subs = {n["id"] for p in spec["pools"] for n in p.get("nodes", []) if n["kind"] == "subProcess"}
    for k in order:
        x, yy, w, h = layout[k]
        sh = etree.SubElement(plane, q("BPMNShape", BPMNDI))
        sh.set("id", f"Shape_{k}")
        sh.set("bpmnElement", k)
        if k in pool_ids or k in lane_set:
            sh.set("isHorizontal", "true")
        if k in subs:
            sh.set("isExpanded", "true")
        b = etree.SubElement(sh, q("Bounds", DC))
        for a, v in zip(("x", "y", "width", "height"), (x, yy, w, h), strict=True):
            b.set(a, str(v))
    for eid, s, t in edges:
        e = etree.SubElement(plane, q("BPMNEdge", BPMNDI))
        e.set("id", f"Edge_{eid}")
        e.set("bpmnElement", eid)
        sx, sy, sw, sh_ = layout[s]
        tx, ty, tw, th = layout[t]
        for px, py in ((sx + sw, sy + sh_ // 2), (tx, ty + th // 2)):
            wp = etree.SubElement(e, q("waypoint", DI))
            wp.set("x", str(px))
            wp.set("y", str(py))
    xml = etree.tostring(defs, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return xml, all_tasks


def check_labels(spec: dict, tasks: dict[str, str], xml: bytes) -> None:
    lab = spec["labels"]
    cands = {c["element"] for c in lab["automation_candidates"]}
    nots = set(lab["not_candidates"])
    auto = set(spec["automated"])
    plain = {t for t, k in tasks.items() if k != "_sub"}
    assert not (cands & nots), spec["key"]
    assert not (cands & auto), spec["key"]
    assert not (nots & auto), spec["key"]
    missing = plain - cands - nots - auto
    extra = (cands | nots | auto) - plain
    assert not missing, (spec["key"], missing)
    assert not extra, (spec["key"], extra)
    ids = set(etree.fromstring(xml).xpath("//@id"))
    for b in lab["media_breaks"]:
        assert set(b["elements"]) <= ids, (spec["key"], b)
        assert b["rule"] in "abcd"


import sys  # noqa: E402

sys.path.insert(0, str(HERE))
from models import MODELS  # noqa: E402


def main() -> None:
    for spec in MODELS:
        xml, tasks = build(spec)
        check_labels(spec, tasks, xml)
        (HERE / f"{spec['key']}.bpmn").write_bytes(xml)
        lab = spec["labels"]
        out = {
            "media_breaks": lab["media_breaks"],
            "automation_candidates": lab["automation_candidates"],
            "not_candidates": lab["not_candidates"],
        }
        (HERE / f"{spec['key']}.labels.json").write_text(
            json.dumps(out, ensure_ascii=False, indent=2) + "\n", "utf-8"
        )
        print(spec["key"], len(tasks), "tasks")


if __name__ == "__main__":
    main()
