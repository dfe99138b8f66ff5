"""Interchange: import BPMN files, folders and zip archives; export processes with a manifest.

An export is `manifest.json` plus `processes/<office>/<process>/v<n>.bpmn`; importing it gives back
the offices, processes and versions with byte-identical files, numbers, authors and times. Anything
else is a set of plain BPMN files, each of which becomes a new process. Every file (every process of
an export) gets its own savepoint, so one bad file never stops the others; the report says what
became of each file.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
import stat
import sys
import tempfile
import threading
import unicodedata
import zipfile
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any, Literal, Protocol, TextIO

from pydantic import AwareDatetime, BaseModel, Field, ValidationError
from sqlalchemy import select, true
from sqlalchemy.orm import Session
from tqdm import tqdm

from app.bpmn.check import Checked
from app.bpmn.parse import TOO_LARGE
from app.bpmn.validate import load_schema
from app.bpmn.vocabulary import load_vocabulary
from app.config import settings
from app.db import utcnow
from app.errors import AppError, Conflict, NotFound, Unprocessable
from app.models import Office, Process, ProcessVersion, User, VersionStatus
from app.schemas import KEY_PATTERN, OfficeCreate
from app.services import audit
from app.services import offices as office_service
from app.services import processes as process_service
from app.services import users as user_service

FORMAT = "prozessatlas-export"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
BPMN_SUFFIXES = (".bpmn", ".xml")
# Archives are untrusted: besides the per-file limit (settings.max_upload_bytes) the uncompressed
# total and the number of members are capped, whatever the archive declares.
MAX_ARCHIVE_BYTES = 1024 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 20_000
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
MAX_OFFICE_DEPTH = 20

Outcome = Literal["stored", "stored-invalid", "refused", "skipped"]


# --- the report -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportEntry:
    """What became of one file: where it went, or why it was refused or skipped."""

    path: str
    outcome: Outcome
    process_id: int | None = None
    process_key: str | None = None
    version: int | None = None
    reason: str = ""
    reason_de: str = ""
    note: str = ""


@dataclass
class Report:
    """The per-file result of an import, in the order the files were met."""

    entries: list[ReportEntry] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def of(self, outcome: Outcome) -> list[ReportEntry]:
        return [entry for entry in self.entries if entry.outcome == outcome]

    @property
    def stored(self) -> list[ReportEntry]:
        return self.of("stored")

    @property
    def stored_invalid(self) -> list[ReportEntry]:
        return self.of("stored-invalid")

    @property
    def refused(self) -> list[ReportEntry]:
        return self.of("refused")

    @property
    def skipped(self) -> list[ReportEntry]:
        return self.of("skipped")

    @property
    def counts(self) -> dict[str, int]:
        outcomes: tuple[Outcome, ...] = ("stored", "stored-invalid", "refused", "skipped")
        return {outcome: len(self.of(outcome)) for outcome in outcomes}


def print_report(report: Report, out: TextIO | None = None) -> None:
    """Print one line per file (reasons indented below) and the totals."""
    out = out or sys.stdout
    out.write(f"{'outcome':<15} {'ver':>4}  {'process':<32} file\n")
    for entry in report.entries:
        version = str(entry.version) if entry.version is not None else "-"
        out.write(
            f"{entry.outcome:<15} {version:>4}  {entry.process_key or '-':<32} {entry.path}\n"
        )
        for text in (entry.reason, entry.note):
            if text:
                out.write(f"{'':<22}→ {text}\n")
    for note in report.notes:
        out.write(f"note: {note}\n")
    totals = ", ".join(f"{outcome} {count}" for outcome, count in report.counts.items())
    out.write(f"{len(report.entries)} files: {totals}\n")


# --- the manifest -----------------------------------------------------------------------------


class ManifestOffice(BaseModel):
    key: str = Field(min_length=1, max_length=64)
    name: str
    kind: str
    parent: str | None = None


class ManifestVersion(BaseModel):
    number: int = Field(ge=1)
    file: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0)
    content_type: str = Field(default="application/xml", max_length=120)
    filename: str | None = Field(default=None, max_length=255)
    author: str | None = None
    created_at: AwareDatetime
    change_note: str = ""
    status: VersionStatus = VersionStatus.DRAFT
    xsd_valid: bool


class ManifestProcess(BaseModel):
    office: str
    key: str = Field(min_length=1, max_length=120)
    title: str = Field(min_length=1, max_length=300)
    description: str = ""
    owner: str | None = None
    leika_key: str | None = Field(default=None, max_length=32)
    tags: list[str] = Field(default_factory=list)
    created_at: AwareDatetime | None = None
    updated_at: AwareDatetime | None = None
    versions: list[ManifestVersion]


class Manifest(BaseModel):
    format: Literal["prozessatlas-export"] = "prozessatlas-export"
    format_version: Literal[1] = 1
    exported_at: AwareDatetime
    scope: str
    offices: list[ManifestOffice]
    processes: list[ManifestProcess]


class _ManifestHeader(BaseModel):
    """The manifest with its processes unchecked, so one bad process entry refuses only itself."""

    format: Literal["prozessatlas-export"]
    format_version: Literal[1]
    offices: list[ManifestOffice]
    processes: list[dict[str, Any]]


# --- sources: a folder or a zip archive ---------------------------------------------------------


class _Refused(Exception):
    def __init__(self, de: str, en: str) -> None:
        super().__init__(en)
        self.de = de
        self.en = en


def _too_large(size: int, limit: int) -> _Refused:
    return _Refused(
        f"{TOO_LARGE.de} {size} > {limit} Bytes", f"{TOO_LARGE.en} {size} > {limit} bytes"
    )


_UNSAFE = _Refused("Unsicherer Pfad (absolut oder mit ..).", "Unsafe path (absolute or with ..).")


def _unsafe_name(name: str) -> bool:
    """True for absolute paths, drive letters, `..` parts and control characters."""
    parts = PurePosixPath(name).parts
    return (
        name.startswith("/")
        or re.match(r"^[A-Za-z]:", name) is not None
        or ".." in parts
        or any(ord(char) < 32 for char in name)
    )


def _ignored(name: str) -> bool:
    """Directories' litter that is no model: dotfiles and macOS resource forks."""
    return any(part.startswith(".") or part == "__MACOSX" for part in PurePosixPath(name).parts)


