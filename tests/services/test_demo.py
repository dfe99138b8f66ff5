"""The demo catalogue is data: app/demo/catalogue.toml and the BPMN files beside it."""

from __future__ import annotations

import tomllib

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Office, Process, ProcessVersion
from app.services import demo
from tests.factories import Actor


def test_seed_demo_loads_every_listed_process_from_its_file(db: Session, admin: Actor) -> None:
    catalogue = tomllib.loads((demo.DEMO_DIR / "catalogue.toml").read_text("utf-8"))
    files = {entry["file"] for entry in catalogue["processes"]}
    assert files == {path.name for path in (demo.DEMO_DIR / "models").glob("*.bpmn")}

    created = demo.seed(db, admin=admin.user)
    db.commit()
    assert created == len(catalogue["processes"])
    assert {o.key for o in db.scalars(select(Office))} == {o["key"] for o in catalogue["offices"]}
    rows = db.execute(
        select(
            Process.key, ProcessVersion.xml, ProcessVersion.xsd_valid, ProcessVersion.filename
        ).join(ProcessVersion, ProcessVersion.process_id == Process.id)
    ).all()
    by_file = {row.filename: row for row in rows}
    for entry in catalogue["processes"]:
        row = by_file[entry["file"]]
        assert row.key == entry["key"]
        assert row.xml == (demo.DEMO_DIR / "models" / entry["file"]).read_bytes()  # as stored
        assert row.xsd_valid, entry["file"]
    assert demo.seed(db, admin=admin.user) == 0  # idempotent
