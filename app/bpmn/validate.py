"""XSD validation against the OMG BPMN 2.0 schemas, plus reference checks the XSD cannot make."""

from __future__ import annotations

import functools
import threading
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from app.bpmn.namespaces import BPMNDI, q


@dataclass(frozen=True)
class Issue:
    """One validation error, pointing at a place in the document and, where known, an element."""

    kind: str  # "xsd" | "duplicate_id" | "dangling_reference"
    message: str
    line: int | None = None
    column: int | None = None
    element_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ValidationResult:
    xsd_valid: bool
    issues: tuple[Issue, ...]

    @property
    def valid(self) -> bool:
        return self.xsd_valid and not self.issues


_lock = threading.Lock()


@functools.cache
def _schema(xsd_dir: Path) -> etree.XMLSchema:
    """Compile BPMN20.xsd (and its imports) once per process and directory."""
    path = xsd_dir / "BPMN20.xsd"
    if not path.is_file():
        raise RuntimeError(f"{path} is missing: run `make install` to place the OMG schemas")
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(str(path), parser))


def load_schema(xsd_dir: Path) -> etree.XMLSchema:
    """The compiled schema, cached per process: load it before forking workers to share it."""
    return _schema(xsd_dir)


def _element_id(tree: etree._ElementTree, path: str | None, line: int) -> str | None:
    """The id of the element an XSD error is about, or of its nearest ancestor with one."""
    element: etree._Element | None = None
    if path:
        namespaces = {prefix: uri for prefix, uri in tree.getroot().nsmap.items() if prefix}
        try:
            found = tree.xpath(path, namespaces=namespaces)
        except etree.XPathError:
            found = []
        if isinstance(found, list) and found and isinstance(found[0], etree._Element):
            element = found[0]
    if element is None:
        element = next((e for e in tree.iter() if e.sourceline == line and e.get("id")), None)
    while element is not None and element.get("id") is None:
        element = element.getparent()
    return element.get("id") if element is not None else None


def _xsd_issues(tree: etree._ElementTree, xsd_dir: Path) -> list[Issue]:
    schema = _schema(xsd_dir)
    # libxml2 schema validation keeps state in the schema object; serialise use across threads.
    with _lock:
        ok = schema.validate(tree)
        log = list(schema.error_log) if not ok else []
    return [
        Issue(
            "xsd",
            entry.message,
            entry.line,
            entry.column,
            _element_id(tree, entry.path, entry.line),
        )
        for entry in log
    ]


_REFERENCES = {
    q("sequenceFlow"): ("sourceRef", "targetRef"),
    q("messageFlow"): ("sourceRef", "targetRef"),
    q("BPMNShape", BPMNDI): ("bpmnElement",),
    q("BPMNEdge", BPMNDI): ("bpmnElement",),
}
_FLOWS = (q("sequenceFlow"), q("messageFlow"))
_DIAGRAM_ELEMENTS = (q("BPMNShape", BPMNDI), q("BPMNEdge", BPMNDI))


_ALL_IDS = etree.XPath("//@id", smart_strings=False)


def _local_ref(value: str) -> str:
    # QName references (`bpmnElement="tns:Task_1"`) carry a prefix; ids never contain ':'.
    return value.rsplit(":", 1)[-1]


def _reference_values(tree: etree._ElementTree) -> list[str | None]:
    values = [element.get("bpmnElement") for element in tree.iter(*_DIAGRAM_ELEMENTS)]
    for element in tree.iter(*_FLOWS):
        values += (element.get("sourceRef"), element.get("targetRef"))
    return values


def _reference_issues(tree: etree._ElementTree) -> list[Issue]:
    ids: list[str] = _ALL_IDS(tree)
    known = set(ids)
    issues: list[Issue] = []
    if len(known) < len(ids):
        counts = Counter(ids)
        issues += [
            Issue("duplicate_id", f"Duplicate id '{i}'", e.sourceline, None, i)
            for e in tree.iter()
            if counts[i := str(e.get("id"))] > 1
        ]
    # Values first, without the elements: nearly every document has no dangling reference.
    if all(
        value is None or value in known or _local_ref(value) in known
        for value in _reference_values(tree)
    ):
        return issues
    for element in tree.iter(*_REFERENCES):
        for attribute in _REFERENCES[str(element.tag)]:
            value = element.get(attribute)
            if value is not None and _local_ref(value) not in known:
                issues.append(
                    Issue(
                        "dangling_reference",
                        f"{etree.QName(element).localname} {attribute} '{value}' references no element",
                        element.sourceline,
                        None,
                        element.get("id"),
                    )
                )
    return issues


def validate(tree: etree._ElementTree, xsd_dir: Path) -> ValidationResult:
    """Validate a parsed BPMN document against the XSD and for duplicate / dangling ids."""
    xsd = _xsd_issues(tree, xsd_dir)
    return ValidationResult(xsd_valid=not xsd, issues=(*xsd, *_reference_issues(tree)))
