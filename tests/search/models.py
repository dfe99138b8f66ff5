"""Small BPMN models for the search tests: steps with types, documentation, IT systems and media,
lanes (roles), data objects and stores (documents), a black-box pool (partner)."""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from fastapi.testclient import TestClient

from tests.factories import Actor


@dataclass(frozen=True)
class Step:
    name: str
    type: str = "task"
    documentation: str | None = None
    system: str | None = None
    medium: str | None = None
    lane: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class Model:
    steps: list[Step]
    documents: list[str] = field(default_factory=list)  # data objects
    stores: list[str] = field(default_factory=list)  # data stores
    partner: str | None = None  # a black-box pool
    name: str = "Prozess"


def _shape(element_id: str, x: int, y: int, w: int = 100, h: int = 80) -> str:
    return (
        f'<bpmndi:BPMNShape id="{element_id}_di" bpmnElement="{element_id}">'
        f'<dc:Bounds x="{x}" y="{y}" width="{w}" height="{h}"/></bpmndi:BPMNShape>'
    )


def bpmn_model(model: Model) -> bytes:
    """A valid BPMN 2.0 document of `model`: start → steps… → end."""
    ids = [s.id or f"Step_{i}" for i, s in enumerate(model.steps)]
    nodes = ["Start_1", *ids, "End_1"]
    parts = ['<bpmn:startEvent id="Start_1" name="Begonnen"/>']
    for element_id, step in zip(ids, model.steps, strict=True):
        attrs = f"id={quoteattr(element_id)} name={quoteattr(step.name)}"
        if step.system:
            attrs += f" pa:system={quoteattr(step.system)}"
        if step.medium:
            attrs += f" pa:medium={quoteattr(step.medium)}"
        doc = (
            f"<bpmn:documentation>{escape(step.documentation)}</bpmn:documentation>"
            if step.documentation
            else ""
        )
        parts.append(f"<bpmn:{step.type} {attrs}>{doc}</bpmn:{step.type}>")
    parts.append('<bpmn:endEvent id="End_1" name="Beendet"/>')
    parts += [
        f'<bpmn:sequenceFlow id="Flow_{i}" sourceRef="{a}" targetRef="{b}"/>'
        for i, (a, b) in enumerate(zip(nodes, nodes[1:], strict=False))
    ]
    extra: list[str] = []
    for i, name in enumerate(model.documents):
        parts.append(f'<bpmn:dataObject id="DataObject_{i}"/>')
        parts.append(
            f'<bpmn:dataObjectReference id="DataRef_{i}" name={quoteattr(name)} '
            f'dataObjectRef="DataObject_{i}"/>'
        )
        extra.append(f"DataRef_{i}")
    for i, name in enumerate(model.stores):
        parts.append(f'<bpmn:dataStoreReference id="Store_{i}" name={quoteattr(name)}/>')
        extra.append(f"Store_{i}")
    lanes: dict[str, list[str]] = {}
    for element_id, step in zip(ids, model.steps, strict=True):
        if step.lane:
            lanes.setdefault(step.lane, []).append(element_id)
    lane_ids = [f"Lane_{i}" for i in range(len(lanes))]
    lane_set = ""
    if lanes:
        lane_set = (
            '<bpmn:laneSet id="LaneSet_1">'
            + "".join(
                f"<bpmn:lane id={quoteattr(lid)} name={quoteattr(name)}>"
                + "".join(f"<bpmn:flowNodeRef>{ref}</bpmn:flowNodeRef>" for ref in refs)
                + "</bpmn:lane>"
                for lid, (name, refs) in zip(lane_ids, lanes.items(), strict=True)
            )
            + "</bpmn:laneSet>"
        )
    pooled = bool(lanes) or model.partner is not None
    collaboration = ""
    plane_ref = "Process_1"
    shapes = [_shape(n, 200 + 150 * i, 100) for i, n in enumerate(nodes)]
    shapes += [_shape(n, 200 + 150 * i, 300) for i, n in enumerate(extra)]
    width = 150 * (len(nodes) + 1)
    if pooled:
        plane_ref = "Collaboration_1"
        collaboration = (
            '<bpmn:collaboration id="Collaboration_1">'
            f'<bpmn:participant id="Pool_1" name={quoteattr(model.name)} processRef="Process_1"/>'
            + (
                f'<bpmn:participant id="Pool_2" name={quoteattr(model.partner)}/>'
                if model.partner
                else ""
            )
            + "</bpmn:collaboration>"
        )
        shapes.insert(0, _shape("Pool_1", 100, 0, width, 80 + 200 * max(1, len(lanes))))
        shapes += [_shape(lid, 130, 200 * i, width - 30, 200) for i, lid in enumerate(lane_ids)]
        if model.partner:
            shapes.append(_shape("Pool_2", 100, 600, width, 100))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
        'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
        'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" '
        'xmlns:pa="urn:prozessatlas:bpmn:1.0" '
        'id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn">'
        + collaboration
        + f'<bpmn:process id="Process_1" name={quoteattr(model.name)} isExecutable="false">'
        + lane_set
        + "".join(parts)
        + '</bpmn:process><bpmndi:BPMNDiagram id="Diagram_1">'
        f'<bpmndi:BPMNPlane id="Plane_1" bpmnElement="{plane_ref}">'
        + "".join(shapes)
        + "</bpmndi:BPMNPlane></bpmndi:BPMNDiagram></bpmn:definitions>"
    ).encode()


def create_process(
    client: TestClient,
    actor: Actor,
    office_id: int,
    key: str,
    title: str,
    model: Model | None = None,
    **metadata: object,
) -> int:
    """A process through the API, with a first version of `model` if given."""
    response = client.post(
        f"/api/v1/offices/{office_id}/processes",
        headers=actor.headers,
        json={"key": key, "title": title, **metadata},
    )
    assert response.status_code == 201, response.text
    pid = int(response.json()["id"])
    if model is not None:
        upload(client, actor, pid, model)
    return pid


def upload(client: TestClient, actor: Actor, pid: int, model: Model) -> None:
    """A new version of process `pid` (If-Match from the newest version, if any)."""
    headers = {**actor.headers, "Content-Type": "application/xml"}
    current = client.get(f"/api/v1/processes/{pid}", headers=actor.headers).json()
    if current.get("etag"):
        headers["If-Match"] = current["etag"]
    response = client.post(
        f"/api/v1/processes/{pid}/versions", content=bpmn_model(model), headers=headers
    )
    assert response.status_code == 201, response.text
