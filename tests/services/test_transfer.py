"""Import of BPMN files, folders and zips; export with a manifest and its lossless re-import."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session

from app import cli, migrate
from app.config import settings
from app.db import Database
from app.errors import Conflict, NotFound, Unprocessable
from app.models import AuditEvent, Office, Process, ProcessVersion, Role, User, VersionStatus
from app.schemas import ProcessCreate
from app.services import processes as process_service
from app.services import transfer
from app.services.transfer import sources
from tests.conftest import BACKEND, PG_NAME, PG_SERVER
from tests.factories import Actor, bpmn, grant, make_office, make_user

INVALID = bpmn(["Antrag prüfen"], name="Ungültig").replace(
    b'isExecutable="false"', b'isExecutable="vielleicht"'
)
HOSTILE = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>\n'
    b'<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">'
    b"&lol2;</bpmn:definitions>"
)
BROKEN = b'<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"'


# --- fixtures and helpers ---------------------------------------------------------------------


@pytest.fixture
def second_url(_template: str, tmp_path: Path) -> Iterator[str]:
    """A second, empty, migrated database (the target of a round trip)."""
    if BACKEND != "postgresql":
        path = tmp_path / "second.db"
        path.write_bytes(Path(_template.removeprefix("sqlite:///")).read_bytes())
        yield f"sqlite:///{path}"
        return
    name = f"{PG_NAME}_transfer"
    admin_engine = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    migrate.upgrade(f"{PG_SERVER}/{name}")
    yield f"{PG_SERVER}/{name}"
    with admin_engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin_engine.dispose()


@pytest.fixture
def second(second_url: str) -> Iterator[Session]:
    database = Database(second_url)
    with database.session() as session:
        yield session
    database.dispose()


def by_path(report: transfer.Report) -> dict[str, transfer.ReportEntry]:
    return {entry.path: entry for entry in report.entries}


def versions_of(session: Session, process_id: int) -> list[ProcessVersion]:
    return list(
        session.scalars(
            select(ProcessVersion)
            .where(ProcessVersion.process_id == process_id)
            .order_by(ProcessVersion.number)
        )
    )


def count(session: Session, model: Any) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def snapshot(session: Session) -> dict[str, Any]:
    """Everything an export must carry over, keyed by office and process key."""
    offices = session.scalars(select(Office)).all()
    keys = {o.id: o.key for o in offices}
    users = dict(session.execute(select(User.id, User.username)).all())
    result: dict[str, Any] = {
        "offices": {o.key: (o.name, o.kind, keys.get(o.parent_id or 0)) for o in offices},
        "processes": {},
    }
    for p in session.scalars(select(Process)):
        result["processes"][f"{keys[p.office_id]}/{p.key}"] = {
            "meta": (
                p.title,
                p.description,
                users.get(p.owner_id or 0),
                p.leika_key,
                p.tags,
                p.latest_version,
                p.latest_sha256,
                p.created_at,
                p.updated_at,
            ),
            "versions": [
                (
                    v.number,
                    v.xml,
                    v.sha256,
                    v.size,
                    v.content_type,
                    v.filename,
                    users.get(v.author_id or 0),
                    v.created_at,
                    v.change_note,
                    v.status,
                    v.xsd_valid,
                )
                for v in versions_of(session, p.id)
            ],
        }
    return result


@pytest.fixture
def catalogue(db: Session, admin: Actor) -> dict[str, Any]:
    """Two offices with a sub-office, three processes, versions by several authors."""
    alice, bob = make_user(db, "alice"), make_user(db, "bob")
    dezernat = make_office(db, "dezernat-2", kind="dezernat")
    amt = make_office(db, "ordnungsamt", parent=dezernat)
    abteilung = make_office(db, "gewerbe", parent=amt, kind="abteilung")
    other = make_office(db, "standesamt")
    for user in (alice, bob):
        grant(db, user, dezernat, Role.MODELER)
    made: dict[str, Process] = {}
    plan: list[tuple[Office, str, list[tuple[Actor, bytes | None]]]] = [
        (amt, "hundesteuer", [(alice, None), (bob, None), (alice, None)]),
        (abteilung, "gewerbeanmeldung", [(bob, None), (admin, INVALID)]),
        (other, "geburtsurkunde", [(admin, None)]),
    ]
    for office, key, steps in plan:
        process = process_service.create(
            db,
            actor=admin.user,
            office_id=office.id,
            data=ProcessCreate(
                key=key,
                title=key.title(),
                description=f"Über {key}",
                owner="alice",
                leika_key="99123456012000",
                tags=["Bürgerservice", key],
            ),
        )
        for n, (author, xml) in enumerate(steps, start=1):
            process_service.add_version(
                db,
                actor=author.user,
                process_id=process.id,
                if_match=process_service.etag_of(process.latest_sha256) if n > 1 else None,
                upload=process_service.Upload(
                    xml=xml or bpmn([f"Schritt {i}" for i in range(n)], name=key),
                    filename=f"{key}-{n}.bpmn",
                    change_note=f"Änderung {n}",
                    content_type="application/bpmn+xml",
                ),
            )
            db.refresh(process)
        made[key] = process
    first = versions_of(db, made["hundesteuer"].id)[0]
    first.status = VersionStatus.APPROVED.value
    db.commit()
    return {"offices": (dezernat, amt, abteilung, other), "processes": made}


# --- plain files ------------------------------------------------------------------------------


def test_the_file_names_other_tools_give_their_models_are_read(
    db: Session, admin: Actor, office: Office, tmp_path: Path
) -> None:
    # given exports of Eclipse BPMN2 Modeler / jBPM, Activiti and a tool that shouts
    folder = tmp_path / "exporte"
    folder.mkdir()
    for name in ("Antrag.bpmn2", "Bescheid.bpmn20.xml", "GEBUEHR.BPMN", "notiz.md"):
        (folder / name).write_bytes(bpmn(name=name))

    # when the folder is imported
    report = transfer.import_path(db, folder, office_key="buergeramt", username="admin")

    # then every model is stored and the note is skipped
    outcomes = {entry.path: entry.outcome for entry in report.entries}
    assert outcomes == {
        "Antrag.bpmn2": "stored",
        "Bescheid.bpmn20.xml": "stored",
        "GEBUEHR.BPMN": "stored",
        "notiz.md": "skipped",
    }


def test_folder_import_reports_every_file_and_stores_only_accepted_ones(
    db: Session, admin: Actor, office: Office, tmp_path: Path
) -> None:
    # given
    folder = tmp_path / "signavio"
    (folder / "Unterordner").mkdir(parents=True)
    (folder / "__MACOSX").mkdir()
    (folder / "Gewerbe Anmeldung.bpmn").write_bytes(bpmn(name="Gewerbe anmelden"))
    (folder / "Unterordner" / "Gewerbe Anmeldung.bpmn").write_bytes(bpmn(["A", "B"], name=""))
    (folder / "ungültig.bpmn").write_bytes(INVALID)
    (folder / "billion-laughs.bpmn").write_bytes(HOSTILE)
    (folder / "kaputt.xml").write_bytes(BROKEN)
    (folder / "kein-bpmn.xml").write_bytes(b"<root/>")
    (folder / "liesmich.txt").write_text("Hallo")
    (folder / ".versteckt.bpmn").write_bytes(bpmn())
    (folder / "__MACOSX" / "._x.bpmn").write_bytes(b"\0\0")
    (folder / "passwort.bpmn").symlink_to("/etc/passwd")

    # when
    report = transfer.import_path(db, folder, office_key="buergeramt", username="admin")
    db.commit()

    # then
    entries = by_path(report)
    assert set(entries) == {
        "Gewerbe Anmeldung.bpmn",
        "Unterordner/Gewerbe Anmeldung.bpmn",
        "ungültig.bpmn",
        "billion-laughs.bpmn",
        "kaputt.xml",
        "kein-bpmn.xml",
        "liesmich.txt",
        "passwort.bpmn",
    }
    assert report.counts == {"stored": 2, "stored-invalid": 1, "refused": 3, "skipped": 2}
    assert "symbolic links" in entries["passwort.bpmn"].reason
    assert entries["Gewerbe Anmeldung.bpmn"].process_key == "gewerbe-anmeldung"
    assert entries["Unterordner/Gewerbe Anmeldung.bpmn"].process_key == "gewerbe-anmeldung-2"
    assert entries["ungültig.bpmn"].outcome == "stored-invalid"
    assert entries["ungültig.bpmn"].process_key == "ungueltig"
    assert "DOCTYPE" in entries["billion-laughs.bpmn"].reason
    assert "DOCTYPE" in entries["billion-laughs.bpmn"].reason_de
    assert "not well-formed" in entries["kaputt.xml"].reason
    assert "bpmn:definitions" in entries["kein-bpmn.xml"].reason
    assert entries["liesmich.txt"].outcome == "skipped"
    processes = {
        p.key: p for p in db.scalars(select(Process).where(Process.office_id == office.id))
    }
    assert set(processes) == {"gewerbe-anmeldung", "gewerbe-anmeldung-2", "ungueltig"}
    assert processes["gewerbe-anmeldung"].title == "Gewerbe anmelden"
    assert processes["gewerbe-anmeldung-2"].title == "Gewerbe Anmeldung"  # no name: file name
    assert count(db, ProcessVersion) == 3
    (version,) = versions_of(db, processes["ungueltig"].id)
    assert version.xml == INVALID
    assert (version.number, version.xsd_valid, version.filename) == (1, False, "ungültig.bpmn")
    assert version.author_id == admin.user.id
    assert processes["ungueltig"].latest_version == 1
    assert processes["ungueltig"].latest_sha256 == hashlib.sha256(INVALID).hexdigest()
    actions = db.scalars(select(AuditEvent.action)).all()
    assert actions.count("version.import") == 3


def test_single_file_gets_a_free_key_and_a_participant_title(
    db: Session, admin: Actor, office: Office, tmp_path: Path
) -> None:
    # given: the key `antrag` is taken in the office
    process_service.create(
        db, actor=admin.user, office_id=office.id, data=ProcessCreate(key="antrag", title="Alt")
    )
    db.commit()
    data = bpmn(name="Prozess").replace(
        b"<bpmn:process ",
        '<bpmn:collaboration id="C"><bpmn:participant id="P" name="  Bürgeramt\n Pool" '
        'processRef="Process_1"/></bpmn:collaboration><bpmn:process '.encode(),
    )
    path = tmp_path / "Antrag.BPMN"
    path.write_bytes(data)

    # when
    report = transfer.import_path(db, path, office_key="buergeramt")
    db.commit()

    # then
    (entry,) = report.entries
    assert (entry.outcome, entry.process_key, entry.version) == ("stored", "antrag-2", 1)
    process = db.get(Process, entry.process_id)
    assert process is not None
    assert process.title == "Bürgeramt Pool"
    assert versions_of(db, process.id)[0].xml == data


def test_plain_import_needs_an_existing_office_and_user(
    db: Session, admin: Actor, office: Office, tmp_path: Path
) -> None:
    path = tmp_path / "a.bpmn"
    path.write_bytes(bpmn())
    with pytest.raises(Unprocessable):
        transfer.import_path(db, path, username="admin")
    with pytest.raises(NotFound):
        transfer.import_path(db, path, office_key="gibtsnicht")
    with pytest.raises(Unprocessable):
        transfer.import_path(db, path, office_key="buergeramt", username="niemand")
    with pytest.raises(NotFound):
        transfer.import_path(db, tmp_path / "fehlt", office_key="buergeramt")


def test_zip_import_refuses_traversal_oversized_and_bombs(
    db: Session, admin: Actor, office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    good = bpmn(name="Gut")
    monkeypatch.setattr(settings, "max_upload_bytes", len(good) + 100)
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("modelle/", b"")
        z.writestr("modelle/gut.bpmn", good)
        z.writestr("modelle/ungültig.bpmn", INVALID)
        z.writestr("../../etc/boese.bpmn", good)
        z.writestr("/absolut.bpmn", good)
        z.writestr("C:/windows.bpmn", good)
        z.writestr("modelle\\..\\..\\rueck.bpmn", good)
        z.writestr("modelle/riesig.bpmn", good + b" " * 10 * len(good))
        z.writestr("modelle/bombe.xml", b"<a>" + b" " * 50_000_000 + b"</a>")
        z.writestr("__MACOSX/modelle/._gut.bpmn", b"\0")
        z.writestr("modelle/.DS_Store", b"\0")
        z.writestr("modelle/notiz.txt", b"x")

    # when
    report = transfer.import_path(db, archive, office_key="buergeramt")
    db.commit()

    # then
    entries = by_path(report)
    assert entries["modelle/gut.bpmn"].outcome == "stored"
    assert entries["modelle/ungültig.bpmn"].outcome == "stored-invalid"
    for name in (
        "../../etc/boese.bpmn",
        "/absolut.bpmn",
        "C:/windows.bpmn",
        "modelle/../../rueck.bpmn",
    ):
        assert entries[name].outcome == "refused"
        assert entries[name].reason.startswith("Unsafe path")
    for name in ("modelle/riesig.bpmn", "modelle/bombe.xml"):
        assert entries[name].outcome == "refused"
        assert entries[name].reason.startswith("The file is too large.")
    assert entries["modelle/notiz.txt"].outcome == "skipped"
    assert len(report.entries) == 9
    assert sorted(db.scalars(select(Process.key))) == ["gut", "ungueltig"]


def test_zip_total_cap_and_damaged_archives(
    db: Session, admin: Actor, office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: an archive whose members together exceed the (lowered) total cap
    good = bpmn()
    monkeypatch.setattr(sources, "MAX_ARCHIVE_BYTES", int(len(good) * 2.5))
    archive = tmp_path / "viele.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for n in range(4):
            z.writestr(f"m{n}.bpmn", good)
    (tmp_path / "kaputt.zip").write_bytes(b"PK\x03\x04 no zip at all")

    # when
    report = transfer.import_path(db, archive, office_key="buergeramt")
    damaged = transfer.import_path(db, tmp_path / "kaputt.zip", office_key="buergeramt")

    # then
    assert [e.outcome for e in report.entries] == ["stored", "stored", "refused", "refused"]
    assert "too large when unpacked" in report.entries[2].reason
    (entry,) = damaged.entries
    assert entry.outcome == "refused"
    assert "zip" in entry.reason


def test_a_refused_file_does_not_roll_back_the_others_but_the_caller_can(
    database_url: str, db: Session, admin: Actor, office: Office, tmp_path: Path
) -> None:
    folder = tmp_path / "modelle"
    folder.mkdir()
    (folder / "a.bpmn").write_bytes(bpmn())
    (folder / "b.bpmn").write_bytes(BROKEN)
    (folder / "c.bpmn").write_bytes(bpmn())
    report = transfer.import_path(db, folder, office_key="buergeramt")
    assert [e.outcome for e in report.entries] == ["stored", "refused", "stored"]
    db.rollback()  # the import is one transaction: nothing was committed behind the caller's back
    database = Database(database_url)
    with database.session() as fresh:
        assert count(fresh, Process) == 0
    database.dispose()


# --- export and re-import ---------------------------------------------------------------------


def test_export_everything_and_import_into_a_fresh_database_is_lossless(
    db: Session, second: Session, admin: Actor, catalogue: dict[str, Any], tmp_path: Path
) -> None:
    # given
    for name in ("admin", "alice", "bob"):
        make_user(second, name, admin=name == "admin")
    target = tmp_path / "sicherung.zip"

    # when
    exported = transfer.export(db, target)
    report = transfer.import_path(second, target, username="admin")
    second.commit()

    # then
    assert exported == 6
    assert report.counts == {"stored": 5, "stored-invalid": 1, "refused": 0, "skipped": 0}
    assert all(not entry.note for entry in report.entries)
    assert snapshot(second) == snapshot(db)
    with zipfile.ZipFile(target) as z:
        manifest = json.loads(z.read("manifest.json"))
        assert (
            z.read("processes/ordnungsamt/hundesteuer/v2.bpmn")
            == versions_of(db, catalogue["processes"]["hundesteuer"].id)[1].xml
        )
    assert manifest["format"] == "prozessatlas-export"
    assert manifest["format_version"] == 1
    hund = next(p for p in manifest["processes"] if p["key"] == "hundesteuer")
    assert hund["owner"] == "alice"
    assert [v["author"] for v in hund["versions"]] == ["alice", "bob", "alice"]
    assert hund["versions"][0]["status"] == "approved"
    assert hund["versions"][0]["file"] == "processes/ordnungsamt/hundesteuer/v1.bpmn"
    # a second export of the copy says the same
    again = tmp_path / "wieder"
    transfer.export(second, again)
    copy = json.loads((again / "manifest.json").read_text())
    assert {**copy, "exported_at": None} == {**manifest, "exported_at": None}


def test_import_of_an_export_notes_missing_users_and_refuses_existing_histories(
    db: Session, second: Session, admin: Actor, catalogue: dict[str, Any], tmp_path: Path
) -> None:
    # given: only the admin exists in the target; `standesamt/geburtsurkunde` already has a history
    make_user(second, "admin", admin=True)
    standesamt = make_office(second, "standesamt")
    importer = second.scalars(select(User)).one()
    process = process_service.create(
        second,
        actor=importer,
        office_id=standesamt.id,
        data=ProcessCreate(key="geburtsurkunde", title="Eigene"),
    )
    process_service.add_version(
        second,
        actor=importer,
        process_id=process.id,
        if_match=None,
        upload=process_service.Upload(xml=bpmn(["Eigene Fassung"])),
    )
    second.commit()
    folder = tmp_path / "export"
    transfer.export(db, folder)

    # when
    report = transfer.import_path(second, folder, office_key="egal", username="admin")
    second.commit()

    # then
    entries = by_path(report)
    conflict = entries["processes/standesamt/geburtsurkunde/v1.bpmn"]
    assert conflict.outcome == "refused"
    assert "already exists with 1 versions" in conflict.reason
    assert versions_of(second, process.id)[0].xml == bpmn(["Eigene Fassung"])
    bob = entries["processes/ordnungsamt/hundesteuer/v2.bpmn"]
    assert bob.outcome == "stored"
    assert any("--office egal is ignored" in note for note in report.notes)
    # the authors and owners the target lacks come as inactive accounts, and the report says so
    for name in ("alice", "bob"):
        assert any(f"user {name} created as an inactive account" in n for n in report.notes)
        account = second.scalars(select(User).where(User.username == name)).one()
        assert (account.is_active, account.password_hash) == (False, None)
    copied = snapshot(second)["processes"]["ordnungsamt/hundesteuer"]
    original = snapshot(db)["processes"]["ordnungsamt/hundesteuer"]
    assert copied == original
    offices = snapshot(second)["offices"]
    assert offices["gewerbe"] == ("Gewerbe", "abteilung", "ordnungsamt")


def test_a_tampered_file_refuses_its_process_only(
    db: Session, second: Session, admin: Actor, catalogue: dict[str, Any], tmp_path: Path
) -> None:
    make_user(second, "admin", admin=True)
    folder = tmp_path / "export"
    transfer.export(db, folder)
    (folder / "processes/ordnungsamt/hundesteuer/v2.bpmn").write_bytes(bpmn(["Manipuliert"]))

    report = transfer.import_path(second, folder)
    second.commit()

    refused = report.refused
    assert {e.path for e in refused} == {
        f"processes/ordnungsamt/hundesteuer/v{n}.bpmn" for n in (1, 2, 3)
    }
    assert all("checksum of processes/ordnungsamt/hundesteuer/v2.bpmn" in e.reason for e in refused)
    assert sorted(second.scalars(select(Process.key))) == ["geburtsurkunde", "gewerbeanmeldung"]


def test_a_hostile_manifest_path_or_a_bad_manifest_is_refused(
    db: Session, second: Session, admin: Actor, catalogue: dict[str, Any], tmp_path: Path
) -> None:
    make_user(second, "admin", admin=True)
    folder = tmp_path / "export"
    transfer.export(db, folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["processes"][0]["versions"][0]["file"] = "../../../etc/passwd"
    manifest["processes"][1]["title"] = ""
    (folder / "manifest.json").write_text(json.dumps(manifest))

    report = transfer.import_path(second, folder)

    assert report.entries[0].outcome == "refused"
    assert "v1: Unsafe path" in report.entries[0].reason
    assert by_path(report)["manifest.json#processes[1]"].outcome == "refused"
    (folder / "manifest.json").write_text('{"format": "prozessatlas-export", "offices": 3}')
    (entry,) = transfer.import_path(second, folder).entries
    assert (entry.path, entry.outcome) == ("manifest.json", "refused")
    assert "format_version" in entry.reason


def test_another_tools_manifest_is_just_a_file(
    db: Session, admin: Actor, office: Office, tmp_path: Path
) -> None:
    folder = tmp_path / "adonis"
    folder.mkdir()
    (folder / "manifest.json").write_text('{"tool": "ADONIS", "models": ["a.xml"]}')
    (folder / "a.xml").write_bytes(bpmn())

    report = transfer.import_path(db, folder, office_key="buergeramt")

    assert [(e.path, e.outcome) for e in report.entries] == [
        ("a.xml", "stored"),
        ("manifest.json", "skipped"),
    ]


def test_export_scopes(
    db: Session, admin: Actor, catalogue: dict[str, Any], tmp_path: Path
) -> None:
    dezernat, amt, abteilung, other = catalogue["offices"]

    assert transfer.export(db, tmp_path / "amt", office_key="ordnungsamt") == 5
    office_manifest = json.loads((tmp_path / "amt" / "manifest.json").read_text())
    assert office_manifest["scope"] == "office ordnungsamt"
    assert [o["key"] for o in office_manifest["offices"]] == [
        "dezernat-2",
        "ordnungsamt",
        "gewerbe",
    ]
    assert office_manifest["offices"][2]["parent"] == "ordnungsamt"
    assert sorted(p["key"] for p in office_manifest["processes"]) == [
        "gewerbeanmeldung",
        "hundesteuer",
    ]

    process = catalogue["processes"]["gewerbeanmeldung"]
    assert transfer.export(db, tmp_path / "p.zip", process_id=process.id) == 2
    with zipfile.ZipFile(tmp_path / "p.zip") as z:
        names = sorted(z.namelist())
        one = json.loads(z.read("manifest.json"))
    assert names == [
        "manifest.json",
        "processes/gewerbe/gewerbeanmeldung/v1.bpmn",
        "processes/gewerbe/gewerbeanmeldung/v2.bpmn",
    ]
    assert [p["key"] for p in one["processes"]] == ["gewerbeanmeldung"]
    assert [o["key"] for o in one["offices"]] == ["dezernat-2", "ordnungsamt", "gewerbe"]
    assert [v["xsd_valid"] for v in one["processes"][0]["versions"]] == [True, False]

    with pytest.raises(Conflict):
        transfer.export(db, tmp_path / "amt")
    with pytest.raises(Conflict):
        transfer.export(db, tmp_path / "p.zip")
    with pytest.raises(NotFound):
        transfer.export(db, tmp_path / "x", office_key="gibtsnicht")
    assert not (tmp_path / "x").exists()
    with pytest.raises(NotFound):
        transfer.export(db, tmp_path / "y.zip", process_id=999_999)
    assert not (tmp_path / "y.zip").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_an_exported_sub_office_lands_under_an_existing_parent_or_at_top_level(
    db: Session, second: Session, admin: Actor, catalogue: dict[str, Any], tmp_path: Path
) -> None:
    make_user(second, "admin", admin=True)
    make_office(second, "ordnungsamt")
    transfer.export(db, tmp_path / "gewerbe.zip", office_key="gewerbe")
    manifest = json.loads(zipfile.ZipFile(tmp_path / "gewerbe.zip").read("manifest.json"))
    assert [o["key"] for o in manifest["offices"]] == ["dezernat-2", "ordnungsamt", "gewerbe"]

    report = transfer.import_path(second, tmp_path / "gewerbe.zip")
    second.commit()

    assert report.counts["refused"] == 0
    offices = snapshot(second)["offices"]
    assert offices["gewerbe"][2] == "ordnungsamt"
    assert offices["ordnungsamt"][2] is None  # existing offices are reused as they are


def test_an_export_zipped_inside_a_folder_is_recognised(
    db: Session, second: Session, admin: Actor, catalogue: dict[str, Any], tmp_path: Path
) -> None:
    make_user(second, "admin", admin=True)
    folder = tmp_path / "backup"
    transfer.export(db, folder)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                z.write(path, f"backup/{path.relative_to(folder).as_posix()}")
    (tmp_path / "backup.zip").write_bytes(buffer.getvalue())

    report = transfer.import_path(second, tmp_path / "backup.zip")

    assert report.counts == {"stored": 5, "stored-invalid": 1, "refused": 0, "skipped": 0}


def test_import_keeps_version_times(
    db: Session, second: Session, admin: Actor, catalogue: dict[str, Any], tmp_path: Path
) -> None:
    make_user(second, "admin", admin=True)
    transfer.export(db, tmp_path / "e")
    manifest = json.loads((tmp_path / "e" / "manifest.json").read_text())
    old = datetime(2019, 5, 17, 8, 30, 0, 123456, tzinfo=UTC)
    for p in manifest["processes"]:
        for n, v in enumerate(p["versions"]):
            v["created_at"] = (old + timedelta(days=n)).isoformat()
    (tmp_path / "e" / "manifest.json").write_text(json.dumps(manifest))

    transfer.import_path(second, tmp_path / "e")
    second.commit()

    times = sorted({v.created_at for v in second.scalars(select(ProcessVersion))})
    assert times == [old, old + timedelta(days=1), old + timedelta(days=2)]


# --- command line -----------------------------------------------------------------------------


def test_cli_import_and_export_end_to_end(
    database_url: str,
    second_url: str,
    db: Session,
    second: Session,
    admin: Actor,
    office: Office,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # given
    folder = tmp_path / "camunda"
    folder.mkdir()
    (folder / "antrag.bpmn").write_bytes(bpmn(name="Antrag"))
    (folder / "kaputt.bpmn").write_bytes(BROKEN)
    monkeypatch.setattr(settings, "database_url", database_url)

    # when: import into the office, strictly (one file is refused)
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["import", str(folder), "--office", "buergeramt", "--quiet", "--strict"])

    # then
    assert exit_info.value.code == 1
    out = capsys.readouterr().out
    assert re.search(r"^stored +1  antrag +antrag\.bpmn$", out, re.MULTILINE)
    assert "not well-formed" in out
    assert "2 files: stored 1, stored-invalid 0, refused 1, skipped 0" in out
    db.expire_all()
    assert db.scalars(select(Process.key)).all() == ["antrag"]

    # when: export everything and import it elsewhere
    cli.main(["export", str(tmp_path / "alles.zip")])
    assert f"exported 1 versions to {tmp_path / 'alles.zip'}" in capsys.readouterr().out
    cli.main(["export", str(tmp_path / "amt"), "--office", "buergeramt"])
    assert (tmp_path / "amt" / "processes" / "buergeramt" / "antrag" / "v1.bpmn").read_bytes() == (
        bpmn(name="Antrag")
    )
    make_user(second, "admin", admin=True)
    monkeypatch.setattr(settings, "database_url", second_url)
    cli.main(["import", str(tmp_path / "alles.zip")])

    # then
    captured = capsys.readouterr()
    assert "1 files: stored 1" in captured.out
    assert "0/1" in captured.err  # the progress bar
    second.expire_all()
    assert snapshot(second) == snapshot(db)

    with pytest.raises(SystemExit, match="does not exist"):
        cli.main(["import", str(folder), "--office", "gibtsnicht"])


def test_restore_into_a_fresh_installation_gives_back_the_same_export(
    database_url: str,
    second_url: str,
    db: Session,
    second: Session,
    admin: Actor,
    catalogue: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # given an export of a catalogue and an empty, migrated installation (no admin yet)
    monkeypatch.setattr(settings, "database_url", database_url)
    cli.main(["export", str(tmp_path / "backup.zip")])
    monkeypatch.setattr(settings, "database_url", second_url)
    cli.main(["migrate"])
    assert count(second, User) == 0

    # when the export is imported there
    capsys.readouterr()
    cli.main(["import", str(tmp_path / "backup.zip"), "--quiet"])

    # then everything is back: the admin account is made as on a first start, the other
    # authors come as inactive accounts the report names
    out = capsys.readouterr().out
    assert "Administrator account created: admin / " in out
    assert "refused 0" in out
    for name in ("alice", "bob"):
        assert f"user {name} created as an inactive account" in out
    second.expire_all()
    assert snapshot(second) == snapshot(db)
    accounts = dict(second.execute(select(User.username, User.is_active)).all())
    assert accounts == {"admin": True, "alice": False, "bob": False}
    # and an export of the copy has the same files and metadata
    cli.main(["export", str(tmp_path / "again.zip")])
    with (
        zipfile.ZipFile(tmp_path / "backup.zip") as first,
        zipfile.ZipFile(tmp_path / "again.zip") as copy,
    ):
        assert sorted(first.namelist()) == sorted(copy.namelist())
        for name in first.namelist():
            if name != "manifest.json":
                assert first.read(name) == copy.read(name), name
        before, after = (json.loads(z.read("manifest.json")) for z in (first, copy))
    assert {**after, "exported_at": None} == {**before, "exported_at": None}


def test_without_an_admin_account_plain_files_need_a_user(second: Session, tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "a.bpmn").write_bytes(bpmn())
    with pytest.raises(Unprocessable, match="need a user"):
        transfer.import_path(second, folder, office_key="ordnungsamt")


def test_offices_from_folders_imports_a_tree_into_the_offices_its_folders_name(
    database_url: str,
    db: Session,
    admin: Actor,
    office: Office,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # given a tree: a folder naming an existing office, one naming a new office with a
    # sub-folder, a file at the top and a file that is no model
    root = tmp_path / "export"
    for folder, name in (
        ("Bürgeramt", "Meldebescheinigung"),
        ("Ordnungsamt", "Gewerbeanmeldung"),
        ("Ordnungsamt/Gewerbe Aufsicht", "Gaststätte"),
        (".", "Oben"),
    ):
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / f"{name}.bpmn").write_bytes(bpmn(name=name))
    (root / "Ordnungsamt" / "liesmich.txt").write_text("-")

    # when the tree is imported with one call
    monkeypatch.setattr(settings, "database_url", database_url)
    cli.main(["import", str(root), "--offices-from-folders", "--quiet"])

    # then each folder's files are in its office, the new offices under the folder above,
    # and one report names every file
    out = capsys.readouterr().out
    db.expire_all()
    offices = {o.key: o for o in db.scalars(select(Office))}
    assert offices["ordnungsamt"].parent_id is None
    assert offices["gewerbe-aufsicht"].parent_id == offices["ordnungsamt"].id
    assert offices["gewerbe-aufsicht"].name == "Gewerbe Aufsicht"
    placed = db.execute(select(Process.title, Office.key).join(Office)).all()
    assert set(placed) == {
        ("Meldebescheinigung", "buergeramt"),
        ("Gewerbeanmeldung", "ordnungsamt"),
        ("Gaststätte", "gewerbe-aufsicht"),
    }
    assert "5 files: stored 3, stored-invalid 0, refused 1, skipped 1" in out
    assert "office gewerbe-aufsicht created from the folder Ordnungsamt/Gewerbe Aufsicht" in out
    assert re.search(r"^refused .*Oben\.bpmn", out, re.MULTILINE)
    # and the planner statistics were refreshed for the lists (ADR 0015)
    if BACKEND == "postgresql":
        analysed = "SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'process'"
        assert db.execute(text(analysed)).scalar() is not None
    else:
        analysed = "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'process'"
        assert db.execute(text(analysed)).scalar()

    # and with --office, the top files go there and new top folders below it
    other = tmp_path / "more"
    (other / "Standesamt").mkdir(parents=True)
    (other / "Standesamt" / "Geburt.bpmn").write_bytes(bpmn(name="Geburt"))
    (other / "Top.bpmn").write_bytes(bpmn(name="Top"))
    report = transfer.import_path(db, other, office_key="buergeramt", offices_from_folders=True)
    assert report.counts["stored"] == 2
    standesamt = db.scalars(select(Office).where(Office.key == "standesamt")).one()
    assert standesamt.parent_id == office.id


# --- the MIWG corpus --------------------------------------------------------------------------


def test_the_whole_miwg_corpus_imports_without_stopping(
    db: Session, admin: Actor, office: Office, shared: Path
) -> None:
    folder = shared / "corpus" / "miwg"
    expected = json.loads((folder / "expected.json").read_text())

    report = transfer.import_path(db, folder, office_key="buergeramt")
    db.commit()

    entries = by_path(report)
    assert {e.path for e in report.skipped} == {"README.md", "LICENSE.txt", "expected.json"}
    failures = []
    for name, verdict in expected.items():
        entry = entries[name]
        want = (
            ("stored" if verdict["xsd_valid"] else "stored-invalid")
            if verdict["wellformed"]
            else "refused"
        )
        if entry.outcome != want:
            failures.append(f"{name}: {entry.outcome} ({entry.reason})")
        elif entry.process_id is not None:
            (version,) = versions_of(db, entry.process_id)
            if version.sha256 != verdict["sha256"]:
                failures.append(f"{name}: bytes differ")
    assert failures == []
    assert count(db, Process) == sum(1 for v in expected.values() if v["wellformed"])
    assert len(set(db.scalars(select(Process.key)))) == count(db, Process)
