"""Catalogue search at 10 000 (and 100 000) processes × 30 elements, on SQLite and PostgreSQL,
through the service layer and through HTTP.

For each database and size this
1. makes a fresh migrated database with 12 Ämter (a reader on one of them) and fills it with
   generated models of German administrative text: `--variants` distinct BPMN documents (a pool
   with 3 lanes, 22 tasks, 2 data objects and a data store between start and end: 30 elements)
   built from a varied vocabulary — 17 × 15 compound nouns ("Gewerbeanmeldung",
   "Abfallgebührenbescheid", …), 24 verbs, 40 IT systems as written ("OK.EWO", "winOWiG",
   "SAP FI", …), 30 roles, 14 partners, documents with their medium, documentation sentences —
   each checked once by the upload check (parse, XSD, analysis, extraction) and stored through
   the import's storing step, every process with its own title and key (not the shared corpus
   repeated); the import indexes them as it stores them;
2. times `reindex_all` (`prozessatlas reindex`: the whole index rebuilt) and prints the index
   size (SQLite: the search tables and their FTS5 shadow tables by `dbstat`; PostgreSQL:
   `pg_total_relation_size` of the search tables with their indexes);
3. times searches through the service (`app.services.search.search`, as the reader, who sees
   the drafts of one office — the permission filter included — and as an admin, who sees every
   process) and through a real `prozessatlas serve` (`GET /api/v1/search`, bearer token, as the
   reader): 1-word, 2-word, phrase, prefix
   (typed, no final space) and compound-part queries, each without and with facet filters
   (`system` + `element_type`), `--repeat` rounds over 8 queries per class; p50 / p95 / p99 ms.
With several sizes the growth of each p95 from one size to the next is printed at the end.
Target: p95 < 30 ms on both databases at 10 000 processes.

Measured 2026-12-08 02:50–03:11 UTC at 10 000 (defaults; a shared 2-core machine, load average
4–5 from other work, so absolute numbers are high and noisy): SQLite stored and indexed in 48 s,
reindex 72 s (138 processes/s), index 67 MB; PostgreSQL 76 s, reindex 50 s, index 170 MB. p95 of
the service as the reader: SQLite 1-word 212, 2-word 266, phrase 54, prefix 131, compound 441 ms;
PostgreSQL 236, 136, 39, 182, 149 ms; through HTTP SQLite 143 / 173 / 16 / 108 / 73 ms,
PostgreSQL 285 / 270 / 44 / 111 / 122 ms. Only phrases come near the target; 100 000 was not
run (about 10× the filling time).

    .venv/bin/python bench/search.py [--sizes 10000,100000] [--db sqlite,postgresql]
                                     [--pg postgresql+psycopg://postgres@127.0.0.1:5432]
                                     [--variants 600] [--repeat 20] [--no-http]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import quoteattr

import httpx2 as httpx
from sqlalchemy import create_engine, select, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app import migrate  # noqa: E402
from app.db import Database  # noqa: E402
from app.models import Office, Role, User  # noqa: E402
from app.schemas import MemberCreate, OfficeCreate, UserCreate  # noqa: E402
from app.services import offices as office_service  # noqa: E402
from app.services import processes as process_service  # noqa: E402
from app.services import users as user_service  # noqa: E402
from app.services.search import SearchQuery, search  # noqa: E402
from app.services.search import index as search_index  # noqa: E402
from app.services.transfer import files as import_files  # noqa: E402

READER_PASSWORD = "bench reader password"

# --- the vocabulary -----------------------------------------------------------------------------

HEADS = (
    "Gewerbe",
    "Hunde",
    "Abfall",
    "Melde",
    "Bau",
    "Wohn",
    "Park",
    "Fahrzeug",
    "Grund",
    "Jugend",
    "Sozial",
    "Friedhofs",
    "Sondernutzungs",
    "Fahrkarten",
    "Personal",
    "Kita",
    "Reise",
)
TAILS = (
    "anmeldung",
    "antrag",
    "bescheid",
    "gebührenbescheid",
    "register",
    "bescheinigung",
    "akte",
    "unterlagen",
    "nachweis",
    "erlaubnis",
    "steuer",
    "belege",
    "genehmigung",
    "liste",
    "vertrag",
)
VERBS = (
    "prüfen",
    "erfassen",
    "anlegen",
    "versenden",
    "ausdrucken",
    "einscannen",
    "ablegen",
    "freigeben",
    "berechnen",
    "bearbeiten",
    "entgegennehmen",
    "weiterleiten",
    "abstimmen",
    "genehmigen",
    "ablehnen",
    "archivieren",
    "übertragen",
    "nachfordern",
    "bestätigen",
    "zustellen",
    "unterschreiben",
    "verbuchen",
    "abgleichen",
    "mitteilen",
)
SYSTEMS = (
    "OK.EWO",
    "OK.GEWERBE",
    "OK.SOZIUS",
    "winOWiG",
    "SAP FI",
    "SAP MM",
    "SAP HCM",
    "Prosoz",
    "VOIS",
    "MESO",
    "AutiSta",
    "ALLRIS",
    "eAkte",
    "GIS",
    "Little Bird",
    "Interamt",
    "FundInfo",
    "ParkOnline",
    "IKOL-KFZ",
    "Serviceportal",
    "ePayment",
    "BundID",
    "OTRS",
    "KFZ.net",
    "H&H proDoppik",
    "LaDiVA",
    "XGewerbeanzeige",
    "Vergabemanagementsystem",
    "Kassenverfahren",
    "Friedhofsverwaltung",
    "DMS enaio",
    "d.3",
    "VIS-Suite",
    "MACH",
    "Infoma newsystem",
    "Regisafe",
    "KM-Soft",
    "OPEN/PROSOZ",
    "Fachverfahren Bauantrag",
    "Rechnungseingangsportal",
)
ROLES = (
    "Sachbearbeitung",
    "Teamleitung",
    "Sachgebietsleitung",
    "Amtsleitung",
    "Poststelle",
    "Servicecenter",
    "Infotheke",
    "Kasse",
    "Außendienst",
    "Vorzimmer",
    "Registratur",
    "Bürgerbüro",
    "Ordnungsdienst",
    "Sitzungsdienst",
    "Personalrat",
    "Rechnungsprüfung",
    "Kämmerei",
    "Standesbeamtin/Standesbeamter",
    "Fundbüro",
    "Wohngeldstelle",
    "Bauaufsicht",
    "Steuerabteilung",
    "Zentrale Vergabestelle",
    "Kreditorenbuchhaltung",
    "IT-Koordination",
    "Datenschutz",
    "Gleichstellungsstelle",
    "Jugendamt",
    "Sozialdienst",
    "Friedhofsverwaltung",
)
PARTNERS = (
    "Antragsteller/in",
    "Finanzamt",
    "IHK",
    "Handwerkskammer",
    "Polizei",
    "Feuerwehr",
    "Jobcenter",
    "Landesamt für Statistik",
    "Oberlandesgericht",
    "Kreditinstitut",
    "Lieferant/in",
    "Gemeinderat",
    "Bauherr/in",
    "Bürger/in",
)
MEDIA = ("paper", "email", "it_system", "phone", "fax", "office_file", "in_person")
DOCUMENT_MEDIA = ("Papier", "PDF", "Excel", "Word", "Scan")
SENTENCES = (
    "Die Frist beträgt {n} Wochen ab Eingang.",
    "Bei Rückfragen wird die antragstellende Person telefonisch kontaktiert.",
    "Die Unterlagen werden nach Aktenplan {n}.{m} abgelegt.",
    "Grundlage ist die Satzung in der Fassung vom {n}. März.",
    "Im Vier-Augen-Prinzip durch die Teamleitung zu bestätigen.",
    "Unvollständige Anträge werden mit Fristsetzung zurückgegeben.",
    "The data is transferred to the state portal overnight.",
)
TITLE_VERBS = ("bearbeiten", "beantragen", "erteilen", "festsetzen", "ausstellen", "prüfen")


def compound(rng: random.Random) -> str:
    head = rng.choice(HEADS)
    tail = rng.choice(TAILS)
    return head + tail


def model(variant: int) -> bytes:
    """One generated process model with 30 elements (3 lanes, 22 tasks, 3 data, start, end)."""
    rng = random.Random(variant)
    roles = rng.sample(ROLES, 3)
    systems = rng.sample(SYSTEMS, 3)
    tasks = []
    for i in range(22):
        name = f"{compound(rng)} {rng.choice(VERBS)}"
        attrs = f'id="Task_{i}" name={quoteattr(name)}'
        medium = rng.choice(MEDIA)
        if medium == "it_system" or rng.random() < 0.2:
            attrs += f" pa:system={quoteattr(rng.choice(systems))}"
        attrs += f' pa:medium="{medium}"'
        doc = ""
        if rng.random() < 0.3:
            sentence = rng.choice(SENTENCES).format(n=rng.randint(2, 28), m=rng.randint(1, 9))
            doc = f"<bpmn:documentation>{sentence}</bpmn:documentation>"
        kind = "serviceTask" if medium == "it_system" else rng.choice(("userTask", "task"))
        tasks.append(f"<bpmn:{kind} {attrs}>{doc}</bpmn:{kind}>")
    nodes = ["Start", *[f"Task_{i}" for i in range(22)], "End"]
    flows = [
        f'<bpmn:sequenceFlow id="F_{i}" sourceRef="{a}" targetRef="{b}"/>'
        for i, (a, b) in enumerate(zip(nodes, nodes[1:], strict=False))
    ]
    data = [
        '<bpmn:dataObject id="DO_0"/><bpmn:dataObject id="DO_1"/>',
        f'<bpmn:dataObjectReference id="D_0" dataObjectRef="DO_0" '
        f"name={quoteattr(f'{compound(rng)} ({rng.choice(DOCUMENT_MEDIA)})')}/>",
        f'<bpmn:dataObjectReference id="D_1" dataObjectRef="DO_1" '
        f"name={quoteattr(f'Formular {compound(rng)}')}/>",
        f'<bpmn:dataStoreReference id="D_2" name={quoteattr(rng.choice(HEADS) + "register")}/>',
    ]
    per_lane = [nodes[i::3] for i in range(3)]
    lanes = "".join(
        f'<bpmn:lane id="Lane_{i}" name={quoteattr(role)}>'
        + "".join(f"<bpmn:flowNodeRef>{n}</bpmn:flowNodeRef>" for n in refs)
        + "</bpmn:lane>"
        for i, (role, refs) in enumerate(zip(roles, per_lane, strict=True))
    )
    shapes = [
        f'<bpmndi:BPMNShape id="{n}_di" bpmnElement="{n}"><dc:Bounds x="{200 + 130 * (i // 3)}" '
        f'y="{40 + 200 * (i % 3)}" width="100" height="80"/></bpmndi:BPMNShape>'
        for i, n in enumerate(nodes)
    ]
    shapes += [
        f'<bpmndi:BPMNShape id="D_{i}_di" bpmnElement="D_{i}"><dc:Bounds x="{300 + 200 * i}" '
        f'y="650" width="36" height="50"/></bpmndi:BPMNShape>'
        for i in range(3)
    ]
    width = 130 * 10 + 200
    shapes.insert(
        0,
        '<bpmndi:BPMNShape id="Pool_di" bpmnElement="Pool" isHorizontal="true">'
        f'<dc:Bounds x="100" y="0" width="{width}" height="600"/></bpmndi:BPMNShape>',
    )
    shapes += [
        f'<bpmndi:BPMNShape id="Lane_{i}_di" bpmnElement="Lane_{i}" isHorizontal="true">'
        f'<dc:Bounds x="130" y="{200 * i}" width="{width - 30}" height="200"/></bpmndi:BPMNShape>'
        for i in range(3)
    ]
    shapes.append(
        '<bpmndi:BPMNShape id="Partner_di" bpmnElement="Partner" isHorizontal="true">'
        f'<dc:Bounds x="100" y="750" width="{width}" height="100"/></bpmndi:BPMNShape>'
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
        'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
        'xmlns:pa="urn:prozessatlas:bpmn:1.0" id="Defs" targetNamespace="urn:bench:search">'
        '<bpmn:collaboration id="Collab">'
        '<bpmn:participant id="Pool" name="Stadtverwaltung" processRef="Process_1"/>'
        f'<bpmn:participant id="Partner" name={quoteattr(rng.choice(PARTNERS))}/>'
        "</bpmn:collaboration>"
        '<bpmn:process id="Process_1" isExecutable="false">'
        f'<bpmn:laneSet id="LS">{lanes}</bpmn:laneSet>'
        '<bpmn:startEvent id="Start" name="Antrag eingegangen"/>'
        + "".join(tasks)
        + '<bpmn:endEvent id="End" name="Vorgang abgeschlossen"/>'
        + "".join(flows)
        + "".join(data)
        + '</bpmn:process><bpmndi:BPMNDiagram id="Dia"><bpmndi:BPMNPlane id="Plane" '
        'bpmnElement="Collab">'
        + "".join(shapes)
        + "</bpmndi:BPMNPlane></bpmndi:BPMNDiagram></bpmn:definitions>"
    ).encode()


OFFICES = (
    "Bürgeramt",
    "Ordnungsamt",
    "Standesamt",
    "Steueramt",
    "Sozialamt",
    "Jugendamt",
    "Bauordnungsamt",
    "Tiefbauamt",
    "Personalamt",
    "Kämmerei",
    "Umweltamt",
    "Rechtsamt",
)


def populate(url: str, size: int, variants: int) -> dict[str, float]:
    """Fill the migrated, empty database at `url`; returns the times of the steps."""
    times: dict[str, float] = {}
    started = time.perf_counter()
    documents = [model(v) for v in range(variants)]
    checks = [process_service.inspect_upload(xml) for xml in documents]
    times["check"] = time.perf_counter() - started
    database = Database(url)
    rng = random.Random(size)
    try:
        with database.session() as session:
            admin = user_service.create(
                session,
                actor=None,
                data=UserCreate(username="bench", password="bench admin password", is_admin=True),
            )
            user_service.create(
                session, actor=None, data=UserCreate(username="leser", password=READER_PASSWORD)
            )
            offices = [
                office_service.create(
                    session, actor=None, data=OfficeCreate(key=f"amt{i}", name=name)
                )
                for i, name in enumerate(OFFICES)
            ]
            office_service.grant(
                session,
                actor=None,
                office_id=offices[0].id,
                data=MemberCreate(username="leser", role=Role.READER),
            )
            session.commit()
            started = time.perf_counter()
            taken: set[str] = set()
            for start in range(0, size, import_files.BATCH_FILES):
                numbers = range(start, min(size, start + import_files.BATCH_FILES))
                office = offices[(start // import_files.BATCH_FILES) % len(offices)]
                batch = []
                for n in numbers:
                    variant = rng.randrange(variants)
                    title = f"{compound(rng)} {rng.choice(TITLE_VERBS)} ({n})"
                    batch.append(
                        import_files._File(
                            f"p{n}.bpmn",
                            documents[variant],
                            dataclasses.replace(checks[variant], title=title),
                        )
                    )
                import_files.store_files(session, batch, office=office, actor=admin, taken=taken)
                if start % 2048 == 0:
                    session.commit()
                    session.expunge_all()
                    admin = session.get(User, admin.id) or admin
                    offices = [session.get(Office, o.id) or o for o in offices]
            session.commit()
            times["store"] = time.perf_counter() - started
            started = time.perf_counter()
            search_index.reindex_all(session)
            session.commit()
            times["reindex"] = time.perf_counter() - started
            if session.get_bind().dialect.name == "postgresql":
                session.execute(text("ANALYZE"))
                session.commit()
    finally:
        database.dispose()
    return times


def index_size(url: str) -> float:
    """MB of the search tables and their indexes."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                size = connection.execute(
                    text("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE '%search%'")
                ).scalar()
            else:
                size = connection.execute(
                    text(
                        "SELECT SUM(pg_total_relation_size(c.oid)) FROM pg_class c "
                        "WHERE c.relkind = 'r' AND c.relname LIKE 'search%'"
                    )
                ).scalar()
    finally:
        engine.dispose()
    return float(size or 0) / 1e6


