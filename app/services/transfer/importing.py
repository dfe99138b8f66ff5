"""The entry point of every import: a BPMN file, a folder, or a zip archive."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import settings
from app.errors import NotFound, Unprocessable
from app.models import Office, User
from app.schemas import OfficeCreate
from app.services import audit
from app.services import offices as office_service
from app.services.transfer.files import import_files, slug
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

# The account `serve` creates (app.services.users.ADMIN_USERNAME; that module, with its
# password hasher, is not needed to import).
DEFAULT_IMPORTER = "admin"


def import_path(
    session: Session,
    path: Path,
    *,
    office_key: str | None = None,
    username: str | None = None,
    progress: bool = False,
    offices_from_folders: bool = False,
) -> Report:
    """Import a BPMN file, a folder or a .zip of plain files or of a Prozessatlas export.

    `username` is the importing user (the author of plain files); by default `admin`, and on an
    installation without it (a restore right after `prozessatlas migrate`) nobody: an export
    brings its authors along, plain files then need a `username`.

    `offices_from_folders`: the files of a folder go into the office its sub-folders name
    (`folder_offices`), all in one transaction and one report.
    """
    actor = session.scalars(
        select(User).where(User.username == (username or DEFAULT_IMPORTER))
    ).first()
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
    elif path.is_dir() and offices_from_folders:
        run.folder_tree(path)
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
            raise _needs_author()
        office = _target_office(self.session, self.office_key)
        import_files(
            self.session,
            members(),
            office=office,
            actor=self.actor,
            report=self.report,
            progress=self.progress,
        )

    def folder_tree(self, root: Path) -> None:
        """Plain BPMN files of a folder tree, each folder's into the office the folder names.

        A folder's name is an office key (spelled as a key: lower case, umlauts spelled out,
        dashes for spaces: "Bürgeramt" is `buergeramt`). An office of that key is used; a
        missing one is created, named like the folder, under the office of the folder above
        (for a top folder: under `--office`, or at the top). The files directly in `root` go
        into `--office`.
        """
        if self.actor is None:
            raise _needs_author()
        groups: dict[str, list[Member]] = {}
        for member in folder_members(root):
            groups.setdefault(PurePosixPath(member.name).parent.as_posix(), []).append(member)
        base = _target_office(self.session, self.office_key) if self.office_key else None
        offices: dict[str, Office | None] = {".": base}
        for folder, members in groups.items():
            office = self._folder_office(folder, offices)
            if office is None:
                self.report.entries.extend(
                    member.decided
                    or ReportEntry(
                        member.name,
                        "refused",
                        reason="no office for the files at the top of the folder: name one "
                        "with --office",
                        reason_de="keine Dienststelle für die Dateien oben im Ordner: nennen "
                        "Sie eine mit --office",
                    )
                    for member in members
                )
                continue
            import_files(
                self.session,
                members,
                office=office,
                actor=self.actor,
                report=self.report,
                progress=self.progress,
            )

    def _folder_office(self, folder: str, offices: dict[str, Office | None]) -> Office | None:
        """The office of `folder` (a path below the root), creating it and those above."""
        if folder in offices:
            return offices[folder]
        parent = self._folder_office(PurePosixPath(folder).parent.as_posix(), offices)
        name = PurePosixPath(folder).name
        key = slug(name)
        office = office_service.by_key(self.session, key)
        if office is None:
            office = office_service.create(
                self.session,
                actor=self.actor,
                data=OfficeCreate(
                    key=key,
                    name=name[:200],
                    kind="amt",
                    parent_id=parent.id if parent is not None else None,
                ),
            )
            self.report.notes.append(f"office {key} created from the folder {folder}")
        offices[folder] = office
        return office

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


def _needs_author() -> Unprocessable:
    return Unprocessable(
        "BPMN-Dateien brauchen einen Benutzer als Autor: legen Sie einen an "
        "(prozessatlas create-user) und nennen Sie ihn mit --user.",
        "BPMN files need a user as their author: create one "
        "(prozessatlas create-user) and name it with --user.",
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
