"""Test fixtures: a migrated database (SQLite or PostgreSQL), the app and an HTTP client.

`PROZESSATLAS_TEST_DB=postgresql` runs the suite on PostgreSQL (database `prozessatlas_test`
on 127.0.0.1, created if missing); the default is SQLite. Each test gets an empty, migrated
database: a copy of a migrated SQLite template, or truncated PostgreSQL tables.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from app import migrate
from app.db import Base, Database
from app.main import create_app
from app.models import Office
from tests.factories import Actor, make_office, make_user

SHARED = Path(__file__).resolve().parents[2] / "shared"
BACKEND = os.environ.get("PROZESSATLAS_TEST_DB", "sqlite")
PG_SERVER = os.environ.get("PROZESSATLAS_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
# One database per test run, so parallel runs on one server never meet.
PG_NAME = f"prozessatlas_test_{os.getpid()}"


def pytest_report_header() -> str:
    return f"database backend: {BACKEND}"


def _pg_admin(statement: str) -> None:
    engine = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(statement))
    engine.dispose()


@pytest.fixture(scope="session")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database: a template file for SQLite, the test database for PostgreSQL."""
    if BACKEND == "postgresql":
        _pg_admin(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')
        _pg_admin(f'CREATE DATABASE "{PG_NAME}"')
        url = f"{PG_SERVER}/{PG_NAME}"
        migrate.upgrade(url)
        yield url
        _pg_admin(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'template.db'}"
        migrate.upgrade(url)
        yield url


@pytest.fixture
def database_url(_template: str, tmp_path: Path) -> Iterator[str]:
    if BACKEND == "postgresql":
        yield _template
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        engine = create_engine(_template)
        with engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        engine.dispose()
    else:
        path = tmp_path / "test.db"
        shutil.copyfile(_template.removeprefix("sqlite:///"), path)
        yield f"sqlite:///{path}"


@pytest.fixture
def app(database_url: str) -> Iterator[FastAPI]:
    application = create_app(database_url)
    yield application
    application.state.db.dispose()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def db(app: FastAPI) -> Iterator[Session]:
    """A session on the app's database for arranging and checking state (commit yourself)."""
    database: Database = app.state.db
    with database.session() as session:
        yield session


@pytest.fixture
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the repository")
    return SHARED


@pytest.fixture
def admin(db: Session) -> Actor:
    return make_user(db, "admin", admin=True)


@pytest.fixture
def office(db: Session, admin: Actor) -> Office:
    return make_office(db, "buergeramt")
