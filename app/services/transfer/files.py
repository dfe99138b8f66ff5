"""Importing plain BPMN files: each becomes a new process with version 1, stored in batches."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.bpmn.check import Checked
from app.db import utcnow
from app.models import Office, Process, User
from app.services import audit
from app.services import processes as process_service
from app.services.transfer.checking import check_members, check_pool
from app.services.transfer.report import Outcome, Report, ReportEntry, refusal, with_progress
from app.services.transfer.sources import Member

# Files stored together in one savepoint (file by file only if the batch fails).
BATCH_FILES = 32
BATCH_BYTES = 32 * 1024 * 1024


def outcome_of(checked: Checked) -> Outcome:
    """How a checked file is reported once stored."""
    return "stored" if checked.xsd_valid else "stored-invalid"


def slug(text: str) -> str:
    """A process key from a file name: lower case ASCII, umlauts spelled out, dashes between words."""
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.lower().replace(umlaut, plain)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:64].strip("-") or "prozess"


def unique_key(base: str, *taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`, … whichever is in none of the `taken` sets."""
    key, n = base, 1
    while any(key in keys for keys in taken):
        n += 1
        suffix = f"-{n}"
        key = base[: 64 - len(suffix)].rstrip("-") + suffix
    return key


@dataclass(frozen=True)
class _File:
    """A read and checked file that is to become a new process."""

    name: str
    data: bytes
    checked: Checked


def store_files(
    session: Session, files: list[_File], *, office: Office, actor: User, taken: set[str]
) -> list[ReportEntry]:
    """Store each file as a new process with version 1, all in one savepoint: all or none.

    Three statements whatever the number of files: the processes, their versions, and the audit
    events, each file's process event followed by its version event.
    """
    new: list[process_service.NewProcess] = []
    keys: set[str] = set()  # taken only once the batch is stored
    for file in files:
        stem = PurePosixPath(file.name).stem
        key = unique_key(slug(stem), taken, keys)
        keys.add(key)
        upload = process_service.Upload(
            xml=file.data,
            filename=PurePosixPath(file.name).name[:255],
            change_note=f"Importiert aus {file.name}",
        )
        title = (file.checked.title or stem or file.name)[:300]
        new.append(process_service.NewProcess(key, title, upload, file.checked))
    provenance = process_service.Provenance(author_id=actor.id, created_at=utcnow())
    with session.begin_nested():
        inserted = process_service.insert_with_first_versions(
            session, office_id=office.id, new=new, provenance=provenance
        )
        events: list[dict[str, Any]] = []
        for file, item, ids in zip(files, new, inserted, strict=True):
            after = {"key": item.key, "title": item.title, "source": file.name}
            events += [
                audit.event(
                    actor=actor,
                    action="process.import",
                    entity="process",
                    entity_id=ids.process_id,
                    office_id=office.id,
                    after=after,
                ),
                audit.event(
                    actor=actor,
                    action="version.import",
                    **process_service.version_event(
                        process_id=ids.process_id,
                        office_id=office.id,
                        version_id=ids.version_id,
                        number=1,
                        sha256=ids.sha256,
                        xsd_valid=file.checked.xsd_valid,
                    ),
                ),
            ]
        audit.record_many(session, events)
    taken.update(keys)
    return [
        ReportEntry(file.name, outcome_of(file.checked), ids.process_id, item.key, 1)
        for file, item, ids in zip(files, new, inserted, strict=True)
    ]


def _store_batch(
    session: Session, files: list[_File], *, office: Office, actor: User, taken: set[str]
) -> list[ReportEntry]:
    """Store a batch of files in one go; if that fails, again file by file with one savepoint
    each, so a bad file refuses only itself and the report is the same as without batches."""
    if len(files) > 1:
        try:
            return store_files(session, files, office=office, actor=actor, taken=taken)
        except Exception:  # noqa: S110 - the file-by-file pass below finds and reports the culprit
            pass
    entries: list[ReportEntry] = []
    for file in files:
        try:
            entries += store_files(session, [file], office=office, actor=actor, taken=taken)
        except Exception as exc:
            de, en = refusal(exc)
            entries.append(ReportEntry(file.name, "refused", reason=en, reason_de=de))
    return entries


def import_files(
    session: Session,
    members: list[Member],
    *,
    office: Office,
    actor: User,
    report: Report,
    progress: bool,
) -> None:
    """Store each member as a new process of `office`, checked in workers and stored in batches;
    a line per member goes into `report`, in the order of `members`."""
    taken = set(session.scalars(select(Process.key).where(Process.office_id == office.id)))
    pool = check_pool(sum(member.decided is None for member in members))
    # The report in order: entries decided already, and files waiting to be stored in a batch.
    waiting: list[ReportEntry | _File] = []
    files = size = 0

    def store() -> None:
        nonlocal files, size
        batch = [item for item in waiting if isinstance(item, _File)]
        stored = iter(_store_batch(session, batch, office=office, actor=actor, taken=taken))
        report.entries.extend(next(stored) if isinstance(i, _File) else i for i in waiting)
        waiting.clear()
        files = size = 0

    try:
        checked = check_members(members, pool)
        for member, outcome in with_progress(checked, progress, "files", total=len(members)):
            if isinstance(outcome, ReportEntry):
                waiting.append(outcome)
                continue
            data, inspected = outcome
            if not isinstance(inspected, Checked):
                de, en = inspected
                waiting.append(ReportEntry(member.name, "refused", reason=en, reason_de=de))
                continue
            waiting.append(_File(member.name, data, inspected))
            files, size = files + 1, size + len(data)
            if files >= BATCH_FILES or size >= BATCH_BYTES:
                store()
        store()
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
