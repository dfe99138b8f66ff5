"""Writing an export: one process, an office with its sub-offices, or everything."""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sqlalchemy import select, true
from sqlalchemy.orm import Session

from app.db import utcnow
from app.errors import Conflict, NotFound
from app.models import Office, Process, ProcessVersion, User, VersionStatus
from app.schemas import KEY_PATTERN
from app.services import audit
from app.services import offices as office_service
from app.services.transfer.manifest import (
    MANIFEST,
    Manifest,
    ManifestOffice,
    ManifestProcess,
    ManifestVersion,
)


class _Writer(Protocol):
    def write(self, name: str, data: bytes) -> None: ...


@dataclass
class _FolderWriter:
    root: Path

    def write(self, name: str, data: bytes) -> None:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


@dataclass
class _ZipWriter:
    archive: zipfile.ZipFile

    def write(self, name: str, data: bytes) -> None:
        self.archive.writestr(name, data)


def _component(key: str, fallback: str) -> str:
    """A key as a path component; keys outside the slug pattern fall back to the row id."""
    return key if re.fullmatch(KEY_PATTERN, key) else fallback


def _export_to(
    session: Session, writer: _Writer, *, process_id: int | None, office_key: str | None
) -> int:
    parents = dict(session.execute(select(Office.id, Office.parent_id)).all())
    if process_id is not None:
        process = session.get(Process, process_id)
        if process is None:
            raise NotFound("Prozess nicht gefunden.", "Process not found.")
        scope, in_scope, process_filter = (
            f"process {process_id}",
            {process.office_id},
            Process.id == process_id,
        )
    elif office_key is not None:
        office = office_service.by_key(session, office_key)
        if office is None:
            raise NotFound(
                f"Dienststelle „{office_key}“ gibt es nicht.",
                f"Office '{office_key}' does not exist.",
            )
        in_scope = {o for o in parents if o == office.id or office.id in _ancestors(o, parents)}
        scope, process_filter = f"office {office_key}", Process.office_id.in_(in_scope)
    else:
        scope, in_scope, process_filter = "all", set(parents), true()
    wanted = set(in_scope)
    for office_id in in_scope:  # ancestors come along so the hierarchy can be rebuilt
        wanted |= _ancestors(office_id, parents)
    offices = {o.id: o for o in session.scalars(select(Office).where(Office.id.in_(wanted)))}
    ordered = sorted(offices.values(), key=lambda o: (len(_ancestors(o.id, parents)), o.key))
    manifest_offices = [
        ManifestOffice(
            key=o.key,
            name=o.name,
            kind=o.kind,
            parent=offices[o.parent_id].key if o.parent_id in offices else None,
        )
        for o in ordered
    ]
    owners = dict(session.execute(select(User.id, User.username)).all())
    rows = session.execute(
        select(Process, Office.key)
        .join(Office, Office.id == Process.office_id)
        .where(process_filter)
        .order_by(Office.key, Process.key)
    ).all()
    items: list[ManifestProcess] = []
    count = 0
    for process, office_key_of in rows:
        folder = (
            f"processes/{_component(office_key_of, f'office-{process.office_id}')}/"
            f"{_component(process.key, f'process-{process.id}')}"
        )
        versions: list[ManifestVersion] = []
        for row in session.execute(
            select(
                ProcessVersion.number,
                ProcessVersion.xml,
                ProcessVersion.sha256,
                ProcessVersion.size,
                ProcessVersion.content_type,
                ProcessVersion.filename,
                ProcessVersion.author_id,
                ProcessVersion.created_at,
                ProcessVersion.change_note,
                ProcessVersion.status,
                ProcessVersion.xsd_valid,
            )
            .where(ProcessVersion.process_id == process.id)
            .order_by(ProcessVersion.number)
        ):
            file = f"{folder}/v{row.number}.bpmn"
            writer.write(file, row.xml)
            versions.append(
                ManifestVersion(
                    number=row.number,
                    file=file,
                    sha256=row.sha256,
                    size=row.size,
                    content_type=row.content_type,
                    filename=row.filename,
                    author=owners.get(row.author_id) if row.author_id is not None else None,
                    created_at=row.created_at,
                    change_note=row.change_note,
                    status=VersionStatus(row.status),
                    xsd_valid=row.xsd_valid,
                )
            )
            count += 1
        items.append(
            ManifestProcess(
                office=office_key_of,
                key=process.key,
                title=process.title,
                description=process.description,
                owner=owners.get(process.owner_id) if process.owner_id is not None else None,
                leika_key=process.leika_key,
                tags=list(process.tags or []),
                created_at=process.created_at,
                updated_at=process.updated_at,
                versions=versions,
            )
        )
    manifest = Manifest(
        exported_at=utcnow(), scope=scope, offices=manifest_offices, processes=items
    )
    writer.write(MANIFEST, manifest.model_dump_json(indent=1).encode())
    return count


def _ancestors(office_id: int, parents: dict[int, int | None]) -> set[int]:
    seen: set[int] = set()
    node = parents.get(office_id)
    while node is not None and node not in seen:
        seen.add(node)
        node = parents.get(node)
    return seen


def export(
    session: Session, target: Path, *, process_id: int | None = None, office_key: str | None = None
) -> int:
    """Write one process, one office with its sub-offices, or everything to a folder or a .zip."""
    if target.suffix.lower() == ".zip":
        if target.exists():
            raise Conflict(f"{target} gibt es schon.", f"{target} already exists.")
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(suffix=".zip.part", dir=target.parent)
        os.close(handle)
        try:
            with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                count = _export_to(
                    session, _ZipWriter(archive), process_id=process_id, office_key=office_key
                )
            os.replace(temporary, target)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    else:
        if target.exists() and (not target.is_dir() or any(target.iterdir())):
            raise Conflict(f"{target} ist kein leerer Ordner.", f"{target} is not an empty folder.")
        count = _export_to(
            session, _FolderWriter(target), process_id=process_id, office_key=office_key
        )
    audit.record(
        session,
        actor=None,
        action="transfer.export",
        entity="export",
        entity_id=target.name,
        after={
            "path": str(target),
            "process_id": process_id,
            "office": office_key,
            "versions": count,
        },
    )
    session.flush()
    return count
