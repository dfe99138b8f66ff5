"""Reading untrusted folders and zip archives: safe names, size limits, archive bombs."""

from __future__ import annotations

import os
import re
import stat
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Protocol

from app.bpmn.parse import TOO_LARGE
from app.config import settings
from app.services.transfer.manifest import FORMAT, MANIFEST
from app.services.transfer.report import Refused, ReportEntry

# .bpmn2: Eclipse BPMN2 Modeler and jBPM; .bpmn20.xml: Activiti and Flowable.
BPMN_SUFFIXES = (".bpmn", ".bpmn2", ".xml")
# Archives are untrusted: besides the per-file limit (settings.max_upload_bytes) the uncompressed
# total and the number of members are capped, whatever the archive declares.
MAX_ARCHIVE_BYTES = 1024 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 20_000
MAX_MANIFEST_BYTES = 64 * 1024 * 1024


def too_large(size: int, limit: int) -> Refused:
    """The refusal of a file over the size limit."""
    return Refused(
        f"{TOO_LARGE.de} {size} > {limit} Bytes", f"{TOO_LARGE.en} {size} > {limit} bytes"
    )


UNSAFE = Refused("Unsicherer Pfad (absolut oder mit ..).", "Unsafe path (absolute or with ..).")


def unsafe_name(name: str) -> bool:
    """True for absolute paths, drive letters, `..` parts and control characters."""
    parts = PurePosixPath(name).parts
    return (
        name.startswith("/")
        or re.match(r"^[A-Za-z]:", name) is not None
        or ".." in parts
        or any(ord(char) < 32 for char in name)
    )


def ignored(name: str) -> bool:
    """Directories' litter that is no model: dotfiles and macOS resource forks."""
    return any(part.startswith(".") or part == "__MACOSX" for part in PurePosixPath(name).parts)


class Source(Protocol):
    """Where the files of an export are read from: a folder or an archive."""

    def read(self, name: str, limit: int) -> bytes: ...


