"""Generates the BPMN files of this hold-out set from the compact specs in models.py.

    python generate.py

Layout is deliberately simple: every flow node gets its own column, lanes are stacked.
Labels are NOT generated: they are written by hand in <name>.labels.json.
"""

from __future__ import annotations

from pathlib import Path

from models import MODELS

HERE = Path(__file__).resolve().parent

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
EXTRA_NS = {
    "signavio": "http://www.signavio.com",
    "camunda": "http://camunda.org/schema/1.0/bpmn",
    "adonis": "http://www.boc-group.com/adonis/bpmn",
    "pa": "urn:prozessatlas:bpmn:1.0",
}

TAGS = {
    "start": "startEvent", "mstart": "startEvent", "end": "endEvent",
    "mcatch": "intermediateCatchEvent", "timer": "intermediateCatchEvent",
    "xor": "exclusiveGateway", "and": "parallelGateway",
    "task": "task", "user": "userTask", "manual": "manualTask", "service": "serviceTask",
    "script": "scriptTask", "rule": "businessRuleTask", "send": "sendTask", "receive": "receiveTask",
}
SIZE = {"task": (110, 80), "event": (36, 36), "gateway": (50, 50), "do": (36, 50), "ds": (50, 50)}
LANE_H = 190
COL_W = 150
LANE_HEAD = 30


def esc(s: str) -> str:
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("\n", "&#10;"))


