"""Checking many files at once: parse, validate and analyse them in worker processes, in order."""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from app.bpmn.check import Checked
from app.bpmn.validate import load_schema
from app.bpmn.vocabulary import load_vocabulary
from app.config import settings
from app.services import processes as process_service
from app.services.transfer.report import Refused, ReportEntry, refusal
from app.services.transfer.sources import Member

# Below this many files a worker pool costs more to start than it saves.
POOL_MIN_FILES = 16
# Files read and handed to the workers ahead of the one being stored (two batches of storing):
# enough to keep the workers busy while the main process stores, within a memory budget.
READ_AHEAD = 64
READ_AHEAD_BYTES = 64 * 1024 * 1024
# Files checked together as one task of a worker.
CHUNK_FILES = 8
CHUNK_BYTES = 1024 * 1024


def check_file(data: bytes) -> Checked | tuple[str, str]:
    """Parse, validate and analyse one file; a refusal comes back as its German and English reason.

    Pure and picklable both ways, so it can run in a worker process.
    """
    try:
        return process_service.inspect_upload(data)
    except Exception as exc:
        return refusal(exc)


def check_pool(files: int) -> Executor | None:
    """Worker processes for the CPU-bound checks of a large import, or None to check inline.

    Forked, so the workers start at once and inherit the compiled schema and the vocabulary; the
    main process meanwhile writes to the database (so one worker fewer than cores). Only where
    fork exists, with 2+ cores, and from a single-threaded process such as the CLI: a fork copies
    locks other threads may hold (the XSD lock, logging), and a worker could wait on them forever.
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    cores = cores or 1
    if (
        files < POOL_MIN_FILES
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


Inspected = Checked | tuple[str, str]
_Outcome = ReportEntry | tuple[bytes, Inspected]


def check_files(files: list[bytes]) -> list[Inspected]:
    """Check several files, one after the other (one task of a worker)."""
    return [check_file(data) for data in files]


@dataclass(eq=False)
class _Chunk:
    """Files read and checked together, as one task: few, larger tasks keep the cost of handing
    them between processes small. Checked by a worker (`future`) or, once done here, `inspected`.
    """

    files: list[bytes] = field(default_factory=list)
    size: int = 0
    future: Future[list[Inspected]] | None = None
    inspected: list[Inspected] | None = None

    def add(self, data: bytes) -> int:
        """Add a file; its index in the chunk."""
        self.files.append(data)
        self.size += len(data)
        return len(self.files) - 1

    @property
    def full(self) -> bool:
        return len(self.files) >= CHUNK_FILES or self.size >= CHUNK_BYTES

    def take_over(self) -> bool:
        """Check the files here if no worker has started on them yet."""
        if self.future is None or not self.future.cancel():
            return False
        self.future, self.inspected = None, check_files(self.files)
        return True

    def result(self, index: int) -> Inspected:
        if self.future is not None:
            try:
                self.inspected = self.future.result()
            except BrokenProcessPool:  # a worker died (killed, out of memory): check here instead
                self.inspected = check_files(self.files)
            self.future = None
        elif self.inspected is None:
            self.inspected = check_files(self.files)
        return self.inspected[index]


def check_members(
    members: list[Member], pool: Executor | None
) -> Iterator[tuple[Member, _Outcome]]:
    """Each member in order with its outcome: decided, refused on reading, or read and checked.

    With a pool, files are read and handed to the workers in chunks ahead of the one being
    stored, so checking and storing overlap while only a window of files is held in memory.
    Rather than wait for the chunk it needs next, the main process checks the last chunk of the
    window that no worker has started on: the workers work from the front, the main process
    from the back.
    """
    window: deque[tuple[Member, ReportEntry | tuple[_Chunk, int]]] = deque()
    ahead, budget = (READ_AHEAD, READ_AHEAD_BYTES) if pool is not None else (0, 0)
    held = 0
    filling = _Chunk()  # not handed to a worker yet

    def hand_over() -> None:
        nonlocal filling
        if pool is not None and filling.files:
            filling.future = pool.submit(check_files, filling.files)
        filling = _Chunk()

    def start(member: Member) -> int:
        if member.decided is not None:
            window.append((member, member.decided))
            return 0
        assert member.read is not None
        try:
            data = member.read()
        except Refused as exc:
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

    def finish() -> tuple[Member, _Outcome]:
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
