"""The office tree of the catalogue page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from app.models import Office


@dataclass
class OfficeNode:
    office: Office
    children: list[OfficeNode] = field(default_factory=list)


def office_tree(offices: Sequence[Office]) -> list[OfficeNode]:
    """Offices as a forest; an office whose parent the user cannot see becomes a root."""
    nodes = {office.id: OfficeNode(office) for office in offices}
    roots: list[OfficeNode] = []
    for office in sorted(offices, key=lambda o: (o.name.casefold(), o.id)):
        node = nodes[office.id]
        parent = nodes.get(office.parent_id) if office.parent_id is not None else None
        (parent.children if parent is not None else roots).append(node)
    return roots


def subtree_ids(offices: Sequence[Office], root_id: int) -> set[int]:
    """`root_id` and all offices below it."""
    children: dict[int, list[int]] = {}
    for office in offices:
        if office.parent_id is not None:
            children.setdefault(office.parent_id, []).append(office.id)
    found: set[int] = set()
    stack = [root_id]
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, []))
    return found
