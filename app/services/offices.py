"""Offices (Dezernat → Amt → Abteilung) and role memberships."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import Conflict, NotFound, Unprocessable
from app.models import Membership, Office, Role, User
from app.schemas import MemberCreate, OfficeCreate
from app.services import access, audit


def create(session: Session, *, actor: User | None, data: OfficeCreate) -> Office:
    """Create an office; top-level offices need a global admin, sub-offices an admin of the parent.

    `actor=None` is the command line, which needs no role.
    """
    if actor is not None and data.parent_id is None:
        access.require_admin(actor)
    elif actor is not None and data.parent_id is not None:
        access.require(session, actor, data.parent_id, Role.ADMIN, "Übergeordnete Dienststelle")
    if data.parent_id is not None and session.get(Office, data.parent_id) is None:
        raise Unprocessable(
            "Die übergeordnete Dienststelle gibt es nicht.", "The parent office does not exist."
        )
    if session.scalar(select(Office.id).where(Office.key == data.key)) is not None:
        raise Conflict(
            f"Eine Dienststelle mit dem Schlüssel „{data.key}“ gibt es schon.",
            f"An office with key '{data.key}' already exists.",
        )
    office = Office(key=data.key, name=data.name, kind=data.kind, parent_id=data.parent_id)
    session.add(office)
    session.flush()
    access.forget_roles(session)
    audit.record(
        session,
        actor=actor,
        action="office.create",
        entity="office",
        entity_id=office.id,
        office_id=office.id,
        after=data.model_dump(),
    )
    return office


def visible(session: Session, *, actor: User, limit: int, offset: int) -> tuple[int, list[Office]]:
    """Offices the actor has a role on (directly or through a parent office)."""
    ids = list(access.effective_roles(session, actor))
    if not ids:
        return 0, []
    query = select(Office).where(Office.id.in_(ids)).order_by(Office.name, Office.id)
    return len(ids), list(session.scalars(query.limit(limit).offset(offset)))


@dataclass
class OfficeNode:
    office: Office
    children: list[OfficeNode] = field(default_factory=list)


@dataclass(frozen=True)
class OfficeTree:
    """The offices an actor can see, as a forest (an office whose parent the actor cannot see
    is a root), sorted by name on every level."""

    roots: list[OfficeNode]
    offices: dict[int, Office]

    def subtree_ids(self, root_id: int) -> set[int]:
        """`root_id` and every visible office below it."""
        children: dict[int, list[int]] = {}
        for office in self.offices.values():
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


def as_tree(offices: Sequence[Office]) -> OfficeTree:
    """Offices as a forest; an office whose parent is not among them becomes a root."""
    nodes = {office.id: OfficeNode(office) for office in offices}
    roots: list[OfficeNode] = []
    for office in sorted(offices, key=lambda o: (o.name.casefold(), o.id)):
        node = nodes[office.id]
        parent = nodes.get(office.parent_id) if office.parent_id is not None else None
        (parent.children if parent is not None else roots).append(node)
    return OfficeTree(roots, {office.id: office for office in offices})


def tree(session: Session, *, actor: User) -> OfficeTree:
    """Every office the actor can see, as a tree."""
    ids = list(access.effective_roles(session, actor))
    if not ids:
        return OfficeTree([], {})
    offices = session.scalars(select(Office).where(Office.id.in_(ids)).order_by(Office.id))
    return as_tree(list(offices))


def get(session: Session, *, actor: User, office_id: int) -> Office:
    access.require(session, actor, office_id, Role.READER, "Dienststelle")
    office = session.get(Office, office_id)
    if office is None:
        raise NotFound("Dienststelle nicht gefunden.", "Office not found.")
    return office


def by_key(session: Session, key: str) -> Office | None:
    return session.scalar(select(Office).where(Office.key == key))


def grant(
    session: Session, *, actor: User | None, office_id: int, data: MemberCreate
) -> tuple[Membership, User]:
    """Give `data.username` a role on the office (replacing any earlier role there)."""
    if actor is not None:
        access.require(session, actor, office_id, Role.ADMIN, "Dienststelle")
    user = session.scalar(select(User).where(User.username == data.username))
    if user is None:
        raise Unprocessable(
            f"Benutzer „{data.username}“ gibt es nicht.", f"User '{data.username}' does not exist."
        )
    membership = session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.office_id == office_id)
    )
    before = {"role": membership.role} if membership else None
    if membership is None:
        membership = Membership(user_id=user.id, office_id=office_id, role=data.role.value)
        session.add(membership)
    else:
        membership.role = data.role.value
    session.flush()
    access.forget_roles(session)
    audit.record(
        session,
        actor=actor,
        action="membership.grant",
        entity="membership",
        entity_id=membership.id,
        office_id=office_id,
        before=before,
        after={"username": user.username, "role": data.role.value},
    )
    return membership, user


def members(session: Session, *, actor: User, office_id: int) -> list[tuple[Membership, User]]:
    access.require(session, actor, office_id, Role.OWNER, "Dienststelle")
    rows = session.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.office_id == office_id)
        .order_by(User.username)
    )
    return [(membership, user) for membership, user in rows]


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Office)) or 0