# --- queries ------------------------------------------------------------------------------------

QUERIES = {
    "1-word": [f"{h}{t} " for h, t in zip(HEADS[:8], TAILS[:8], strict=True)],
    "2-word": [f"{h}{t} {v} " for h, t, v in zip(HEADS[4:12], TAILS[3:11], VERBS[:8], strict=True)],
    "phrase": [
        f'"{h}{t} {v}"' for h, t, v in zip(HEADS[8:16], TAILS[6:14], VERBS[8:16], strict=True)
    ],
    "prefix": [
        "Gewerbean",
        "Meldebesch",
        "Sachbearb",
        "Hundest",
        "Abfallgeb",
        "Wohnungs",
        "Kitaver",
        "Fahrkartenb",
    ],
    "compound": [
        "Gebühren ",
        "Steuer ",
        "Register ",
        "Bescheinigung ",
        "Bescheid ",
        "Anmeldung ",
        "Antrag ",
        "Genehmigung ",
    ],
}
FACETS = {"system": ("SAP FI", "OK.EWO"), "element_type": ("userTask",)}

Timed = tuple[float, float, float]


def percentiles(times: list[float]) -> Timed:
    ordered = sorted(times)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]

    return statistics.median(ordered), at(0.95), at(0.99)


def timed(call: Callable[[str, bool], object], repeat: int) -> dict[str, Timed]:
    """ms per query class and facet use; one warm-up round, then `repeat` rounds."""
    out: dict[str, Timed] = {}
    for label, queries in QUERIES.items():
        for faceted in (False, True):
            for q in queries:
                call(q, faceted)
            times = []
            for _ in range(repeat):
                for q in queries:
                    start = time.perf_counter()
                    call(q, faceted)
                    times.append((time.perf_counter() - start) * 1000)
            out[f"{label}{' +facets' if faceted else ''}"] = percentiles(times)
    return out


