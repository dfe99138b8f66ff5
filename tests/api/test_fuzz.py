"""Property-based fuzzing of the whole API from its OpenAPI document: never a 5xx.

Schemathesis generates requests for every operation (valid ones and, in its negative phase,
schema-violating ones) against the app in-process, on the database of the run (SQLite or
PostgreSQL), as an admin, with an office and a process with a version in place so that ids
can hit something. The budget (examples per operation) is small enough to stay well under two
minutes per database on two cores: see ADR 0011. Raise it locally with PROZESSATLAS_FUZZ_EXAMPLES.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlalchemy.orm import Session

from app.main import create_app
from tests.factories import Actor, bpmn, make_office, make_process

EXAMPLES = int(os.environ.get("PROZESSATLAS_FUZZ_EXAMPLES", "25"))

# The document comes from an app on a throwaway database (building it touches no database);
# each test then sends its requests to the app of its own, migrated test database.
_SCHEMA_DIR = tempfile.mkdtemp(prefix="prozessatlas-fuzz-")
schema = schemathesis.openapi.from_dict(create_app(f"sqlite:///{_SCHEMA_DIR}/schema.db").openapi())


@pytest.fixture
def target(app: FastAPI, db: Session, admin: Actor) -> tuple[FastAPI, dict[str, str]]:
    office = make_office(db, "amt")
    make_process(db, office, admin, "antrag", xml=bpmn(["Antrag prüfen"]))
    return app, admin.headers


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_request_gets_a_server_error(case: Any, target: tuple[FastAPI, dict[str, str]]) -> None:
    app, headers = target
    case.call_and_validate(
        app=app,
        headers=headers,
        checks=[not_a_server_error, response_schema_conformance],
    )
