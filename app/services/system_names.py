"""The IT systems (`pa:system`) named per office, counted at save time (ADR 0015).

`office_system` holds, for each office and name, how many processes of the office name the system
in their newest version. Storing a version moves its process's names from the previous newest
version to the new one in the same transaction, so reading the names of a whole catalogue is one
query over a few hundred rows instead of decoding every model's analysis.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import OfficeSystem, ProcessVersion
from app.services import counts

# Longer names are cut: a system name is a short label, and the key of an index row.
MAX_NAME = 200


def names_in(analysis: Any, document: bytes | Callable[[], bytes]) -> list[str]:
    """The system names of a version from its stored analysis; from the document itself (parsed
    again) for a version analysed before the analysis listed them."""
    if isinstance(analysis, str):
        analysis = json.loads(analysis)
    if isinstance(analysis, dict) and isinstance(analysis.get("systems"), list):
        written = [str(name) for name in analysis["systems"]]
    else:
        from app.bpmn.analysis import named_systems
        from app.bpmn.graph import build_graph
        from app.bpmn.parse import UnsafeOrInvalidXml, parse_bpmn

        xml = document if isinstance(document, bytes) else document()
        try:
            written = list(named_systems(build_graph(parse_bpmn(xml, max_bytes=len(xml) + 1))))
        except UnsafeOrInvalidXml:  # not a readable model: it names nothing
            written = []
    unique: dict[str, str] = {}
    for name in written:
        cut = name.strip()[:MAX_NAME]
        if cut:
            unique.setdefault(cut, cut)
    return list(unique)


def names_of_version(session: Session, process_id: int, number: int) -> list[str]:
    """The names written in version `number` of a process (none for number 0)."""
    if number < 1:
        return []
    row = session.execute(
        select(ProcessVersion.id, ProcessVersion.analysis).where(
            ProcessVersion.process_id == process_id, ProcessVersion.number == number
        )
    ).first()
    if row is None:
        return []

    def document() -> bytes:
        return session.scalars(select(ProcessVersion.xml).where(ProcessVersion.id == row.id)).one()

    return names_in(row.analysis, document)


def add(session: Session, changes: Counter[tuple[int, str]]) -> None:
    """Apply count changes per (office, name); a count that reaches zero is removed."""
    counts.apply(session, OfficeSystem, ("office_id", "name"), changes)


def replace(
    session: Session, *, office_id: int, before: Iterable[str], after: Iterable[str]
) -> None:
    """A process of `office_id` named `before` in its newest version and now names `after`."""
    old, new = set(before), set(after)
    changes: Counter[tuple[int, str]] = Counter()
    for name in old - new:
        changes[office_id, name] -= 1
    for name in new - old:
        changes[office_id, name] += 1
    add(session, changes)
