"""The append-only audit log."""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict, Unpack, cast

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from app.models import AuditEvent, User

_AUDIT = cast(Table, AuditEvent.__table__)


class What(TypedDict):
    """Who did what to which entity, with the state before and after."""

    actor: User | None
    action: str
    entity: str
    entity_id: object
    office_id: NotRequired[int | None]
    before: NotRequired[dict[str, Any] | None]
    after: NotRequired[dict[str, Any] | None]


def event(**what: Unpack[What]) -> dict[str, Any]:
    """One event as a row of the log."""
    actor = what["actor"]
    return {
        "actor_id": actor.id if actor else None,
        "action": what["action"],
        "entity": what["entity"],
        "entity_id": str(what["entity_id"]),
        "office_id": what.get("office_id"),
        "before": what.get("before"),
        "after": what.get("after"),
    }


def record(session: Session, **what: Unpack[What]) -> None:
    """Append one event, flushed with the session's other changes."""
    session.add(AuditEvent(**event(**what)))


def record_many(session: Session, events: list[dict[str, Any]]) -> None:
    """Append many events (rows from `event`) in one statement, in order, at once.

    They skip the unit of work, which inserts one row at a time where it must fetch generated
    ids (as on SQLite); nobody needs their ids.
    """
    if events:
        session.execute(insert(_AUDIT), events)
