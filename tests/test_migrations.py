"""The Alembic chain is the only source of the schema: it matches the models and runs both ways."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import DBAPIError

from app import migrate
from app.db import Base


def test_migrated_schema_matches_the_models(database_url: str) -> None:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def test_downgrade_to_base_and_upgrade_again(database_url: str) -> None:
    config = migrate.alembic_config(database_url)
    command.downgrade(config, "base")
    engine = create_engine(database_url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    command.upgrade(config, "head")
    engine = create_engine(database_url)
    assert {t.name for t in Base.metadata.sorted_tables} <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_audit_log_is_append_only_in_the_database(database_url: str) -> None:
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO audit_event (at, action, entity, entity_id) "
                "VALUES (CURRENT_TIMESTAMP, 'test', 'test', '1')"
            )
        )
    for statement in ("UPDATE audit_event SET action = 'forged'", "DELETE FROM audit_event"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT action FROM audit_event")).scalars().all() == [
            "test"
        ]
    engine.dispose()
