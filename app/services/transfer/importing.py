"""The entry point of every import: a BPMN file, a folder, or a zip archive."""

from __future__ import annotations

import zipfile
from functools import partial
from pathlib import Path

from sqlalchemy.orm import Session

from app.config import settings
from app.errors import NotFound, Unprocessable
from app.models import Office, User
from app.services import audit
from app.services import offices as office_service
from app.services import users as user_service
from app.services.transfer.files import import_files
from app.services.transfer.report import Refused, Report, ReportEntry
from app.services.transfer.restoring import import_export
from app.services.transfer.sources import (
    FolderSource,
    Member,
    ZipSource,
    export_manifest,
    folder_members,
    manifest_prefix,
    read_file,
    zip_members,
)


def import_path(
    session: Session,
    path: Path,
    *,
    office_key: str | None = None,
    username: str = user_service.ADMIN_USERNAME,
    progress: bool = False,
) -> Report:
    """Import a BPMN file, a folder or a .zip of plain files or of a Prozessatlas export."""
    actor = user_service.by_username(session, username)
    if actor is None:
        raise Unprocessable(
            f"Benutzer „{username}“ gibt es nicht.", f"User '{username}' does not exist."
        )
    if not path.exists():
        raise NotFound(f"{path} gibt es nicht.", f"{path} does not exist.")
    # Writing first opens a real transaction: pysqlite would otherwise let the first SAVEPOINT
    # start (and its RELEASE commit) the transaction, so a failed import could not be undone.
    audit.record(
        session,
        actor=actor,
        action="transfer.import",
        entity="import",
        entity_id=path.name,
        after={"path": str(path), "office": office_key},
    )
    session.flush()
    report = Report()
    if path.is_file() and path.suffix.lower() == ".zip":
        _import_zip(
            session, path, office_key=office_key, actor=actor, report=report, progress=progress
        )
    elif path.is_dir():
        source = FolderSource(path)
        manifest = export_manifest(source)
        if manifest is not None:
            import_export(
                session,
                source,
                manifest,
                office_key=office_key,
                actor=actor,
                report=report,
                progress=progress,
            )
        else:
            office = _target_office(session, office_key)
            import_files(
                session,
                folder_members(path),
                office=office,
                actor=actor,
                report=report,
                progress=progress,
            )
    else:
        office = _target_office(session, office_key)
        read = partial(read_file, path, settings.max_upload_bytes)
        import_files(
            session,
            [Member(path.name, read=read)],
            office=office,
            actor=actor,
            report=report,
            progress=progress,
        )
    return report


def _import_zip(
    session: Session,
    path: Path,
    *,
    office_key: str | None,
    actor: User,
    report: Report,
    progress: bool,
) -> None:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        report.entries.append(
            ReportEntry(
                path.name,
                "refused",
                reason=f"Not a readable zip archive: {exc}",
                reason_de=f"Kein lesbares Zip-Archiv: {exc}",
            )
        )
        return
    with archive:
        prefix = manifest_prefix(archive)
        if prefix is not None:
            source = ZipSource(archive, prefix)
            manifest = export_manifest(source)
            if manifest is not None:
                import_export(
                    session,
                    source,
                    manifest,
                    office_key=office_key,
                    actor=actor,
                    report=report,
                    progress=progress,
                )
                return
        office = _target_office(session, office_key)
        try:
            members = zip_members(ZipSource(archive))
        except Refused as exc:
            report.entries.append(
                ReportEntry(path.name, "refused", reason=exc.en, reason_de=exc.de)
            )
            return
        import_files(session, members, office=office, actor=actor, report=report, progress=progress)


def _target_office(session: Session, office_key: str | None) -> Office:
    if not office_key:
        raise Unprocessable(
            "Für den Import von BPMN-Dateien ist eine Dienststelle (--office) nötig.",
            "Importing BPMN files needs an office (--office).",
        )
    office = office_service.by_key(session, office_key)
    if office is None:
        raise NotFound(
            f"Dienststelle „{office_key}“ gibt es nicht.", f"Office '{office_key}' does not exist."
        )
    return office
