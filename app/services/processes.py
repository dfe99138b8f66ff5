"""Processes and their immutable, numbered versions."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    CursorResult,
    Integer,
    Select,
    Table,
    and_,
    bindparam,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.attributes import set_committed_value

from app.bpmn.analysis import analyse_graph
from app.bpmn.check import Checked, check
from app.bpmn.extract import EXTRACTION_VERSION, extract, is_current
from app.bpmn.graph import build_graph
from app.bpmn.parse import TOO_LARGE, UnsafeOrInvalidXml, parse_bpmn
from app.bpmn.vocabulary import Vocabulary, load_vocabulary
from app.config import settings
from app.db import utcnow
from app.errors import (
    Conflict,
    InvalidBpmn,
    NotFound,
    PayloadTooLarge,
    PreconditionRequired,
    Unprocessable,
)
from app.models import Process, ProcessVersion, Role, User, VersionStatus
from app.schemas import ProcessCreate, ProcessRead, ProcessUpdate
from app.services import access, audit, glossary, system_names
from app.services.search import index as search_index


def etag_of(sha256: str | None) -> str | None:
    return f'"{sha256}"' if sha256 else None


def inspect_upload(data: bytes) -> Checked:
    """Parse, validate and analyse an upload, turning refusals into problem details."""
    try:
        return check(
            data,
            xsd_dir=settings.xsd_dir,
            max_bytes=settings.max_upload_bytes,
            max_depth=settings.max_xml_depth,
            vocabulary=load_vocabulary(settings.vocabulary_file),
        )
    except UnsafeOrInvalidXml as exc:
        error = PayloadTooLarge if exc.rejection is TOO_LARGE else InvalidBpmn
        raise error(
            exc.de,
            exc.en,
            code=exc.rejection.code,
            reason=exc.reason,
            original=exc.detail or None,
            line=exc.line,
            column=exc.column,
        ) from None


# --- processes --------------------------------------------------------------------------------

_PROCESS = cast(Table, Process.__table__)
_VERSION = cast(Table, ProcessVersion.__table__)
_Latest = aliased(ProcessVersion)
_Owner = aliased(User)


def _read_query() -> Any:
    return (
        select(Process, _Latest, _Owner.username)
        .outerjoin(
            _Latest,
            and_(_Latest.process_id == Process.id, _Latest.number == Process.latest_version),
        )
        .outerjoin(_Owner, _Owner.id == Process.owner_id)
    )


def _to_read(process: Process, latest: ProcessVersion | None, owner: str | None) -> ProcessRead:
    return ProcessRead(
        id=process.id,
        office_id=process.office_id,
        key=process.key,
        title=process.title,
        description=process.description,
        owner=owner,
        leika_key=process.leika_key,
        tags=list(process.tags or []),
        latest_version=process.latest_version or None,
        etag=etag_of(process.latest_sha256),
        status=latest.status if latest else None,
        xsd_valid=latest.xsd_valid if latest else None,
        media_breaks=latest.media_break_count if latest else None,
        automation_candidates=latest.candidate_count if latest else None,
        automation_share=latest.automation_share if latest else None,
        created_at=process.created_at,
        updated_at=process.updated_at,
        archived=process.archived_at is not None,
        archived_at=process.archived_at,
    )


def _owner_id(session: Session, username: str | None) -> int | None:
    if username is None:
        return None
    owner = session.scalar(select(User.id).where(User.username == username))
    if owner is None:
        raise Unprocessable(
            f"Benutzer „{username}“ gibt es nicht.", f"User '{username}' does not exist."
        )
    return owner


def create(session: Session, *, actor: User, office_id: int, data: ProcessCreate) -> Process:
    """Create an empty process in an office (modelers and up)."""
    access.require(session, actor, office_id, Role.MODELER, "Dienststelle")
    exists = session.scalar(
        select(Process.id).where(Process.office_id == office_id, Process.key == data.key)
    )
    if exists is not None:
        raise Conflict(
            f"Der Prozessschlüssel „{data.key}“ ist in dieser Dienststelle schon vergeben.",
            f"Process key '{data.key}' is already used in this office.",
        )
    process = Process(
        office_id=office_id,
        key=data.key,
        title=data.title,
        description=data.description,
        owner_id=_owner_id(session, data.owner),
        leika_key=data.leika_key,
        tags=data.tags,
    )
    session.add(process)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="process.create",
        entity="process",
        entity_id=process.id,
        office_id=office_id,
        after=data.model_dump(),
    )
    return process


def get(session: Session, *, actor: User, process_id: int, needed: Role = Role.READER) -> Process:
    """A process the actor may see (404 otherwise) with at least the `needed` role (403)."""
    process = session.get(Process, process_id)
    if process is None:
        raise NotFound("Prozess nicht gefunden.", "Process not found.")
    access.require(session, actor, process.office_id, needed, "Prozess")
    return process


def read(session: Session, *, actor: User, process_id: int) -> ProcessRead:
    get(session, actor=actor, process_id=process_id)
    row = session.execute(_read_query().where(Process.id == process_id)).one()
    return _to_read(*row)


# Fields a PATCH may clear with null; the others ignore null.
_CLEARABLE = frozenset({"owner", "leika_key"})


def update_metadata(
    session: Session, *, actor: User, process_id: int, data: ProcessUpdate
) -> Process:
    """Change the fields set in `data` (PATCH semantics: unset fields stay; `owner` and
    `leika_key` are cleared by null). Modelers and up; one audit event with before and after."""
    process = get(session, actor=actor, process_id=process_id, needed=Role.MODELER)
    changes = data.model_dump(exclude_unset=True)
    changes = {k: v for k, v in changes.items() if v is not None or k in _CLEARABLE}
    before = {name: getattr(process, name) for name in changes if name != "owner"}
    if "owner" in changes:
        before["owner"] = _owner_name(session, process.owner_id)
        owner_id = _owner_id(session, changes["owner"])  # may refuse: before any change
    for name, value in changes.items():
        if name == "owner":
            process.owner_id = owner_id
        else:
            setattr(process, name, value)
    process.updated_at = utcnow()
    session.flush()
    search_index.index_process(session, process.id)
    audit.record(
        session,
        actor=actor,
        action="process.update",
        entity="process",
        entity_id=process.id,
        office_id=process.office_id,
        before=before,
        after=changes,
    )
    return process


def _owner_name(session: Session, owner_id: int | None) -> str | None:
    if owner_id is None:
        return None
    return session.scalar(select(User.username).where(User.id == owner_id))


def set_archived(session: Session, *, actor: User, process_id: int, archived: bool) -> Process:
    """Archive a process (hidden from the catalogue and the lists; its versions, history and
    downloads stay) or restore it. Owners and admins of the office; an audit event each time
    the state changes (archiving an archived process again changes nothing)."""
    process = get(session, actor=actor, process_id=process_id, needed=Role.OWNER)
    if (process.archived_at is not None) == archived:
        return process
    before = process.archived_at
    process.archived_at = utcnow() if archived else None
    session.flush()
    if archived:
        glossary.forget(session, process.id)
    elif process.latest_version > 0:
        newest = _resolve(session, process, process.latest_version)
        glossary.record(
            session,
            [
                glossary.Newest(
                    process.id, process.office_id, newest.number, extraction_of(session, newest)
                )
            ],
        )
    search_index.index_process(session, process.id)
    audit.record(
        session,
        actor=actor,
        action="process.archive" if archived else "process.restore",
        entity="process",
        entity_id=process.id,
        office_id=process.office_id,
        before={"archived_at": before.isoformat() if before else None},
        after={"archived_at": process.archived_at.isoformat() if process.archived_at else None},
    )
    return process


def create_with_first_version(
    session: Session,
    *,
    actor: User,
    office_id: int,
    data: ProcessCreate,
    upload: Upload | None,
) -> tuple[Process, ProcessVersion | None]:
    """Create a process and, given an upload, its version 1: one use case in the caller's
    transaction. Whatever can refuse (the role, the key, the document) is checked before
    anything is written, so a refusal (an `AppError`) leaves nothing behind."""
    access.require(session, actor, office_id, Role.MODELER, "Dienststelle")
    checked = inspect_upload(upload.xml) if upload is not None else None
    process = create(session, actor=actor, office_id=office_id, data=data)
    if upload is None:
        return process, None
    version = add_version(
        session, actor=actor, process_id=process.id, upload=upload, if_match=None, checked=checked
    )
    return process, version


# --- versions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    xml: bytes
    content_type: str = "application/xml"
    filename: str | None = None
    change_note: str = ""


def _stale(process: Process) -> Conflict:
    return Conflict(
        f"Inzwischen wurde Version {process.latest_version} gespeichert. Bitte neu laden.",
        f"Version {process.latest_version} was saved in the meantime. Please reload.",
        headers={"ETag": etag_of(process.latest_sha256) or ""},
        current_version=process.latest_version,
        current_etag=etag_of(process.latest_sha256),
    )


def _with_author(session: Session, process: Process, error: Conflict) -> Conflict:
    latest = session.execute(
        select(ProcessVersion.created_at, User.username, User.display_name)
        .outerjoin(User, User.id == ProcessVersion.author_id)
        .where(
            ProcessVersion.process_id == process.id, ProcessVersion.number == process.latest_version
        )
    ).first()
    if latest is not None:
        error.extra.update(
            author=latest.display_name or latest.username, created_at=latest.created_at.isoformat()
        )
    return error


def add_version(
    session: Session,
    *,
    actor: User,
    process_id: int,
    upload: Upload,
    if_match: str | None,
    checked: Checked | None = None,
) -> ProcessVersion:
    """Validate, analyse and store `upload` as the process's next version.

    Optimistic concurrency: from the second version on, `if_match` must be the newest version's
    ETag; the number is claimed with a conditional UPDATE, so of concurrent uploads against the
    same ETag exactly one wins and the numbers have no gaps.
    """
    process = get(session, actor=actor, process_id=process_id, needed=Role.MODELER)
    checked = checked or inspect_upload(upload.xml)
    expected = process.latest_version
    if expected > 0:
        if if_match is None:
            raise PreconditionRequired(
                "Für eine neue Version ist der Header If-Match mit dem ETag der neuesten Version nötig.",
                "A new version needs an If-Match header with the newest version's ETag.",
                current_version=expected,
                current_etag=etag_of(process.latest_sha256),
            )
        offered = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
        if "*" not in offered and etag_of(process.latest_sha256) not in offered:
            raise _with_author(session, process, _stale(process))
    return store_version(
        session,
        actor=actor,
        process=process,
        upload=upload,
        checked=checked,
        provenance=Provenance(author_id=actor.id, created_at=utcnow()),
    )


@dataclass(frozen=True)
class Provenance:
    """Who saved a version, when, and its review status (imports keep the exported values)."""

    author_id: int | None
    created_at: datetime
    status: str = VersionStatus.DRAFT.value


def store_version(
    session: Session,
    *,
    actor: User | None,
    process: Process,
    upload: Upload,
    checked: Checked,
    provenance: Provenance,
    action: str = "version.create",
) -> ProcessVersion:
    """Claim the next number for `process` and insert the version (authorization is the caller's).

    The claim is a conditional UPDATE on the number the caller read, so of concurrent writers
    exactly one wins; the others get 409 with the version that beat them.
    """
    expected = process.latest_version
    sha256 = _sha256(upload.xml)
    claimed = session.execute(  # CursorResult: DML reports rowcount
        update(Process)
        .where(Process.id == process.id, Process.latest_version == expected)
        .values(latest_version=expected + 1, latest_sha256=sha256, updated_at=provenance.created_at)
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult[Any], claimed).rowcount != 1:
        session.refresh(process)  # someone else claimed the number: report their version
        raise _with_author(session, process, _stale(process))
    version = ProcessVersion(
        **_version_values(process.id, expected + 1, upload, checked, provenance, sha256)
    )
    session.add(version)
    session.flush()
    system_names.replace(
        session,
        office_id=process.office_id,
        before=system_names.names_of_version(session, process.id, expected),
        after=system_names.names_in(checked.analysis, upload.xml),
    )
    if process.archived_at is None:
        glossary.record(
            session,
            [glossary.Newest(process.id, process.office_id, version.number, checked.extraction)],
        )
    # Mirror the claim in the loaded object without another SELECT.
    set_committed_value(process, "latest_version", version.number)
    set_committed_value(process, "latest_sha256", sha256)
    set_committed_value(process, "updated_at", provenance.created_at)
    search_index.index_process(
        session, process.id, extraction=checked.extraction, analysis=checked.analysis
    )
    record_version(session, actor=actor, process=process, version=version, action=action)
    return version


@dataclass(frozen=True)
class NewProcess:
    """A process that is not stored yet, to be inserted with `upload` as its version 1."""

    key: str
    title: str
    upload: Upload
    checked: Checked


@dataclass(frozen=True)
class Inserted:
    """The ids a bulk insert gave a new process and its first version."""

    process_id: int
    version_id: int
    sha256: str


def insert_with_first_versions(
    session: Session,
    *,
    office_id: int,
    new: Sequence[NewProcess],
    provenance: Provenance,
) -> list[Inserted]:
    """Insert new processes of one office, each with its version 1, in two statements.

    Nobody else can see a process before its transaction commits, so a first number needs no
    claim: each process row goes in already pointing at version 1. The rows skip the unit of work
    (a bulk import stores hundreds at a time), so the caller records the audit events, with
    `version_event` for the versions (authorization is the caller's too). The ids come back in
    the order of `new`; keys must be unique in the office, as the database demands anyway.
    """
    if not new:
        return []
    at = provenance.created_at
    sha256 = [_sha256(item.upload.xml) for item in new]
    process_ids: dict[str, int] = dict(
        session.execute(
            insert(_PROCESS).returning(_PROCESS.c.key, _PROCESS.c.id),
            [
                {
                    "office_id": office_id,
                    "key": item.key,
                    "title": item.title,
                    "description": "",
                    "tags": [],
                    "latest_version": 1,
                    "latest_sha256": digest,
                    "created_at": at,
                    "updated_at": at,
                }
                for item, digest in zip(new, sha256, strict=True)
            ],
        ).all()
    )
    version_ids: dict[int, int] = dict(
        session.execute(
            insert(_VERSION).returning(_VERSION.c.process_id, _VERSION.c.id),
            [
                _version_values(
                    process_ids[item.key], 1, item.upload, item.checked, provenance, digest
                )
                for item, digest in zip(new, sha256, strict=True)
            ],
        ).all()
    )
    system_names.add(
        session,
        Counter(
            (office_id, name)
            for item in new
            for name in system_names.names_in(item.checked.analysis, item.upload.xml)
        ),
    )
    glossary.record(
        session,
        [
            glossary.Newest(process_ids[item.key], office_id, 1, item.checked.extraction)
            for item in new
        ],
    )
    search_index.index_new(
        session,
        [(process_ids[item.key], item.checked.extraction, item.checked.analysis) for item in new],
    )
    return [
        Inserted(process_ids[item.key], version_ids[process_ids[item.key]], digest)
        for item, digest in zip(new, sha256, strict=True)
    ]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _version_values(
    process_id: int | None,
    number: int,
    upload: Upload,
    checked: Checked,
    provenance: Provenance,
    sha256: str,
) -> dict[str, Any]:
    """The columns of a version row, the same for a claimed number and for a new process."""
    return {
        "process_id": process_id,
        "number": number,
        "xml": upload.xml,
        "sha256": sha256,
        "size": len(upload.xml),
        "content_type": upload.content_type,
        "filename": upload.filename,
        "author_id": provenance.author_id,
        "created_at": provenance.created_at,
        "change_note": upload.change_note,
        "status": provenance.status,
        "xsd_valid": checked.xsd_valid,
        "errors": [issue.as_dict() for issue in checked.issues],
        "extraction": checked.extraction,
        **_analysis_values(checked.analysis),
    }


def _analysis_values(analysis: dict[str, Any]) -> dict[str, Any]:
    """The analysis as kept with a version, plus the counts that lists and the portfolio show."""
    counts = analysis.get("counts", {})
    return {
        "analysis": analysis,
        "analysis_version": analysis.get("vocabulary_version"),
        "media_break_count": int(counts.get("media_breaks", 0)),
        "candidate_count": int(counts.get("automation_candidates", 0)),
        "automation_share": analysis.get("automation_share"),
    }


def version_event(
    *,
    process_id: int,
    office_id: int,
    version_id: int,
    number: int,
    sha256: str,
    xsd_valid: bool,
) -> dict[str, Any]:
    """What the audit log says about a stored version (see `audit.record`)."""
    return {
        "entity": "process_version",
        "entity_id": version_id,
        "office_id": office_id,
        "after": {
            "process_id": process_id,
            "number": number,
            "sha256": sha256,
            "xsd_valid": xsd_valid,
        },
    }


def record_version(
    session: Session,
    *,
    actor: User | None,
    process: Process,
    version: ProcessVersion,
    action: str = "version.create",
) -> None:
    """The audit event of a stored (flushed) version."""
    audit.record(
        session,
        actor=actor,
        action=action,
        **version_event(
            process_id=process.id,
            office_id=process.office_id,
            version_id=version.id,
            number=version.number,
            sha256=version.sha256,
            xsd_valid=version.xsd_valid,
        ),
    )


def _wanted(number: int | str) -> int:
    try:
        return int(number)
    except ValueError:
        return -1


def _no_version(number: int | str) -> NotFound:
    return NotFound(f"Version {number} gibt es nicht.", f"Version {number} does not exist.")


def _resolve(session: Session, process: Process, number: int | str) -> ProcessVersion:
    wanted = process.latest_version if number == "latest" else _wanted(number)
    version = session.scalar(
        select(ProcessVersion).where(
            ProcessVersion.process_id == process.id, ProcessVersion.number == wanted
        )
    )
    if version is None:
        raise _no_version(number)
    return version


def get_version(
    session: Session, *, actor: User, process_id: int, number: int | str
) -> tuple[Process, ProcessVersion]:
    process = get(session, actor=actor, process_id=process_id)
    return process, _resolve(session, process, number)


def _version_with_author(latest: bool) -> Select[Process, ProcessVersion, str]:
    wanted = Process.latest_version if latest else bindparam("number", type_=Integer)
    return (
        select(Process, ProcessVersion, User.username)
        .outerjoin(
            ProcessVersion,
            and_(ProcessVersion.process_id == Process.id, ProcessVersion.number == wanted),
        )
        .outerjoin(User, User.id == ProcessVersion.author_id)
        .where(Process.id == bindparam("process_id"))
    )


# Built once per shape: on a metadata GET, building the statement costs as much as running it.
_LATEST_WITH_AUTHOR = _version_with_author(latest=True)
_NUMBER_WITH_AUTHOR = _version_with_author(latest=False)


def get_version_with_author(
    session: Session, *, actor: User, process_id: int, number: int | str
) -> tuple[Process, ProcessVersion, str | None]:
    """`get_version` plus the author's username, with process, version and author in one query.

    Same checks in the same order: 404 for an unknown process, the role check, then 404 for an
    unknown version number.
    """
    if number == "latest":
        query, params = _LATEST_WITH_AUTHOR, {"process_id": process_id}
    else:
        query, params = _NUMBER_WITH_AUTHOR, {"process_id": process_id, "number": _wanted(number)}
    row = session.execute(query, params).first()
    if row is None:
        raise NotFound("Prozess nicht gefunden.", "Process not found.")
    process, version, author = row
    access.require(session, actor, process.office_id, Role.READER, "Prozess")
    if version is None:
        raise _no_version(number)
    return process, version, author


def list_versions(
    session: Session, *, actor: User, process_id: int, limit: int = 100, offset: int = 0
) -> tuple[Process, int, list[ProcessVersion]]:
    """Versions of a process, newest first."""
    process = get(session, actor=actor, process_id=process_id)
    total = process.latest_version
    versions = session.scalars(
        select(ProcessVersion)
        .where(ProcessVersion.process_id == process.id)
        .order_by(ProcessVersion.number.desc())
        .limit(limit)
        .offset(offset)
    )
    return process, total, list(versions)


def author_names(session: Session, versions: list[ProcessVersion]) -> dict[int, str]:
    ids = {v.author_id for v in versions if v.author_id is not None}
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.username).where(User.id.in_(ids))).all())


def _reread(version: ProcessVersion, vocabulary: Vocabulary) -> dict[str, Any]:
    """Analysis and extraction of a stored version, from one parse of its document."""
    tree = parse_bpmn(
        version.xml,
        max_bytes=max(settings.max_upload_bytes, version.size),
        max_depth=settings.max_xml_depth,
    )
    graph = build_graph(tree)
    analysis = analyse_graph(graph, vocabulary)
    return {**_analysis_values(analysis.as_dict()), "extraction": extract(tree, graph, analysis)}


def extraction_of(session: Session, version: ProcessVersion) -> dict[str, Any]:
    """The stored extraction of a version; computed and stored first when it is missing or from
    an older `extract` (versions saved before extractions existed). Authorization is the caller's.
    """
    if not is_current(version.extraction):
        vocabulary = load_vocabulary(settings.vocabulary_file)
        version.extraction = _reread(version, vocabulary)["extraction"]
        session.flush()
    assert version.extraction is not None
    return version.extraction


def get_extraction(
    session: Session, *, actor: User, process_id: int, number: int | str
) -> tuple[Process, ProcessVersion, dict[str, Any]]:
    """A version the actor may read with its extraction (see `extraction_of`)."""
    process, version = get_version(session, actor=actor, process_id=process_id, number=number)
    return process, version, extraction_of(session, version)


def reanalyze_all(session: Session) -> int:
    """Re-run analysis and extraction on every version whose stored analysis is from another
    vocabulary or whose extraction is missing or from an older `extract`."""
    vocabulary = load_vocabulary(settings.vocabulary_file)
    changed = 0
    stale_extraction = (
        ProcessVersion.extraction.is_(None)
        | (ProcessVersion.extraction["version"].as_integer() != EXTRACTION_VERSION)
        | ProcessVersion.extraction["version"].as_integer().is_(None)
    )
    ids = session.scalars(
        select(ProcessVersion.id).where(
            (ProcessVersion.analysis_version != vocabulary.version)
            | ProcessVersion.analysis_version.is_(None)
            | stale_extraction
        )
    ).all()
    for version_id in ids:
        version = session.get(ProcessVersion, version_id)
        assert version is not None
        for column, value in _reread(version, vocabulary).items():
            setattr(version, column, value)
        changed += 1
        if changed % 100 == 0:
            session.flush()
            session.expunge_all()
    session.flush()
    return changed
