"""Authorization: who may do what in which office. Every service checks here."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session, aliased

from app.errors import Forbidden, NotFound
from app.models import Membership, Office, Role, User

_CACHE = "prozessatlas.roles"
_ONE_CACHE = "prozessatlas.role_on"


def forget_roles(session: Session) -> None:
    """Drop the roles cached in this session (after offices or memberships change)."""
    session.info.pop(_CACHE, None)
    session.info.pop(_ONE_CACHE, None)


def effective_roles(session: Session, user: User) -> dict[int, Role]:
    """The user's role on every office they can see; a role holds for all sub-offices.

    Cached per session (one request or one CLI run), so a request checks roles with two queries.
    """
    cache: dict[int, dict[int, Role]] = session.info.setdefault(_CACHE, {})
    if user.id not in cache:
        cache[user.id] = _compute_roles(session, user)
    return cache[user.id]


def _compute_roles(session: Session, user: User) -> dict[int, Role]:
    direct = {
        office_id: Role(role)
        for office_id, role in session.execute(
            select(Membership.office_id, Membership.role).where(Membership.user_id == user.id)
        )
    }
    parents: dict[int, int | None] = dict(
        session.execute(select(Office.id, Office.parent_id)).all()
    )
    if user.is_admin:
        return dict.fromkeys(parents, Role.ADMIN)
    if not direct:
        return {}
    roles: dict[int, Role] = {}
    for office_id in parents:
        best: Role | None = None
        node: int | None = office_id
        seen: set[int] = set()
        while node is not None and node not in seen:
            seen.add(node)
            role = direct.get(node)
            if role is not None and (best is None or role.rank > best.rank):
                best = role
            node = parents.get(node)
        if best is not None:
            roles[office_id] = best
    return roles


def role_on(session: Session, user: User, office_id: int) -> Role | None:
    """The user's role on one office (None: they cannot see it), the strongest on its chain.

    One small query over the office's ancestors instead of loading every office: a single
    check stays cheap in cities with hundreds of offices. Cached per session like
    `effective_roles`, which answers directly when it has already been computed.
    """
    every: dict[int, Role] | None = session.info.get(_CACHE, {}).get(user.id)
    if every is not None:
        return every.get(office_id)
    cache: dict[tuple[int, int], Role | None] = session.info.setdefault(_ONE_CACHE, {})
    if (user.id, office_id) not in cache:
        cache[user.id, office_id] = _compute_role_on(session, user, office_id)
    return cache[user.id, office_id]


def _role_chain_query() -> Select[int, str]:
    # UNION (not UNION ALL) drops rows already seen, so a corrupt parent cycle still terminates,
    # just like the `seen` guard of `_compute_roles`.
    chain = (
        select(Office.id, Office.parent_id)
        .where(Office.id == bindparam("office_id"))
        .cte("office_chain", recursive=True)
    )
    parent = aliased(Office)
    chain = chain.union(
        select(parent.id, parent.parent_id).join(chain, parent.id == chain.c.parent_id)
    )
    return (
        select(chain.c.id, Membership.role)
        .select_from(chain)
        .outerjoin(
            Membership,
            (Membership.office_id == chain.c.id) & (Membership.user_id == bindparam("user_id")),
        )
    )


# Built once: constructing the CTE costs more than running it.
_ROLE_CHAIN = _role_chain_query()


def _compute_role_on(session: Session, user: User, office_id: int) -> Role | None:
    rows = session.execute(_ROLE_CHAIN, {"office_id": office_id, "user_id": user.id}).all()
    if not rows:
        return None  # no such office
    if user.is_admin:
        return Role.ADMIN
    roles = [Role(role) for _, role in rows if role is not None]
    return max(roles, key=lambda role: role.rank) if roles else None


@dataclass(frozen=True)
class Permissions:
    """What a user may do in an office: read its processes, model (save versions, create
    processes), own (edit metadata, archive, release), administer (offices, roles)."""

    can_read: bool = False
    can_model: bool = False
    can_own: bool = False
    can_admin: bool = False

    @classmethod
    def of(cls, role: Role | None) -> Permissions:
        if role is None:
            return cls()
        return cls(
            can_read=True,
            can_model=role.rank >= Role.MODELER.rank,
            can_own=role.rank >= Role.OWNER.rank,
            can_admin=role.rank >= Role.ADMIN.rank,
        )


NOTHING = Permissions()


def permissions(session: Session, user: User, office_id: int) -> Permissions:
    """What `user` may do in one office (inherited roles included)."""
    return Permissions.of(role_on(session, user, office_id))


def anywhere(session: Session, user: User) -> Permissions:
    """What `user` may do in at least one office (e.g. whether to offer "Neuer Prozess")."""
    roles = effective_roles(session, user).values()
    return Permissions.of(max(roles, key=lambda role: role.rank)) if roles else NOTHING


def offices_where(session: Session, user: User, needed: Role) -> set[int]:
    """The offices in which `user` has at least the role `needed`."""
    return {
        office_id
        for office_id, role in effective_roles(session, user).items()
        if role.rank >= needed.rank
    }


def require(session: Session, user: User, office_id: int, needed: Role, what: str = "") -> Role:
    """Raise NotFound when the user cannot see the office, Forbidden when their role is too weak."""
    role = role_on(session, user, office_id)
    if role is None:
        raise NotFound(f"{what or 'Ressource'} nicht gefunden.", f"{what or 'Resource'} not found.")
    if role.rank < needed.rank:
        raise Forbidden(
            f"Dafür ist die Rolle „{needed.value}“ nötig (Ihre Rolle: {role.value}).",
            f"This needs the role '{needed.value}' (your role: {role.value}).",
        )
    return role


def require_admin(user: User) -> None:
    if not user.is_admin:
        raise Forbidden("Nur für Administrator:innen.", "Administrators only.")
