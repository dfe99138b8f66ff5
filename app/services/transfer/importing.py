"""The entry point of every import: a BPMN file, a folder, or a zip archive."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
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
    Source,
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
    username: str | None = None,
    progress: bool = False,
) -> Report:
    """Import a BPMN file, a folder or a .zip of plain files or of a Prozessatlas export.

    `username` is the importing user (the author of plain files); by default `admin`, and on an
    installation without it (a restore right after `prozessatlas migrate`) nobody: an export
    brings its authors along, plain files then need a `username`.
    """
    actor = user_service.by_username(session, username or user_service.ADMIN_USERNAME)
    if actor is None and username is not None:
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
    run = _Import(session, office_key, actor, Report(), progress)
    if path.is_file() and path.suffix.lower() == ".zip":
        run.archive(path)
    elif path.is_dir():
        run.source(FolderSource(path), partial(folder_members, path))
    else:
        read = partial(read_file, path, settings.max_upload_bytes)
        run.source(None, lambda: [Member(path.name, read=read)])
    return run.report


@dataclass
class _Import:
    """One run of `import_path`: who imports, into which office, and the report so far."""

    session: Session
    office_key: str | None
    actor: User | None
    report: Report
    progress: bool

    def source(self, export: Source | None, members: Callable[[], list[Member]]) -> None:
        """A Prozessatlas export if `export` holds its manifest, else the BPMN files of `members`."""
        manifest = export_manifest(export) if export is not None else None
        if export is not None and manifest is not None:
            import_export(
                self.session,
                export,
                manifest,
                office_key=self.office_key,
                actor=self.actor,
                report=self.report,
                progress=self.progress,
            )
            return
        if self.actor is None:
            raise Unprocessable(
                "BPMN-Dateien brauchen einen Benutzer als Autor: legen Sie einen an "
                "(prozessatlas create-user) und nennen Sie ihn mit --user.",
                "BPMN files need a user as their author: create one "
                "(prozessatlas create-user) and name it with --user.",
            )
        office = _target_office(self.session, self.office_key)
        import_files(
            self.session,
            members(),
            office=office,
            actor=self.actor,
            report=self.report,
            progress=self.progress,
        )

    def archive(self, path: Path) -> None:
        """A zip archive of an export (at its root or in one folder) or of BPMN files."""
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            self.report.entries.append(
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
            export = ZipSource(archive, prefix) if prefix is not None else None
            try:
                self.source(export, partial(zip_members, ZipSource(archive)))
            except Refused as exc:  # listing the members refuses the archive as a whole
                self.report.entries.append(
                    ReportEntry(path.name, "refused", reason=exc.en, reason_de=exc.de)
                )


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
