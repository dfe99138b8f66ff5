"""The glossary at 10 000 and 100 000 processes: upkeep at save time and reads, per database.

For each database (SQLite file, PostgreSQL) and size this
1. makes a fresh migrated database with 216 offices and N processes (rows inserted directly:
   the glossary's cost is measured, not the parser's),
2. collects the glossary of every process from a synthetic extraction (3–5 roles, 1–3 IT systems,
   2–6 documents with inflected forms and medium suffixes, 0–2 partners) through
   `glossary.record` in batches of 500, as an import does, and prints processes per second,
3. times one save (`record` of one process's new version) and the reads the API and pages make:
   the system list (admin, and a reader of one Dezernat), the modeler's suggestions, a filtered
   list, and the page of the most used system — p50/p95 over the runs, in milliseconds.

    .venv/bin/python bench/glossary.py [--sizes 10000 100000] [--pg postgresql+psycopg://…/db]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app import migrate  # noqa: E402
from app.models import GlossaryEntry, GlossaryOccurrence, Membership, Office, Process, User  # noqa: E402
from app.services import glossary  # noqa: E402

ROLES = [
    *("Sachbearbeitung", "Sachbearbeiter", "Sachbearbeiterin", "Sachbearbeiter*in", "Amtsleitung"),
    *("Abteilungsleitung", "Teamleitung", "Poststelle", "Kasse", "Stadtkasse", "Registratur"),
    *("Fachbereich", "Bürgerbüro", "Vorzimmer", "Bauaufsicht", "Ordnungsamt", "Standesbeamter"),
    *("Standesbeamtin", "Prüfer", "Prüferin", "Sekretariat", "Personalrat", "Justiziariat"),
]
SYSTEMS = [
    *("OK.EWO", "OK.VORFAHRT", "OK.GEWERBE", "SAP FI", "SAP HCM", "winOWiG", "VOIS"),
    *("AUTISTA", "ProSoz", "KM-Gewerbe", "eAkte", "E-Akte", "DMS", "Outlook", "Excel"),
    *("MESO", "Geo-Info", "ALKIS", "ProBauG", "Fabasoft"),
]
DOCUMENTS = [
    *("Antrag", "Anträge", "Bescheid", "Bescheide", "Gebührenbescheid", "Vollmacht"),
    *("Meldeschein", "Gewerbeanmeldung", "Gewerbeanmeldungen", "Akte", "Personalakte"),
    *("Rechnung", "Rechnungen", "Quittung", "Formular Hundesteuer", "Widerspruch", "Nachweis"),
    *("Nachweise", "Urkunde", "Geburtsurkunde", "Baugenehmigung", "Stellungnahme"),
]
MEDIA = ["", "", "", " (Papier)", " (PDF)", " (Excel)", " (E-Mail)"]
PARTNERS = ["Bürger", "Bürgerin", "Antragsteller", "Finanzamt", "Landesamt", "Polizei", "Bank"]


def extraction(rng: random.Random) -> dict[str, Any]:
    def named(names: list[str], prefix: str, kind: str | None = None) -> list[dict[str, Any]]:
        return [
            {"name": n, "ids": [f"{prefix}_{i}"]} | ({"kind": kind} if kind else {})
            for i, n in enumerate(names)
        ]

    documents = [d + rng.choice(MEDIA) for d in rng.sample(DOCUMENTS, rng.randint(2, 6))]
    return {
        "roles": named(["Stadtverwaltung"], "Pool", "pool")
        + named(rng.sample(ROLES, rng.randint(2, 4)), "Lane", "lane"),
        "systems": [
            {"name": s, "ids": [f"Task_{i}"], "declared": True}
            for i, s in enumerate(rng.sample(SYSTEMS, rng.randint(1, 3)))
        ],
        "documents": named(documents, "Doc", "object"),
        "partners": named(rng.sample(PARTNERS, rng.randint(0, 2)), "Partner"),
    }


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    fn()  # warm-up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def arrange(session: Session, size: int) -> tuple[list[int], list[tuple[int, int]]]:
    now = datetime.now(UTC)
    offices: list[int] = []
    for d in range(6):
        dezernat = session.execute(
            insert(Office).returning(Office.id),
            {"key": f"d{d}", "name": f"Dezernat {d}", "kind": "dezernat", "created_at": now},
        ).scalar_one()
        offices.append(dezernat)
        for a in range(35):
            offices.append(
                session.execute(
                    insert(Office).returning(Office.id),
                    {
                        "key": f"d{d}a{a}",
                        "name": f"Amt {d}.{a}",
                        "kind": "amt",
                        "parent_id": dezernat,
                        "created_at": now,
                    },
                ).scalar_one()
            )
    processes: list[tuple[int, int]] = []
    for start in range(0, size, 5000):
        rows = [
            {
                "office_id": offices[i % len(offices)],
                "key": f"p{i}",
                "title": f"Prozess {i}",
                "description": "",
                "tags": [],
                "latest_version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for i in range(start, min(size, start + 5000))
        ]
        processes += session.execute(
            insert(Process).returning(Process.id, Process.office_id), rows
        ).all()
    session.commit()
    return offices, [(pid, oid) for pid, oid in processes]


def run(url: str, label: str, size: int) -> None:
    migrate.upgrade(url)
    engine = create_engine(url)
    rng = random.Random(size)
    with Session(engine, expire_on_commit=False) as session:
        offices, processes = arrange(session, size)
        start = time.perf_counter()
        for at in range(0, len(processes), 500):
            glossary.record(
                session,
                [
                    glossary.Newest(pid, oid, 1, extraction(rng))
                    for pid, oid in processes[at : at + 500]
                ],
            )
        session.commit()
        collect = time.perf_counter() - start
        if session.get_bind().dialect.name == "postgresql":
            # Statistics as autovacuum keeps them on a running server (a bulk load outruns it).
            session.execute(text("ANALYZE"))
            session.commit()
        occurrences = session.scalar(select(func.count()).select_from(GlossaryOccurrence))
        entries = session.scalar(select(func.count()).select_from(GlossaryEntry))
        print(
            f"{label:10} {size:>7} processes: collected in {collect:6.1f} s "
            f"({size / collect:,.0f} processes/s), {occurrences:,} occurrences, {entries} entries"
        )

        admin = User(username="admin", display_name="Admin", is_admin=True)
        reader = User(username="lena", display_name="Lena")
        session.add_all([admin, reader])
        session.flush()
        session.add(Membership(user_id=reader.id, office_id=offices[0], role="reader"))
        session.commit()
        top = session.execute(
            select(GlossaryEntry.id, GlossaryEntry.name, func.count().label("uses"))
            .join(GlossaryOccurrence, GlossaryOccurrence.entry_id == GlossaryEntry.id)
            .where(GlossaryEntry.kind == "system")
            .group_by(GlossaryEntry.id, GlossaryEntry.name)
            .order_by(func.count().desc())
            .limit(1)
        ).one()
        one = processes[len(processes) // 2]

        def save() -> None:
            glossary.record(session, [glossary.Newest(one[0], one[1], 2, extraction(rng))])
            session.rollback()

        cases: list[tuple[str, Callable[[], object]]] = [
            ("save: record one new version", save),
            (
                "admin  list kind=system",
                lambda: glossary.list_entries(session, actor=admin, kind="system"),
            ),
            (
                "reader list kind=system",
                lambda: glossary.list_entries(session, actor=reader, kind="system"),
            ),
            (
                "admin  list q=antraege",
                lambda: glossary.list_entries(session, actor=admin, q="antraege"),
            ),
            ("admin  suggestions (systems)", lambda: glossary.system_names(session, actor=admin)),
            ("reader suggestions (systems)", lambda: glossary.system_names(session, actor=reader)),
            (
                f"admin  entry {top.name} ({top.uses} uses, page of 200)",
                lambda: glossary.get_entry(session, actor=admin, entry_id=top.id),
            ),
            (
                f"reader entry {top.name}",
                lambda: glossary.get_entry(session, actor=reader, entry_id=top.id),
            ),
        ]
        for name, fn in cases:
            session.info.clear()  # roles are cached per session: count their query each time
            p50, p95 = timed(fn, 30)
            print(f"{label:10} {size:>7}   {name:36} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--pg", help="an empty PostgreSQL database URL (its tables are dropped)")
    args = parser.parse_args()
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            run(f"sqlite:///{tmp}/glossary.db", "sqlite", size)
        if args.pg:
            engine = create_engine(args.pg)
            with engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            engine.dispose()
            run(args.pg, "postgresql", size)


if __name__ == "__main__":
    main()
