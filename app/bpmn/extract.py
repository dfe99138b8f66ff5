"""What a model says in words, extracted once at save time and stored with the version.

Search, the glossary and the diff read this instead of parsing stored documents again:

- `elements`: every flow node, data element, message flow, pool and lane with its id, BPMN type,
  name, documentation, lane (the role that does it) and pool;
- `roles`: the lanes and the pools that hold a process (who does the work);
- `partners`: the other pools, those without a process of their own here (citizens, other
  authorities, companies: black-box pools);
- `documents`: named data objects and data stores;
- `systems`: IT systems, written in `pa:system` or recognised in the texts by the analysis;
- `language`: the model's language, for stemming search terms the same way.

Names that occur on several elements are listed once with all their ids. Pure: a parsed tree,
its element graph and its analysis in, a JSON-ready dict out.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lxml import etree

from app.bpmn.analysis import Analysis
from app.bpmn.graph import Graph, clean_text
from app.bpmn.namespaces import q

#: Bumped when the shape or the rules change; older extractions are computed again.
EXTRACTION_VERSION = 2  # 2: a pa:system name wins over the system read from the texts


class _Named:
    """Names in order of first appearance (case-insensitive), each with the ids of its elements."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str | None], dict[str, Any]] = {}

    def add(self, name: str, element_id: str, kind: str | None = None) -> None:
        name = name.strip()
        if not name:
            return
        key = (name.casefold(), kind)
        entry = self._entries.get(key)
        if entry is None:
            entry = {"name": name} | ({"kind": kind} if kind is not None else {}) | {"ids": []}
            self._entries[key] = entry
        if element_id and element_id not in entry["ids"]:
            entry["ids"].append(element_id)

    def as_list(self) -> list[dict[str, Any]]:
        return list(self._entries.values())


def _lanes(tree: etree._ElementTree) -> list[tuple[str, str]]:
    """(id, name) of every lane, nested lanes included, in document order."""
    return [
        (lane.get("id") or "", clean_text(lane.get("name")))
        for lane in tree.getroot().iter(q("lane"))
    ]


def _pool_names(graph: Graph) -> dict[str, str]:
    """Process id -> the name of its pool (or of the process itself, without a collaboration)."""
    names = {pid: name for pid, name in graph.process_names.items() if name}
    for participant in graph.participants.values():
        if participant.process and participant.name:
            names[participant.process] = participant.name
    return names


def _element(
    element_id: str, type_: str, name: str, documentation: str, lane: str | None, pool: str | None
) -> dict[str, Any]:
    return {
        "id": element_id,
        "type": type_,
        "name": name,
        "documentation": documentation,
        "lane": lane,
        "pool": pool,
    }


def _systems(graph: Graph, analysis: Analysis) -> list[dict[str, Any]]:
    """System names: as written in `pa:system` first, then those the analysis read in texts."""
    systems = _Named()
    written: Iterable[tuple[str, str | None]] = (
        *((node.id, node.system) for node in graph.nodes.values()),
        *((data.id, data.system) for data in graph.data.values()),
        *((flow.id, flow.system) for flow in graph.message_flows),
    )
    declared = {name.casefold() for name in analysis.systems}
    named: set[str] = set()
    for element_id, name in written:
        if name:
            systems.add(name, element_id)
            named.add(element_id)
    # the analysis reads a system from the texts too; where pa:system names it, that name wins
    # ("SAP FI" stays one system, not also "SAP")
    for element_id, medium in analysis.media.items():
        if medium.system and element_id not in named:
            systems.add(medium.system, element_id)
    found = systems.as_list()
    for entry in found:
        entry["declared"] = entry["name"].casefold() in declared
    return found


def extract(tree: etree._ElementTree, graph: Graph, analysis: Analysis) -> dict[str, Any]:
    """The texts, roles, partners, documents and systems of one parsed model."""
    pools = _pool_names(graph)
    elements: list[dict[str, Any]] = []
    roles = _Named()
    partners = _Named()
    documents = _Named()

    for participant in graph.participants.values():
        if participant.collapsed:
            partners.add(participant.name, participant.id)
        else:
            roles.add(participant.name, participant.id, kind="pool")
        elements.append(
            _element(participant.id, "participant", participant.name, "", None, participant.name)
        )
    for lane_id, name in _lanes(tree):
        roles.add(name, lane_id, kind="lane")
        if name:
            elements.append(_element(lane_id, "lane", name, "", name, None))
    for node in graph.nodes.values():
        elements.append(
            _element(
                node.id,
                node.type,
                node.name,
                node.documentation,
                node.lane,
                pools.get(node.process),
            )
        )
    for data in graph.data.values():
        if data.name:
            kind = "store" if data.type.startswith("dataStore") else "object"
            documents.add(data.name, data.id, kind=kind)
        if data.name or data.documentation:
            elements.append(_element(data.id, data.type, data.name, data.documentation, None, None))
    for flow in graph.message_flows:
        if flow.name or flow.documentation:
            elements.append(
                _element(flow.id, "messageFlow", flow.name, flow.documentation, None, None)
            )
    own_names = [clean_text(tree.getroot().get("name")), *graph.process_names.values()]
    return {
        "version": EXTRACTION_VERSION,
        "language": analysis.language,
        # The model's own names (definitions and processes), which the search ranks as titles;
        # missing in extractions stored before (read with .get).
        "names": list(dict.fromkeys(name.strip() for name in own_names if name and name.strip())),
        "elements": elements,
        "roles": roles.as_list(),
        "partners": partners.as_list(),
        "documents": documents.as_list(),
        "systems": _systems(graph, analysis),
    }


def is_current(extraction: object) -> bool:
    """Whether a stored extraction has the shape of this version of `extract`."""
    return isinstance(extraction, dict) and extraction.get("version") == EXTRACTION_VERSION