class _Source(Protocol):
    def read(self, name: str, limit: int) -> bytes: ...


def _read_file(path: Path, limit: int) -> bytes:
    """Read a regular file of at most `limit` bytes."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise _Refused("Keine reguläre Datei.", "Not a regular file.")
        if info.st_size > limit:
            raise _too_large(info.st_size, limit)
        with path.open("rb") as stream:
            # Sized to the file: a buffer of `limit` bytes for every small file costs more
            # than reading it. A file that grew meanwhile is read on, up to the limit.
            data = stream.read(min(info.st_size, limit) + 1)
            if len(data) > info.st_size:
                data += stream.read(limit + 1 - len(data))
    except OSError as exc:
        raise _Refused(f"Nicht lesbar: {exc.strerror}", f"Cannot be read: {exc.strerror}") from None
    if len(data) > limit:
        raise _too_large(len(data), limit)
    return data


@dataclass
class _FolderSource:
    root: Path

    def read(self, name: str, limit: int) -> bytes:
        path = (self.root / name).resolve()
        if _unsafe_name(name) or not path.is_relative_to(self.root.resolve()):
            raise _UNSAFE
        return _read_file(path, limit)


@dataclass
class _ZipSource:
    archive: zipfile.ZipFile
    prefix: str = ""
    budget: int = field(default_factory=lambda: MAX_ARCHIVE_BYTES)

    def read(self, name: str, limit: int) -> bytes:
        if _unsafe_name(name):
            raise _UNSAFE
        try:
            info = self.archive.getinfo(self.prefix + name)
        except KeyError:
            raise _Refused("Fehlt im Archiv.", "Missing from the archive.") from None
        return self.read_member(info, limit)

    def read_member(self, info: zipfile.ZipInfo, limit: int) -> bytes:
        """Read at most `limit` bytes, whatever the archive claims (zip bombs stop here)."""
        if info.flag_bits & 0x1:
            raise _Refused(
                "Verschlüsselte Dateien werden nicht gelesen.", "Encrypted members are not read."
            )
        if info.file_size > limit:
            raise _too_large(info.file_size, limit)
        if min(info.file_size, limit) > self.budget:
            raise _Refused(
                "Das Archiv ist entpackt zu groß.", "The archive is too large when unpacked."
            )
        try:
            with self.archive.open(info) as stream:
                data = stream.read(min(limit, self.budget) + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
            raise _Refused(
                f"Beschädigt im Archiv: {exc}", f"Damaged in the archive: {exc}"
            ) from None
        self.budget -= len(data)
        if len(data) > limit:
            raise _too_large(len(data), limit)
        if self.budget < 0:
            raise _Refused(
                "Das Archiv ist entpackt zu groß.", "The archive is too large when unpacked."
            )
        return data


@dataclass(frozen=True)
class _Member:
    """One candidate file: either a reader for its bytes or an outcome decided without reading."""

    name: str
    read: Callable[[], bytes] | None = None
    decided: ReportEntry | None = None


def _folder_members(root: Path) -> list[_Member]:
    members: list[_Member] = []
    for directory, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not _ignored(d))
        for filename in sorted(filenames):
            path = Path(directory) / filename
            name = path.relative_to(root).as_posix()
            if _ignored(filename):
                continue
            if path.is_symlink() or not path.is_file():
                members.append(
                    _Member(
                        name,
                        decided=ReportEntry(
                            name,
                            "skipped",
                            reason="not a regular file (symbolic links are not followed)",
                            reason_de="keine reguläre Datei (symbolischen Links wird nicht gefolgt)",
                        ),
                    )
                )
            elif not filename.lower().endswith(BPMN_SUFFIXES):
                members.append(_Member(name, decided=_not_bpmn(name)))
            else:
                # Found by the walk, which follows no links: no need to resolve it again.
                members.append(
                    _Member(name, read=partial(_read_file, path, settings.max_upload_bytes))
                )
    return members


def _not_bpmn(name: str) -> ReportEntry:
    return ReportEntry(
        name, "skipped", reason="not a .bpmn or .xml file", reason_de="keine .bpmn- oder .xml-Datei"
    )


def _zip_members(source: _ZipSource) -> list[_Member]:
    infos = source.archive.infolist()
    if len(infos) > MAX_ARCHIVE_MEMBERS:
        raise _Refused(
            f"Mehr als {MAX_ARCHIVE_MEMBERS} Einträge im Archiv.",
            f"More than {MAX_ARCHIVE_MEMBERS} members in the archive.",
        )
    members: list[_Member] = []
    for info in infos:
        name = info.filename.replace("\\", "/")
        if info.is_dir():
            continue
        if _unsafe_name(name):
            members.append(
                _Member(
                    name,
                    decided=ReportEntry(name, "refused", reason=_UNSAFE.en, reason_de=_UNSAFE.de),
                )
            )
        elif _ignored(name):
            continue
        elif not name.lower().endswith(BPMN_SUFFIXES):
            members.append(_Member(name, decided=_not_bpmn(name)))
        else:
            members.append(
                _Member(name, read=partial(source.read_member, info, settings.max_upload_bytes))
            )
    return members


def _export_manifest(source: _Source) -> bytes | None:
    """The manifest if `source` is a Prozessatlas export (another tool's manifest.json is not)."""
    try:
        data = source.read(MANIFEST, MAX_MANIFEST_BYTES)
    except _Refused:
        return None
    return data if FORMAT.encode() in data else None


def _manifest_prefix(archive: zipfile.ZipFile) -> str | None:
    """Where the manifest of an export lies: at the root or in one top folder (None: no export)."""
    names = {info.filename for info in archive.infolist()}
    if MANIFEST in names:
        return ""
    prefixes = {name[: -len(MANIFEST)] for name in names if name.endswith("/" + MANIFEST)}
    tops = {name.split("/", 1)[0] for name in names if not _ignored(name)}
    for prefix in prefixes:
        if prefix.count("/") == 1 and len(tops) == 1 and not _unsafe_name(prefix):
            return prefix
    return None


# --- storing ------------------------------------------------------------------------------------


def _outcome(checked: Checked) -> Outcome:
    return "stored" if checked.xsd_valid else "stored-invalid"


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    more = f" (+{exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{where}: {error['msg']}{more}"


def _refusal(exc: Exception) -> tuple[str, str]:
    """German and English reason for a refused file."""
    if isinstance(exc, AppError | _Refused):
        return exc.de, exc.en
    # Anything unexpected (a database error, an analysis bug) refuses this file only.
    text = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
    return f"Nicht gespeichert: {text}", f"Not stored: {text}"


def _slug(text: str) -> str:
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.lower().replace(umlaut, plain)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:64].strip("-") or "prozess"


