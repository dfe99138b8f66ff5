"""One entry point for an upload: safe parse, validation and analysis, all pure."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from app.bpmn.analysis import analyse
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
    """Parse `data` safely (raises `UnsafeOrInvalidXml`), validate it and analyse it."""
    tree = parse_bpmn(data, max_bytes=max_bytes, max_depth=max_depth)
    result = validate(tree, xsd_dir)
    return Checked(
        result.xsd_valid, result.issues, analyse(tree, vocabulary).as_dict(), model_title(tree)
    )
