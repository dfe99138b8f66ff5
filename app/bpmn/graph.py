"""An element graph of a parsed BPMN document, built in one pass for the analysis.

The graph is tool-agnostic: elements are recognised by namespace URI and local name, never by
prefix, so default-namespace exports (Signavio, Bizagi) and `bpmn2:` exports (Eclipse, Camunda 7)
read the same as bpmn-js output. Missing names, missing diagram information, pools without a
process and nested sub-processes are all normal input here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from app.bpmn.namespaces import BPMN, PA

#: Activities whose work a person or a system does step by step (the "tasks" of the analysis).
TASK_TYPES = frozenset(
    {
        "task",
        "userTask",
        "manualTask",
        "serviceTask",
        "scriptTask",
        "businessRuleTask",
        "sendTask",
        "receiveTask",
    }
)
#: Containers whose inner flow the walk of rule a enters (when they hold flow nodes).
SUBPROCESS_TYPES = frozenset({"subProcess", "adHocSubProcess", "transaction"})
#: Activities that are never expanded here (their inner flow lives elsewhere).
OTHER_ACTIVITY_TYPES = frozenset({"callActivity"})
EVENT_TYPES = frozenset(
    {
        "startEvent",
        "endEvent",
        "intermediateCatchEvent",
        "intermediateThrowEvent",
        "boundaryEvent",
        "implicitThrowEvent",
    }
)
GATEWAY_TYPES = frozenset(
    {
        "exclusiveGateway",
        "inclusiveGateway",
        "parallelGateway",
        "eventBasedGateway",
        "complexGateway",
    }
)
FLOW_NODE_TYPES = TASK_TYPES | SUBPROCESS_TYPES | OTHER_ACTIVITY_TYPES | EVENT_TYPES | GATEWAY_TYPES
DATA_REF_TYPES = frozenset({"dataObjectReference", "dataStoreReference", "dataObject", "dataStore"})
AUTOMATED_TYPES = frozenset({"serviceTask", "scriptTask", "businessRuleTask"})

_BPMN_PREFIX = "{" + BPMN + "}"
_PA_MEDIUM = "{" + PA + "}medium"
_DOCUMENTATION = _BPMN_PREFIX + "documentation"
_DATA_INPUT = _BPMN_PREFIX + "dataInputAssociation"
_PA_SYSTEM = "{" + PA + "}system"
_SPACES = re.compile(r"\s+")


def clean_text(value: str | None) -> str:
    """Collapse line breaks, tabs and runs of spaces (modelers wrap long names with `&#10;`)."""
    if not value:
        return ""
    if "  " not in value and "\n" not in value and "\t" not in value and "\r" not in value:
        return value.replace("\u00ad", "").strip()  # the usual case: nothing to collapse
    # A soft hyphen at a line break ("Antrags-&#10;formular") joins the word again.
    value = value.replace("\u00ad", "").replace("-\n", "-")
    return _SPACES.sub(" ", value).strip()


@dataclass(slots=True)
class Node:
    """A flow node (activity, event, gateway) of a process or sub-process.

    Read-only once `build_graph` returns. Not frozen: a frozen dataclass takes three times as
    long to create, and large models have thousands of nodes.
    """

    id: str
    type: str
    name: str
    documentation: str
    medium: str | None  # pa:medium, as written
    system: str | None  # pa:system, as written
    lane: str | None  # name of the innermost lane (the role)
    process: str  # id of the process that holds it (outermost)
    parent: str | None  # id of the enclosing sub-process, if any
    attached_to: str | None = None  # boundary events: the host activity
    event_kind: str | None = None  # message, timer, ... (first event definition)
    triggered_by_event: bool = False  # event sub-processes

    @property
    def is_task(self) -> bool:
        """Tasks are the activities the automation analysis classifies."""
        return self.type in TASK_TYPES

    @property
    def is_activity(self) -> bool:
        """Activities stop the walk of rule a (tasks, call activities, collapsed sub-processes)."""
        return self.type in TASK_TYPES or self.type in OTHER_ACTIVITY_TYPES

    @property
    def text(self) -> str:
        """Name and documentation, the text the vocabulary reads."""
        return f"{self.name} {self.documentation}".strip()


@dataclass(slots=True)
class SequenceFlow:
    """A sequence flow between two flow nodes (read-only, not frozen: see `Node`)."""

    id: str
    source: str
    target: str
    name: str


@dataclass(frozen=True)
class MessageFlow:
    """A message flow between pools (source and target may be flow nodes or participants)."""

    id: str
    source: str
    target: str
    name: str
    documentation: str
    medium: str | None
    system: str | None


@dataclass(frozen=True)
class DataRef:
    """A data object / data store (reference) an activity reads or writes."""

    id: str
    type: str
    name: str
    documentation: str
    medium: str | None
    system: str | None
    target_ref: str | None = None  # dataObjectRef / dataStoreRef, if any


@dataclass(frozen=True)
class DataInput:
    """One `dataInputAssociation`: `data` (a DataRef id) is read by `activity`."""

    id: str
    data: str
    activity: str


@dataclass(frozen=True)
class Participant:
    """A pool of a collaboration; collapsed pools have no process or an empty one."""

    id: str
    name: str
    process: str | None
    collapsed: bool


@dataclass(frozen=True)
class SubProcess:
    """An expanded sub-process and the inner nodes where flows enter and leave it."""

    id: str
    entries: tuple[str, ...]  # inner start nodes (start events or nodes without incoming flow)
    exits: tuple[str, ...]  # inner end nodes (end events or nodes without outgoing flow)


@dataclass(frozen=True)
class Graph:
    """All elements of a BPMN document that the analysis needs, indexed by id."""

    nodes: dict[str, Node]
    flows: tuple[SequenceFlow, ...]
    message_flows: tuple[MessageFlow, ...]
    data: dict[str, DataRef]
    data_inputs: tuple[DataInput, ...]
    participants: dict[str, Participant]
    subprocesses: dict[str, SubProcess]
    outgoing: dict[str, tuple[str, ...]]  # node id -> target node ids
    incoming: dict[str, tuple[str, ...]]  # node id -> source node ids
    boundary: dict[str, tuple[str, ...]] = field(default_factory=dict)  # host -> boundary events
    process_names: dict[str, str] = field(default_factory=dict)

    def tasks(self) -> Iterator[Node]:
        """All tasks in document order."""
        return (n for n in self.nodes.values() if n.is_task)

    def activities(self) -> Iterator[Node]:
        """All activities (tasks, call activities, collapsed sub-processes) in document order."""
        return (n for n in self.nodes.values() if n.is_activity)


_LOCAL_NAMES: dict[object, str] = {}


def _local(element: etree._Element) -> str | None:
    """Local name of a BPMN-namespace element, else None (comments, DI, extensions)."""
    tag = element.tag
    found = _LOCAL_NAMES.get(tag) if isinstance(tag, str) else None
    if found is not None:
        return found
    if not isinstance(tag, str) or not tag.startswith(_BPMN_PREFIX):
        return None
    local = tag[len(_BPMN_PREFIX) :]
    if len(_LOCAL_NAMES) < 1000:  # the BPMN vocabulary is small; never grow without bound
        _LOCAL_NAMES[tag] = local
    return local


def _child_text(element: etree._Element, local: str) -> str:
    parts = [
        clean_text("".join(str(t) for t in child.itertext()))
        for child in element
        if isinstance(child.tag, str) and child.tag == _BPMN_PREFIX + local
    ]
    return " ".join(p for p in parts if p)


def _child_refs(element: etree._Element, local: str) -> list[str]:
    tag = _BPMN_PREFIX + local
    return [child.text.strip() for child in element if child.tag == tag and child.text]


def _strip_prefix(ref: str | None) -> str:
    """Some tools write QName references (`tns:Task_1`); ids never contain a colon."""
    if not ref:
        return ""
    ref = ref.strip()
    return ref.rsplit(":", 1)[-1] if ":" in ref else ref


class _Builder:
    """Collects one document's elements in a single depth-first pass."""

    def __init__(self) -> None:
        self.nodes: dict[str, Node] = {}
        self.flows: list[SequenceFlow] = []
        self.message_flows: list[MessageFlow] = []
        self.data: dict[str, DataRef] = {}
        self.data_inputs: list[tuple[str, str, str]] = []  # (assoc id, source ref, activity id)
        self.participants: list[tuple[str, str, str | None]] = []
        self.process_names: dict[str, str] = {}
        self.process_nodes: dict[str, int] = {}
        self.lane_of: dict[str, str] = {}
        self.children: dict[str, list[str]] = {}  # sub-process id -> direct inner node ids
        self.links: list[tuple[str, str, str, str]] = []  # (node, type, process, link name)
        self._anon = 0

    def _id(self, element: etree._Element, prefix: str) -> str:
        value = element.get("id")
        if value:
            return value
        # Elements without an id cannot be referenced; give them a stable synthetic one.
        self._anon += 1
        return f"_{prefix}_{self._anon}"

    def lanes(self, lane_set: etree._Element) -> None:
        """Record the lane (role) of every flow node a lane set lists, nested lanes included."""
        for lane in lane_set:
            if _local(lane) != "lane":
                continue
            name = clean_text(lane.get("name"))
            for ref in _child_refs(lane, "flowNodeRef"):
                # Nested lanes come later in document order, so the innermost lane wins.
                self.lane_of[_strip_prefix(ref)] = name
            for child in lane:
                if _local(child) == "childLaneSet":
                    self.lanes(child)

    def container(self, element: etree._Element, process: str, parent: str | None) -> None:
        """Collect the flow nodes, sequence flows and data of a process or sub-process."""
        local_of = _LOCAL_NAMES.get
        flows = self.flows
        for child in element:
            local = local_of(child.tag)  # comments have a function as tag: not in the map
            if local is None:
                local = _local(child)
                if local is None:
                    continue
            if local in FLOW_NODE_TYPES:
                self.flow_node(child, local, process, parent)
            elif local == "sequenceFlow":
                get = child.get
                flows.append(
                    SequenceFlow(
                        get("id") or self._id(child, "flow"),
                        _strip_prefix(get("sourceRef")),
                        _strip_prefix(get("targetRef")),
                        clean_text(get("name")),
                    )
                )
            elif local in DATA_REF_TYPES:
                self.data_ref(child, local)
            elif local == "laneSet":
                self.lanes(child)

    def data_ref(self, element: etree._Element, local: str) -> None:
        """Collect a data object / data store (reference)."""
        data_id = self._id(element, "data")
        target = element.get("dataObjectRef") or element.get("dataStoreRef")
        self.data[data_id] = DataRef(
            id=data_id,
            type=local,
            name=clean_text(element.get("name")),
            documentation=_child_text(element, "documentation"),
            medium=element.get(_PA_MEDIUM),
            system=element.get(_PA_SYSTEM),
            target_ref=_strip_prefix(target) if target else None,
        )

    def flow_node(
        self, element: etree._Element, local: str, process: str, parent: str | None
    ) -> None:
        """Collect one flow node with its documentation, data inputs and inner nodes."""
        get = element.get
        node_id = get("id") or self._id(element, "node")
        event_kind = None
        documentation: list[str] = []
        if len(element):  # most tasks have no child elements at all
            for child in element:
                tag = child.tag
                if tag == _DOCUMENTATION:
                    text = clean_text("".join(str(t) for t in child.itertext()))
                    if text:
                        documentation.append(text)
                elif tag == _DATA_INPUT:
                    for source in _child_refs(child, "sourceRef"):
                        self.data_inputs.append(
                            (self._id(child, "dia"), _strip_prefix(source), node_id)
                        )
                elif (
                    event_kind is None
                    and isinstance(tag, str)
                    and tag.endswith("EventDefinition")
                    and tag.startswith(_BPMN_PREFIX)
                ):
                    event_kind = tag[len(_BPMN_PREFIX) : -len("EventDefinition")]
                    if event_kind == "link":
                        # Link events are off-page connectors: a throw continues at the catch
                        # of the same name in the same process.
                        link = clean_text(child.get("name")) or clean_text(get("name"))
                        self.links.append((node_id, local, process, link.casefold()))
        attached = get("attachedToRef")
        node = Node(
            id=node_id,
            type=local,
            name=clean_text(get("name")),
            documentation=" ".join(documentation),
            medium=get(_PA_MEDIUM),
            system=get(_PA_SYSTEM),
            lane=None,  # set once all lane sets are read: a lane set may follow its nodes
            process=process,
            parent=parent,
            attached_to=_strip_prefix(attached) if attached else None,
            event_kind=event_kind,
            triggered_by_event=get("triggeredByEvent") == "true",
        )
        self.nodes[node_id] = node
        self.process_nodes[process] = self.process_nodes.get(process, 0) + 1
        if parent is not None:
            self.children.setdefault(parent, []).append(node_id)
        if local in SUBPROCESS_TYPES:
            self.children.setdefault(node_id, [])
            self.container(element, process, node_id)

    def collaboration(self, element: etree._Element) -> None:
        """Collect the participants (pools) and message flows of a collaboration."""
        for child in element:
            local = _local(child)
            if local == "participant":
                ref = child.get("processRef")
                self.participants.append(
                    (
                        self._id(child, "participant"),
                        clean_text(child.get("name")),
                        _strip_prefix(ref) if ref else None,
                    )
                )
            elif local == "messageFlow":
                self.message_flows.append(
                    MessageFlow(
                        id=self._id(child, "mf"),
                        source=_strip_prefix(child.get("sourceRef")),
                        target=_strip_prefix(child.get("targetRef")),
                        name=clean_text(child.get("name")),
                        documentation=_child_text(child, "documentation"),
                        medium=child.get(_PA_MEDIUM),
                        system=child.get(_PA_SYSTEM),
                    )
                )


