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
from app.models import described_by_models


def test_migrated_schema_matches_the_models(database_url: str) -> None:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                # the search index's FTS5 table (SQLite) and GIN index (PostgreSQL)
                "include_name": lambda name, type_, _parents: described_by_models(
                    name, type_, reflected=True
                ),
            },
        )
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


def test_moving_the_documents_to_the_end_keeps_every_version(database_url: str) -> None:
    # given a database at revision 0001 holding a version
    config = migrate.alembic_config(database_url)
    command.downgrade(config, "0001")
    engine = create_engine(database_url)
    document = b'<?xml version="1.0"?><definitions xmlns="urn:x"/>' + bytes(range(256)) * 200
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO office (key, name, kind, created_at) "
                "VALUES ('amt', 'Amt', 'amt', CURRENT_TIMESTAMP)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO process (office_id, key, title, description, tags, latest_version, "
                "created_at, updated_at) "
                "VALUES (1, 'p', 'P', '', '[]', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO process_version (process_id, number, xml, sha256, size, content_type,"
                " created_at, change_note, xsd_valid, errors, status, analysis,"
                " media_break_count, candidate_count) VALUES (1, 1, :xml, 'abc', :size,"
                " 'application/xml', CURRENT_TIMESTAMP, 'n', false, '[]', 'draft', '{\"a\": 1}',"
                " 2, 3)"
            ),
            {"xml": document, "size": len(document)},
        )
    engine.dispose()

    # when migrated to the newest revision
    command.upgrade(config, "head")

    # then the version is unchanged, and on SQLite the documents are the last columns
    engine = create_engine(database_url)
    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT xml, size, analysis, media_break_count FROM process_version")
        ).one()
    columns = [c["name"] for c in inspect(engine).get_columns("process_version")]
    engine.dispose()
    assert (bytes(row.xml), row.size, row.media_break_count) == (document, len(document), 2)
    assert "a" in str(row.analysis)
    if database_url.startswith("sqlite"):
        assert columns[-2:] == ["analysis", "xml"]