def _unique_key(base: str, *taken: set[str]) -> str:
    key, n = base, 1
    while any(key in keys for keys in taken):
        n += 1
        suffix = f"-{n}"
        key = base[: 64 - len(suffix)].rstrip("-") + suffix
    return key


def _inspect(data: bytes) -> Checked | tuple[str, str]:
    """Parse, validate and analyse one file; a refusal comes back as its German and English reason.

    Pure and picklable both ways, so it can run in a worker process.
    """
    try:
        return process_service.inspect_upload(data)
    except Exception as exc:
        return _refusal(exc)


@dataclass(frozen=True)
class _File:
    """A read and checked file that is to become a new process."""

    name: str
    data: bytes
    checked: Checked


def _store_files(
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
        key = _unique_key(_slug(stem), taken, keys)
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
        ReportEntry(file.name, _outcome(file.checked), ids.process_id, item.key, 1)
        for file, item, ids in zip(files, new, inserted, strict=True)
    ]


def _store_batch(
    session: Session, files: list[_File], *, office: Office, actor: User, taken: set[str]
) -> list[ReportEntry]:
    """Store a batch of files in one go; if that fails, again file by file with one savepoint
    each, so a bad file refuses only itself and the report is the same as without batches."""
    if len(files) > 1:
        try:
            return _store_files(session, files, office=office, actor=actor, taken=taken)
        except Exception:  # noqa: S110 - the file-by-file pass below finds and reports the culprit
            pass
    entries: list[ReportEntry] = []
    for file in files:
        try:
            entries += _store_files(session, [file], office=office, actor=actor, taken=taken)
        except Exception as exc:
            de, en = _refusal(exc)
            entries.append(ReportEntry(file.name, "refused", reason=en, reason_de=de))
    return entries