def esc_text(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def shape_kind(kind: str) -> str:
    if kind in ("start", "mstart", "end", "mcatch", "timer"):
        return "event"
    if kind in ("xor", "and"):
        return "gateway"
    return "task"


def attrs(d: dict | None) -> str:
    if not d:
        return ""
    return "".join(f' {k}="{esc(v)}"' for k, v in d.items())


def build(m: dict) -> str:
    style = m["style"]
    ns_used = dict(NS)
    for p, uri in EXTRA_NS.items():
        if p in m.get("ns", []):
            ns_used[p] = uri
    out: list[str] = ['<?xml version="1.0" encoding="UTF-8"?>']
    nsdecl = " ".join(f'xmlns:{p}="{u}"' for p, u in ns_used.items())
    out.append(f'<bpmn:definitions {nsdecl} id="{m["defs_id"]}" targetNamespace="{m["tns"]}" '
               f'exporter="{esc(m["exporter"])}" exporterVersion="{m["exporter_version"]}">')

    bounds: dict[str, tuple[int, int, int, int]] = {}
    y = 40
    pool_x = 60
    # ---- layout
    for pool in m["pools"]:
        ncols = max(len(pool.get("nodes", [])), 1)
        width = LANE_HEAD + 60 + ncols * COL_W + 60
        if not pool.get("nodes"):
            bounds[pool["participant"]] = (pool_x, y, max(width, 900), 80)
            y += 110
            continue
        lanes = pool.get("lanes") or [(None, None)]
        lane_y = {}
        for i, (lid, _) in enumerate(lanes):
            lane_y[lid] = y + i * LANE_H
            if lid:
                bounds[lid] = (pool_x + LANE_HEAD, y + i * LANE_H, width - LANE_HEAD, LANE_H)
        height = LANE_H * len(lanes)
        if pool.get("participant"):
            bounds[pool["participant"]] = (pool_x, y, width, height)
        for i, node in enumerate(pool["nodes"]):
            kind, nid, _name, lane = node[0], node[1], node[2], node[3]
            w, h = SIZE[shape_kind(kind)]
            cx = pool_x + LANE_HEAD + 60 + i * COL_W + 55
            ly = lane_y[lane if lanes[0][0] else None]
            cy = ly + 70
            bounds[nid] = (cx - w // 2, cy - h // 2, w, h)
        col_of = {n[1]: i for i, n in enumerate(pool["nodes"])}
        for d in pool.get("data", []):
            dkind, did, _dn, near = d
            w, h = SIZE[dkind]
            i = col_of[near]
            node = next(n for n in pool["nodes"] if n[1] == near)
            ly = lane_y[node[3] if lanes[0][0] else None]
            cx = pool_x + LANE_HEAD + 60 + i * COL_W + 55 - 40
            bounds[did] = (cx - w // 2, ly + 125, w, h)
        y += height + 40

    def center(eid):
        x, yy, w, h = bounds[eid]
        return x + w / 2, yy + h / 2

    def right(eid):
        x, yy, w, h = bounds[eid]
        return x + w, yy + h / 2

    def left(eid):
        x, yy, w, h = bounds[eid]
        return x, yy + h / 2

    # ---- semantics
    flows_out: dict[str, list[str]] = {}
    flows_in: dict[str, list[str]] = {}
    for pool in m["pools"]:
        for f in pool.get("flows", []):
            flows_out.setdefault(f[1], []).append(f[0])
            flows_in.setdefault(f[2], []).append(f[0])

    collab = m.get("collaboration")
    if collab:
        out.append(f'  <bpmn:collaboration id="{collab}">')
        for pool in m["pools"]:
            pref = f' processRef="{pool["process"]}"' if pool.get("process") else ""
            out.append(f'    <bpmn:participant id="{pool["participant"]}" name="{esc(pool["name"])}"{pref}/>')
        for mf in m.get("messages", []):
            mid, mname, src, tgt = mf[:4]
            extra = mf[4] if len(mf) > 4 else None
            out.append(f'    <bpmn:messageFlow id="{mid}" name="{esc(mname)}" sourceRef="{src}" '
                       f'targetRef="{tgt}"{attrs(extra)}/>')
        out.append("  </bpmn:collaboration>")

    edges: list[tuple[str, str, str]] = []  # (element id, from, to)
    for pool in m["pools"]:
        if not pool.get("process"):
            continue
        pattrs = attrs(pool.get("process_attrs"))
        out.append(f'  <bpmn:process id="{pool["process"]}" isExecutable="false"{pattrs}>')
        if pool.get("process_doc"):
            out.append(f'    <bpmn:documentation>{esc_text(pool["process_doc"])}</bpmn:documentation>')
        if pool.get("lanes"):
            out.append(f'    <bpmn:laneSet id="{pool["process"]}_LaneSet">')
            for lid, lname in pool["lanes"]:
                out.append(f'      <bpmn:lane id="{lid}" name="{esc(lname)}">')
                for n in pool["nodes"]:
                    if n[3] == lid:
                        out.append(f"        <bpmn:flowNodeRef>{n[1]}</bpmn:flowNodeRef>")
                out.append("      </bpmn:lane>")
            out.append("    </bpmn:laneSet>")
        reads = pool.get("reads", [])
        writes = pool.get("writes", [])
        for n in pool["nodes"]:
            kind, nid, name, lane = n[:4]
            opt = n[4] if len(n) > 4 else {}
            tag = TAGS[kind]
            out.append(f'    <bpmn:{tag} id="{nid}" name="{esc(name)}"{attrs(opt.get("attrs"))}>')
            if opt.get("doc"):
                out.append(f'      <bpmn:documentation>{esc_text(opt["doc"])}</bpmn:documentation>')
            if style == "signavio":
                col = "#ffffcc" if shape_kind(kind) == "task" else "#ffffff"
                out.append("      <bpmn:extensionElements>")
                out.append(f'        <signavio:signavioMetaData metaKey="bgcolor" metaValue="{col}"/>')
                out.append('        <signavio:signavioMetaData metaKey="risikenundkontrollen" metaValue=""/>')
                out.append("      </bpmn:extensionElements>")
            elif style == "adonis":
                out.append("      <bpmn:extensionElements>")
                out.append(f'        <adonis:attribute name="Verantwortlich" value="{esc(opt.get("resp", "Sachbearbeitung"))}"/>')
                out.append("      </bpmn:extensionElements>")
            for fid in flows_in.get(nid, []):
                out.append(f"      <bpmn:incoming>{fid}</bpmn:incoming>")
            for fid in flows_out.get(nid, []):
                out.append(f"      <bpmn:outgoing>{fid}</bpmn:outgoing>")
            my_reads = [r for r in reads if r[2] == nid]
            if my_reads:
                for r in my_reads:
                    out.append(f'      <bpmn:property id="{r[0]}_P" name="__targetRef_placeholder"/>')
                for r in my_reads:
                    out.append(f'      <bpmn:dataInputAssociation id="{r[0]}">')
                    out.append(f"        <bpmn:sourceRef>{r[1]}</bpmn:sourceRef>")
                    out.append(f"        <bpmn:targetRef>{r[0]}_P</bpmn:targetRef>")
                    out.append("      </bpmn:dataInputAssociation>")
                    edges.append((r[0], r[1], nid))
            for w in [w for w in writes if w[1] == nid]:
                out.append(f'      <bpmn:dataOutputAssociation id="{w[0]}">')
                out.append(f"        <bpmn:targetRef>{w[2]}</bpmn:targetRef>")
                out.append("      </bpmn:dataOutputAssociation>")
                edges.append((w[0], nid, w[2]))
            if kind in ("mstart", "mcatch"):
                out.append(f'      <bpmn:messageEventDefinition id="{nid}_MED"/>')
            if kind == "timer":
                out.append(f'      <bpmn:timerEventDefinition id="{nid}_TED"/>')
            out.append(f"    </bpmn:{tag}>")
        for f in pool.get("flows", []):
            fname = f' name="{esc(f[3])}"' if len(f) > 3 and f[3] else ""
            out.append(f'    <bpmn:sequenceFlow id="{f[0]}"{fname} sourceRef="{f[1]}" targetRef="{f[2]}"/>')
            edges.append((f[0], f[1], f[2]))
        for d in pool.get("data", []):
            dkind, did, dname, _near = d
            dattrs = attrs(pool.get("data_attrs", {}).get(did))
            if dkind == "do":
                out.append(f'    <bpmn:dataObject id="{did}_DO"/>')
                out.append(f'    <bpmn:dataObjectReference id="{did}" name="{esc(dname)}" '
                           f'dataObjectRef="{did}_DO"{dattrs}/>')
            else:
                out.append(f'    <bpmn:dataStoreReference id="{did}" name="{esc(dname)}"{dattrs}/>')
        out.append("  </bpmn:process>")

    # ---- diagram
    plane_el = collab or m["pools"][0]["process"]
    out.append(f'  <bpmndi:BPMNDiagram id="{m["defs_id"]}_Diagram">')
    out.append(f'    <bpmndi:BPMNPlane id="{m["defs_id"]}_Plane" bpmnElement="{plane_el}">')

    def shape(eid, horiz=None):
        x, yy, w, h = bounds[eid]
        hz = f' isHorizontal="{horiz}"' if horiz else ""
        out.append(f'      <bpmndi:BPMNShape id="{eid}_di" bpmnElement="{eid}"{hz}>')
        out.append(f'        <dc:Bounds x="{x}" y="{yy}" width="{w}" height="{h}"/>')
        out.append("      </bpmndi:BPMNShape>")

    def edge(eid, a, b):
        (x1, y1), (x2, y2) = right(a), left(b)
        if x2 < x1:  # loop back or vertical: use centres
            (x1, y1), (x2, y2) = center(a), center(b)
        out.append(f'      <bpmndi:BPMNEdge id="{eid}_di" bpmnElement="{eid}">')
        out.append(f'        <di:waypoint x="{x1:.0f}" y="{y1:.0f}"/>')
        out.append(f'        <di:waypoint x="{x2:.0f}" y="{y2:.0f}"/>')
        out.append("      </bpmndi:BPMNEdge>")

    for pool in m["pools"]:
        if pool.get("participant"):
            shape(pool["participant"], "true")
        for lid, _ in pool.get("lanes") or []:
            shape(lid, "true")
        for n in pool.get("nodes", []):
            shape(n[1])
        for d in pool.get("data", []):
            shape(d[1])
    for eid, a, b in edges:
        edge(eid, a, b)
    for mf in m.get("messages", []):
        mid, _n, src, tgt = mf[:4]
        (x1, y1), (x2, y2) = center(src), center(tgt)
        if tgt in [p.get("participant") for p in m["pools"]]:
            x2 = x1
            y2 = bounds[tgt][1] + (bounds[tgt][3] if bounds[tgt][1] < y1 else 0)
        if src in [p.get("participant") for p in m["pools"]]:
            x1 = x2
            y1 = bounds[src][1] + (bounds[src][3] if bounds[src][1] < y2 else 0)
        out.append(f'      <bpmndi:BPMNEdge id="{mid}_di" bpmnElement="{mid}">')
        out.append(f'        <di:waypoint x="{x1:.0f}" y="{y1:.0f}"/>')
        out.append(f'        <di:waypoint x="{x2:.0f}" y="{y2:.0f}"/>')
        out.append("      </bpmndi:BPMNEdge>")
    out.append("    </bpmndi:BPMNPlane>")
    out.append("  </bpmndi:BPMNDiagram>")
    out.append("</bpmn:definitions>")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    for name, m in MODELS.items():
        (HERE / f"{name}.bpmn").write_text(build(m), encoding="utf-8")
        print("wrote", name)