def through_service(url: str, repeat: int, username: str = "leser") -> dict[str, Timed]:
    database = Database(url)
    try:
        with database.session() as session:
            reader = session.scalars(select(User).where(User.username == username)).one()

            def call(q: str, faceted: bool) -> object:
                filters = (
                    {"system": FACETS["system"], "element_type": FACETS["element_type"]}
                    if faceted
                    else {}
                )
                result = search(
                    session,
                    actor=reader,
                    query=SearchQuery(q=q, **filters),  # type: ignore[arg-type]
                )
                session.rollback()
                return result

            return timed(call, repeat)
    finally:
        database.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def through_http(url: str, repeat: int) -> dict[str, Timed]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PROZESSATLAS_DATABASE_URL": url,
        "PROZESSATLAS_SEED_DEMO": "false",
    }
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", "from app.cli import main; main()", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.3)
        client = httpx.Client(base_url=base, timeout=120)
        token = client.post(
            "/api/v1/auth/token", data={"username": "leser", "password": READER_PASSWORD}
        )
        token.raise_for_status()
        client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"

        def call(q: str, faceted: bool) -> object:
            params: dict[str, str | list[str]] = {"q": q}
            if faceted:
                params["system"] = list(FACETS["system"])
                params["element_type"] = list(FACETS["element_type"])
            response = client.get("/api/v1/search", params=params)
            response.raise_for_status()
            return response

        return timed(call, repeat)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()


