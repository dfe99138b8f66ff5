"""Counters kept at save time: rows of (two key columns, `processes`), moved up and down in the
transaction that stores a version (the IT systems per office, the glossary's usage per office).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.orm import Session


def insert_for(session: Session) -> Any:
    """Each dialect's INSERT … ON CONFLICT (imported when used: the CLI's import path stays light)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert


def apply(
    session: Session,
    model: Any,
    keys: tuple[str, str],
    changes: Mapping[tuple[Any, Any], int],
) -> None:
    """Add `changes` to `model.processes` per key pair; a count that reaches zero is removed.

    Rows are touched in key order, so concurrent saves lock them in the same order (no deadlock).
    """
    first, second = (getattr(model, key) for key in keys)
    rises = sorted((key, n) for key, n in changes.items() if n > 0)
    falls = sorted((key, n) for key, n in changes.items() if n < 0)
    if rises:
        upsert = insert_for(session)(model)
        session.execute(
            upsert.on_conflict_do_update(
                index_elements=[first, second],
                set_={"processes": model.processes + upsert.excluded.processes},
            ),
            [{keys[0]: a, keys[1]: b, "processes": n} for (a, b), n in rises],
        )
    for (a, b), n in falls:
        session.execute(
            update(model)
            .where(first == a, second == b)
            .values(processes=model.processes + n)
            .execution_options(synchronize_session=False)
        )
    if falls:
        session.execute(
            delete(model).where(model.processes <= 0).execution_options(synchronize_session=False)
        )
