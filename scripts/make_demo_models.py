"""Generate the BPMN 2.0 models of the demo catalogue (app/demo/models/*.bpmn).

Each model is described below in a small layout language: pools with lanes (roles), lanes with rows,
nodes placed in (lane, column, row) slots, sequence flows routed orthogonally, message flows between
pools, data objects with input / output associations. The script writes complete OMG BPMN 2.0 XML with
diagram interchange (every shape with bounds, every edge with waypoints) and checks that no shapes or
labels overlap and no edge runs through a shape it does not connect.

    .venv/bin/python scripts/make_demo_models.py          # write app/demo/models/*.bpmn
    .venv/bin/python scripts/make_demo_models.py --check  # only check, write nothing
    .venv/bin/python scripts/make_demo_models.py --check-files  # re-check the written files
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

OUT = Path(__file__).resolve().parent.parent / "app" / "demo" / "models"

POOL_X = 160
POOL_BAND = 30  # label band of a pool
LANE_BAND = 30  # label band of a lane
COL_W = 160
ROW_H = 130
LANE_PAD = 15
POOL_GAP = 70
COLLAPSED_H = 60

SIZES = {
    "task": (100, 80),
    "userTask": (100, 80),
    "manualTask": (100, 80),
    "serviceTask": (100, 80),
    "sendTask": (100, 80),
    "receiveTask": (100, 80),
    "startEvent": (36, 36),
    "endEvent": (36, 36),
    "intermediateCatchEvent": (36, 36),
    "intermediateThrowEvent": (36, 36),
    "exclusiveGateway": (50, 50),
    "parallelGateway": (50, 50),
    "eventBasedGateway": (50, 50),
    "dataObjectReference": (36, 50),
    "dataStoreReference": (50, 50),
}
ACTIVITIES = {"task", "userTask", "manualTask", "serviceTask", "sendTask", "receiveTask"}
GATEWAYS = {"exclusiveGateway", "parallelGateway", "eventBasedGateway"}
EVENTS = {"startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent"}


@dataclass
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    @property
    def r(self) -> float:
        return self.x + self.w

    @property
    def b(self) -> float:
        return self.y + self.h

    def overlaps(self, o: Rect, m: float = 0) -> bool:
        return self.x < o.r + m and o.x < self.r + m and self.y < o.b + m and o.y < self.b + m


@dataclass
class Lane:
    id: str
    name: str | None
    rows: int = 1
    rect: Rect | None = None


@dataclass
class Pool:
    id: str
    name: str
    process: str | None  # None: collapsed (black-box) pool
    lanes: list[Lane] = field(default_factory=list)
    doc: str | None = None
    rect: Rect | None = None


@dataclass
class Node:
    id: str
    type: str
    name: str
    lane: str
    col: float
    row: int = 0
    medium: str | None = None
    system: str | None = None
    doc: str | None = None
    event: str | None = None  # "message" | "timer"
    timer: str | None = None  # ISO 8601 duration
    label: str = (
        "auto"  # label position of events, gateways, data: auto | below | above | right | left
    )
    data: str | None = None  # for data refs: id of the dataObject
    state: str | None = None
    rect: Rect | None = None
    incoming: list[str] = field(default_factory=list)
    outgoing: list[str] = field(default_factory=list)
    reads: list[str] = field(default_factory=list)
    writes: list[str] = field(default_factory=list)


@dataclass
class Flow:
    id: str
    src: str
    tgt: str
    name: str | None = None
    route: str | None = None  # None (auto) | "below" | "above"
    points: list[tuple[float, float]] = field(default_factory=list)
    label: Rect | None = None


@dataclass
class Message:
    id: str
    src: str
    tgt: str
    name: str | None = None
    medium: str | None = None
    sdx: float = 0
    tdx: float = 0
    points: list[tuple[float, float]] = field(default_factory=list)
    label: Rect | None = None


class Model:
    def __init__(self, key: str, title: str, doc: str) -> None:
        self.key, self.title, self.doc = key, title, doc
        self.pools: list[Pool] = []
        self.nodes: dict[str, Node] = {}
        self.flows: list[Flow] = []
        self.messages: list[Message] = []
        self._lane_pool: dict[str, Pool] = {}

    # --- building -------------------------------------------------------------------------------
    def pool(self, id: str, name: str, process: str | None = None, lanes=(), doc=None) -> None:
        p = Pool(id, name, process, [Lane(*spec) for spec in lanes], doc)
        if process and not p.lanes:
            p.lanes = [Lane(f"_{id}", None, 1)]
        self.pools.append(p)
        for lane in p.lanes:
            self._lane_pool[lane.id] = p

    def n(self, id: str, type: str, name: str, lane: str, col: float, row: int = 0, **kw) -> str:
        assert id not in self.nodes, id
        self.nodes[id] = Node(id, type, name, lane, col, row, **kw)
        return id

    def f(self, src: str, tgt: str, name: str | None = None, route: str | None = None) -> None:
        fid = f"Flow_{len(self.flows) + 1:02d}"
        self.flows.append(Flow(fid, src, tgt, name, route))
        self.nodes[src].outgoing.append(fid)
        self.nodes[tgt].incoming.append(fid)

    def merge_before(self, gw_id: str, task: str) -> None:
        """Put an exclusive merge gateway in front of `task` (no implicit joins): every node from the
        task's column on moves one column to the right, all flows into the task now end at the gateway."""
        t = self.nodes[task]
        col = t.col
        for n in self.nodes.values():
            if n.col >= col:
                n.col += 1
        self.n(gw_id, "exclusiveGateway", "", t.lane, col, t.row)
        for fl in self.flows:
            if fl.tgt == task:
                fl.tgt = gw_id
                self.nodes[gw_id].incoming.append(fl.id)
        t.incoming.clear()
        self.f(gw_id, task)

    def chain(self, *ids: str) -> None:
        for a, b in zip(ids, ids[1:], strict=False):
            self.f(a, b)

    def m(
        self, src: str, tgt: str, name: str | None = None, medium: str | None = None, sdx=0, tdx=0
    ):
        mid = f"MessageFlow_{len(self.messages) + 1:02d}"
        self.messages.append(Message(mid, src, tgt, name, medium, sdx, tdx))

    def d(
        self,
        id: str,
        name: str,
        lane: str,
        col: float,
        row: int = 0,
        medium=None,
        system=None,
        reads_by=(),
        written_by=(),
        store: bool = False,
        state=None,
        label="auto",
        obj=None,
    ) -> None:
        typ = "dataStoreReference" if store else "dataObjectReference"
        self.n(
            id,
            typ,
            name,
            lane,
            col,
            row,
            medium=medium,
            system=system,
            label=label,
            data=None if store else (obj or id.replace("DataRef_", "DataObject_")),
            state=state,
        )
        for t in reads_by:
            self.nodes[t].reads.append(id)
        for t in written_by:
            self.nodes[t].writes.append(id)

    # --- layout ---------------------------------------------------------------------------------
    def layout(self) -> None:
        max_col = max(n.col for n in self.nodes.values())
        width = LANE_BAND + POOL_BAND + 80 + max_col * COL_W + 100
        y = 60
        for p in self.pools:
            if p.process is None:
                p.rect = Rect(POOL_X, y, width, COLLAPSED_H)
            else:
                ly = y
                for lane in p.lanes:
                    h = 2 * LANE_PAD + lane.rows * ROW_H
                    lane.rect = Rect(POOL_X + POOL_BAND, ly, width - POOL_BAND, h)
                    ly += h
                p.rect = Rect(POOL_X, y, width, ly - y)
            y = p.rect.b + POOL_GAP
        lanes = {lane.id: lane for p in self.pools for lane in p.lanes}
        for n in self.nodes.values():
            lane = lanes[n.lane]
            cx = lane.rect.x + LANE_BAND + 80 + n.col * COL_W  # same columns in every pool
            cy = lane.rect.y + LANE_PAD + ROW_H / 2 + n.row * ROW_H
            w, h = SIZES[n.type]
            n.rect = Rect(cx - w / 2, cy - h / 2, w, h)
        for fl in self.flows:
            self._route(fl)
        for ms in self.messages:
            self._route_message(ms)
        self._place_labels()

    def _place_labels(self) -> None:
        """Put each event / gateway / data label below its shape unless an edge or shape is in the way;
        then try above, right and left."""
        segments = []
        for eid, pts, _ in self._all_edges():
            segments += [(eid, a, b) for a, b in zip(pts, pts[1:], strict=False)]
        taken = [n.rect for n in self.nodes.values()]
        taken += [fl.label for fl in self.flows if fl.label] + [
            ms.label for ms in self.messages if ms.label
        ]
        for n in self.nodes.values():
            n.label_rect = None
            if n.type in ACTIVITIES or not n.name:
                continue
            order = [n.label] if n.label != "auto" else ["below", "above", "right", "left"]
            for pos in order:
                r = self._label_at(n, pos)
                blocked = any(
                    _segment_hits(*a, *b, Rect(r.x + 1, r.y + 1, r.w - 2, r.h - 2))
                    for _, a, b in segments
                ) or any(r.overlaps(o, 2) for o in taken)
                if not blocked or pos == order[-1]:
                    n.label_rect = (
                        r if not blocked or n.label != "auto" else self._label_at(n, "below")
                    )
                    break
            taken.append(n.label_rect)

    def _all_edges(self):
        yield from ((fl.id, fl.points, {fl.src, fl.tgt}) for fl in self.flows)
        yield from ((ms.id, ms.points, {ms.src, ms.tgt}) for ms in self.messages)
        yield from self.associations()

    def _label_at(self, n: Node, pos: str) -> Rect:
        w = 100 if n.type not in GATEWAYS else 96
        lines = max(1, -(-len(n.name) // 16))
        h = 14 * lines
        r = n.rect
        if pos == "above":
            return Rect(r.cx - w / 2, r.y - h - 5, w, h)
        if pos == "right":
            return Rect(r.r + 4, r.cy - h / 2, w, h)
        if pos == "left":
            return Rect(r.x - 4 - w, r.cy - h / 2, w, h)
        return Rect(r.cx - w / 2, r.b + 5, w, h)

    def _pool_of(self, node_or_pool: str) -> Pool:
        if node_or_pool in self.nodes:
            return self._lane_pool[self.nodes[node_or_pool].lane]
        return next(p for p in self.pools if p.id == node_or_pool)

    def _route(self, fl: Flow) -> None:
        s, t = self.nodes[fl.src], self.nodes[fl.tgt]
        a, b = s.rect, t.rect
        pts: list[tuple[float, float]]
        if fl.route in ("below", "above"):
            if fl.route == "below":
                level = max(a.cy, b.cy) + 57
                pts = [(a.cx, a.b), (a.cx, level), (b.cx, level), (b.cx, b.b)]
            else:
                level = min(a.cy, b.cy) - 57
                pts = [(a.cx, a.y), (a.cx, level), (b.cx, level), (b.cx, b.y)]
        elif abs(a.cy - b.cy) < 1:
            pts = [(a.r, a.cy), (b.x, b.cy)] if b.cx > a.cx else [(a.x, a.cy), (b.r, b.cy)]
        elif abs(a.cx - b.cx) < 1:
            pts = [(a.cx, a.b), (b.cx, b.y)] if b.cy > a.cy else [(a.cx, a.y), (b.cx, b.b)]
        elif s.type in GATEWAYS and b.cx > a.cx:
            sy = a.b if b.cy > a.cy else a.y
            pts = [(a.cx, sy), (a.cx, b.cy), (b.x, b.cy)]
        elif t.type in GATEWAYS and b.cx > a.cx:
            ty = b.b if a.cy > b.cy else b.y
            pts = [(a.r, a.cy), (b.cx, a.cy), (b.cx, ty)]
        elif b.cx > a.cx:
            mx = (a.r + b.x) / 2
            pts = [(a.r, a.cy), (mx, a.cy), (mx, b.cy), (b.x, b.cy)]
        else:
            sy = a.b if b.cy > a.cy else a.y
            pts = [(a.cx, sy), (a.cx, b.cy), (b.r, b.cy)]
        fl.points = pts
        if fl.name:
            w, h = 7 * len(fl.name) + 6, 14
            (x0, y0), (_, y1) = pts[0], pts[1]
            if abs(y0 - y1) < 1:  # horizontal first segment
                fl.label = Rect(x0 + 6, y0 - h - 4, w, h)
            elif y1 > y0:
                fl.label = Rect(x0 + 6, y0 + 4, w, h)
            else:
                fl.label = Rect(x0 + 6, y0 - h - 4, w, h)

    def _route_message(self, ms: Message) -> None:
        sp, tp = self._pool_of(ms.src), self._pool_of(ms.tgt)
        sr = self.nodes[ms.src].rect if ms.src in self.nodes else None
        tr = self.nodes[ms.tgt].rect if ms.tgt in self.nodes else None
        down = sp.rect.y < tp.rect.y
        sx = (sr.cx if sr else tr.cx) + ms.sdx
        tx = (tr.cx if tr else sr.cx) + ms.tdx
        if sr is None:
            sx = tx
        if tr is None:
            tx = sx
        s_y = (sr.b if down else sr.y) if sr else (sp.rect.b if down else sp.rect.y)
        t_y = (tr.y if down else tr.b) if tr else (tp.rect.y if down else tp.rect.b)
        if abs(sx - tx) < 1:
            ms.points = [(sx, s_y), (tx, t_y)]
        else:
            gap = (sp.rect.b + POOL_GAP / 2) if down else (sp.rect.y - POOL_GAP / 2)
            ms.points = [(sx, s_y), (sx, gap), (tx, gap), (tx, t_y)]
        if ms.name:
            w = min(7 * len(ms.name) + 6, 150)
            h = 14 if w < 150 else 28
            gap_top = sp.rect.b if down else tp.rect.b
            lx = tx - 6 - w if ms.sdx + ms.tdx < 0 else tx + 6
            ms.label = Rect(lx, gap_top + (POOL_GAP - h) / 2, w, h)

    def node_label(self, n: Node) -> Rect | None:
        return getattr(n, "label_rect", None)

    # --- checks ---------------------------------------------------------------------------------
    def check(self) -> list[str]:
        problems = []
        boxes = []
        for n in self.nodes.values():
            boxes.append((n.id, n.rect, {n.id}))
            lab = self.node_label(n)
            if lab:
                boxes.append((n.id + "#label", lab, {n.id}))
        for fl in self.flows:
            if fl.label:
                boxes.append((fl.id + "#label", fl.label, {fl.id}))
        for ms in self.messages:
            if ms.label:
                boxes.append((ms.id + "#label", ms.label, {ms.id}))
        for i, (ia, ra, _) in enumerate(boxes):
            for ib, rb, _ in boxes[i + 1 :]:
                if ra.overlaps(rb, 2):
                    problems.append(f"overlap {ia} / {ib}")
        pools = [p.rect for p in self.pools]
        for i, a in enumerate(pools):
            for b in pools[i + 1 :]:
                if a.overlaps(b):
                    problems.append("pools overlap")
        lanes = {lane.id: lane for p in self.pools for lane in p.lanes}
        for n in self.nodes.values():
            lr = lanes[n.lane].rect
            lab = self.node_label(n)
            for r in filter(None, (n.rect, lab)):
                if r.x < lr.x or r.r > lr.r or r.y < lr.y or r.b > lr.b:
                    problems.append(f"{n.id} outside its lane")
        edges = [(fl.id, fl.points, {fl.src, fl.tgt}) for fl in self.flows]
        edges += [(ms.id, ms.points, {ms.src, ms.tgt}) for ms in self.messages]
        edges += [(eid, pts, ends) for eid, pts, ends in self.associations()]
        for eid, pts, ends in edges:
            for (x0, y0), (x1, y1) in zip(pts, pts[1:], strict=False):
                for bid, r, owners in boxes:
                    own_shape = owners & ends and not bid.endswith("#label")
                    if own_shape or bid.startswith(eid + "#"):
                        continue
                    if _segment_hits(x0, y0, x1, y1, Rect(r.x + 1, r.y + 1, r.w - 2, r.h - 2)):
                        problems.append(f"edge {eid} crosses {bid}")
        return problems

    def associations(self):
        for n in self.nodes.values():
            for d in n.reads:
                yield (
                    f"DataInputAssociation_{n.id}_{d}",
                    _connect(self.nodes[d].rect, n.rect),
                    {n.id, d},
                )
            for d in n.writes:
                yield (
                    f"DataOutputAssociation_{n.id}_{d}",
                    _connect(n.rect, self.nodes[d].rect),
                    {n.id, d},
                )

    # --- XML ------------------------------------------------------------------------------------
    def xml(self) -> str:
        out = ['<?xml version="1.0" encoding="UTF-8"?>']
        out.append(
            '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
            'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
            'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
            'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xmlns:pa="urn:prozessatlas:bpmn:1.0" '
            f'id="Definitions_{_idpart(self.key)}" '
            f'targetNamespace="https://prozessatlas.example/demo/{self.key}" '
            'exporter="Prozessatlas" exporterVersion="1.0">'
        )
        coll = f"Collaboration_{_idpart(self.key)}"
        out.append(f'  <bpmn:collaboration id="{coll}">')
        for p in self.pools:
            attrs = f'id="{p.id}" name={quoteattr(p.name)}'
            if p.process:
                attrs += f' processRef="{p.process}"'
            if p.doc:
                out.append(f"    <bpmn:participant {attrs}>")
                out.append(f"      <bpmn:documentation>{escape(p.doc)}</bpmn:documentation>")
                out.append("    </bpmn:participant>")
            else:
                out.append(f"    <bpmn:participant {attrs} />")
        for ms in self.messages:
            attrs = f'id="{ms.id}"'
            if ms.name:
                attrs += f" name={quoteattr(ms.name)}"
            if ms.medium:
                attrs += f' pa:medium="{ms.medium}"'
            out.append(
                f'    <bpmn:messageFlow {attrs} sourceRef="{ms.src}" targetRef="{ms.tgt}" />'
            )
        out.append("  </bpmn:collaboration>")
        for p in self.pools:
            if p.process:
                out.extend(self._process_xml(p))
        out.append(
            f'  <bpmndi:BPMNDiagram id="BPMNDiagram_{_idpart(self.key)}" name={quoteattr(self.title)}>'
        )
        out.append(
            f'    <bpmndi:BPMNPlane id="BPMNPlane_{_idpart(self.key)}" bpmnElement="{coll}">'
        )
        for p in self.pools:
            exp = "" if p.process is None else ' isExpanded="true"'
            out.append(
                f'      <bpmndi:BPMNShape id="{p.id}_di" bpmnElement="{p.id}" isHorizontal="true"{exp}>'
            )
            out.append(f"        {_bounds(p.rect)}")
            out.append("      </bpmndi:BPMNShape>")
            for lane in p.lanes:
                if lane.name:
                    out.append(
                        f'      <bpmndi:BPMNShape id="{lane.id}_di" bpmnElement="{lane.id}" isHorizontal="true">'
                    )
                    out.append(f"        {_bounds(lane.rect)}")
                    out.append("      </bpmndi:BPMNShape>")
        for n in self.nodes.values():
            extra = ' isMarkerVisible="true"' if n.type == "exclusiveGateway" else ""
            out.append(f'      <bpmndi:BPMNShape id="{n.id}_di" bpmnElement="{n.id}"{extra}>')
            out.append(f"        {_bounds(n.rect)}")
            lab = self.node_label(n)
            if lab:
                out.append(f"        <bpmndi:BPMNLabel>{_bounds(lab)}</bpmndi:BPMNLabel>")
            out.append("      </bpmndi:BPMNShape>")
        for fl in self.flows:
            out.extend(_edge(fl.id, fl.points, fl.label))
        for ms in self.messages:
            out.extend(_edge(ms.id, ms.points, ms.label))
        for eid, pts, _ in self.associations():
            out.extend(_edge(eid, pts, None))
        out.append("    </bpmndi:BPMNPlane>")
        out.append("  </bpmndi:BPMNDiagram>")
        out.append("</bpmn:definitions>")
        return "\n".join(out) + "\n"

    def _process_xml(self, p: Pool) -> list[str]:
        lane_ids = {lane.id for lane in p.lanes}
        nodes = [n for n in self.nodes.values() if n.lane in lane_ids]
        ids = {n.id for n in nodes}
        self._emitted = getattr(self, "_emitted", set())
        pname = self.title if p is self.main_pool() else p.name
        out = [f'  <bpmn:process id="{p.process}" name={quoteattr(pname)} isExecutable="false">']
        if p.doc is None and p is self.main_pool():
            out.append(f"    <bpmn:documentation>{escape(self.doc)}</bpmn:documentation>")
        if any(lane.name for lane in p.lanes):
            out.append(f'    <bpmn:laneSet id="LaneSet_{p.process}">')
            for lane in p.lanes:
                out.append(f'      <bpmn:lane id="{lane.id}" name={quoteattr(lane.name)}>')
                for n in nodes:
                    if n.lane == lane.id and not n.type.startswith("data"):
                        out.append(f"        <bpmn:flowNodeRef>{n.id}</bpmn:flowNodeRef>")
                out.append("      </bpmn:lane>")
            out.append("    </bpmn:laneSet>")
        for n in nodes:
            out.extend(self._node_xml(n))
        for fl in self.flows:
            if fl.src in ids:
                attrs = f'id="{fl.id}"'
                if fl.name:
                    attrs += f" name={quoteattr(fl.name)}"
                attrs += f' sourceRef="{fl.src}" targetRef="{fl.tgt}"'
                src = self.nodes[fl.src]
                if fl.name and src.type == "exclusiveGateway" and len(src.outgoing) > 1:
                    condition = f"{src.name} {fl.name}"
                    out.append(f"    <bpmn:sequenceFlow {attrs}>")
                    out.append(
                        f'      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">'
                        f"{escape(condition)}</bpmn:conditionExpression>"
                    )
                    out.append("    </bpmn:sequenceFlow>")
                else:
                    out.append(f"    <bpmn:sequenceFlow {attrs} />")
        out.append("  </bpmn:process>")
        return out

    def main_pool(self) -> Pool:
        expanded = [p for p in self.pools if p.process]
        return max(expanded, key=lambda p: len([lane for lane in p.lanes if lane.name]))

    def _node_xml(self, n: Node) -> list[str]:
        attrs = f'id="{n.id}"'
        if n.name:
            attrs += f" name={quoteattr(n.name)}"
        if n.data:
            attrs += f' dataObjectRef="{n.data}"'
        if n.medium:
            attrs += f' pa:medium="{n.medium}"'
        if n.system:
            attrs += f" pa:system={quoteattr(n.system)}"
        out = []
        if n.type == "dataObjectReference" and n.data not in self._emitted:
            self._emitted.add(n.data)
            out.append(f'    <bpmn:dataObject id="{n.data}" />')
        body = []
        if n.doc:
            body.append(f"      <bpmn:documentation>{escape(n.doc)}</bpmn:documentation>")
        body += [f"      <bpmn:incoming>{i}</bpmn:incoming>" for i in n.incoming]
        body += [f"      <bpmn:outgoing>{o}</bpmn:outgoing>" for o in n.outgoing]
        if n.state:
            body.append(f'      <bpmn:dataState id="DataState_{n.id}" name={quoteattr(n.state)} />')
        if n.type in ACTIVITIES:
            for d in n.reads:
                body.append(
                    f'      <bpmn:property id="Property_{n.id}_{d}" name="__targetRef_placeholder" />'
                )
            for d in n.reads:
                body.append(
                    f'      <bpmn:dataInputAssociation id="DataInputAssociation_{n.id}_{d}">'
                )
                body.append(f"        <bpmn:sourceRef>{d}</bpmn:sourceRef>")
                body.append(f"        <bpmn:targetRef>Property_{n.id}_{d}</bpmn:targetRef>")
                body.append("      </bpmn:dataInputAssociation>")
            for d in n.writes:
                body.append(
                    f'      <bpmn:dataOutputAssociation id="DataOutputAssociation_{n.id}_{d}">'
                )
                body.append(f"        <bpmn:targetRef>{d}</bpmn:targetRef>")
                body.append("      </bpmn:dataOutputAssociation>")
        if n.event == "message":
            body.append(f'      <bpmn:messageEventDefinition id="MessageEventDefinition_{n.id}" />')
        elif n.event == "timer":
            body.append(f'      <bpmn:timerEventDefinition id="TimerEventDefinition_{n.id}">')
            tag, value = "timeDuration", n.timer
            if value.startswith("R"):
                tag = "timeCycle"
            elif value.startswith("date:"):
                tag, value = "timeDate", value[5:]
            body.append(
                f'        <bpmn:{tag} xsi:type="bpmn:tFormalExpression">{escape(value)}</bpmn:{tag}>'
            )
            body.append("      </bpmn:timerEventDefinition>")
        if body:
            out.append(f"    <bpmn:{n.type} {attrs}>")
            out.extend(body)
            out.append(f"    </bpmn:{n.type}>")
        else:
            out.append(f"    <bpmn:{n.type} {attrs} />")
        return out


def _idpart(key: str) -> str:
    return "".join(part.capitalize() for part in key.split("-"))


def _bounds(r: Rect) -> str:
    return f'<dc:Bounds x="{r.x:g}" y="{r.y:g}" width="{r.w:g}" height="{r.h:g}" />'


def _edge(eid: str, pts, label: Rect | None) -> list[str]:
    out = [f'      <bpmndi:BPMNEdge id="{eid}_di" bpmnElement="{eid}">']
    out += [f'        <di:waypoint x="{x:g}" y="{y:g}" />' for x, y in pts]
    if label:
        out.append(f"        <bpmndi:BPMNLabel>{_bounds(label)}</bpmndi:BPMNLabel>")
    out.append("      </bpmndi:BPMNEdge>")
    return out


def _clip(r: Rect, tx: float, ty: float) -> tuple[float, float]:
    """Point where the line from the centre of r towards (tx, ty) leaves r."""
    dx, dy = tx - r.cx, ty - r.cy
    if dx == 0 and dy == 0:
        return r.cx, r.cy
    sx = (r.w / 2) / abs(dx) if dx else float("inf")
    sy = (r.h / 2) / abs(dy) if dy else float("inf")
    s = min(sx, sy)
    return round(r.cx + dx * s), round(r.cy + dy * s)


def _connect(a: Rect, b: Rect):
    return [_clip(a, b.cx, b.cy), _clip(b, a.cx, a.cy)]


def _segment_hits(x0, y0, x1, y1, r: Rect) -> bool:
    """Liang-Barsky: does the segment intersect the rectangle?"""
    t0, t1 = 0.0, 1.0
    dx, dy = x1 - x0, y1 - y0
    for p, q in ((-dx, x0 - r.x), (dx, r.r - x0), (-dy, y0 - r.y), (dy, r.b - y0)):
        if p == 0:
            if q < 0:
                return False
        else:
            t = q / p
            if p < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
            if t0 > t1:
                return False
    return True


# =================================================================================================
# The models
# =================================================================================================

MODELS: dict[str, Model] = {}


def model(fn):
    mdl = fn()
    MODELS[mdl.key] = mdl
    return fn


@model
def wohnsitzanmeldung() -> Model:
    m = Model(
        "wohnsitzanmeldung",
        "Anmeldung einer Wohnung (Wohnsitzanmeldung)",
        "Anmeldung eines Haupt- oder Nebenwohnsitzes nach § 17 BMG bei persönlicher Vorsprache im "
        "Bürgerbüro mit Termin. Das Anmeldeformular wird in Papierform mitgebracht und im "
        "Einwohnermeldeverfahren erfasst.",
    )
    m.pool("Participant_Buergerin", "Meldepflichtige Person", "Process_Wohnsitzanmeldung_Buergerin")
    m.pool(
        "Participant_Buergeramt",
        "Bürgeramt – Meldewesen",
        "Process_Wohnsitzanmeldung",
        [
            ("Lane_Servicekraft", "Servicekraft Bürgerbüro", 2),
            ("Lane_Backoffice", "Sachbearbeitung Meldewesen (Backoffice)", 2),
        ],
    )
    B, F, K = "_Participant_Buergerin", "Lane_Servicekraft", "Lane_Backoffice"
    m.n("Start_Wohnung_bezogen", "startEvent", "Wohnung bezogen", B, 0)
    m.n(
        "Task_Termin_buchen",
        "userTask",
        "Termin über die Online-Terminvergabe buchen",
        B,
        1,
        medium="it_system",
        system="Terminvergabe-Portal",
    )
    m.n(
        "Task_Formular_ausfuellen",
        "manualTask",
        "Anmeldeformular ausfüllen und unterschreiben",
        B,
        2,
        medium="paper",
    )
    m.n(
        "Task_Vorsprechen",
        "manualTask",
        "Persönlich im Bürgerbüro vorsprechen",
        B,
        3,
        medium="in_person",
    )
    m.n(
        "Catch_Meldebestaetigung",
        "intermediateCatchEvent",
        "Meldebestätigung erhalten",
        B,
        9,
        event="message",
    )
    m.n("End_Angemeldet_Buergerin", "endEvent", "Anmeldung erledigt", B, 10)
    m.chain(
        "Start_Wohnung_bezogen",
        "Task_Termin_buchen",
        "Task_Formular_ausfuellen",
        "Task_Vorsprechen",
        "Catch_Meldebestaetigung",
        "End_Angemeldet_Buergerin",
    )

    m.n(
        "Start_Vorsprache",
        "startEvent",
        "Meldepflichtige Person spricht vor",
        F,
        3,
        event="message",
    )
    m.n(
        "Task_Identitaet_pruefen",
        "manualTask",
        "Identität anhand des Ausweisdokuments prüfen",
        F,
        4,
        medium="in_person",
    )
    m.n(
        "Task_Unterlagen_pruefen",
        "userTask",
        "Anmeldeformular und Wohnungsgeberbestätigung auf Vollständigkeit prüfen",
        F,
        5,
        doc="Pflichtangaben nach § 23 BMG; Wohnungsgeberbestätigung nach § 19 BMG muss vorliegen.",
    )
    m.n(
        "Gateway_Unterlagen_vollstaendig",
        "exclusiveGateway",
        "Unterlagen vollständig?",
        F,
        6,
        label="above",
    )
    m.n(
        "Task_Merkblatt_aushaendigen",
        "manualTask",
        "Merkblatt zu fehlenden Unterlagen aushändigen",
        F,
        6,
        1,
        medium="paper",
    )
    m.n("End_Ohne_Anmeldung", "endEvent", "Vorsprache ohne Anmeldung beendet", F, 7, 1)
    m.n(
        "Task_Meldedaten_erfassen",
        "userTask",
        "Meldedaten aus dem Anmeldeformular in OK.EWO erfassen",
        F,
        7,
        medium="it_system",
        system="OK.EWO",
        doc="Die Angaben werden vom Papierformular abgetippt; ein Online-Antrag mit Datenübernahme "
        "ist in Planung.",
    )
    m.n("Gateway_Split", "parallelGateway", "", F, 8)
    m.n(
        "Task_Bestaetigung_drucken",
        "userTask",
        "Meldebestätigung ausdrucken, unterschreiben und aushändigen",
        F,
        9,
        medium="paper",
    )
    m.n(
        "Task_Rueckmeldung",
        "serviceTask",
        "Rückmeldung an die Wegzugsbehörde senden (XMeld)",
        K,
        9,
        medium="it_system",
        system="OK.EWO",
    )
    m.n(
        "Task_Datenuebermittlung",
        "serviceTask",
        "Daten an Bundeszentralamt für Steuern und Beitragsservice übermitteln",
        K,
        10,
        medium="it_system",
        system="OK.EWO",
    )
    m.n(
        "Timer_Sammelzeitpunkt",
        "intermediateCatchEvent",
        "Täglicher Scan-Termin (16 Uhr)",
        K,
        11,
        event="timer",
        timer="R/2026-01-01T16:00:00/P1D",
    )
    m.n(
        "Task_Formular_einscannen",
        "userTask",
        "Anmeldeformulare einscannen und in der eAkte ablegen",
        K,
        12,
        medium="office_file",
    )
    m.n("Gateway_Join", "parallelGateway", "", K, 13)
    m.n("End_Angemeldet", "endEvent", "Wohnsitz angemeldet", K, 14)
    m.f("Start_Vorsprache", "Task_Identitaet_pruefen")
    m.f("Task_Identitaet_pruefen", "Task_Unterlagen_pruefen")
    m.f("Task_Unterlagen_pruefen", "Gateway_Unterlagen_vollstaendig")
    m.f("Gateway_Unterlagen_vollstaendig", "Task_Meldedaten_erfassen", "ja")
    m.f("Gateway_Unterlagen_vollstaendig", "Task_Merkblatt_aushaendigen", "nein")
    m.f("Task_Merkblatt_aushaendigen", "End_Ohne_Anmeldung")
    m.chain(
        "Task_Meldedaten_erfassen", "Gateway_Split", "Task_Bestaetigung_drucken", "Gateway_Join"
    )
    m.chain(
        "Gateway_Split",
        "Task_Rueckmeldung",
        "Task_Datenuebermittlung",
        "Timer_Sammelzeitpunkt",
        "Task_Formular_einscannen",
        "Gateway_Join",
        "End_Angemeldet",
    )
    m.d(
        "DataRef_Wohnungsgeberbestaetigung",
        "Wohnungsgeberbestätigung (Papier)",
        F,
        4,
        1,
        medium="paper",
        reads_by=["Task_Unterlagen_pruefen"],
    )
    m.d(
        "DataRef_Anmeldeformular",
        "Anmeldeformular (Papier)",
        F,
        5,
        1,
        medium="paper",
        reads_by=["Task_Unterlagen_pruefen", "Task_Meldedaten_erfassen"],
    )
    m.d(
        "DataRef_Meldebestaetigung",
        "Meldebestätigung (Papier)",
        F,
        9,
        1,
        medium="paper",
        written_by=["Task_Bestaetigung_drucken"],
    )
    m.d(
        "DataRef_Anmeldeformular_Scan",
        "Anmeldeformular (Papier)",
        K,
        12,
        1,
        medium="paper",
        obj="DataObject_Anmeldeformular",
        reads_by=["Task_Formular_einscannen"],
    )
    m.d(
        "DataStore_Melderegister",
        "Melderegister (OK.EWO)",
        K,
        9.5,
        1,
        medium="it_system",
        system="OK.EWO",
        store=True,
        reads_by=["Task_Rueckmeldung", "Task_Datenuebermittlung"],
    )
    m.m("Task_Vorsprechen", "Start_Vorsprache", "Vorsprache mit Unterlagen", "in_person")
    m.m("Task_Bestaetigung_drucken", "Catch_Meldebestaetigung", "Meldebestätigung", "paper")
    return m


@model
def personalausweis() -> Model:
    m = Model(
        "personalausweis-beantragen",
        "Personalausweis beantragen",
        "Beantragung eines Personalausweises bei persönlicher Vorsprache im Bürgerbüro, Produktion "
        "bei der Bundesdruckerei und Aushändigung bei der Abholung.",
    )
    m.pool("Participant_Antragsteller", "Antragsteller:in", "Process_Personalausweis_Antragsteller")
    m.pool(
        "Participant_Ausweisstelle",
        "Bürgeramt – Pass- und Ausweiswesen",
        "Process_Personalausweis",
        [
            ("Lane_Servicekraft_Ausweis", "Servicekraft Pass- und Ausweiswesen", 2),
            ("Lane_Ausweisstelle_Backoffice", "Ausweisstelle (Backoffice)", 1),
        ],
    )
    m.pool("Participant_Bundesdruckerei", "Bundesdruckerei GmbH")
    A, F, K = (
        "_Participant_Antragsteller",
        "Lane_Servicekraft_Ausweis",
        "Lane_Ausweisstelle_Backoffice",
    )
    m.n("Start_Ausweis_laeuft_ab", "startEvent", "Personalausweis läuft ab", A, 0)
    m.n(
        "Task_Termin_vereinbaren",
        "userTask",
        "Termin über die Online-Terminvergabe buchen",
        A,
        1,
        medium="it_system",
        system="Terminvergabe-Portal",
    )
    m.n(
        "Task_Im_Buergerbuero_vorsprechen",
        "manualTask",
        "Mit Lichtbild und altem Ausweis im Bürgerbüro vorsprechen",
        A,
        2,
        medium="in_person",
    )
    m.n(
        "Catch_Abholbenachrichtigung",
        "intermediateCatchEvent",
        "Abholbenachrichtigung erhalten",
        A,
        13,
        event="message",
    )
    m.n(
        "Task_Ausweis_abholen",
        "manualTask",
        "Ausweis persönlich im Bürgerbüro abholen",
        A,
        14,
        medium="in_person",
    )
    m.n("End_Ausweis_erhalten", "endEvent", "Ausweis erhalten", A, 15)
    m.chain(
        "Start_Ausweis_laeuft_ab",
        "Task_Termin_vereinbaren",
        "Task_Im_Buergerbuero_vorsprechen",
        "Catch_Abholbenachrichtigung",
        "Task_Ausweis_abholen",
        "End_Ausweis_erhalten",
    )

    m.n(
        "Start_Vorsprache_Ausweis",
        "startEvent",
        "Antragsteller:in spricht vor",
        F,
        2,
        event="message",
    )
    m.n(
        "Task_Identitaet_feststellen",
        "manualTask",
        "Identität und bisheriges Ausweisdokument prüfen",
        F,
        3,
        medium="in_person",
    )
    m.n(
        "Task_Lichtbild_einscannen",
        "userTask",
        "Mitgebrachtes Lichtbild einscannen",
        F,
        4,
        medium="office_file",
    )
    m.n(
        "Gateway_Lichtbild_tauglich",
        "exclusiveGateway",
        "Lichtbild biometrie-tauglich?",
        F,
        5,
        label="above",
    )
    m.n(
        "Task_Lichtbild_aufnehmen",
        "userTask",
        "Lichtbild am Selbstbedienungsterminal aufnehmen",
        F,
        5,
        1,
        medium="it_system",
        system="Speed Capture",
    )
    m.n("Gateway_Lichtbild_Join", "exclusiveGateway", "", F, 6)
    m.n(
        "Task_Antragsdaten_erfassen",
        "userTask",
        "Antragsdaten in VOIS erfassen und Fingerabdrücke aufnehmen",
        F,
        7,
        medium="it_system",
        system="VOIS",
        doc="Fingerabdrücke werden am Fingerabdruckscanner direkt in VOIS übernommen.",
    )
    m.n(
        "Task_Antrag_unterschreiben",
        "userTask",
        "Antrag ausdrucken und unterschreiben lassen",
        F,
        8,
        medium="paper",
    )
    m.n(
        "Task_Gebuehr_kassieren",
        "manualTask",
        "Gebühr an der Kasse entgegennehmen",
        F,
        9,
        medium="in_person",
    )
    m.n(
        "Task_Daten_an_Bundesdruckerei",
        "serviceTask",
        "Antragsdaten an die Bundesdruckerei übermitteln",
        K,
        10,
        medium="it_system",
        system="VOIS",
    )
    m.n(
        "Catch_Ausweis_eingegangen",
        "intermediateCatchEvent",
        "Ausweis von der Bundesdruckerei eingegangen",
        K,
        11,
        event="message",
    )
    m.n(
        "Task_Eingang_verbuchen",
        "userTask",
        "Eingang in VOIS verbuchen und Ausweis einsortieren",
        K,
        12,
        medium="it_system",
        system="VOIS",
    )
    m.n(
        "Task_Abholung_benachrichtigen",
        "sendTask",
        "Antragsteller:in per Brief zur Abholung benachrichtigen",
        K,
        13,
        medium="paper",
    )
    m.n(
        "Catch_Abholung",
        "intermediateCatchEvent",
        "Antragsteller:in erscheint zur Abholung",
        F,
        14,
        event="message",
    )
    m.n(
        "Task_Ausweis_aushaendigen",
        "manualTask",
        "Ausweis aushändigen und alten Ausweis entwerten",
        F,
        15,
        medium="in_person",
    )
    m.n("End_Ausweis_ausgehaendigt", "endEvent", "Ausweis ausgehändigt", F, 16)
    m.chain(
        "Start_Vorsprache_Ausweis",
        "Task_Identitaet_feststellen",
        "Task_Lichtbild_einscannen",
        "Gateway_Lichtbild_tauglich",
    )
    m.f("Gateway_Lichtbild_tauglich", "Gateway_Lichtbild_Join", "ja")
    m.f("Gateway_Lichtbild_tauglich", "Task_Lichtbild_aufnehmen", "nein")
    m.f("Task_Lichtbild_aufnehmen", "Gateway_Lichtbild_Join")
    m.chain(
        "Gateway_Lichtbild_Join",
        "Task_Antragsdaten_erfassen",
        "Task_Antrag_unterschreiben",
        "Task_Gebuehr_kassieren",
        "Task_Daten_an_Bundesdruckerei",
        "Catch_Ausweis_eingegangen",
        "Task_Eingang_verbuchen",
        "Task_Abholung_benachrichtigen",
        "Catch_Abholung",
        "Task_Ausweis_aushaendigen",
        "End_Ausweis_ausgehaendigt",
    )
    m.d(
        "DataRef_Lichtbild",
        "Lichtbild (Papierfoto)",
        F,
        4,
        1,
        medium="paper",
        reads_by=["Task_Lichtbild_einscannen"],
    )
    m.d(
        "DataRef_Ausweisantrag",
        "Ausweisantrag (Papier, unterschrieben)",
        F,
        8,
        1,
        medium="paper",
        written_by=["Task_Antrag_unterschreiben"],
    )
    m.m("Task_Im_Buergerbuero_vorsprechen", "Start_Vorsprache_Ausweis", "Vorsprache", "in_person")
    m.m("Task_Daten_an_Bundesdruckerei", "Participant_Bundesdruckerei", "Antragsdaten", "it_system")
    m.m("Participant_Bundesdruckerei", "Catch_Ausweis_eingegangen", "Ausweis (Kurier)", "paper")
    m.m("Task_Abholung_benachrichtigen", "Catch_Abholbenachrichtigung", "Benachrichtigung", "paper")
    m.m("Task_Ausweis_abholen", "Catch_Abholung", "Abholung", "in_person")
    return m


@model
def gaststaettenerlaubnis() -> Model:
    m = Model(
        "gaststaettenerlaubnis",
        "Gaststättenerlaubnis erteilen",
        "Erteilung einer Erlaubnis für den Betrieb einer Gaststätte mit Alkoholausschank. Der Antrag "
        "kommt auf Papier, die Fachstellen werden per E-Mail beteiligt.",
    )
    m.pool("Participant_Gastwirt", "Antragsteller:in (Gastwirt:in)")
    m.pool(
        "Participant_Gewerbe",
        "Ordnungsamt – Gewerbeangelegenheiten",
        "Process_Gaststaettenerlaubnis",
        [
            ("Lane_Sachbearbeitung_Gewerbe", "Sachbearbeitung Gewerbeangelegenheiten", 2),
            ("Lane_Abteilungsleitung_Gewerbe", "Abteilungsleitung", 2),
        ],
    )
    m.pool(
        "Participant_Fachstellen", "Beteiligte Stellen (Bauordnungsamt, Gesundheitsamt, Polizei)"
    )
    S, L = "Lane_Sachbearbeitung_Gewerbe", "Lane_Abteilungsleitung_Gewerbe"
    m.n("Start_Antrag_Post", "startEvent", "Antrag per Post eingegangen", S, 0, 1, event="message")
    m.n(
        "Task_Antrag_einscannen",
        "userTask",
        "Antrag und Unterlagen einscannen",
        S,
        1,
        1,
        medium="office_file",
    )
    m.n(
        "Task_Vorgang_anlegen",
        "userTask",
        "Vorgang in OK.GEWERBE anlegen und Antragsdaten erfassen",
        S,
        2,
        1,
        medium="it_system",
        system="OK.GEWERBE",
    )
    m.n(
        "Task_Vollstaendigkeit_pruefen",
        "userTask",
        "Unterlagen auf Vollständigkeit prüfen",
        S,
        3,
        1,
        doc="Pflichtunterlagen: Führungszeugnis, Auskunft aus dem Gewerbezentralregister, "
        "Unbedenklichkeitsbescheinigung des Finanzamts, Unterrichtungsnachweis der IHK, Grundriss.",
    )
    m.n("Gateway_Unterlagen_komplett", "exclusiveGateway", "Unterlagen vollständig?", S, 4, 1)
    m.n(
        "Task_Unterlagen_nachfordern",
        "sendTask",
        "Fehlende Unterlagen per Brief nachfordern",
        S,
        5,
        0,
        medium="paper",
    )
    m.n(
        "Catch_Unterlagen_nachgereicht",
        "intermediateCatchEvent",
        "Unterlagen nachgereicht",
        S,
        6,
        0,
        event="message",
    )
    m.n(
        "Task_Fachstellen_beteiligen",
        "sendTask",
        "Stellungnahmen von Bauordnungsamt, Gesundheitsamt und Polizei per E-Mail einholen",
        S,
        5,
        1,
        medium="email",
    )
    m.n(
        "Timer_Stellungnahmefrist",
        "intermediateCatchEvent",
        "Stellungnahmefrist (3 Wochen) abgelaufen",
        S,
        6,
        1,
        event="timer",
        timer="P21D",
    )
    m.n(
        "Task_Stellungnahmen_uebertragen",
        "userTask",
        "Stellungnahmen aus den E-Mails in die Excel-Übersicht übertragen",
        S,
        7,
        1,
        medium="office_file",
    )
    m.n(
        "Task_Zuverlaessigkeit_pruefen",
        "userTask",
        "Zuverlässigkeit prüfen: Führungszeugnis und Gewerbezentralregister auf Einträge sichten",
        S,
        8,
        1,
        doc="Unzuverlässigkeit nach § 4 Abs. 1 Nr. 1 GastG ist eine Ermessens- und Prognoseentscheidung.",
    )
    m.n("Gateway_Erteilbar", "exclusiveGateway", "Erlaubnis erteilbar?", S, 9, 1)
    m.n(
        "Task_Erlaubnis_erstellen",
        "userTask",
        "Erlaubnisbescheid mit Auflagen in OK.GEWERBE erstellen",
        S,
        10,
        1,
        medium="it_system",
        system="OK.GEWERBE",
    )
    m.n(
        "Task_Ablehnung_entwerfen",
        "userTask",
        "Anhörung durchführen und Ablehnungsbescheid entwerfen",
        S,
        10,
        0,
    )
    m.n("Gateway_Bescheid_Join", "exclusiveGateway", "", S, 11, 1)
    m.n(
        "Task_Bescheid_zeichnen",
        "manualTask",
        "Bescheid prüfen und unterschreiben",
        L,
        12,
        medium="paper",
    )
    m.n(
        "Task_Bescheid_versenden",
        "sendTask",
        "Bescheid ausdrucken und per Post zustellen",
        S,
        13,
        1,
        medium="paper",
    )
    m.n(
        "Task_Vorgang_abschliessen",
        "userTask",
        "Vorgang in OK.GEWERBE abschließen und Papierakte ablegen",
        S,
        14,
        1,
        medium="it_system",
        system="OK.GEWERBE",
    )
    m.n("End_Antrag_beschieden", "endEvent", "Antrag beschieden", S, 15, 1)
    m.chain(
        "Start_Antrag_Post",
        "Task_Antrag_einscannen",
        "Task_Vorgang_anlegen",
        "Task_Vollstaendigkeit_pruefen",
        "Gateway_Unterlagen_komplett",
    )
    m.f("Gateway_Unterlagen_komplett", "Task_Fachstellen_beteiligen", "ja")
    m.f("Gateway_Unterlagen_komplett", "Task_Unterlagen_nachfordern", "nein")
    m.f("Task_Unterlagen_nachfordern", "Catch_Unterlagen_nachgereicht")
    m.f("Catch_Unterlagen_nachgereicht", "Task_Vollstaendigkeit_pruefen", route="above")
    m.chain(
        "Task_Fachstellen_beteiligen",
        "Timer_Stellungnahmefrist",
        "Task_Stellungnahmen_uebertragen",
        "Task_Zuverlaessigkeit_pruefen",
        "Gateway_Erteilbar",
    )
    m.f("Gateway_Erteilbar", "Task_Erlaubnis_erstellen", "ja")
    m.f("Gateway_Erteilbar", "Task_Ablehnung_entwerfen", "nein")
    m.f("Task_Erlaubnis_erstellen", "Gateway_Bescheid_Join")
    m.f("Task_Ablehnung_entwerfen", "Gateway_Bescheid_Join")
    m.chain(
        "Gateway_Bescheid_Join",
        "Task_Bescheid_zeichnen",
        "Task_Bescheid_versenden",
        "Task_Vorgang_abschliessen",
        "End_Antrag_beschieden",
    )
    m.d(
        "DataRef_Gaststaettenantrag",
        "Antrag auf Gaststättenerlaubnis (Papier)",
        S,
        1,
        0,
        medium="paper",
        reads_by=["Task_Antrag_einscannen"],
    )
    m.d(
        "DataRef_Antrag_Scan",
        "Antrag (Scan, PDF)",
        S,
        2,
        0,
        medium="office_file",
        written_by=["Task_Antrag_einscannen"],
        reads_by=["Task_Vorgang_anlegen"],
    )
    m.d(
        "DataRef_Stellungnahmen",
        "Stellungnahmen (E-Mail)",
        S,
        7,
        0,
        medium="email",
        reads_by=["Task_Stellungnahmen_uebertragen"],
    )
    m.d(
        "DataRef_Beteiligungsuebersicht",
        "Beteiligungsübersicht (Excel)",
        S,
        8,
        0,
        medium="office_file",
        written_by=["Task_Stellungnahmen_uebertragen"],
    )
    m.d(
        "DataRef_Erlaubnisbescheid",
        "Erlaubnisbescheid (Papier)",
        L,
        12,
        1,
        medium="paper",
        written_by=["Task_Bescheid_zeichnen"],
    )
    m.m("Participant_Gastwirt", "Start_Antrag_Post", "Antrag (Brief)", "paper")
    m.m("Task_Unterlagen_nachfordern", "Participant_Gastwirt", "Nachforderung", "paper")
    m.m("Participant_Gastwirt", "Catch_Unterlagen_nachgereicht", "Unterlagen", "paper")
    m.m("Task_Fachstellen_beteiligen", "Participant_Fachstellen", "Beteiligung", "email")
    m.m("Participant_Fachstellen", "Task_Stellungnahmen_uebertragen", "Stellungnahmen", "email")
    m.m("Task_Bescheid_versenden", "Participant_Gastwirt", "Bescheid", "paper")
    m.merge_before("Gateway_Nachreichung_Merge", "Task_Vollstaendigkeit_pruefen")
    return m


@model
def bussgeld_ruhender_verkehr() -> Model:
    m = Model(
        "verwarnungsgeld-ruhender-verkehr",
        "Verwarnungs- und Bußgeldverfahren im ruhenden Verkehr",
        "Ahndung von Park- und Halteverstößen vom Erfassen vor Ort bis zum Bußgeldbescheid. Wird das "
        "Verwarnungsgeld nicht fristgerecht bezahlt, wird die Halterin oder der Halter ermittelt und angehört.",
    )
    m.pool("Participant_Halter", "Fahrzeughalter:in")
    m.pool(
        "Participant_Verkehrsueberwachung",
        "Ordnungsamt – Verkehrsüberwachung",
        "Process_Bussgeld_ruhender_Verkehr",
        [
            ("Lane_Aussendienst", "Verkehrsüberwachungskraft (Außendienst)", 2),
            ("Lane_Bussgeldstelle", "Sachbearbeitung Bußgeldstelle", 3),
        ],
    )
    m.pool("Participant_KBA", "Kraftfahrt-Bundesamt (Zentrales Fahrzeugregister)")
    A, S = "Lane_Aussendienst", "Lane_Bussgeldstelle"
    m.n("Start_Parkverstoss", "startEvent", "Parkverstoß festgestellt", A, 0)
    m.n(
        "Task_Verstoss_erfassen",
        "userTask",
        "Verstoß im mobilen Erfassungsgerät erfassen und fotografieren",
        A,
        1,
        medium="it_system",
        system="OWi-Mobil",
    )
    m.n(
        "Task_Hinweis_anbringen",
        "userTask",
        "Verwarnungshinweis ausdrucken und am Fahrzeug anbringen",
        A,
        2,
        medium="paper",
    )
    m.n(
        "Task_Daten_uebertragen",
        "serviceTask",
        "Erfassungsdaten in das Fachverfahren OWi21 übertragen",
        S,
        3,
        medium="it_system",
        system="OWi21",
    )
    m.n(
        "Timer_Zahlungsfrist",
        "intermediateCatchEvent",
        "Zahlungsfrist (1 Woche) abgelaufen",
        S,
        4,
        event="timer",
        timer="P7D",
    )
    m.n(
        "Task_Zahlungen_abgleichen",
        "userTask",
        "Zahlungseingänge laut Kontoauszug mit offenen Verwarnungen abgleichen",
        S,
        5,
        medium="it_system",
        system="OWi21",
    )
    m.n("Gateway_Bezahlt", "exclusiveGateway", "Verwarnungsgeld bezahlt?", S, 6, label="above")
    m.n(
        "Task_Vorgang_erledigen",
        "userTask",
        "Vorgang als erledigt abschließen",
        S,
        7,
        medium="it_system",
        system="OWi21",
    )
    m.n("End_Erledigt", "endEvent", "Verfahren erledigt", S, 8)
    m.n(
        "Task_Halter_ermitteln",
        "serviceTask",
        "Halterdaten beim Kraftfahrt-Bundesamt abfragen",
        S,
        8,
        1,
        medium="it_system",
        system="OWi21",
    )
    m.n(
        "Task_Anhoerung_versenden",
        "sendTask",
        "Anhörungsbogen drucken und per Post an Halter:in versenden",
        S,
        9,
        1,
        medium="paper",
    )
    m.n("Gateway_Antwort", "eventBasedGateway", "", S, 10, 1)
    m.n(
        "Catch_Anhoerungsbogen",
        "intermediateCatchEvent",
        "Anhörungsbogen zurückerhalten",
        S,
        11,
        1,
        event="message",
    )
    m.n(
        "Timer_Anhoerungsfrist",
        "intermediateCatchEvent",
        "Anhörungsfrist (2 Wochen) abgelaufen",
        S,
        11,
        2,
        event="timer",
        timer="P14D",
    )
    m.n(
        "Task_Angaben_abtippen",
        "userTask",
        "Angaben aus dem Anhörungsbogen in OWi21 abtippen",
        S,
        12,
        1,
        medium="it_system",
        system="OWi21",
    )
    m.n("Gateway_Anhoerung_Join", "exclusiveGateway", "", S, 13, 1)
    m.n(
        "Task_Bussgeldbescheid",
        "sendTask",
        "Bußgeldbescheid erlassen und mit Postzustellungsurkunde zustellen",
        S,
        14,
        1,
        medium="paper",
        doc="Vor Erlass wird eine schriftliche Einlassung der Betroffenen gewürdigt (Ermessen).",
    )
    m.n("End_Bescheid_zugestellt", "endEvent", "Bußgeldbescheid zugestellt", S, 15, 1)
    m.chain(
        "Start_Parkverstoss",
        "Task_Verstoss_erfassen",
        "Task_Hinweis_anbringen",
        "Task_Daten_uebertragen",
        "Timer_Zahlungsfrist",
        "Task_Zahlungen_abgleichen",
        "Gateway_Bezahlt",
    )
    m.f("Gateway_Bezahlt", "Task_Vorgang_erledigen", "ja")
    m.f("Gateway_Bezahlt", "Task_Halter_ermitteln", "nein")
    m.f("Task_Vorgang_erledigen", "End_Erledigt")
    m.chain(
        "Task_Halter_ermitteln",
        "Task_Anhoerung_versenden",
        "Gateway_Antwort",
        "Catch_Anhoerungsbogen",
        "Task_Angaben_abtippen",
        "Gateway_Anhoerung_Join",
    )
    m.chain("Gateway_Antwort", "Timer_Anhoerungsfrist", "Gateway_Anhoerung_Join")
    m.chain("Gateway_Anhoerung_Join", "Task_Bussgeldbescheid", "End_Bescheid_zugestellt")
    m.d(
        "DataRef_Kontoauszug",
        "Kontoauszug (PDF)",
        S,
        5,
        1,
        medium="office_file",
        reads_by=["Task_Zahlungen_abgleichen"],
    )
    m.d(
        "DataRef_Anhoerungsbogen",
        "Anhörungsbogen (Papier)",
        S,
        12,
        0,
        medium="paper",
        reads_by=["Task_Angaben_abtippen"],
    )
    m.d(
        "DataRef_Verwarnungshinweis",
        "Verwarnungshinweis (Papier)",
        A,
        2,
        1,
        medium="paper",
        written_by=["Task_Hinweis_anbringen"],
    )
    m.m("Task_Hinweis_anbringen", "Participant_Halter", "Verwarnungshinweis", "paper")
    m.m("Task_Halter_ermitteln", "Participant_KBA", "Halteranfrage", "it_system", sdx=-25)
    m.m("Participant_KBA", "Task_Halter_ermitteln", "Halterdaten", "it_system", tdx=25)
    m.m("Task_Anhoerung_versenden", "Participant_Halter", "Anhörungsbogen", "paper")
    m.m("Participant_Halter", "Catch_Anhoerungsbogen", "Ausgefüllter Bogen", "paper")
    m.m("Task_Bussgeldbescheid", "Participant_Halter", "Bußgeldbescheid", "paper")
    return m


@model
def baugenehmigung() -> Model:
    m = Model(
        "baugenehmigung-vereinfacht",
        "Baugenehmigung im vereinfachten Verfahren",
        "Prüfung und Genehmigung eines Bauantrags im vereinfachten Baugenehmigungsverfahren. Die "
        "Bauvorlagen kommen in Papierform, die Fachstellen erhalten Kopien per Hauspost.",
    )
    m.pool("Participant_Bauherr", "Bauherr:in / Entwurfsverfasser:in")
    m.pool(
        "Participant_Bauaufsicht",
        "Bauordnungsamt – Bauaufsicht",
        "Process_Baugenehmigung_vereinfacht",
        [
            ("Lane_Verwaltung_Bau", "Verwaltungssachbearbeitung", 2),
            ("Lane_Technik_Bau", "Technische Sachbearbeitung", 2),
            ("Lane_Leitung_Bau", "Sachgebietsleitung", 2),
        ],
    )
    m.pool("Participant_TOEB", "Fachstellen (Stadtplanungsamt, Tiefbauamt, Feuerwehr)")
    V, T, L = "Lane_Verwaltung_Bau", "Lane_Technik_Bau", "Lane_Leitung_Bau"
    m.n("Start_Bauantrag", "startEvent", "Bauantrag eingegangen", V, 0, 1, event="message")
    m.n(
        "Task_Eingang_stempeln",
        "manualTask",
        "Eingangsstempel setzen und Bauakte (Papier) anlegen",
        V,
        1,
        1,
        medium="paper",
    )
    m.n(
        "Task_Bauantrag_erfassen",
        "userTask",
        "Bauantrag im Fachverfahren ProBauG erfassen",
        V,
        2,
        1,
        medium="it_system",
        system="ProBauG",
    )
    m.n(
        "Task_Bauvorlagen_pruefen",
        "userTask",
        "Bauvorlagen auf Vollständigkeit prüfen",
        V,
        3,
        1,
        doc="Prüfung nach Bauvorlagenverordnung: Lageplan, Bauzeichnungen, Baubeschreibung, "
        "Standsicherheitsnachweis.",
    )
    m.n(
        "Gateway_Bauvorlagen_vollstaendig",
        "exclusiveGateway",
        "Bauvorlagen vollständig?",
        V,
        4,
        1,
        label="right",
    )
    m.n(
        "Task_Maengelschreiben",
        "sendTask",
        "Mängelschreiben mit Nachforderung per Post versenden",
        V,
        5,
        0,
        medium="paper",
    )
    m.n(
        "Catch_Nachreichung",
        "intermediateCatchEvent",
        "Unterlagen nachgereicht",
        V,
        6,
        0,
        event="message",
    )
    m.n("Gateway_Pruefung_Split", "parallelGateway", "", T, 5, 0)
    m.n(
        "Task_Planungsrecht_pruefen",
        "userTask",
        "Planungsrechtliche Zulässigkeit prüfen (Bebauungsplan, § 34 BauGB)",
        T,
        6,
        0,
    )
    m.n(
        "Task_Ortsbesichtigung",
        "manualTask",
        "Ortsbesichtigung durchführen",
        T,
        7,
        0,
        medium="in_person",
    )
    m.n(
        "Task_Fachstellen_beteiligen_Bau",
        "sendTask",
        "Fachstellen beteiligen: Planunterlagen kopieren und per Hauspost versenden",
        T,
        6,
        1,
        medium="paper",
    )
    m.n(
        "Timer_Beteiligungsfrist",
        "intermediateCatchEvent",
        "Beteiligungsfrist (1 Monat) abgelaufen",
        T,
        7,
        1,
        event="timer",
        timer="P1M",
    )
    m.n(
        "Task_Stellungnahmen_auswerten",
        "userTask",
        "Eingegangene Stellungnahmen auswerten",
        T,
        8,
        1,
    )
    m.n("Gateway_Pruefung_Join", "parallelGateway", "", T, 9, 0)
    m.n(
        "Task_Genehmigung_entwerfen",
        "userTask",
        "Baugenehmigung mit Nebenbestimmungen in ProBauG erstellen",
        T,
        10,
        0,
        medium="it_system",
        system="ProBauG",
    )
    m.n(
        "Task_Genehmigung_zeichnen",
        "manualTask",
        "Baugenehmigung prüfen und unterzeichnen",
        L,
        11,
        0,
        medium="paper",
    )
    m.n(
        "Task_Bauvorlagen_stempeln",
        "manualTask",
        "Bauvorlagen mit Genehmigungsvermerk stempeln",
        V,
        12,
        1,
        medium="paper",
    )
    m.n(
        "Task_Genehmigung_zustellen",
        "sendTask",
        "Baugenehmigung mit gestempelten Bauvorlagen per Post zustellen",
        V,
        13,
        1,
        medium="paper",
    )
    m.n(
        "Task_Bauakte_einscannen",
        "userTask",
        "Bauakte einscannen und im DMS archivieren",
        V,
        14,
        1,
        medium="office_file",
    )
    m.n("End_Baugenehmigung_erteilt", "endEvent", "Baugenehmigung erteilt", V, 15, 1)
    m.chain(
        "Start_Bauantrag",
        "Task_Eingang_stempeln",
        "Task_Bauantrag_erfassen",
        "Task_Bauvorlagen_pruefen",
        "Gateway_Bauvorlagen_vollstaendig",
    )
    m.f("Gateway_Bauvorlagen_vollstaendig", "Task_Maengelschreiben", "nein")
    m.f("Gateway_Bauvorlagen_vollstaendig", "Gateway_Pruefung_Split", "ja")
    m.f("Task_Maengelschreiben", "Catch_Nachreichung")
    m.f("Catch_Nachreichung", "Task_Bauvorlagen_pruefen", route="above")
    m.chain(
        "Gateway_Pruefung_Split",
        "Task_Planungsrecht_pruefen",
        "Task_Ortsbesichtigung",
        "Gateway_Pruefung_Join",
    )
    m.chain(
        "Gateway_Pruefung_Split",
        "Task_Fachstellen_beteiligen_Bau",
        "Timer_Beteiligungsfrist",
        "Task_Stellungnahmen_auswerten",
        "Gateway_Pruefung_Join",
    )
    m.chain(
        "Gateway_Pruefung_Join",
        "Task_Genehmigung_entwerfen",
        "Task_Genehmigung_zeichnen",
        "Task_Bauvorlagen_stempeln",
        "Task_Genehmigung_zustellen",
        "Task_Bauakte_einscannen",
        "End_Baugenehmigung_erteilt",
    )
    m.d(
        "DataRef_Bauvorlagen",
        "Bauantrag mit Bauvorlagen (Papier)",
        V,
        1.5,
        0,
        medium="paper",
        reads_by=["Task_Eingang_stempeln", "Task_Bauantrag_erfassen"],
    )
    m.d(
        "DataRef_Baugenehmigung",
        "Baugenehmigung (Papier)",
        L,
        11,
        1,
        medium="paper",
        written_by=["Task_Genehmigung_zeichnen"],
    )
    m.d(
        "DataRef_Bauakte",
        "Bauakte (Papier)",
        V,
        14,
        0,
        medium="paper",
        reads_by=["Task_Bauakte_einscannen"],
    )
    m.m("Participant_Bauherr", "Start_Bauantrag", "Bauantrag (Papier, 3-fach)", "paper")
    m.m("Task_Maengelschreiben", "Participant_Bauherr", "Mängelschreiben", "paper")
    m.m("Participant_Bauherr", "Catch_Nachreichung", "Unterlagen", "paper")
    m.m("Task_Fachstellen_beteiligen_Bau", "Participant_TOEB", "Planunterlagen", "paper")
    m.m("Participant_TOEB", "Task_Stellungnahmen_auswerten", "Stellungnahmen", "paper")
    m.m("Task_Genehmigung_zustellen", "Participant_Bauherr", "Baugenehmigung", "paper")
    m.merge_before("Gateway_Nachreichung_Merge_Bau", "Task_Bauvorlagen_pruefen")
    return m


@model
def abgeschlossenheit() -> Model:
    m = Model(
        "abgeschlossenheitsbescheinigung",
        "Abgeschlossenheitsbescheinigung ausstellen",
        "Ausstellung einer Abgeschlossenheitsbescheinigung nach dem Wohnungseigentumsgesetz für die "
        "Aufteilung eines Gebäudes in Wohnungseigentum. Der Antrag kommt online, die Pläne werden für "
        "die Prüfung und Siegelung ausgedruckt.",
    )
    m.pool("Participant_Eigentuemer", "Eigentümer:in", "Process_Abgeschlossenheit_Eigentuemer")
    m.pool(
        "Participant_Bauaufsicht_WEG",
        "Bauordnungsamt – Bauaufsicht",
        "Process_Abgeschlossenheitsbescheinigung",
        [
            ("Lane_Sachbearbeitung_WEG", "Verwaltungssachbearbeitung", 2),
            ("Lane_Bautechnik_WEG", "Bautechnik", 2),
        ],
    )
    E, S, T = "_Participant_Eigentuemer", "Lane_Sachbearbeitung_WEG", "Lane_Bautechnik_WEG"
    m.n("Start_Aufteilung_geplant", "startEvent", "Aufteilung in Wohnungseigentum geplant", E, 0)
    m.n(
        "Task_Online_Antrag_stellen",
        "userTask",
        "Antrag mit Aufteilungsplänen über das Bauportal stellen",
        E,
        1,
        medium="it_system",
        system="Bauportal",
    )
    m.n(
        "Catch_Bescheinigung_erhalten",
        "intermediateCatchEvent",
        "Bescheinigung erhalten",
        E,
        11,
        event="message",
    )
    m.n(
        "Task_Notar_uebergeben",
        "manualTask",
        "Bescheinigung mit Plänen dem Notariat übergeben",
        E,
        12,
        medium="paper",
    )
    m.n("End_Eigentuemer", "endEvent", "Teilungserklärung vorbereitet", E, 13)
    m.chain(
        "Start_Aufteilung_geplant",
        "Task_Online_Antrag_stellen",
        "Catch_Bescheinigung_erhalten",
        "Task_Notar_uebergeben",
        "End_Eigentuemer",
    )

    m.n("Start_Online_Antrag", "startEvent", "Online-Antrag eingegangen", S, 1, event="message")
    m.n(
        "Task_Antragsdaten_uebernehmen",
        "serviceTask",
        "Antragsdaten aus dem Bauportal in ProBauG übernehmen",
        S,
        2,
        medium="it_system",
        system="ProBauG",
    )
    m.n(
        "Task_Plaene_ausdrucken",
        "userTask",
        "Aufteilungspläne in A3 ausdrucken",
        S,
        3,
        medium="paper",
    )
    m.n(
        "Task_Abgeschlossenheit_pruefen",
        "userTask",
        "Abgeschlossenheit der Wohnungen nach WEG prüfen",
        T,
        4,
        doc="Prüfung von Trennwänden, Decken, Zugängen sowie Brand- und Schallschutz anhand der Pläne.",
    )
    m.n(
        "Gateway_Ortstermin",
        "exclusiveGateway",
        "Ortsbesichtigung erforderlich?",
        T,
        5,
        label="above",
    )
    m.n(
        "Task_Ortsbesichtigung_WEG",
        "manualTask",
        "Ortsbesichtigung durchführen",
        T,
        6,
        1,
        medium="in_person",
    )
    m.n("Gateway_Ortstermin_Join", "exclusiveGateway", "", T, 7)
    m.n("Gateway_Abgeschlossen", "exclusiveGateway", "Abgeschlossenheit gegeben?", T, 8)
    m.n(
        "Task_Ablehnung_WEG",
        "userTask",
        "Ablehnung begründen und Ablehnungsbescheid erstellen",
        T,
        9,
    )
    m.n("End_Abgelehnt", "endEvent", "Antrag abgelehnt", T, 10)
    m.n(
        "Task_Plaene_siegeln",
        "manualTask",
        "Aufteilungspläne nummerieren, siegeln und unterschreiben",
        S,
        9,
        medium="paper",
    )
    m.n(
        "Task_Bescheinigung_ausstellen",
        "userTask",
        "Abgeschlossenheitsbescheinigung in ProBauG ausstellen",
        S,
        10,
        medium="it_system",
        system="ProBauG",
    )
    m.n(
        "Task_Bescheinigung_versenden",
        "sendTask",
        "Bescheinigung mit gesiegelten Plänen per Post versenden",
        S,
        11,
        medium="paper",
    )
    m.n(
        "Task_Gebuehr_berechnen",
        "userTask",
        "Gebühr nach Verwaltungsgebührensatzung in Excel berechnen",
        S,
        12,
        medium="office_file",
    )
    m.n(
        "Task_Gebuehr_SAP",
        "userTask",
        "Gebührenforderung aus Excel in SAP übertragen",
        S,
        13,
        medium="it_system",
        system="SAP",
    )
    m.n("End_Bescheinigung_erteilt", "endEvent", "Bescheinigung erteilt", S, 14)
    m.chain(
        "Start_Online_Antrag",
        "Task_Antragsdaten_uebernehmen",
        "Task_Plaene_ausdrucken",
        "Task_Abgeschlossenheit_pruefen",
        "Gateway_Ortstermin",
    )
    m.f("Gateway_Ortstermin", "Task_Ortsbesichtigung_WEG", "ja")
    m.f("Gateway_Ortstermin", "Gateway_Ortstermin_Join", "nein")
    m.f("Task_Ortsbesichtigung_WEG", "Gateway_Ortstermin_Join")
    m.f("Gateway_Ortstermin_Join", "Gateway_Abgeschlossen")
    m.f("Gateway_Abgeschlossen", "Task_Plaene_siegeln", "ja")
    m.f("Gateway_Abgeschlossen", "Task_Ablehnung_WEG", "nein")
    m.f("Task_Ablehnung_WEG", "End_Abgelehnt")
    m.chain(
        "Task_Plaene_siegeln",
        "Task_Bescheinigung_ausstellen",
        "Task_Bescheinigung_versenden",
        "Task_Gebuehr_berechnen",
        "Task_Gebuehr_SAP",
        "End_Bescheinigung_erteilt",
    )
    m.d(
        "DataRef_Aufteilungsplaene",
        "Aufteilungspläne (Papier)",
        S,
        3,
        1,
        medium="paper",
        written_by=["Task_Plaene_ausdrucken"],
        reads_by=["Task_Abgeschlossenheit_pruefen"],
    )
    m.d(
        "DataRef_Gebuehrenberechnung",
        "Gebührenberechnung (Excel)",
        S,
        12,
        1,
        medium="office_file",
        written_by=["Task_Gebuehr_berechnen"],
        reads_by=["Task_Gebuehr_SAP"],
    )
    m.m("Task_Online_Antrag_stellen", "Start_Online_Antrag", "Online-Antrag", "it_system")
    m.m(
        "Task_Bescheinigung_versenden",
        "Catch_Bescheinigung_erhalten",
        "Bescheinigung mit Plänen",
        "paper",
    )
    return m


@model
def onboarding() -> Model:
    m = Model(
        "onboarding-neue-beschaeftigte",
        "Einstellung und Onboarding neuer Beschäftigter",
        "Vom Einstellungsbeschluss bis zum ersten Arbeitstag: Unterlagen anfordern, Arbeitsvertrag, "
        "Personalakte, Entgeltabrechnung und IT-Zugänge.",
    )
    m.pool("Participant_Neue_Beschaeftigte", "Neue:r Beschäftigte:r")
    m.pool(
        "Participant_Personalamt",
        "Personal- und Organisationsamt",
        "Process_Onboarding",
        [
            ("Lane_Personalsachbearbeitung", "Personalsachbearbeitung", 2),
            ("Lane_Entgeltabrechnung", "Entgeltabrechnung", 2),
        ],
    )
    m.pool("Participant_Fachbereich", "Einstellender Fachbereich")
    P, E = "Lane_Personalsachbearbeitung", "Lane_Entgeltabrechnung"
    m.n(
        "Start_Einstellungszusage",
        "startEvent",
        "Einstellungszusage liegt vor",
        P,
        0,
        1,
        event="message",
    )
    m.n(
        "Task_Unterlagen_anfordern",
        "sendTask",
        "Einstellungsunterlagen per E-Mail anfordern",
        P,
        1,
        1,
        medium="email",
    )
    m.n(
        "Catch_Unterlagen_eingegangen",
        "intermediateCatchEvent",
        "Unterlagen eingegangen",
        P,
        2,
        1,
        event="message",
    )
    m.n(
        "Task_Einstellungsunterlagen_pruefen",
        "userTask",
        "Unterlagen auf Vollständigkeit prüfen",
        P,
        3,
        1,
        doc="Steuer-ID, Sozialversicherungsnummer, Bankverbindung, Nachweise über Abschlüsse, "
        "Führungszeugnis bei Tätigkeiten mit Kindern und Jugendlichen.",
    )
    m.n(
        "Gateway_Unterlagen_vollstaendig_PA", "exclusiveGateway", "Unterlagen vollständig?", P, 4, 1
    )
    m.n(
        "Task_Nachfordern_telefonisch",
        "task",
        "Fehlende Unterlagen telefonisch nachfordern",
        P,
        5,
        0,
        medium="phone",
    )
    m.n(
        "Catch_Nachgereicht_PA",
        "intermediateCatchEvent",
        "Unterlagen nachgereicht",
        P,
        6,
        0,
        event="message",
    )
    m.n(
        "Task_Arbeitsvertrag_erstellen",
        "userTask",
        "Arbeitsvertrag aus der Word-Vorlage erstellen",
        P,
        5,
        1,
        medium="office_file",
    )
    m.n(
        "Task_Personalakte_anlegen",
        "userTask",
        "Personalakte in der eAkte anlegen",
        P,
        6,
        1,
        medium="it_system",
        system="eAkte",
    )
    m.n(
        "Task_Vertrag_unterschreiben",
        "userTask",
        "Arbeitsvertrag ausdrucken und unterschreiben lassen",
        P,
        7,
        1,
        medium="paper",
    )
    m.n("Gateway_Onboarding_Split", "parallelGateway", "", P, 8, 1)
    m.n(
        "Task_IT_Zugaenge_anfordern",
        "sendTask",
        "IT-Zugänge und Arbeitsplatz beim Fachbereich per E-Mail anfordern",
        P,
        9,
        1,
        medium="email",
    )
    m.n(
        "Task_Stammdaten_erfassen",
        "userTask",
        "Personalstammdaten aus dem Personalfragebogen in SAP HCM erfassen",
        E,
        10,
        medium="it_system",
        system="SAP",
    )
    m.n(
        "Task_SV_Meldung",
        "serviceTask",
        "Anmeldung zur Sozialversicherung übermitteln (DEÜV)",
        E,
        11,
        medium="it_system",
        system="SAP",
    )
    m.n("Gateway_Onboarding_Join", "parallelGateway", "", P, 12, 1)
    m.n(
        "Timer_Erster_Arbeitstag",
        "intermediateCatchEvent",
        "Erster Arbeitstag",
        P,
        13,
        1,
        event="timer",
        timer="date:Eintrittsdatum laut Arbeitsvertrag",
    )
    m.n(
        "Task_Einfuehrungsgespraech",
        "manualTask",
        "Einführungsgespräch am ersten Arbeitstag führen",
        P,
        14,
        1,
        medium="in_person",
    )
    m.n(
        "Task_Probezeit_eintragen",
        "userTask",
        "Ende der Probezeit in die Excel-Fristenliste eintragen",
        P,
        15,
        1,
        medium="office_file",
    )
    m.n("End_Eingestellt", "endEvent", "Beschäftigte:r eingestellt", P, 16, 1)
    m.chain(
        "Start_Einstellungszusage",
        "Task_Unterlagen_anfordern",
        "Catch_Unterlagen_eingegangen",
        "Task_Einstellungsunterlagen_pruefen",
        "Gateway_Unterlagen_vollstaendig_PA",
    )
    m.f("Gateway_Unterlagen_vollstaendig_PA", "Task_Nachfordern_telefonisch", "nein")
    m.f("Gateway_Unterlagen_vollstaendig_PA", "Task_Arbeitsvertrag_erstellen", "ja")
    m.f("Task_Nachfordern_telefonisch", "Catch_Nachgereicht_PA")
    m.f("Catch_Nachgereicht_PA", "Task_Einstellungsunterlagen_pruefen", route="above")
    m.chain(
        "Task_Arbeitsvertrag_erstellen",
        "Task_Personalakte_anlegen",
        "Task_Vertrag_unterschreiben",
        "Gateway_Onboarding_Split",
        "Task_IT_Zugaenge_anfordern",
        "Gateway_Onboarding_Join",
    )
    m.chain(
        "Gateway_Onboarding_Split",
        "Task_Stammdaten_erfassen",
        "Task_SV_Meldung",
        "Gateway_Onboarding_Join",
    )
    m.chain(
        "Gateway_Onboarding_Join",
        "Timer_Erster_Arbeitstag",
        "Task_Einfuehrungsgespraech",
        "Task_Probezeit_eintragen",
        "End_Eingestellt",
    )
    m.d(
        "DataRef_Personalfragebogen",
        "Personalfragebogen (E-Mail-Anhang)",
        E,
        3,
        medium="email",
        reads_by=["Task_Einstellungsunterlagen_pruefen"],
    )
    m.d(
        "DataRef_Personalfragebogen_Druck",
        "Personalfragebogen (Ausdruck)",
        E,
        10,
        1,
        medium="paper",
        reads_by=["Task_Stammdaten_erfassen"],
        obj="DataObject_Personalfragebogen_Druck",
    )
    m.d(
        "DataRef_Arbeitsvertrag",
        "Arbeitsvertrag (Papier)",
        P,
        8,
        0,
        medium="paper",
        written_by=["Task_Vertrag_unterschreiben"],
    )
    m.m("Participant_Fachbereich", "Start_Einstellungszusage", "Einstellungszusage", "email")
    m.m("Task_Unterlagen_anfordern", "Participant_Neue_Beschaeftigte", "Anforderung", "email")
    m.m("Participant_Neue_Beschaeftigte", "Catch_Unterlagen_eingegangen", "Unterlagen", "email")
    m.m("Participant_Neue_Beschaeftigte", "Catch_Nachgereicht_PA", "Nachreichung", "email")
    m.m("Task_Vertrag_unterschreiben", "Participant_Neue_Beschaeftigte", "Arbeitsvertrag", "paper")
    m.m("Task_IT_Zugaenge_anfordern", "Participant_Fachbereich", "IT-Anforderung", "email")
    m.merge_before("Gateway_Nachreichung_Merge_PA", "Task_Einstellungsunterlagen_pruefen")
    return m


@model
def stundung() -> Model:
    m = Model(
        "stundung-forderung",
        "Stundung einer städtischen Forderung",
        "Bearbeitung eines Antrags auf Stundung oder Ratenzahlung einer städtischen Forderung "
        "(z. B. Gebühren, Beiträge). Über höhere Beträge entscheidet die Abteilungsleitung.",
    )
    m.pool("Participant_Schuldner", "Schuldner:in")
    m.pool(
        "Participant_Kaemmerei",
        "Kämmerei – Stadtkasse",
        "Process_Stundung",
        [
            ("Lane_Forderungsmanagement", "Sachbearbeitung Forderungsmanagement", 2),
            ("Lane_Abteilungsleitung_Kasse", "Abteilungsleitung Stadtkasse", 1),
        ],
    )
    m.pool("Participant_Fachamt", "Forderndes Fachamt")
    S, L = "Lane_Forderungsmanagement", "Lane_Abteilungsleitung_Kasse"
    m.n(
        "Start_Stundungsantrag",
        "startEvent",
        "Stundungsantrag per E-Mail eingegangen",
        S,
        0,
        event="message",
    )
    m.n(
        "Task_Antrag_ausdrucken",
        "userTask",
        "Antrag mit Anhängen ausdrucken und zur Papierakte nehmen",
        S,
        1,
        medium="paper",
    )
    m.n(
        "Task_Forderungen_abfragen",
        "userTask",
        "Offene Forderungen und Mahnstand in SAP abfragen",
        S,
        2,
        medium="it_system",
        system="SAP",
    )
    m.n(
        "Task_Stellungnahme_Fachamt",
        "sendTask",
        "Stellungnahme des Fachamts per E-Mail einholen",
        S,
        3,
        medium="email",
    )
    m.n(
        "Catch_Stellungnahme_Fachamt",
        "intermediateCatchEvent",
        "Stellungnahme eingegangen",
        S,
        4,
        event="message",
    )
    m.n(
        "Task_Haerte_pruefen",
        "userTask",
        "Wirtschaftliche Verhältnisse und erhebliche Härte prüfen",
        S,
        5,
        doc="Stundung nach § 222 AO i. V. m. dem Kommunalabgabengesetz; Ermessensentscheidung.",
    )
    m.n("Gateway_Betrag", "exclusiveGateway", "Forderung über 5.000 €?", S, 6, label="above")
    m.n("Task_Ueber_Stundung_entscheiden", "userTask", "Über die Stundung entscheiden", L, 7)
    m.n("Gateway_Entscheidung_Join", "exclusiveGateway", "", S, 8)
    m.n("Gateway_Gewaehrt", "exclusiveGateway", "Stundung gewährt?", S, 9, label="above")
    m.n(
        "Task_Ablehnung_versenden",
        "sendTask",
        "Ablehnungsbescheid erstellen und per Post versenden",
        S,
        10,
        medium="paper",
    )
    m.n("End_Abgelehnt_Stundung", "endEvent", "Stundung abgelehnt", S, 11)
    m.n(
        "Task_Ratenplan_berechnen",
        "userTask",
        "Ratenplan und Stundungszinsen in Excel berechnen",
        S,
        10,
        1,
        medium="office_file",
    )
    m.n(
        "Task_Ratenplan_uebertragen",
        "userTask",
        "Ratenplan aus Excel in SAP übertragen",
        S,
        11,
        1,
        medium="it_system",
        system="SAP",
    )
    m.n(
        "Task_Stundungsbescheid",
        "sendTask",
        "Stundungsbescheid mit Ratenplan per Post versenden",
        S,
        12,
        1,
        medium="paper",
    )
    m.n(
        "Task_Raten_ueberwachen",
        "serviceTask",
        "Ratenzahlungen im SAP-Mahnlauf überwachen",
        S,
        13,
        1,
        medium="it_system",
        system="SAP",
    )
    m.n(
        "Timer_Letzte_Rate",
        "intermediateCatchEvent",
        "Letzte Rate fällig",
        S,
        14,
        1,
        event="timer",
        timer="date:Fälligkeit der letzten Rate laut Ratenplan",
    )
    m.n(
        "Task_Vorgang_archivieren",
        "userTask",
        "Vorgang abschließen und Papierakte archivieren",
        S,
        15,
        1,
        medium="paper",
    )
    m.n("End_Stundung_abgewickelt", "endEvent", "Stundung abgewickelt", S, 16, 1)
    m.chain(
        "Start_Stundungsantrag",
        "Task_Antrag_ausdrucken",
        "Task_Forderungen_abfragen",
        "Task_Stellungnahme_Fachamt",
        "Catch_Stellungnahme_Fachamt",
        "Task_Haerte_pruefen",
        "Gateway_Betrag",
    )
    m.f("Gateway_Betrag", "Task_Ueber_Stundung_entscheiden", "ja")
    m.f("Gateway_Betrag", "Gateway_Entscheidung_Join", "nein")
    m.f("Task_Ueber_Stundung_entscheiden", "Gateway_Entscheidung_Join")
    m.f("Gateway_Entscheidung_Join", "Gateway_Gewaehrt")
    m.f("Gateway_Gewaehrt", "Task_Ablehnung_versenden", "nein")
    m.f("Gateway_Gewaehrt", "Task_Ratenplan_berechnen", "ja")
    m.f("Task_Ablehnung_versenden", "End_Abgelehnt_Stundung")
    m.chain(
        "Task_Ratenplan_berechnen",
        "Task_Ratenplan_uebertragen",
        "Task_Stundungsbescheid",
        "Task_Raten_ueberwachen",
        "Timer_Letzte_Rate",
        "Task_Vorgang_archivieren",
        "End_Stundung_abgewickelt",
    )
    m.d(
        "DataRef_Antrag_Ausdruck",
        "Stundungsantrag (Ausdruck)",
        S,
        1,
        1,
        medium="paper",
        written_by=["Task_Antrag_ausdrucken"],
    )
    m.d(
        "DataRef_Einkommensnachweise",
        "Einkommensnachweise (PDF)",
        S,
        5,
        1,
        medium="office_file",
        reads_by=["Task_Haerte_pruefen"],
    )
    m.d(
        "DataRef_Ratenplan",
        "Ratenplan (Excel)",
        L,
        10.5,
        medium="office_file",
        written_by=["Task_Ratenplan_berechnen"],
        reads_by=["Task_Ratenplan_uebertragen"],
    )
    m.m("Participant_Schuldner", "Start_Stundungsantrag", "Antrag (E-Mail)", "email")
    m.m("Task_Stellungnahme_Fachamt", "Participant_Fachamt", "Anfrage", "email")
    m.m("Participant_Fachamt", "Catch_Stellungnahme_Fachamt", "Stellungnahme", "email")
    m.m("Task_Ablehnung_versenden", "Participant_Schuldner", "Ablehnung", "paper")
    m.m("Task_Stundungsbescheid", "Participant_Schuldner", "Stundungsbescheid", "paper")
    return m


def check_file(path: Path) -> list[str]:
    """Independent check of a written file: DI complete, shapes and labels do not overlap."""
    from lxml import etree

    ns = {
        "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
        "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
        "dc": "http://www.omg.org/spec/DD/20100524/DC",
        "di": "http://www.omg.org/spec/DD/20100524/DI",
    }
    root = etree.parse(str(path)).getroot()
    problems: list[str] = []

    def bounds(el) -> Rect:
        b = el.find("dc:Bounds", ns)
        return Rect(*(float(b.get(k)) for k in ("x", "y", "width", "height")))

    shapes = {s.get("bpmnElement"): s for s in root.iterfind(".//bpmndi:BPMNShape", ns)}
    edges = {e.get("bpmnElement"): e for e in root.iterfind(".//bpmndi:BPMNEdge", ns)}
    need_shape = [
        "participant",
        "lane",
        "dataObjectReference",
        "dataStoreReference",
        *ACTIVITIES,
        *GATEWAYS,
        *EVENTS,
    ]
    need_edge = ["sequenceFlow", "messageFlow", "dataInputAssociation", "dataOutputAssociation"]
    boxes = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        local = etree.QName(el).localname
        if local in need_shape and el.get("id") not in shapes:
            problems.append(f"no shape for {el.get('id')}")
        if local in need_edge:
            edge = edges.get(el.get("id"))
            if edge is None or len(edge.findall("di:waypoint", ns)) < 2:
                problems.append(f"no edge for {el.get('id')}")
        if local in need_shape and local not in ("participant", "lane") and el.get("id") in shapes:
            shape = shapes[el.get("id")]
            boxes.append((el.get("id"), bounds(shape)))
            label = shape.find("bpmndi:BPMNLabel", ns)
            if label is not None:
                boxes.append((el.get("id") + "#label", bounds(label)))
    for e in edges.values():
        label = e.find("bpmndi:BPMNLabel", ns)
        if label is not None:
            boxes.append((e.get("bpmnElement") + "#label", bounds(label)))
    for i, (ia, ra) in enumerate(boxes):
        for ib, rb in boxes[i + 1 :]:
            if ra.overlaps(rb):
                problems.append(f"overlap {ia} / {ib}")
    pools = [bounds(shapes[p.get("id")]) for p in root.iterfind(".//bpmn:participant", ns)]
    for i, a in enumerate(pools):
        for b in pools[i + 1 :]:
            if a.overlaps(b):
                problems.append("pools overlap")
    return problems


def main() -> int:
    if "--check-files" in sys.argv:
        bad = False
        for path in sorted(OUT.glob("*.bpmn")):
            problems = check_file(path)
            print(path.name, problems or "ok")  # noqa: T201
            bad |= bool(problems)
        return 1 if bad else 0
    check_only = "--check" in sys.argv
    failed = False
    for key, mdl in MODELS.items():
        mdl.layout()
        problems = mdl.check()
        for pr in problems:
            print(f"{key}: {pr}")  # noqa: T201
        failed |= bool(problems)
        if not check_only:
            OUT.mkdir(parents=True, exist_ok=True)
            (OUT / f"{key}.bpmn").write_text(mdl.xml(), encoding="utf-8")
    state = "problems found" if failed else "no overlaps"
    print(f"{len(MODELS)} models {'checked' if check_only else 'written'}; {state}")  # noqa: T201
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
