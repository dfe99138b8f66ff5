"""The analysis of one BPMN model: media, media breaks, automation candidates and share.

Pure: a parsed tree in, a frozen dataclass out (no database, no web framework).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from lxml import etree

from app.bpmn.automation import AutomationResult, Candidate, classify_tasks
from app.bpmn.graph import Graph, build_graph
from app.bpmn.media import (
    ElementMedium,
    MediaBreak,
    Reader,
    data_breaks,
    explicit_breaks,
    flow_breaks,
    message_breaks,
    resolve_media,
)
from app.bpmn.vocabulary import Vocabulary, load_vocabulary


@dataclass(frozen=True)
class Analysis:
    """Result of `analyse`: findings plus the media they were computed from."""

    vocabulary_version: str
    language: str
    media_breaks: tuple[MediaBreak, ...]
    candidates: tuple[Candidate, ...]
    media: dict[str, ElementMedium]
    automated: tuple[str, ...]
    not_candidates: tuple[str, ...]
    tasks: int
    automation_share: float
    systems: tuple[str, ...] = ()  # the `pa:system` names the model writes, each once

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form (see ANALYSIS.md section 4 for the compared keys)."""
        return {
            "vocabulary_version": self.vocabulary_version,
            "media_breaks": [b.as_dict() for b in self.media_breaks],
            "automation_candidates": [c.as_dict() for c in self.candidates],
            "media": {k: v.medium for k, v in self.media.items() if v.medium is not None},
            "automated": list(self.automated),
            "counts": {
                "media_breaks": len(self.media_breaks),
                "media_breaks_high": sum(1 for b in self.media_breaks if b.severity == "high"),
                "automation_candidates": len(self.candidates),
                "tasks": self.tasks,
                "automated": len(self.automated),
            },
            "automation_share": self.automation_share,
            "systems": list(self.systems),
        }


def analyse_graph(graph: Graph, vocabulary: Vocabulary | None = None) -> Analysis:
    """Analyse an already built element graph."""
    return _analyse_graph(graph, vocabulary or load_vocabulary())


def _analyse_graph(graph: Graph, vocabulary: Vocabulary) -> Analysis:
    reader = Reader(graph, vocabulary)
    media = resolve_media(graph, reader)
    explicit, changes = explicit_breaks(graph, media, reader)
    breaks = (
        flow_breaks(graph, media)
        + data_breaks(graph, media)
        + explicit
        + message_breaks(graph, media)
    )
    automation: AutomationResult = classify_tasks(graph, media, reader, changes, breaks)
    return Analysis(
        vocabulary_version=vocabulary.version,
        language=reader.language,
        media_breaks=tuple(breaks),
        candidates=automation.candidates,
        media=media,
        automated=automation.automated,
        not_candidates=automation.not_candidates,
        tasks=automation.tasks,
        automation_share=automation.share,
        systems=named_systems(graph),
    )


def named_systems(graph: Graph) -> tuple[str, ...]:
    """The `pa:system` names written on the model's elements, as first written, each once."""
    written = itertools.chain(
        (node.system for node in graph.nodes.values()),
        (data.system for data in graph.data.values()),
        (flow.system for flow in graph.message_flows),
    )
    names: dict[str, str] = {}
    for name in written:
        if name and name.strip():
            names.setdefault(name.strip().casefold(), name.strip())
    return tuple(names.values())


def analyse(tree: etree._ElementTree, vocabulary: Vocabulary | None = None) -> Analysis:
    """Media breaks and automation candidates of a parsed BPMN document."""
    return _analyse_graph(build_graph(tree), vocabulary or load_vocabulary())
