"""Finding overlays in the modeler change only what differs between two analyses (ADR 0016,
addendum): markers follow the findings exactly, unchanged badge stacks stay the same nodes, an
element restored by undo gets its marker back."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import LiveServer
from tests.web.test_modeler_browser import new_process

pytestmark = pytest.mark.browser

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def model() -> str:
    tasks = "".join(f'<bpmn:task id="T{i}" name="Aufgabe {i}" />' for i in range(1, 5)) + "".join(
        f'<bpmn:sequenceFlow id="F{i}" sourceRef="T{i}" targetRef="T{i + 1}" />'
        for i in range(1, 4)
    )
    shapes = "".join(
        f'<bpmndi:BPMNShape id="T{i}_di" bpmnElement="T{i}">'
        f'<dc:Bounds x="{100 + (i - 1) * 200}" y="100" width="100" height="80" /></bpmndi:BPMNShape>'
        for i in range(1, 5)
    ) + "".join(
        f'<bpmndi:BPMNEdge id="F{i}_di" bpmnElement="F{i}">'
        f'<di:waypoint x="{200 + (i - 1) * 200}" y="140" />'
        f'<di:waypoint x="{300 + (i - 1) * 200}" y="140" /></bpmndi:BPMNEdge>'
        for i in range(1, 4)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions xmlns:bpmn="{BPMN}" '
        'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
        'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
        'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="D" targetNamespace="urn:t">'
        f'<bpmn:process id="P" isExecutable="false">{tasks}</bpmn:process>'
        '<bpmndi:BPMNDiagram id="Dia"><bpmndi:BPMNPlane id="Pl" bpmnElement="P">'
        f"{shapes}</bpmndi:BPMNPlane></bpmndi:BPMNDiagram></bpmn:definitions>"
    )


# one synchronous script, so that no live analysis of the page comes in between
SCRIPT = """
async (xml) => {
  const m = window.prozessatlas.modeler;
  await m.importXML(xml);
  const overlays = m.get('findingOverlays'), canvas = m.get('canvas'),
        registry = m.get('elementRegistry'), commandStack = m.get('commandStack');
  const has = (id, marker) => canvas.hasMarker(registry.get(id), marker);
  const badge = id => document.querySelector(`#pa-canvas .pa-badges[data-element-id="${id}"]`);
  const breakOf = severity => ({ elements: [ 'T1', 'T2' ], severity, rule: 'R1' });
  const out = {};

  overlays.setFindings({ media_breaks: [ breakOf('high') ],
    automation_candidates: [ { element: 'T3', kind: 'lookup' } ] });
  const first = badge('T1');
  out.a = { t1: has('T1', 'pa-media-break-high'), f1: has('F1', 'pa-media-break-high'),
    f2: has('F2', 'pa-media-break-high'), t3: has('T3', 'pa-candidate'),
    badges: [ !!badge('T1'), !!badge('T3') ] };

  overlays.setFindings({ media_breaks: [ breakOf('high') ], automation_candidates: [] });
  out.b = { t1: has('T1', 'pa-media-break-high'), t3: has('T3', 'pa-candidate'),
    badge3: !!badge('T3'), same: badge('T1') === first };

  overlays.setFindings({ media_breaks: [ breakOf('medium') ], automation_candidates: [] });
  out.c = { high: has('T1', 'pa-media-break-high'), medium: has('T1', 'pa-media-break'),
    flow: has('F1', 'pa-media-break'), same: badge('T1') === first,
    text: badge('T1').textContent };

  overlays.toggle(false);
  out.off = { marked: has('T1', 'pa-media-break'), badges: document.querySelectorAll(
    '#pa-canvas .pa-badges').length };
  overlays.toggle(true);
  out.on = { marked: has('T1', 'pa-media-break'), badge: !!badge('T1') };

  m.get('modeling').removeElements([ registry.get('T2') ]);
  commandStack.undo();
  overlays.setFindings({ media_breaks: [ breakOf('medium') ], automation_candidates: [] });
  out.undo = { t2: has('T2', 'pa-media-break'), f1: has('F1', 'pa-media-break'),
    badges: document.querySelectorAll('#pa-canvas .pa-badges').length };
  window.prozessatlas.session.dirty = false;
  return out;
}
"""


def test_overlays_change_only_what_differs(admin_page: Any, live_server: LiveServer) -> None:
    page = admin_page
    new_process(page, live_server.url, "Befunde inkrementell", "befunde-inkrementell")
    out = page.evaluate(SCRIPT, model())

    assert out["a"] == {"t1": True, "f1": True, "f2": False, "t3": True, "badges": [True, True]}
    # the candidate went: its marker and badge go, the media break's badge stays the same node
    assert out["b"] == {"t1": True, "t3": False, "badge3": False, "same": True}
    # the severity changed: the marker is exchanged, the stack drawn anew (its colour changed)
    assert out["c"]["high"] is False
    assert out["c"]["medium"] is True
    assert out["c"]["flow"] is True
    assert out["c"]["same"] is False
    assert out["off"] == {"marked": False, "badges": 0}
    assert out["on"] == {"marked": True, "badge": True}
    # T2 and its flows were removed and restored: new graphics, marked again
    assert out["undo"] == {"t2": True, "f1": True, "badges": 1}
