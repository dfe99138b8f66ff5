"""Import the whole MIWG corpus through the service layer (`prozessatlas import`) into a fresh database.

Prints the import time next to a baseline measured in the same run — raw lxml parse plus XSD
validation of the same files — and their ratio (target: ≤ 2.0). For comparison it imports again
with the analysis left out (an empty result in its place), which the baseline does not do.

Both sides are measured alike: what a process does once (compiling the XSD schema, loading the
analysis vocabulary) happens before the clocks start, and each side is the best of `--runs` runs,
taken in turns so that both meet the same moments of a shared machine. Every import runs in a
fresh Python process into a fresh database, so no cache warmed by an earlier run helps it. All
runs are printed.

    .venv/bin/python bench/import_corpus.py [path/to/miwg] [--database-url URL]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from app import migrate
from app.bpmn import check as check_module
from app.bpmn.validate import load_schema
from app.bpmn.vocabulary import load_vocabulary
from app.config import ROOT, settings
from app.db import Database
from app.schemas import OfficeCreate, UserCreate
from app.services import offices as office_service
from app.services import transfer
from app.services import users as user_service

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "miwg"


def baseline(files: list[tuple[str, bytes]], schema: etree.XMLSchema) -> float:
    """Plain lxml: parse each file safely and validate it against the compiled schema."""
    start = time.perf_counter()
    for _, data in files:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        with contextlib.suppress(etree.LxmlError, OSError):  # the malformed files count too
            schema.validate(etree.fromstring(data, parser))
    return time.perf_counter() - start


def import_all(url: str, corpus: Path) -> tuple[float, dict[str, int]]:
    """`prozessatlas import` on the folder: one process and version per file, one transaction."""
    load_schema(settings.xsd_dir)
    load_vocabulary(settings.vocabulary_file)
    migrate.upgrade(url)
    database = Database(url)
    with database.session() as session:
        admin = user_service.create(
            session,
            actor=None,
            data=UserCreate(username="bench", password="bench importer password", is_admin=True),
        )
        office_service.create(session, actor=None, data=OfficeCreate(key="miwg", name="MIWG"))
        session.commit()
        start = time.perf_counter()
        report = transfer.import_path(session, corpus, office_key="miwg", username=admin.username)
        session.commit()
        elapsed = time.perf_counter() - start
    database.dispose()
    return elapsed, report.counts


@contextlib.contextmanager
def without_analysis() -> Iterator[None]:
    """Check files without the analysis and extraction steps (forked workers inherit this)."""

    class Nothing:
        def as_dict(self) -> dict[str, object]:
            return {}

    originals = {name: getattr(check_module, name) for name in ("analyse_graph", "extract")}
    setattr(check_module, "analyse_graph", lambda *_: Nothing())  # noqa: B010
    setattr(check_module, "extract", lambda *_: {})  # noqa: B010
    try:
        yield
    finally:
        for name, original in originals.items():
            setattr(check_module, name, original)


def _runs(label: str, times: list[float]) -> float:
    print(f"  {label}: " + " ".join(f"{t:.3f}" for t in times) + " s")
    return min(times)


def import_in_new_process(url: str, corpus: Path, analysis: bool) -> tuple[float, dict[str, int]]:
    command = [sys.executable, __file__, str(corpus), "--import-once", url]
    if not analysis:
        command.append("--without-analysis")
    result = json.loads(subprocess.run(command, check=True, capture_output=True).stdout)
    return result["elapsed"], result["outcome"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--database-url", help="import once into this database, not best of runs")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--import-once", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--without-analysis", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.import_once:  # one run, in a process of its own (see above)
        with without_analysis() if args.without_analysis else contextlib.nullcontext():
            elapsed, outcome = import_all(args.import_once, args.corpus)
        print(json.dumps({"elapsed": elapsed, "outcome": outcome}))
        return

    expected = json.loads((args.corpus / "expected.json").read_text())
    files = [(name, (args.corpus / name).read_bytes()) for name in sorted(expected)]
    size = sum(len(data) for _, data in files)
    print(f"{len(files)} files, {size / 1e6:.1f} MB, best of {args.runs} runs each")

    schema = etree.XMLSchema(etree.parse(str(settings.xsd_dir / "BPMN20.xsd")))
    plain = None
    if args.database_url:
        base = _runs("baseline runs", [baseline(files, schema) for _ in range(args.runs)])
        imported, outcome = import_in_new_process(args.database_url, args.corpus, analysis=True)
    else:
        # Taken in turns, so that both sides meet the same moments of a shared machine.
        bases: list[float] = []
        imports: list[float] = []
        plains: list[float] = []
        with tempfile.TemporaryDirectory() as tmp:
            for run in range(args.runs):
                bases.append(baseline(files, schema))
                elapsed, outcome = import_in_new_process(
                    f"sqlite:///{tmp}/bench-{run}.db", args.corpus, analysis=True
                )
                imports.append(elapsed)
                plains.append(
                    import_in_new_process(
                        f"sqlite:///{tmp}/plain-{run}.db", args.corpus, analysis=False
                    )[0]
                )
        base = _runs("baseline runs", bases)
        imported = _runs("import runs", imports)
        plain = _runs("import runs without the analysis", plains)
        paired = [i / b for i, b in zip(imports, bases, strict=True)]
    print(f"baseline lxml parse + XSD validation: {base:.3f} s ({len(files) / base:.0f} files/s)")
    print(
        f"import through the service layer:     {imported:.3f} s ({len(files) / imported:.0f} files/s)"
    )
    print(f"  outcome: {outcome}")
    print(f"ratio import / baseline: {imported / base:.2f} (target <= 2.0)")
    if plain is not None:
        print(f"  without the analysis: {plain:.3f} s, ratio {plain / base:.2f}")
        # Each import against the baseline run just before it: on a machine whose speed drifts,
        # the best of each side may come from different moments.
        print(
            "  paired runs: "
            + " ".join(f"{r:.2f}" for r in paired)
            + f", median {statistics.median(paired):.2f}"
        )


if __name__ == "__main__":
    main()
