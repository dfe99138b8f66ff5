"""Catalogue-wide look-ups across the processes a user can see."""

from __future__ import annotations

import base64
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, select, text, tuple_
from sqlalchemy.orm import Session

from app.errors import Unprocessable
from app.models import OfficeSystem, Process, Role, User
from app.schemas import ProcessRead
from app.services import access
from app.services.processes import _Latest, _read_query, _to_read


def systems(session: Session, *, actor: User) -> list[str]:
    """Distinct `pa:system` names in the newest versions the actor can see, sorted.

    Read from the per-office counts kept at save time (`system_names`); a name written in
    different cases is listed once, in the spelling that sorts first.
    """
    query = select(OfficeSystem.name).distinct()
    if not actor.is_admin:  # an admin sees every office
        query = query.where(
            OfficeSystem.office_id.in_(list(access.effective_roles(session, actor)))
        )
    names: dict[str, str] = {}
    for name in sorted(session.scalars(query)):
        names.setdefault(name.casefold(), name)
    return sorted(names.values(), key=str.casefold)


# --- the process lists (catalogue page and GET /processes) ------------------------------------

# Beyond this, `offset` paging is refused: the database would read and skip every row before it.
MAX_OFFSET = 10_000
# A status filter needs each process's newest version: its total is counted up to this bound.
COUNT_BOUND = 10_000


@dataclass(frozen=True)
class ProcessList:
    """One page of a list; `total_exact` is False when `total` is the bound of a bounded count."""

    total: int
    total_exact: bool
    items: list[ProcessRead]
    next_cursor: str | None


def encode_cursor(read: ProcessRead) -> str:
    """An opaque position after `read` in the list's order (newest change first, then id)."""
    raw = f"{read.updated_at.isoformat()}|{read.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, _, ident = raw.partition("|")
        at = datetime.fromisoformat(stamp)
        if at.tzinfo is None:
            raise ValueError(stamp)
        return at, int(ident)
    except (ValueError, UnicodeDecodeError):
        raise Unprocessable(
            "Der Wert von „cursor“ ist ungültig. Verwenden Sie „next_cursor“ aus der vorigen Antwort.",
            "The value of 'cursor' is not valid. Use 'next_cursor' from the previous response.",
            code="invalid_cursor",
        ) from None


def list_processes(
    session: Session,
    *,
    actor: User,
    office_id: int | None = None,
    within: Collection[int] | None = None,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
    cursor: str | None = None,
    archived: bool = False,
) -> ProcessList:
    """Processes the actor can see, newest change first (id breaking ties), with the newest
    version's state; `cursor` continues after the last item of a page (keyset paging), `offset`
    skips rows (up to `MAX_OFFSET`).

    `office_id` asks for one office (403/404 if the actor may not read it); `within` narrows the
    list to those of a set of offices (an office with its sub-offices). Archived processes are
    not listed, or only they with `archived` (few: read without the list indexes). Each page is read in index order (ADR 0015): its cost does not grow with the
    catalogue; the total is an exact count of the process rows, or a count bounded by
    `COUNT_BOUND` when a status filter needs the newest versions.
    """
    if offset > MAX_OFFSET:
        raise Unprocessable(
            f"„offset“ darf höchstens {MAX_OFFSET} sein. Blättern Sie weiter mit „cursor“ "
            "(der Wert „next_cursor“ jeder Antwort).",
            f"'offset' may be at most {MAX_OFFSET}. Page on with 'cursor' "
            "(the value 'next_cursor' of each response).",
            code="offset_too_large",
        )
    roles = access.effective_roles(session, actor)
    visible: Collection[int] | None = None if actor.is_admin else list(roles)
    if office_id is not None:
        access.require(session, actor, office_id, Role.READER, "Dienststelle")
        visible = [office_id]
    if within is not None:
        visible = [o for o in (roles if visible is None else visible) if o in within]
    conditions: list[ColumnElement[bool]] = [
        Process.archived_at.is_not(None) if archived else Process.archived_at.is_(None)
    ]
    if visible is not None:
        conditions.append(Process.office_id.in_(visible))
    if status is not None:
        conditions.append(_Latest.status == status)
    if status is None:
        total = session.scalar(select(func.count(Process.id)).where(*conditions)) or 0
        exact = True
    else:
        bounded = (
            select(Process.id)
            .join(
                _Latest,
                and_(_Latest.process_id == Process.id, _Latest.number == Process.latest_version),
            )
            .where(*conditions)
            .limit(COUNT_BOUND + 1)
            .subquery()
        )
        counted = session.scalar(select(func.count()).select_from(bounded)) or 0
        total, exact = min(counted, COUNT_BOUND), counted <= COUNT_BOUND
    page = _read_query().where(*conditions)
    if cursor is not None:
        at, ident = decode_cursor(cursor)
        page = page.where(tuple_(Process.updated_at, Process.id) < tuple_(at, ident))
    rows = session.execute(
        page.order_by(Process.updated_at.desc(), Process.id.desc()).limit(limit + 1).offset(offset)
    ).all()
    items = [_to_read(*row) for row in rows[:limit]]
    more = len(rows) > limit
    return ProcessList(total, exact, items, encode_cursor(items[-1]) if more else None)


def refresh_statistics(session: Session) -> None:
    """Have the database measure its tables again, after a bulk import or at start.

    The lists' plans depend on it: without statistics SQLite takes the status index for a
    status that most versions have and sorts the whole catalogue; PostgreSQL counts by reading
    every process row until VACUUM has marked the table's pages all-visible, which lets the
    count read the list index alone, and a status filter's count the version index too
    (ADR 0015). Autovacuum does both on PostgreSQL within
    minutes of a bulk load; SQLite never measures by itself. About 1 s at 100 000 processes.
    """
    if session.get_bind().dialect.name != "postgresql":
        session.execute(text("ANALYZE"))
        return
    # VACUUM runs outside a transaction: on a connection of its own, in autocommit mode.
    engine = session.get_bind().engine
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM (ANALYZE) process, process_version"))
        connection.execute(text("ANALYZE office_system"))
