"""One entry point for an upload: safe parse, validation, analysis and extraction, all pure.

The document is parsed once; validation, the element graph, the analysis and the extraction
all read that one tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from app.bpmn.analysis import analyse_graph
from app.bpmn.extract import extract
from app.bpmn.graph import build_graph
from app.bpmn.namespaces import q
from app.bpmn.parse import parse_bpmn
from app.bpmn.validate import Issue, validate
from app.bpmn.vocabulary import Vocabulary


@dataclass(frozen=True)
class Checked:
    """What Prozessatlas knows about an accepted document before it is stored."""

    xsd_valid: bool
    issues: tuple[Issue, ...]
    analysis: dict[str, Any]
    title: str | None  # the name of the first pool or process, to title imported files
    # Texts, roles, partners, documents and systems (app/bpmn/extract.py), kept with the version.
    extraction: dict[str, Any] = field(default_factory=dict)


def model_title(tree: etree._ElementTree) -> str | None:
    """The name of the first pool or process that has one, whitespace collapsed."""
    for element in tree.getroot().iter(q("participant"), q("process")):
        name = " ".join((element.get("name") or "").split())
        if name:
            return name[:300]
    return None


def check(
    data: bytes,
    *,
    xsd_dir: Path,
    max_bytes: int,
    max_depth: int,
    vocabulary: Vocabulary | None = None,
) -> Checked:
    """Parse `data` safely (raises `UnsafeOrInvalidXml`), validate, analyse and extract it."""
    tree = parse_bpmn(data, max_bytes=max_bytes, max_depth=max_depth)
    result = validate(tree, xsd_dir)
    graph = build_graph(tree)
    analysis = analyse_graph(graph, vocabulary)
    return Checked(
        result.xsd_valid,
        result.issues,
        analysis.as_dict(),
        model_title(tree),
        extract(tree, graph, analysis),
    )
