"""The append-only audit log."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from app.models import AuditEvent, User

_AUDIT = cast(Table, AuditEvent.__table__)


def event(
    *,
    actor: User | None,
    action: str,
    entity: str,
    entity_id: object,
    office_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One event as a row: who did what to which entity, with the state before and after."""
    return {
        "actor_id": actor.id if actor else None,
        "action": action,
        "entity": entity,
        "entity_id": str(entity_id),
        "office_id": office_id,
        "before": before,
        "after": after,
    }


def record(
    session: Session,
    *,
    actor: User | None,
    action: str,
    entity: str,
    entity_id: object,
    office_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Append one event (see `event`), flushed with the session's other changes."""
    row = event(
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        office_id=office_id,
        before=before,
        after=after,
    )
    session.add(AuditEvent(**row))


def record_many(session: Session, events: list[dict[str, Any]]) -> None:
    """Append many events (rows from `event`) in one statement, in order, at once.

    They skip the unit of work, which inserts one row at a time where it must fetch generated
    ids (as on SQLite); nobody needs their ids.
    """
    if events:
        session.execute(insert(_AUDIT), events)
