"""Importing a Prozessatlas export: offices, processes and versions come back as they were."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.bpmn.check import Checked
from app.config import settings
from app.errors import AppError
from app.models import Process, User
from app.schemas import OfficeCreate
from app.services import audit
from app.services import offices as office_service
from app.services import processes as process_service
from app.services.transfer.files import outcome_of
from app.services.transfer.manifest import (
    MANIFEST,
    MAX_OFFICE_DEPTH,
    ManifestHeader,
    ManifestOffice,
    ManifestProcess,
    ManifestVersion,
)
from app.services.transfer.report import (
    Refused,
    Report,
    ReportEntry,
    first_error,
    refusal,
    with_progress,
)
from app.services.transfer.sources import Source


def _resolve_offices(
    session: Session, offices: list[ManifestOffice], report: Report
) -> tuple[dict[str, int], dict[str, tuple[str, str]]]:
    """Reuse offices by key, create the missing ones parents first; (ids, failures) by key."""
    wanted = {office.key: office for office in offices}
    ids: dict[str, int] = {}
    failed: dict[str, tuple[str, str]] = {}

    def resolve(key: str, trail: frozenset[str]) -> int | None:
        if key in ids or key in failed:
            return ids.get(key)
        existing = office_service.by_key(session, key)
        if existing is not None:
            ids[key] = existing.id
            return existing.id
        entry = wanted[key]
        if len(trail) > MAX_OFFICE_DEPTH:
            failed[key] = ("Die Hierarchie ist zu tief.", "The office hierarchy is too deep.")
            return None
        parent_id: int | None = None
        if entry.parent and entry.parent in trail:
            report.notes.append(
                f"office {key}: parent cycle through {entry.parent}, created at top level"
            )
        elif entry.parent and (
            entry.parent in wanted or office_service.by_key(session, entry.parent)
        ):
            parent_id = resolve(entry.parent, trail | {key})
            if parent_id is None:
                failed[key] = (
                    f"Übergeordnete Dienststelle {entry.parent} fehlt.",
                    f"Parent office {entry.parent} is missing.",
                )
                return None
        elif entry.parent:
            report.notes.append(
                f"office {key}: parent {entry.parent} is not in the export, created at top level"
            )
        try:
            with session.begin_nested():
                office = office_service.create(
                    session,
                    actor=None,
                    data=OfficeCreate(
                        key=key, name=entry.name, kind=entry.kind, parent_id=parent_id
                    ),
                )
        except (AppError, ValidationError) as exc:
            if isinstance(exc, AppError):
                failed[key] = refusal(exc)
            else:
                failed[key] = (f"Ungültig: {first_error(exc)}", f"Invalid: {first_error(exc)}")
            return None
        report.notes.append(f"office {key} created")
        ids[key] = office.id
        return office.id

    for key in wanted:
        resolve(key, frozenset())
    return ids, failed


@dataclass
class _Users:
    """Usernames to ids, looked up once each; a name the installation does not know becomes an
    inactive account (no password, so no login; an admin can activate it), as a restore into an
    empty installation must keep who wrote and who owns what."""

    session: Session
    actor: User | None
    report: Report
    known: dict[str, int] = field(default_factory=dict)

    def id_of(self, username: str) -> int:
        if username not in self.known:
            user = self.session.scalars(select(User).where(User.username == username)).first()
            if user is None:
                user = self._create_inactive(username)
            self.known[username] = user.id
        return self.known[username]

    def _create_inactive(self, username: str) -> User:
        user = User(username=username[:80], display_name="", password_hash=None, is_active=False)
        self.session.add(user)
        self.session.flush()
        audit.record(
            self.session,
            actor=self.actor,
            action="user.import",
            entity="user",
            entity_id=user.id,
            after={"username": user.username, "is_active": False},
        )
        self.report.notes.append(
            f"user {user.username} created as an inactive account (named in the export; "
            "no password, cannot log in until an admin activates it)"
        )
        return user


def _import_process(
    session: Session,
    item: ManifestProcess,
    *,
    source: Source,
    offices: dict[str, int],
    failed_offices: dict[str, tuple[str, str]],
    actor: User | None,
    users: _Users,
) -> list[ReportEntry]:
    versions = sorted(item.versions, key=lambda v: v.number)
    label = f"{item.office}/{item.key}"

    def refuse(de: str, en: str) -> list[ReportEntry]:
        if not versions:
            return [ReportEntry(label, "refused", process_key=item.key, reason=en, reason_de=de)]
        return [
            ReportEntry(
                v.file, "refused", process_key=item.key, version=v.number, reason=en, reason_de=de
            )
            for v in versions
        ]

    office_id = offices.get(item.office)
    if office_id is None:
        de, en = failed_offices.get(item.office, ("", ""))
        return refuse(
            f"Dienststelle {item.office} fehlt. {de}".strip(),
            f"Office {item.office} is missing. {en}".strip(),
        )
    if len({v.number for v in versions}) != len(versions):
        return refuse(
            "Versionsnummern doppelt im Manifest.", "Duplicate version numbers in the manifest."
        )
    existing = session.scalar(
        select(Process).where(Process.office_id == office_id, Process.key == item.key)
    )
    if existing is not None and existing.latest_version > 0:
        return refuse(
            f"Konflikt: {label} gibt es schon mit {existing.latest_version} Versionen; "
            "Versionsgeschichten werden nicht gemischt.",
            f"Conflict: {label} already exists with {existing.latest_version} versions; "
            "histories are not mixed.",
        )
    loaded: list[tuple[ManifestVersion, bytes, Checked]] = []
    for v in versions:
        try:
            data = source.read(v.file, settings.max_upload_bytes)
            if len(data) != v.size or hashlib.sha256(data).hexdigest() != v.sha256:
                raise Refused(
                    f"Prüfsumme von {v.file} stimmt nicht mit dem Manifest überein.",
                    f"The checksum of {v.file} does not match the manifest.",
                )
            loaded.append((v, data, process_service.inspect_upload(data)))
        except Exception as exc:
            de, en = refusal(exc)
            return refuse(f"v{v.number}: {de}", f"v{v.number}: {en}")
    entries: list[ReportEntry] = []
    notes: list[str] = []
    # Accounts first, outside the process's savepoint: a process refused later keeps them.
    for username in {item.owner, *(v.author for v in versions)} - {None, ""}:
        users.id_of(str(username))
    try:
        with session.begin_nested():
            process = existing or Process(office_id=office_id, key=item.key)
            process.title, process.description = item.title, item.description
            process.leika_key, process.tags = item.leika_key, list(item.tags)
            process.owner_id = users.id_of(item.owner) if item.owner else None
            if item.created_at is not None:
                process.created_at = item.created_at
            session.add(process)
            session.flush()
            audit.record(
                session,
                actor=actor,
                action="process.import",
                entity="process",
                entity_id=process.id,
                office_id=office_id,
                after={"key": item.key, "title": item.title, "source": label},
            )
            for v, data, checked in loaded:
                note = list(notes)
                author_id = users.id_of(v.author) if v.author else None
                if checked.xsd_valid != v.xsd_valid:
                    note.append(f"xsd_valid is now {checked.xsd_valid} (export said {v.xsd_valid})")
                upload = process_service.Upload(
                    xml=data,
                    content_type=v.content_type,
                    filename=v.filename,
                    change_note=v.change_note,
                )
                if v.number != process.latest_version + 1:
                    raise Refused(
                        f"Versionsnummern sind nicht lückenlos (v{v.number}).",
                        f"Version numbers are not consecutive (v{v.number}).",
                    )
                process_service.store_version(
                    session,
                    actor=actor,
                    process=process,
                    upload=upload,
                    checked=checked,
                    provenance=process_service.Provenance(
                        author_id=author_id, created_at=v.created_at, status=v.status.value
                    ),
                    action="version.import",
                )
                entries.append(
                    ReportEntry(
                        v.file, outcome_of(checked), None, item.key, v.number, note="; ".join(note)
                    )
                )
            session.refresh(process)
            if item.updated_at is not None:
                process.updated_at = item.updated_at
                session.flush()
    except Exception as exc:
        de, en = refusal(exc)
        return refuse(de, en)
    if not versions:
        return [ReportEntry(label, "stored", process.id, item.key, note="; ".join(notes))]
    return [
        ReportEntry(e.path, e.outcome, process.id, e.process_key, e.version, note=e.note)
        for e in entries
    ]


def import_export(
    session: Session,
    source: Source,
    manifest: bytes,
    *,
    office_key: str | None,
    actor: User | None,
    report: Report,
    progress: bool,
) -> None:
    """Bring back the offices, processes and versions of an export; each process all or nothing."""
    if office_key:
        report.notes.append(f"--office {office_key} is ignored: an export brings its own offices")
    try:
        header = ManifestHeader.model_validate_json(manifest)
    except ValidationError as exc:
        report.entries.append(
            ReportEntry(
                MANIFEST,
                "refused",
                reason=f"Not a valid Prozessatlas export manifest: {first_error(exc)}",
                reason_de=f"Kein gültiges Manifest eines Prozessatlas-Exports: {first_error(exc)}",
            )
        )
        return
    offices, failed_offices = _resolve_offices(session, header.offices, report)
    users = _Users(session, actor, report)
    for index, raw in enumerate(with_progress(header.processes, progress, "processes")):
        try:
            item = ManifestProcess.model_validate(raw)
        except ValidationError as exc:
            report.entries.append(
                ReportEntry(
                    f"{MANIFEST}#processes[{index}]",
                    "refused",
                    reason=f"Invalid process entry: {first_error(exc)}",
                    reason_de=f"Ungültiger Prozesseintrag im Manifest: {first_error(exc)}",
                )
            )
            continue
        report.entries.extend(
            _import_process(
                session,
                item,
                source=source,
                offices=offices,
                failed_offices=failed_offices,
                actor=actor,
                users=users,
            )
        )
