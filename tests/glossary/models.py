"""Small models for the glossary tests: lanes, data objects, `pa:system` tasks, partner pools."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import quoteattr


def model(
    *,
    lanes: Sequence[str] = (),
    documents: Sequence[str] = (),
    systems: Sequence[str] = (),
    partners: Sequence[str] = (),
    pool: str = "Stadtverwaltung",
) -> bytes:
    """A model with one task per lane (or one task without lanes), a task per `pa:system` name,
    a data object reference per document and a collapsed pool per partner."""
    tasks = [
        f'<bpmn:userTask id="Task_L{i}" name="Vorgang {i} bearbeiten"/>'
        for i in range(max(1, len(lanes)))
    ]
    tasks += [
        f'<bpmn:serviceTask id="Task_S{i}" name="Daten erfassen {i}" pa:system={quoteattr(s)}/>'
        for i, s in enumerate(systems)
    ]
    lane_set = ""
    if lanes:
        lane_set = (
            '<bpmn:laneSet id="LaneSet_1">'
            + "".join(
                f'<bpmn:lane id="Lane_{i}" name={quoteattr(n)}><bpmn:flowNodeRef>Task_L{i}</bpmn:flowNodeRef></bpmn:lane>'
                for i, n in enumerate(lanes)
            )
            + "</bpmn:laneSet>"
        )
    data = "".join(
        f'<bpmn:dataObject id="DataObject_{i}"/>'
        f'<bpmn:dataObjectReference id="Doc_{i}" name={quoteattr(n)} dataObjectRef="DataObject_{i}"/>'
        for i, n in enumerate(documents)
    )
    participants = (
        f'<bpmn:participant id="Pool_own" name={quoteattr(pool)} processRef="Process_1"/>'
    )
    participants += "".join(
        f'<bpmn:participant id="Partner_{i}" name={quoteattr(n)}/>' for i, n in enumerate(partners)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:pa="urn:prozessatlas:bpmn:1.0" id="Definitions_1" '
        'targetNamespace="http://bpmn.io/schema/bpmn">'
        f'<bpmn:collaboration id="Collaboration_1">{participants}</bpmn:collaboration>'
        '<bpmn:process id="Process_1" isExecutable="false">'
        + lane_set
        + "".join(tasks)
        + data
        + "</bpmn:process></bpmn:definitions>"
    ).encode()
