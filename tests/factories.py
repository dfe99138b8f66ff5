"""Small helpers that arrange users, offices, processes and BPMN documents for tests."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app import credentials
from app.models import Office, Process, Role, User
from app.schemas import MemberCreate, OfficeCreate, ProcessCreate
from app.services import offices as office_service
from app.services import processes as process_service

PASSWORD = "correct horse battery"


@dataclass
class Actor:
    user: User
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


_PASSWORD_HASH = credentials.hash_password(PASSWORD)  # hashed once: argon2 is slow on purpose


def make_user(session: Session, username: str, *, admin: bool = False) -> Actor:
    user = User(
        username=username,
        password_hash=_PASSWORD_HASH,
        display_name=username.title(),
        is_admin=admin,
    )
    session.add(user)
    session.flush()
    _, token = credentials.issue_token(session, user, name="test")
    session.commit()
    return Actor(user, token)


def make_office(
    session: Session, key: str, *, parent: Office | None = None, kind: str = "amt"
) -> Office:
    office = office_service.create(
        session,
        actor=None,
        data=OfficeCreate(
            key=key, name=key.title(), kind=kind, parent_id=parent.id if parent else None
        ),
    )
    session.commit()
    return office


def grant(session: Session, actor: Actor, office: Office, role: Role) -> None:
    office_service.grant(
        session,
        actor=None,
        office_id=office.id,
        data=MemberCreate(username=actor.user.username, role=role),
    )
    session.commit()


def make_process(
    session: Session, office: Office, by: Actor, key: str = "p", *, xml: bytes | None = None
) -> Process:
    admin = by.user
    process = process_service.create(
        session, actor=admin, office_id=office.id, data=ProcessCreate(key=key, title=key.title())
    )
    if xml is not None:
        process_service.add_version(
            session,
            actor=admin,
            process_id=process.id,
            if_match=None,
            upload=process_service.Upload(xml=xml),
        )
    session.commit()
    return process


def bpmn(tasks: list[str] | None = None, *, name: str = "Demo") -> bytes:
    """A small valid BPMN document: start → tasks… → end, with diagram information."""
    tasks = tasks if tasks is not None else ["Antrag prüfen"]
    nodes = ["StartEvent_1", *[f"Task_{i}" for i in range(len(tasks))], "EndEvent_1"]
    elements = ['<bpmn:startEvent id="StartEvent_1" name="Antrag eingegangen"/>']
    elements += [f'<bpmn:userTask id="Task_{i}" name="{t}"/>' for i, t in enumerate(tasks)]
    elements.append('<bpmn:endEvent id="EndEvent_1" name="Erledigt"/>')
    flows = [
        f'<bpmn:sequenceFlow id="Flow_{i}" sourceRef="{a}" targetRef="{b}"/>'
        for i, (a, b) in enumerate(zip(nodes, nodes[1:], strict=False))
    ]
    shapes = [
        f'<bpmndi:BPMNShape id="{n}_di" bpmnElement="{n}"><dc:Bounds x="{100 + 150 * i}" '
        f'y="100" width="100" height="80"/></bpmndi:BPMNShape>'
        for i, n in enumerate(nodes)
    ]
    edges = [
        f'<bpmndi:BPMNEdge id="Flow_{i}_di" bpmnElement="Flow_{i}"><di:waypoint x="{200 + 150 * i}" '
        f'y="140"/><di:waypoint x="{250 + 150 * i}" y="140"/></bpmndi:BPMNEdge>'
        for i in range(len(nodes) - 1)
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
        'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
        'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" '
        'id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn">'
        f'<bpmn:process id="Process_1" name="{name}" isExecutable="false">'
        + "".join(elements)
        + "".join(flows)
        + '</bpmn:process><bpmndi:BPMNDiagram id="Diagram_1"><bpmndi:BPMNPlane id="Plane_1" '
        'bpmnElement="Process_1">'
        + "".join(shapes)
        + "".join(edges)
        + "</bpmndi:BPMNPlane></bpmndi:BPMNDiagram></bpmn:definitions>"
    ).encode()