def fresh_database(dialect: str, pg: str, folder: Path, size: int) -> str:
    if dialect == "sqlite":
        return f"sqlite:///{folder / f'search-{size}.db'}"
    name = f"prozessatlas_bench_search_{size}"
    admin = create_engine(f"{pg}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{pg}/{name}"


def show(label: str, results: dict[str, Timed]) -> None:
    print(f"    {label}: p50 / p95 / p99 ms")
    for name, (p50, p95, p99) in results.items():
        flag = "" if p95 < 30 else "  (over 30 ms)"
        print(f"      {name:<18} {p50:7.1f} {p95:7.1f} {p99:7.1f}{flag}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000")
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432")
    parser.add_argument("--variants", type=int, default=600)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--no-http", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    growth: dict[tuple[str, str, str], list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for dialect in args.db.split(","):
            for size in sizes:
                print(f"{dialect}, {size} processes × 30 elements", flush=True)
                url = fresh_database(dialect, args.pg, Path(tmp), size)
                migrate.upgrade(url)
                steps = populate(url, size, args.variants)
                print(
                    f"    {args.variants} models checked in {steps['check']:.1f} s; stored and "
                    f"indexed in {steps['store']:.1f} s; reindex {steps['reindex']:.1f} s "
                    f"({size / steps['reindex']:.0f} processes/s); index "
                    f"{index_size(url):.1f} MB",
                    flush=True,
                )
                runs = {"service": through_service(url, args.repeat)}
                show("service layer, as the reader of one Amt", runs["service"])
                runs["admin"] = through_service(url, args.repeat, "bench")
                show("service layer, as an admin (every process)", runs["admin"])
                if not args.no_http:
                    runs["http"] = through_http(url, args.repeat)
                    show("HTTP (prozessatlas serve)", runs["http"])
                for layer, results in runs.items():
                    for name, timed_ in results.items():
                        growth.setdefault((dialect, layer, name), []).append(timed_[1])
                if dialect == "postgresql":
                    engine = create_engine(f"{args.pg}/postgres", isolation_level="AUTOCOMMIT")
                    with engine.connect() as connection:
                        connection.execute(
                            text(
                                f'DROP DATABASE IF EXISTS "prozessatlas_bench_search_{size}" '
                                "WITH (FORCE)"
                            )
                        )
                    engine.dispose()
    if len(sizes) > 1:
        print(f"growth of p95 from {sizes[0]} to {sizes[-1]} processes:")
        for (dialect, layer, name), values in growth.items():
            print(f"  {dialect:<10} {layer:<8} {name:<18} ×{values[-1] / values[0]:.1f}")


if __name__ == "__main__":
    main()