# Below this many files a worker pool costs more to start than it saves.
_POOL_MIN_FILES = 16
# Files stored together in one savepoint with two flushes (file by file only if the batch fails).
_BATCH_FILES = 32
_BATCH_BYTES = 32 * 1024 * 1024
# Files read and handed to the workers ahead of the one being stored: enough to keep the workers
# busy while the main process stores a batch, within a memory budget.
_READ_AHEAD = 2 * _BATCH_FILES
_READ_AHEAD_BYTES = 64 * 1024 * 1024
# Files checked together as one task of a worker.
_CHUNK_FILES = 8
_CHUNK_BYTES = 1024 * 1024


def _check_pool(files: int) -> Executor | None:
    """Worker processes for the CPU-bound checks of a large import, or None to check inline.

    Forked, so the workers start at once and inherit the compiled schema and the vocabulary; the
    main process meanwhile writes to the database (so one worker fewer than cores). Only where
    fork exists, with 2+ cores, and from a single-threaded process such as the CLI: a fork copies
    locks other threads may hold (the XSD lock, logging), and a worker could wait on them forever.
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    cores = cores or 1
    if (
        files < _POOL_MIN_FILES
        or cores < 2
        or "fork" not in multiprocessing.get_all_start_methods()
        or threading.active_count() > 1
    ):
        return None
    # Compile the XSD schema and load the vocabulary once, before forking: the workers share them.
    load_schema(settings.xsd_dir)
    load_vocabulary(settings.vocabulary_file)
    context = multiprocessing.get_context("fork")
    return ProcessPoolExecutor(max_workers=cores - 1, mp_context=context)


_Inspected = Checked | tuple[str, str]
_Outcome = ReportEntry | tuple[bytes, _Inspected]


def _inspect_all(files: list[bytes]) -> list[_Inspected]:
    return [_inspect(data) for data in files]


@dataclass(eq=False)
class _Chunk:
    """Files read and checked together, as one task: few, larger tasks keep the cost of handing
    them between processes small. Checked by a worker (`future`) or, once done here, `inspected`.
    """

    files: list[bytes] = field(default_factory=list)
    size: int = 0
    future: Future[list[_Inspected]] | None = None
    inspected: list[_Inspected] | None = None

    def add(self, data: bytes) -> int:
        """Add a file; its index in the chunk."""
        self.files.append(data)
        self.size += len(data)
        return len(self.files) - 1

    @property
    def full(self) -> bool:
        return len(self.files) >= _CHUNK_FILES or self.size >= _CHUNK_BYTES

    def take_over(self) -> bool:
        """Check the files here if no worker has started on them yet."""
        if self.future is None or not self.future.cancel():
            return False
        self.future, self.inspected = None, _inspect_all(self.files)
        return True

    def result(self, index: int) -> _Inspected:
        if self.future is not None:
            try:
                self.inspected = self.future.result()
            except BrokenProcessPool:  # a worker died (killed, out of memory): check here instead
                self.inspected = _inspect_all(self.files)
            self.future = None
        elif self.inspected is None:
            self.inspected = _inspect_all(self.files)
        return self.inspected[index]


def _inspected(members: list[_Member], pool: Executor | None) -> Iterator[tuple[_Member, _Outcome]]:
    """Each member in order with its outcome: decided, refused on reading, or read and checked.

    With a pool, files are read and handed to the workers in chunks ahead of the one being
    stored, so checking and storing overlap while only a window of files is held in memory.
    Rather than wait for the chunk it needs next, the main process checks the last chunk of the
    window that no worker has started on: the workers work from the front, the main process
    from the back.
    """
    window: deque[tuple[_Member, ReportEntry | tuple[_Chunk, int]]] = deque()
    ahead, budget = (_READ_AHEAD, _READ_AHEAD_BYTES) if pool is not None else (0, 0)
    held = 0
    filling = _Chunk()  # not handed to a worker yet

    def hand_over() -> None:
        nonlocal filling
        if pool is not None and filling.files:
            filling.future = pool.submit(_inspect_all, filling.files)
        filling = _Chunk()

    def start(member: _Member) -> int:
        if member.decided is not None:
            window.append((member, member.decided))
            return 0
        assert member.read is not None
        try:
            data = member.read()
        except _Refused as exc:
            refused = ReportEntry(member.name, "refused", reason=exc.en, reason_de=exc.de)
            window.append((member, refused))
            return 0
        window.append((member, (filling, filling.add(data))))
        if filling.full:
            hand_over()
        return len(data)

    def steal() -> bool:
        chunks = (pending[0] for _, pending in reversed(window) if isinstance(pending, tuple))
        return any(chunk.take_over() for chunk in dict.fromkeys(chunks))

    def finish() -> tuple[_Member, _Outcome]:
        nonlocal held
        member, pending = window[0]
        if isinstance(pending, tuple):
            chunk = pending[0]
            if chunk is filling:  # the window ends in this chunk: check it here, now
                hand_over()
            while chunk.future is not None and not chunk.future.done() and steal():
                pass
        window.popleft()
        if isinstance(pending, ReportEntry):
            return member, pending
        chunk, index = pending
        held -= len(chunk.files[index])
        return member, (chunk.files[index], chunk.result(index))

    for member in members:
        held += start(member)
        while len(window) > ahead or (held > budget and len(window) > 1):
            yield finish()
    while window:
        yield finish()


def _import_files(
    session: Session,
    members: list[_Member],
    *,
    office: Office,
    actor: User,
    report: Report,
    progress: bool,
) -> None:
    taken = set(session.scalars(select(Process.key).where(Process.office_id == office.id)))
    pool = _check_pool(sum(member.decided is None for member in members))
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
        checked = _inspected(members, pool)
        for member, outcome in _progress(checked, progress, "files", total=len(members)):
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
            if files >= _BATCH_FILES or size >= _BATCH_BYTES:
                store()
        store()
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _progress(
    items: Iterable[Any], enabled: bool, unit: str, total: int | None = None
) -> Iterable[Any]:
    if not enabled:
        return items
    if total is None:
        total = len(items) if isinstance(items, list) else None
    bar: Iterable[Any] = tqdm(items, total=total, unit=unit, file=sys.stderr, leave=False)
    return bar


# --- importing an export ----------------------------------------------------------------------


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
                failed[key] = _refusal(exc)
            else:
                failed[key] = (f"Ungültig: {_first_error(exc)}", f"Invalid: {_first_error(exc)}")
            return None
        report.notes.append(f"office {key} created")
        ids[key] = office.id
        return office.id

    for key in wanted:
        resolve(key, frozenset())
    return ids, failed


@dataclass
class _Users:
    """Usernames to ids, looked up once each."""

    session: Session
    known: dict[str, int | None] = field(default_factory=dict)

    def id_of(self, username: str) -> int | None:
        if username not in self.known:
            user = user_service.by_username(self.session, username)
            self.known[username] = user.id if user else None
        return self.known[username]


def _import_process(
    session: Session,
    item: ManifestProcess,
    *,
    source: _Source,
    offices: dict[str, int],
    failed_offices: dict[str, tuple[str, str]],
    actor: User,
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
                raise _Refused(
                    f"Prüfsumme von {v.file} stimmt nicht mit dem Manifest überein.",
                    f"The checksum of {v.file} does not match the manifest.",
                )
            loaded.append((v, data, process_service.inspect_upload(data)))
        except Exception as exc:
            de, en = _refusal(exc)
            return refuse(f"v{v.number}: {de}", f"v{v.number}: {en}")
    entries: list[ReportEntry] = []
    notes: list[str] = []
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
            if item.owner and process.owner_id is None:
                notes.append(f"owner {item.owner} does not exist here, left empty")
            for v, data, checked in loaded:
                note = list(notes)
                author_id = users.id_of(v.author) if v.author else None
                if v.author and author_id is None:
                    author_id = actor.id
                    note.append(
                        f"author {v.author} does not exist here, stored as {actor.username}"
                    )
                if checked.xsd_valid != v.xsd_valid:
                    note.append(f"xsd_valid is now {checked.xsd_valid} (export said {v.xsd_valid})")
                upload = process_service.Upload(
                    xml=data,
                    content_type=v.content_type,
                    filename=v.filename,
                    change_note=v.change_note,
                )
                if v.number != process.latest_version + 1:
                    raise _Refused(
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
                        v.file, _outcome(checked), None, item.key, v.number, note="; ".join(note)
                    )
                )
            session.refresh(process)
            if item.updated_at is not None:
                process.updated_at = item.updated_at
                session.flush()
    except Exception as exc:
        de, en = _refusal(exc)
        return refuse(de, en)
    if not versions:
        return [ReportEntry(label, "stored", process.id, item.key, note="; ".join(notes))]
    return [
        ReportEntry(e.path, e.outcome, process.id, e.process_key, e.version, note=e.note)
        for e in entries
    ]


def _import_export(
    session: Session,
    source: _Source,
    manifest: bytes,
    *,
    office_key: str | None,
    actor: User,
    report: Report,
    progress: bool,
) -> None:
    if office_key:
        report.notes.append(f"--office {office_key} is ignored: an export brings its own offices")
    try:
        header = _ManifestHeader.model_validate_json(manifest)
    except ValidationError as exc:
        report.entries.append(
            ReportEntry(
                MANIFEST,
                "refused",
                reason=f"Not a valid Prozessatlas export manifest: {_first_error(exc)}",
                reason_de=f"Kein gültiges Manifest eines Prozessatlas-Exports: {_first_error(exc)}",
            )
        )
        return
    offices, failed_offices = _resolve_offices(session, header.offices, report)
    users = _Users(session)
    for index, raw in enumerate(_progress(header.processes, progress, "processes")):
        try:
            item = ManifestProcess.model_validate(raw)
        except ValidationError as exc:
            report.entries.append(
                ReportEntry(
                    f"{MANIFEST}#processes[{index}]",
                    "refused",
                    reason=f"Invalid process entry: {_first_error(exc)}",
                    reason_de=f"Ungültiger Prozesseintrag im Manifest: {_first_error(exc)}",
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


# --- entry points -------------------------------------------------------------------------------


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
        source = _FolderSource(path)
        manifest = _export_manifest(source)
        if manifest is not None:
            _import_export(
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
            _import_files(
                session,
                _folder_members(path),
                office=office,
                actor=actor,
                report=report,
                progress=progress,
            )
    else:
        office = _target_office(session, office_key)
        read = partial(_read_file, path, settings.max_upload_bytes)
        _import_files(
            session,
            [_Member(path.name, read=read)],
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
        prefix = _manifest_prefix(archive)
        if prefix is not None:
            source = _ZipSource(archive, prefix)
            manifest = _export_manifest(source)
            if manifest is not None:
                _import_export(
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
            members = _zip_members(_ZipSource(archive))
        except _Refused as exc:
            report.entries.append(
                ReportEntry(path.name, "refused", reason=exc.en, reason_de=exc.de)
            )
            return
        _import_files(
            session, members, office=office, actor=actor, report=report, progress=progress
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
