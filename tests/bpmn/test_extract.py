"""The extraction of a model's texts, roles, partners, documents and systems at save time."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.bpmn.analysis import analyse_graph
from app.bpmn.check import check
from app.bpmn.extract import EXTRACTION_VERSION, extract, is_current
from app.bpmn.graph import build_graph
from app.bpmn.parse import UnsafeOrInvalidXml, parse_bpmn
from app.config import settings

MODEL = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:pa="urn:prozessatlas:bpmn:1.0" id="d" targetNamespace="urn:t">
  <bpmn:collaboration id="c">
    <bpmn:participant id="pool_amt" name="Ordnungsamt" processRef="p"/>
    <bpmn:participant id="pool_buerger" name="B\xc3\xbcrger:in"/>
    <bpmn:messageFlow id="mf" name="Antrag" sourceRef="pool_buerger" targetRef="t1"/>
  </bpmn:collaboration>
  <bpmn:process id="p" isExecutable="false">
    <bpmn:laneSet id="ls">
      <bpmn:lane id="lane_sb" name="Sachbearbeitung">
        <bpmn:flowNodeRef>start</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>t1</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>t2</bpmn:flowNodeRef>
      </bpmn:lane>
      <bpmn:lane id="lane_kasse" name="Kasse">
        <bpmn:flowNodeRef>t3</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start"/>
    <bpmn:receiveTask id="t1" name="Antrag entgegennehmen">
      <bpmn:documentation>Formular Hundesteuer pr\xc3\xbcfen</bpmn:documentation>
    </bpmn:receiveTask>
    <bpmn:userTask id="t2" name="Antragsdaten in OK.EWO erfassen"/>
    <bpmn:task id="t3" name="Geb\xc3\xbchr buchen" pa:system="SAP"/>
    <bpmn:dataObject id="do"/>
    <bpmn:dataObjectReference id="dor1" name="Antragsformular" dataObjectRef="do"/>
    <bpmn:dataObjectReference id="dor2" name="antragsformular" dataObjectRef="do"/>
    <bpmn:dataStoreReference id="ds" name="Melderegister"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="t1"/>
    <bpmn:sequenceFlow id="f2" sourceRef="t1" targetRef="t2"/>
    <bpmn:sequenceFlow id="f3" sourceRef="t2" targetRef="t3"/>
  </bpmn:process>
</bpmn:definitions>
"""


def _extract(data: bytes) -> dict[str, Any]:
    tree = parse_bpmn(data)
    graph = build_graph(tree)
    return extract(tree, graph, analyse_graph(graph))


def test_elements_carry_their_texts_lane_and_pool() -> None:
    found = _extract(MODEL)
    by_id = {element["id"]: element for element in found["elements"]}
    assert by_id["t1"] == {
        "id": "t1",
        "type": "receiveTask",
        "name": "Antrag entgegennehmen",
        "documentation": "Formular Hundesteuer prüfen",
        "lane": "Sachbearbeitung",
        "pool": "Ordnungsamt",
    }
    assert by_id["t3"]["lane"] == "Kasse"
    assert by_id["start"]["name"] == ""  # unnamed flow nodes are listed too (type facets)
    assert by_id["mf"]["type"] == "messageFlow"
    assert by_id["ds"]["type"] == "dataStoreReference"
    assert "do" not in by_id  # a data object without name or documentation says nothing
    assert found["version"] == EXTRACTION_VERSION
    assert found["language"] == "de"


def test_roles_partners_and_documents() -> None:
    found = _extract(MODEL)
    assert found["roles"] == [
        {"name": "Ordnungsamt", "kind": "pool", "ids": ["pool_amt"]},
        {"name": "Sachbearbeitung", "kind": "lane", "ids": ["lane_sb"]},
        {"name": "Kasse", "kind": "lane", "ids": ["lane_kasse"]},
    ]
    assert found["partners"] == [{"name": "Bürger:in", "ids": ["pool_buerger"]}]
    # the same name in other case is one document with both ids
    assert found["documents"] == [
        {"name": "Antragsformular", "kind": "object", "ids": ["dor1", "dor2"]},
        {"name": "Melderegister", "kind": "store", "ids": ["ds"]},
    ]


def test_systems_written_and_recognised_in_texts() -> None:
    systems = {s["name"]: s for s in _extract(MODEL)["systems"]}
    assert systems["SAP"] == {"name": "SAP", "ids": ["t3"], "declared": True}
    assert systems["OK.EWO"]["ids"] == ["t2"]
    assert systems["OK.EWO"]["declared"] is False


def test_check_extracts_from_its_one_parse() -> None:
    checked = check(MODEL, xsd_dir=settings.xsd_dir, max_bytes=1 << 20, max_depth=256)
    assert checked.extraction == _extract(MODEL)
    assert is_current(checked.extraction)
    assert not is_current({"version": EXTRACTION_VERSION - 1})
    assert not is_current(None)


def test_a_model_without_collaboration_names_its_process_as_pool() -> None:
    data = b"""<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
      <process id="p" name="Hundesteuer"><task id="t" name="Bescheid senden"/></process>
    </definitions>"""
    found = _extract(data)
    assert found["elements"] == [
        {
            "id": "t",
            "type": "task",
            "name": "Bescheid senden",
            "documentation": "",
            "lane": None,
            "pool": "Hundesteuer",
        }
    ]
    assert found["roles"] == found["partners"] == found["documents"] == []


def _corpus_files() -> list[Path]:
    folders = [Path(__file__).parents[2].parent / "shared" / "corpus", Path(__file__).parent.parent]
    return [
        path for folder in folders if folder.is_dir() for path in sorted(folder.rglob("*.bpmn"))
    ]


def test_every_corpus_model_extracts_to_json() -> None:
    files = _corpus_files()
    if not files:
        pytest.skip("no corpus")
    extracted = 0
    for path in files:
        try:
            tree = parse_bpmn(path.read_bytes())
        except UnsafeOrInvalidXml:
            continue
        graph = build_graph(tree)
        found = extract(tree, graph, analyse_graph(graph))
        assert json.loads(json.dumps(found)) == found, path
        ids = {element["id"] for element in found["elements"]}
        # every flow node of the model is listed, with its lane
        assert set(graph.nodes) <= ids, path
        extracted += 1
    assert extracted > 50
