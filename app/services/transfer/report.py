"""What became of each file of an import, and why a file was refused."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal, TextIO

from pydantic import ValidationError
from tqdm import tqdm

from app.errors import AppError

Outcome = Literal["stored", "stored-invalid", "refused", "skipped"]


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


class Refused(Exception):
    """A file or an archive refused before it was checked, with the reason in German and English."""

    def __init__(self, de: str, en: str) -> None:
        super().__init__(en)
        self.de = de
        self.en = en


def refusal(exc: Exception) -> tuple[str, str]:
    """German and English reason for a refused file."""
    if isinstance(exc, AppError | Refused):
        return exc.de, exc.en
    # Anything unexpected (a database error, an analysis bug) refuses this file only.
    text = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
    return f"Nicht gespeichert: {text}", f"Not stored: {text}"


def first_error(exc: ValidationError) -> str:
    """The first of pydantic's errors, where and what, for a report line."""
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    more = f" (+{exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{where}: {error['msg']}{more}"


def with_progress(
    items: Iterable[Any], enabled: bool, unit: str, total: int | None = None
) -> Iterable[Any]:
    """`items`, with a progress bar on stderr if `enabled` (the CLI)."""
    if not enabled:
        return items
    if total is None:
        total = len(items) if isinstance(items, list) else None
    bar: Iterable[Any] = tqdm(items, total=total, unit=unit, file=sys.stderr, leave=False)
    return bar
