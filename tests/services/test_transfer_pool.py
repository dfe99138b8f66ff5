"""Large imports check their files in worker processes: same report, same rows as inline."""

from __future__ import annotations

import threading
from concurrent.futures import Future
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEvent, Office, Process, ProcessVersion
from app.services import transfer
from app.services.transfer import checking, files
from tests.factories import Actor, bpmn, make_office

BROKEN = b'<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"'
INVALID = bpmn(["Antrag prüfen"], name="Ungültig").replace(
    b'isExecutable="false"', b'isExecutable="vielleicht"'
)


def _folder(root: Path) -> Path:
    root.mkdir()
    for n in range(20):
        (root / f"modell-{n:02}.bpmn").write_bytes(bpmn([f"Schritt {n}", "Prüfen"], name=f"P{n}"))
    (root / "kaputt.bpmn").write_bytes(BROKEN)
    (root / "ungültig.bpmn").write_bytes(INVALID)
    (root / "kein-bpmn.xml").write_bytes(b"<root/>")
    (root / "liesmich.txt").write_text("Hallo")
    return root


def _import(
    db: Session, folder: Path, office: Office, pool_from: int, monkeypatch: pytest.MonkeyPatch
) -> transfer.Report:
    monkeypatch.setattr(checking, "POOL_MIN_FILES", pool_from)
    report = transfer.import_path(db, folder, office_key=office.key, username="admin")
    db.commit()
    return report


def _stored(db: Session, office: Office) -> dict[str, tuple[object, ...]]:
    rows = db.execute(
        select(Process.key, ProcessVersion)
        .join(ProcessVersion, ProcessVersion.process_id == Process.id)
        .where(Process.office_id == office.id)
    )
    return {
        key: (v.number, v.sha256, v.xsd_valid, v.errors, v.media_break_count, v.analysis_version)
        for key, v in rows
    }


def test_pool_and_inline_import_agree(
    db: Session, admin: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given one folder imported into two offices, once inline and once with worker processes
    folder = _folder(tmp_path / "modelle")
    inline_office = make_office(db, "inline")
    pooled_office = make_office(db, "pool")
    monkeypatch.setattr(threading, "active_count", lambda: 1)  # pytest may run helper threads
    used: list[object] = []
    check_pool = files.check_pool
    monkeypatch.setattr(files, "check_pool", lambda n: used.append(p := check_pool(n)) or p)

    # when
    inline = _import(db, folder, inline_office, 10**9, monkeypatch)
    pooled = _import(db, folder, pooled_office, 1, monkeypatch)

    # then the second import used the pool, and nothing differs
    assert used[0] is None
    assert used[1] is not None
    assert [(e.path, e.outcome, e.reason, e.process_key) for e in pooled.entries] == [
        (e.path, e.outcome, e.reason, e.process_key) for e in inline.entries
    ]
    assert pooled.counts == {"stored": 20, "stored-invalid": 1, "refused": 2, "skipped": 1}
    assert _stored(db, pooled_office) == _stored(db, inline_office)
    # and every file's events are in order: the process, then its version
    actions = db.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.office_id == pooled_office.id, AuditEvent.action.like("%.import"))
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["process.import", "version.import"] * 21


def test_a_dead_worker_falls_back_to_checking_inline(
    db: Session, admin: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a pool whose workers are gone
    from concurrent.futures.process import BrokenProcessPool

    class Broken:
        def submit(self, *_: object) -> Future[object]:
            failed: Future[object] = Future()
            failed.set_running_or_notify_cancel()  # a worker took it, then died
            failed.set_exception(BrokenProcessPool("worker died"))
            return failed

        def shutdown(self, **_: object) -> None:
            pass

    monkeypatch.setattr(files, "check_pool", lambda _: Broken())
    office = make_office(db, "amt")

    # when
    report = transfer.import_path(db, _folder(tmp_path / "m"), office_key="amt", username="admin")

    # then
    assert report.counts == {"stored": 20, "stored-invalid": 1, "refused": 2, "skipped": 1}
    assert db.scalar(select(Process.id).where(Process.office_id == office.id)) is not None


def test_a_batch_with_a_file_only_the_database_refuses_is_stored_file_by_file(
    db: Session, admin: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given one folder imported into two offices that each have a process "modell-05" already,
    # and a key choice that overlooks it, so only the database's unique constraint catches it
    folder = _folder(tmp_path / "modelle")
    offices = [make_office(db, "einzeln"), make_office(db, "gebuendelt")]
    for office in offices:
        db.add(Process(office_id=office.id, key="modell-05", title="Schon da", tags=[]))
    db.flush()
    unique_key = files.unique_key
    monkeypatch.setattr(
        files,
        "unique_key",
        lambda base, *taken: base if base == "modell-05" else unique_key(base, *taken),
    )
    batches: list[int] = []
    store_files = files.store_files
    monkeypatch.setattr(
        files,
        "store_files",
        lambda session, batch, **kw: (
            batches.append(len(batch)) or store_files(session, batch, **kw)
        ),
    )

    # when imported file by file, and in batches of 8
    monkeypatch.setattr(files, "BATCH_FILES", 1)
    single = _import(db, folder, offices[0], 10**9, monkeypatch)
    assert set(batches) == {1}
    batches.clear()
    monkeypatch.setattr(files, "BATCH_FILES", 8)
    batched = _import(db, folder, offices[1], 10**9, monkeypatch)

    # then the batch with the bad file failed and was stored again file by file
    assert batches[:4] == [8, 1, 1, 1]
    assert max(batches) == 8

    # and the reports are the same: only the bad file is refused, for the database's reason
    def view(report: transfer.Report) -> list[tuple[object, ...]]:
        return [
            (e.path, e.outcome, e.process_key, e.version, e.reason, e.reason_de, e.note)
            for e in report.entries
        ]

    assert view(batched) == view(single)
    assert batched.counts == {"stored": 19, "stored-invalid": 1, "refused": 3, "skipped": 1}
    [refused] = [e for e in batched.refused if e.path == "modell-05.bpmn"]
    assert refused.reason.startswith("Not stored: IntegrityError")
    # and the same rows, each entry pointing at its process, the events in order
    assert _stored(db, offices[1]) == _stored(db, offices[0])
    for office, report in zip(offices, (single, batched), strict=True):
        ids = dict(
            db.execute(select(Process.key, Process.id).where(Process.office_id == office.id)).all()
        )
        assert all(ids[e.process_key] == e.process_id for e in report.entries if e.process_id)
        actions = db.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.office_id == office.id, AuditEvent.action.like("%.import"))
            .order_by(AuditEvent.id)
        ).all()
        assert actions == ["process.import", "version.import"] * 20
