"""Safe parsing and validation, tested directly on bytes (no database, no HTTP)."""

from __future__ import annotations

import json

import pytest

from app.bpmn.parse import UnsafeOrInvalidXml, parse_bpmn
from app.bpmn.validate import validate
from app.config import settings
from tests.factories import bpmn


def test_valid_model_has_no_issues() -> None:
    result = validate(parse_bpmn(bpmn(["Antrag prüfen", "Bescheid senden"])), settings.xsd_dir)
    assert result.xsd_valid
    assert result.issues == ()


def test_prefixed_and_default_namespaces_both_parse() -> None:
    default = bpmn().decode().replace("bpmn:", "").replace("xmlns:bpmn=", "xmlns=")
    assert validate(parse_bpmn(default.encode()), settings.xsd_dir).xsd_valid


def test_duplicate_ids_are_reported_with_the_id() -> None:
    xml = (
        bpmn(["A", "B"])
        .replace(b'id="Task_1"', b'id="Task_0"')
        .replace(b'targetRef="Task_1"', b'targetRef="Task_0"')
        .replace(b'sourceRef="Task_1"', b'sourceRef="Task_0"')
        .replace(b'bpmnElement="Task_1"', b'bpmnElement="Task_0"')
    )
    result = validate(parse_bpmn(xml), settings.xsd_dir)
    assert any(i.kind == "duplicate_id" and i.element_id == "Task_0" for i in result.issues)


def test_dangling_diagram_reference_is_reported() -> None:
    xml = bpmn().replace(b'bpmnElement="Task_0"', b'bpmnElement="Nope"')
    issues = validate(parse_bpmn(xml), settings.xsd_dir).issues
    assert [(i.kind, i.element_id) for i in issues] == [("dangling_reference", "Task_0_di")]


def test_depth_limit_is_configurable() -> None:
    xml = bpmn().replace(b"<bpmn:process", b"<x><y><z/></y></x><bpmn:process")
    parse_bpmn(xml, max_depth=20)
    with pytest.raises(UnsafeOrInvalidXml) as refused:
        parse_bpmn(xml, max_depth=3)
    assert refused.value.rejection.code == "too_deep"


def test_size_limit_is_checked_before_parsing() -> None:
    with pytest.raises(UnsafeOrInvalidXml) as refused:
        parse_bpmn(b"<" * 101, max_bytes=100)
    assert refused.value.rejection.code == "too_large"


def test_syntax_errors_carry_line_and_column() -> None:
    with pytest.raises(UnsafeOrInvalidXml) as refused:
        parse_bpmn(
            b'<?xml version="1.0"?>\n<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">\n<process id="a">\n</definitions>'
        )
    assert refused.value.rejection.code == "not_well_formed"
    assert refused.value.line == 4


def test_miwg_corpus_verdicts_match_the_omg_schema(shared) -> None:
    """Every MIWG file: well-formed ones parse, others are refused, xsd_valid as expected."""
    folder = shared / "corpus" / "miwg"
    expected = json.loads((folder / "expected.json").read_text())
    mismatches = []
    for name, verdict in expected.items():
        data = (folder / name).read_bytes()
        try:
            tree = parse_bpmn(data)
        except UnsafeOrInvalidXml:
            if verdict["wellformed"]:
                mismatches.append((name, "refused"))
            continue
        if not verdict["wellformed"]:
            mismatches.append((name, "accepted"))
        elif validate(tree, settings.xsd_dir).xsd_valid != verdict["xsd_valid"]:
            mismatches.append((name, "xsd"))
    assert len(expected) == 390
    assert mismatches == []