def _entries_and_exits(
    members: list[str],
    nodes: dict[str, Node],
    incoming: dict[str, list[str]],
    outgoing: dict[str, list[str]],
) -> SubProcess | None:
    inner = [
        m for m in members if nodes[m].type != "boundaryEvent" and not nodes[m].triggered_by_event
    ]
    if not inner:
        return None
    starts = [m for m in inner if nodes[m].type == "startEvent"]
    entries = starts or [m for m in inner if not incoming.get(m)]
    ends = [m for m in inner if nodes[m].type == "endEvent"]
    exits = ends + [m for m in inner if not outgoing.get(m) and nodes[m].type != "endEvent"]
    return SubProcess(id="", entries=tuple(entries), exits=tuple(dict.fromkeys(exits)))


def build_graph(tree: etree._ElementTree | etree._Element) -> Graph:
    """Build the element graph of a parsed BPMN document (any tool, any prefix)."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    builder = _Builder()
    for element in root:
        local = _local(element)
        if local == "process":
            process_id = builder._id(element, "process")
            builder.process_names[process_id] = clean_text(element.get("name"))
            builder.process_nodes.setdefault(process_id, 0)
            builder.container(element, process_id, None)
        elif local == "collaboration":
            builder.collaboration(element)
    nodes = builder.nodes
    for node_id, lane in builder.lane_of.items():
        if node_id in nodes:
            nodes[node_id].lane = lane
    outgoing: dict[str, list[str]] = {}
    incoming: dict[str, list[str]] = {}
    edges = [(f.source, f.target) for f in builder.flows]
    catches = {
        (process, name): node_id
        for node_id, local, process, name in builder.links
        if local == "intermediateCatchEvent" and name
    }
    for node_id, local, process, name in builder.links:
        if local == "intermediateThrowEvent" and (process, name) in catches:
            edges.append((node_id, catches[(process, name)]))
    for source, target in edges:
        if source in nodes and target in nodes:
            outgoing.setdefault(source, []).append(target)
            incoming.setdefault(target, []).append(source)
    boundary: dict[str, list[str]] = {}
    for node in nodes.values():
        if node.attached_to:
            boundary.setdefault(node.attached_to, []).append(node.id)
    subprocesses: dict[str, SubProcess] = {}
    for sub_id, members in builder.children.items():
        found = _entries_and_exits(members, nodes, incoming, outgoing)
        if found is not None:
            subprocesses[sub_id] = SubProcess(sub_id, found.entries, found.exits)
    data_inputs = []
    for assoc_id, source, activity in builder.data_inputs:
        # Some tools point the association at the dataObject rather than its reference; both
        # are data elements. A sourceRef to a property or dataInput is an internal mapping.
        if source in builder.data and activity in nodes:
            data_inputs.append(DataInput(assoc_id, source, activity))
    participants = {}
    for part_id, part_name, process_ref in builder.participants:
        collapsed = process_ref is None or builder.process_nodes.get(process_ref, 0) == 0
        participants[part_id] = Participant(part_id, part_name, process_ref, collapsed)
    return Graph(
        nodes=nodes,
        flows=tuple(builder.flows),
        message_flows=tuple(builder.message_flows),
        data=builder.data,
        data_inputs=tuple(data_inputs),
        participants=participants,
        subprocesses=subprocesses,
        outgoing={k: tuple(v) for k, v in outgoing.items()},
        incoming={k: tuple(v) for k, v in incoming.items()},
        boundary={k: tuple(v) for k, v in boundary.items()},
        process_names=builder.process_names,
    )
