"""`prozessatlas reindex-glossary`: the glossary of a database from before it, collected again."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app import cli
from app.config import settings
from app.models import GlossaryOccurrence, GlossaryUsage, Office
from tests.factories import Actor, make_process
from tests.glossary.models import model


def test_reindex_collects_what_saves_would_have_kept(
    client: TestClient,
    db: Session,
    admin: Actor,
    office: Office,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # given two processes whose glossary rows are gone (as in a database migrated to 0007)
    make_process(db, office, admin, "a", xml=model(systems=["OK.EWO"], documents=["Antrag (PDF)"]))
    make_process(db, office, admin, "b", xml=model(systems=["OK.EWO"]))
    kept = sorted(db.execute(select(GlossaryOccurrence.process_id, GlossaryOccurrence.name)).all())
    db.execute(delete(GlossaryUsage))
    db.execute(delete(GlossaryOccurrence))
    db.commit()

    # when the command runs
    monkeypatch.setattr(settings, "database_url", database_url)
    cli.main(["reindex-glossary"])

    # then the rows are back, and the API counts both processes again
    assert "glossary collected from 2 processes" in capsys.readouterr().out
    db.expire_all()
    assert (
        sorted(db.execute(select(GlossaryOccurrence.process_id, GlossaryOccurrence.name)).all())
        == kept
    )
    assert db.scalar(select(func.count()).select_from(GlossaryUsage)) > 0
    systems = client.get("/api/v1/glossary?kind=system", headers=admin.headers).json()
    assert [(s["name"], s["processes"]) for s in systems["items"]] == [("OK.EWO", 2)]


def test_an_empty_glossary_is_collected_on_start_once(
    db: Session, admin: Actor, office: Office
) -> None:
    from app.services import glossary

    make_process(db, office, admin, "a", xml=model(systems=["OK.EWO"]))
    db.execute(delete(GlossaryUsage))
    db.execute(delete(GlossaryOccurrence))
    db.commit()

    assert glossary.fill_if_empty(db) == 1  # a database migrated from before the glossary
    db.commit()
    assert db.scalar(select(func.count()).select_from(GlossaryOccurrence)) > 0
    assert glossary.fill_if_empty(db) == 0  # kept: nothing is collected twice