def read_file(path: Path, limit: int) -> bytes:
    """Read a regular file of at most `limit` bytes."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise Refused("Keine reguläre Datei.", "Not a regular file.")
        if info.st_size > limit:
            raise too_large(info.st_size, limit)
        with path.open("rb") as stream:
            # Sized to the file: a buffer of `limit` bytes for every small file costs more
            # than reading it. A file that grew meanwhile is read on, up to the limit.
            data = stream.read(min(info.st_size, limit) + 1)
            if len(data) > info.st_size:
                data += stream.read(limit + 1 - len(data))
    except OSError as exc:
        raise Refused(f"Nicht lesbar: {exc.strerror}", f"Cannot be read: {exc.strerror}") from None
    if len(data) > limit:
        raise too_large(len(data), limit)
    return data


@dataclass
class FolderSource:
    """Files below a folder; names that leave it are refused."""

    root: Path

    def read(self, name: str, limit: int) -> bytes:
        path = (self.root / name).resolve()
        if unsafe_name(name) or not path.is_relative_to(self.root.resolve()):
            raise UNSAFE
        return read_file(path, limit)


@dataclass
class ZipSource:
    """Members of a zip archive (below `prefix`), within an unpacked-size budget for all of them."""

    archive: zipfile.ZipFile
    prefix: str = ""
    budget: int = field(default_factory=lambda: MAX_ARCHIVE_BYTES)

    def read(self, name: str, limit: int) -> bytes:
        if unsafe_name(name):
            raise UNSAFE
        try:
            info = self.archive.getinfo(self.prefix + name)
        except KeyError:
            raise Refused("Fehlt im Archiv.", "Missing from the archive.") from None
        return self.read_member(info, limit)

    def read_member(self, info: zipfile.ZipInfo, limit: int) -> bytes:
        """Read at most `limit` bytes, whatever the archive claims (zip bombs stop here)."""
        if info.flag_bits & 0x1:
            raise Refused(
                "Verschlüsselte Dateien werden nicht gelesen.", "Encrypted members are not read."
            )
        if info.file_size > limit:
            raise too_large(info.file_size, limit)
        if min(info.file_size, limit) > self.budget:
            raise Refused(
                "Das Archiv ist entpackt zu groß.", "The archive is too large when unpacked."
            )
        try:
            with self.archive.open(info) as stream:
                data = stream.read(min(limit, self.budget) + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
            raise Refused(
                f"Beschädigt im Archiv: {exc}", f"Damaged in the archive: {exc}"
            ) from None
        self.budget -= len(data)
        if len(data) > limit:
            raise too_large(len(data), limit)
        if self.budget < 0:
            raise Refused(
                "Das Archiv ist entpackt zu groß.", "The archive is too large when unpacked."
            )
        return data


@dataclass(frozen=True)
class Member:
    """One candidate file: either a reader for its bytes or an outcome decided without reading."""

    name: str
    read: Callable[[], bytes] | None = None
    decided: ReportEntry | None = None


def folder_members(root: Path) -> list[Member]:
    """The files below `root` in a stable order, without following links or reading them yet."""
    members: list[Member] = []
    for directory, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not ignored(d))
        for filename in sorted(filenames):
            path = Path(directory) / filename
            name = path.relative_to(root).as_posix()
            if ignored(filename):
                continue
            if path.is_symlink() or not path.is_file():
                members.append(
                    Member(
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
                members.append(Member(name, decided=not_bpmn(name)))
            else:
                # Found by the walk, which follows no links: no need to resolve it again.
                members.append(
                    Member(name, read=partial(read_file, path, settings.max_upload_bytes))
                )
    return members


def not_bpmn(name: str) -> ReportEntry:
    """The report line of a file that is no BPMN file by its name."""
    return ReportEntry(
        name,
        "skipped",
        reason="not a .bpmn, .bpmn2 or .xml file",
        reason_de="keine .bpmn-, .bpmn2- oder .xml-Datei",
    )


def zip_members(source: ZipSource) -> list[Member]:
    """The members of an archive in its order; unsafe names refused, litter skipped."""
    infos = source.archive.infolist()
    if len(infos) > MAX_ARCHIVE_MEMBERS:
        raise Refused(
            f"Mehr als {MAX_ARCHIVE_MEMBERS} Einträge im Archiv.",
            f"More than {MAX_ARCHIVE_MEMBERS} members in the archive.",
        )
    members: list[Member] = []
    for info in infos:
        name = info.filename.replace("\\", "/")
        if info.is_dir():
            continue
        if unsafe_name(name):
            members.append(
                Member(
                    name,
                    decided=ReportEntry(name, "refused", reason=UNSAFE.en, reason_de=UNSAFE.de),
                )
            )
        elif ignored(name):
            continue
        elif not name.lower().endswith(BPMN_SUFFIXES):
            members.append(Member(name, decided=not_bpmn(name)))
        else:
            members.append(
                Member(name, read=partial(source.read_member, info, settings.max_upload_bytes))
            )
    return members


def export_manifest(source: Source) -> bytes | None:
    """The manifest if `source` is a Prozessatlas export (another tool's manifest.json is not)."""
    try:
        data = source.read(MANIFEST, MAX_MANIFEST_BYTES)
    except Refused:
        return None
    return data if FORMAT.encode() in data else None


def manifest_prefix(archive: zipfile.ZipFile) -> str | None:
    """Where the manifest of an export lies: at the root or in one top folder (None: no export)."""
    names = {info.filename for info in archive.infolist()}
    if MANIFEST in names:
        return ""
    prefixes = {name[: -len(MANIFEST)] for name in names if name.endswith("/" + MANIFEST)}
    tops = {name.split("/", 1)[0] for name in names if not ignored(name)}
    for prefix in prefixes:
        if prefix.count("/") == 1 and len(tops) == 1 and not unsafe_name(prefix):
            return prefix
    return None
