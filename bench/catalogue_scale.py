"""Catalogue lists and `/api/v1/systems` at 10 000 and 100 000 processes, through HTTP.

For each database (SQLite, PostgreSQL) and each size, this
1. makes a fresh database (`prozessatlas migrate`) with an office tree (6 Dezernate × 6 Ämter ×
   3 Abteilungen), the admin and a reader of one Amt (and so of its Abteilungen);
2. fills it with generated models: 240 distinct BPMN documents (pool with 2–4 lanes, 20–60
   elements with DI, `pa:medium` / `pa:system` on the tasks, 150 system names in all) are
   checked once each by the upload check (`process_service.inspect_upload`: parse, XSD,
   analysis), then stored through the import's own storing step (`transfer.files.store_files`,
   processes + versions + audit events, batches of 32, each process with its own title and
   key); every 10th process gets a second version and every 30th a third through
   `process_service.store_version`, half of them approved, half in review;
3. starts the real server (`prozessatlas serve --workers 2`), logs in (token for the API, the
   login form for the pages), and times sequential requests as admin and as the reader, taken
   in rounds of one request per URL (after two warm-up rounds), with `/healthz` (no database)
   in the same rounds as the baseline: p50 / p95 in ms and as a multiple of the baseline's,
   and the workers' RSS (now and peak) after the load.
The growth ratio of each p50 from one size to the next is printed at the end.

    .venv/bin/python bench/catalogue_scale.py [--sizes 10000,100000] [--db sqlite,postgresql]
                                              [--repeat 30] [--pg postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import quoteattr

import httpx2 as httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ADMIN_PASSWORD = "bench admin password 2026!"
READER_PASSWORD = "bench reader password 2026!"
READER_AMT = "d1-amt2"  # the reader's office: an Amt with its three Abteilungen

# --- generated models -------------------------------------------------------------------------

VERBS = [
    "Antrag prüfen",
    "Daten erfassen",
    "Bescheid erstellen",
    "Unterlagen anfordern",
    "Gebühr berechnen",
    "Akte anlegen",
    "Stellungnahme einholen",
    "Termin vereinbaren",
    "Zahlung buchen",
    "Vorgang abschließen",
    "Nachweis prüfen",
    "Register abgleichen",
    "Antwort versenden",
    "Rückfrage klären",
    "Freigabe erteilen",
    "Dokument scannen",
    "Formular ausdrucken",
    "Daten händisch übertragen",
    "E-Mail beantworten",
    "Vermerk schreiben",
]
OBJECTS = [
    "Gewerbeanmeldung",
    "Hundesteuer",
    "Wohngeld",
    "Baugenehmigung",
    "Sondernutzung",
    "Meldebescheinigung",
    "Führungszeugnis",
    "Elterngeld",
    "Parkausweis",
    "Fischereischein",
    "Sperrmüll",
    "Eheschließung",
    "Einbürgerung",
    "Kita-Platz",
    "Grabnutzung",
    "Wahlhelfer",
    "Straßenreinigung",
    "Bauvoranfrage",
    "Gaststättenerlaubnis",
    "Schülerbeförderung",
]
LANES = ["Sachbearbeitung", "Teamleitung", "Bürgerbüro", "Kasse", "Poststelle", "Fachaufsicht"]
MEDIA = ["paper", "email", "office_file", "it_system", "it_system", "phone", None]
SYSTEMS = [
    f"{prefix}.{area}"
    for prefix in ("OK", "VOIS", "SAP", "AKDB", "KDO")
    for area in (
        "GEWERBE",
        "MELDE",
        "KASSE",
        "BAU",
        "SOZIAL",
        "ORDNUNG",
        "STANDES",
        "KITA",
        "FRIEDHOF",
        "WAHL",
        "STEUER",
        "VERKEHR",
        "SCHULE",
        "UMWELT",
        "PERSONAL",
        "DMS",
        "EAKTE",
        "PORTAL",
        "ARCHIV",
        "POST",
        "GIS",
        "LIEGEN",
        "JUGEND",
        "SPORT",
        "KULTUR",
        "HAFEN",
        "FORST",
        "WASSER",
        "ABFALL",
        "BUS",
    )
]
VARIANTS = 240

NS = (
    'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
    'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
    'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" '
    'xmlns:pa="urn:prozessatlas:bpmn:1.0"'
)


def model(variant: int) -> bytes:
    """One BPMN document: a pool with lanes, a task chain with exclusive splits, data, DI."""
    rng = random.Random(variant)
    tasks = rng.randint(7, 24)
    lanes = rng.sample(LANES, rng.randint(2, 4))
    systems = rng.sample(SYSTEMS, rng.randint(1, 4))
    title = f"{rng.choice(OBJECTS)}: {rng.choice(VERBS)}"
    semantic: list[str] = []
    shapes: list[str] = []
    edges: list[str] = []
    lane_nodes: dict[str, list[str]] = {lane: [] for lane in lanes}
    height = 160

    def node(kind: str, ident: str, name: str, lane: int, x: int, extra: str = "") -> None:
        semantic.append(f"<{kind} id={quoteattr(ident)} name={quoteattr(name)}{extra}/>")
        lane_nodes[lanes[lane]].append(ident)
        w, h = (100, 80) if kind.endswith("ask") else (36, 36) if "Event" in kind else (50, 50)
        y = 40 + lane * height + (height - h) // 2
        shapes.append(
            f'<bpmndi:BPMNShape id="{ident}_di" bpmnElement="{ident}">'
            f'<dc:Bounds x="{x}" y="{y}" width="{w}" height="{h}"/></bpmndi:BPMNShape>'
        )

    flows = 0

    def flow(source: str, target: str, name: str = "") -> None:
        nonlocal flows
        flows += 1
        label = f" name={quoteattr(name)}" if name else ""
        semantic.append(
            f'<sequenceFlow id="F{flows}" sourceRef="{source}" targetRef="{target}"{label}/>'
        )
        edges.append(
            f'<bpmndi:BPMNEdge id="F{flows}_di" bpmnElement="F{flows}">'
            f'<di:waypoint x="0" y="0"/><di:waypoint x="10" y="10"/></bpmndi:BPMNEdge>'
        )

    node("startEvent", "Start", "Antrag eingegangen", 0, 60)
    previous, x = "Start", 160
    for index in range(tasks):
        lane = rng.randrange(len(lanes))
        medium = rng.choice(MEDIA)
        attributes = f' pa:medium="{medium}"' if medium else ""
        if medium == "it_system":
            attributes += f" pa:system={quoteattr(rng.choice(systems))}"
        kind = "serviceTask" if medium == "it_system" and rng.random() < 0.3 else "userTask"
        name = f"{rng.choice(VERBS)} ({rng.choice(OBJECTS)})"
        if index % 6 == 5:
            split, join = f"G{index}s", f"G{index}j"
            node("exclusiveGateway", split, "Vollständig?", lane, x)
            flow(previous, split)
            node(kind, f"T{index}a", name, lane, x + 100, attributes)
            node("userTask", f"T{index}b", "Unterlagen nachfordern", lane, x + 100)
            node("exclusiveGateway", join, "", lane, x + 250)
            flow(split, f"T{index}a", "ja")
            flow(split, f"T{index}b", "nein")
            flow(f"T{index}a", join)
            flow(f"T{index}b", join)
            previous, x = join, x + 350
        else:
            node(kind, f"T{index}", name, lane, x, attributes)
            flow(previous, f"T{index}")
            previous, x = f"T{index}", x + 150
    node("endEvent", "End", "Vorgang erledigt", rng.randrange(len(lanes)), x)
    flow(previous, "End")
    semantic.append('<dataObject id="DO1"/>')
    semantic.append(
        '<dataObjectReference id="DOR1" name="Antragsformular (Papier)" '
        'dataObjectRef="DO1" pa:medium="paper"/>'
    )
    lane_xml = "".join(
        f'<lane id="L{i}" name={quoteattr(lane)}>'
        + "".join(f"<flowNodeRef>{ref}</flowNodeRef>" for ref in lane_nodes[lane])
        + "</lane>"
        for i, lane in enumerate(lanes)
    )
    lane_shapes = "".join(
        f'<bpmndi:BPMNShape id="L{i}_di" bpmnElement="L{i}" isHorizontal="true">'
        f'<dc:Bounds x="30" y="{40 + i * height}" width="{x + 100}" height="{height}"/>'
        "</bpmndi:BPMNShape>"
        for i in range(len(lanes))
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<definitions {NS} id="Defs_{variant}" '
        f'targetNamespace="urn:bench">'
        f'<collaboration id="C1"><participant id="P1" name={quoteattr(title)} processRef="Proc1"/>'
        f"</collaboration>"
        f'<process id="Proc1" isExecutable="false"><laneSet id="LS1">{lane_xml}</laneSet>'
        + "".join(semantic)
        + '</process><bpmndi:BPMNDiagram id="D1"><bpmndi:BPMNPlane id="PL1" bpmnElement="C1">'
        f'<bpmndi:BPMNShape id="P1_di" bpmnElement="P1" isHorizontal="true">'
        f'<dc:Bounds x="0" y="40" width="{x + 130}" height="{len(lanes) * height}"/>'
        "</bpmndi:BPMNShape>"
        + lane_shapes
        + "".join(shapes)
        + "".join(edges)
        + "</bpmndi:BPMNPlane></bpmndi:BPMNDiagram></definitions>\n"
    ).encode()


# --- filling a database (runs in a child process: the settings are read at import) ----------


def offices() -> list[tuple[str, str, str, str | None]]:
    """(key, name, kind, parent key): 6 Dezernate × 6 Ämter × 3 Abteilungen = 150 offices."""
    rows: list[tuple[str, str, str, str | None]] = []
    for d in range(1, 7):
        rows.append((f"d{d}", f"Dezernat {d}", "dezernat", None))
        for a in range(1, 7):
            amt = f"d{d}-amt{a}"
            rows.append((amt, f"Amt {d}.{a}", "amt", f"d{d}"))
            for b in range(1, 4):
                rows.append((f"{amt}-abt{b}", f"Abteilung {d}.{a}.{b}", "abteilung", amt))
    return rows


def populate(size: int) -> None:
    from sqlalchemy import select, text

    from app.cli import transaction
    from app.models import Office, Process, Role, User, VersionStatus
    from app.schemas import MemberCreate, OfficeCreate, UserCreate
    from app.services import catalogue
    from app.services import offices as office_service
    from app.services import processes as process_service
    from app.services import users as user_service
    from app.services.transfer import files as import_files

    started = time.perf_counter()
    documents = [model(v) for v in range(VARIANTS)]
    checks = [process_service.inspect_upload(xml) for xml in documents]
    checked_at = time.perf_counter()
    with transaction() as session:
        user_service.ensure_admin(session, password=ADMIN_PASSWORD)
        user_service.create(
            session,
            actor=None,
            data=UserCreate(username="leser", password=READER_PASSWORD, display_name="Leser"),
        )
        by_key: dict[str, Office] = {}
        for key, name, kind, parent in offices():
            by_key[key] = office_service.create(
                session,
                actor=None,
                data=OfficeCreate(
                    key=key,
                    name=name,
                    kind=kind,
                    parent_id=by_key[parent].id if parent else None,
                ),
            )
        office_service.grant(
            session,
            actor=None,
            office_id=by_key[READER_AMT].id,
            data=MemberCreate(username="leser", role=Role.READER),
        )
    # Processes go into the Ämter and Abteilungen (not the Dezernate), round robin.
    targets = [key for key, _, kind, _ in offices() if kind != "dezernat"]
    rng = random.Random(size)
    per_office: dict[str, list[int]] = {key: [] for key in targets}
    for n in range(size):
        per_office[targets[n % len(targets)]].append(n)
    done = 0
    with transaction() as session:
        admin = session.scalars(select(User).where(User.username == "admin")).one()
        for key, numbers in per_office.items():
            office = session.scalars(select(Office).where(Office.key == key)).one()
            taken: set[str] = set()
            for start in range(0, len(numbers), import_files.BATCH_FILES):
                batch = []
                for n in numbers[start : start + import_files.BATCH_FILES]:
                    variant = rng.randrange(VARIANTS)
                    title = f"{OBJECTS[n % 20]}: {VERBS[(n // 20) % 20]} {n}"
                    batch.append(
                        import_files._File(
                            f"{OBJECTS[n % 20]}-{n}.bpmn",
                            documents[variant],
                            dataclasses.replace(checks[variant], title=title),
                        )
                    )
                import_files.store_files(session, batch, office=office, actor=admin, taken=taken)
                done += len(batch)
            session.commit()
        stored_at = time.perf_counter()
        # Later versions: every 10th process a second, every 30th a third.
        ids = list(session.scalars(select(Process.id).order_by(Process.id)))
        later = [pid for i, pid in enumerate(ids) if i % 10 == 0]
        for round_, chosen in ((2, later), (3, later[::3])):
            for i in range(0, len(chosen), 500):
                for process in session.scalars(
                    select(Process).where(Process.id.in_(chosen[i : i + 500]))
                ):
                    variant = rng.randrange(VARIANTS)
                    status = VersionStatus.APPROVED if process.id % 2 else VersionStatus.IN_REVIEW
                    process_service.store_version(
                        session,
                        actor=admin,
                        process=process,
                        upload=process_service.Upload(
                            documents[variant], change_note=f"Überarbeitung {round_}"
                        ),
                        checked=checks[variant],
                        provenance=process_service.Provenance(
                            admin.id, process_service.utcnow(), status.value
                        ),
                    )
                session.commit()
                session.expunge_all()
                admin = session.get(User, admin.id) or admin
        # As `prozessatlas import` does when it has stored files (and `serve` at start); a tree
        # from before that gets what autovacuum gives PostgreSQL within minutes.
        refresh = getattr(catalogue, "refresh_statistics", None)
        if refresh is not None:
            refresh(session)
        elif session.get_bind().dialect.name == "postgresql":
            session.execute(text("ANALYZE"))
        session.commit()
    print(
        f"    filled: {done} processes, {len(later) + len(later[::3])} later versions "
        f"(checks {checked_at - started:.1f} s, store {stored_at - checked_at:.1f} s, "
        f"versions {time.perf_counter() - stored_at:.1f} s)",
        flush=True,
    )


# --- measuring through HTTP --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        for child in map(int, text):
            found += [child, *children(child)]
    return found


def rss_mb(pid: int) -> tuple[float, float]:
    """(RSS now, peak RSS) of a process in MB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = int(value.split()[0]) / 1024
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


Timed = tuple[float, float, int]  # p50 ms, p95 ms, requests


def percentiles(times: list[float]) -> Timed:
    times = sorted(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, len(times)


def timed_rounds(urls: list[tuple[str, httpx.Client, str]], repeat: int) -> dict[str, Timed]:
    """p50, p95 in ms of GETs taken in rounds, one of each URL per round (after two warm-up
    rounds), so that a busy moment of the machine falls on all of them alike; a URL slower
    than 1 s is asked only 3 times."""
    times: dict[str, list[float]] = {name: [] for name, _, _ in urls}
    for round_ in range(repeat + 2):
        for name, client, url in urls:
            if len(times[name]) >= 3 and min(times[name]) > 1000:
                continue
            start = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - start) * 1000
            if response.status_code != 200:
                raise RuntimeError(f"{url}: {response.status_code} {response.text[:300]}")
            if round_ >= 2:
                times[name].append(elapsed)
    return {name: percentiles(values) for name, values in times.items()}


def login(base: str, username: str, password: str) -> tuple[httpx.Client, httpx.Client]:
    """An API client with a bearer token and a browser-like client with a session cookie."""
    api = httpx.Client(base_url=base, timeout=120)
    token = api.post("/api/v1/auth/token", data={"username": username, "password": password})
    token.raise_for_status()
    api.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
    pages = httpx.Client(base_url=base, timeout=120)
    form = pages.get("/login").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert csrf, "no CSRF field on the login form"
    answer = pages.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf.group(1), "next": "/"},
    )
    assert answer.status_code == 303, f"login as {username}: {answer.status_code}"
    return api, pages


def deep_cursor(api: httpx.Client, query: str, total: int) -> str | None:
    """The cursor of the page in the middle of the list, by walking there 500 at a time."""
    cursor: str | None = None
    seen = 0
    while seen < total // 2:
        page = api.get(
            f"/api/v1/processes?limit=500{query}" + (f"&cursor={cursor}" if cursor else "")
        )
        body = page.json()
        if "next_cursor" not in body:
            return None
        cursor, seen = body["next_cursor"], seen + len(body["items"])
        if cursor is None:
            break
    return cursor


def measure(base: str, server_pid: int, repeat: int) -> dict[str, Timed]:
    results: dict[str, Timed] = {}
    admin_api, admin_pages = login(base, "admin", ADMIN_PASSWORD)
    reader_api, reader_pages = login(base, "leser", READER_PASSWORD)
    offices_by_key = {
        o["key"]: o["id"] for o in admin_api.get("/api/v1/offices?limit=500").json()["items"]
    }
    amt, dezernat = offices_by_key["d3-amt4"], offices_by_key["d3"]
    total = admin_api.get("/api/v1/processes?limit=1").json()["total"]
    cursor = deep_cursor(admin_api, "", total)
    urls: list[tuple[str, httpx.Client, str]] = [
        ("admin  GET /api/v1/systems", admin_api, "/api/v1/systems"),
        ("admin  GET /api/v1/processes", admin_api, "/api/v1/processes"),
        ("admin  GET /api/v1/processes?offset=200", admin_api, "/api/v1/processes?offset=200"),
    ]
    if cursor:
        urls.append(
            (
                "admin  GET /api/v1/processes?cursor=<middle>",
                admin_api,
                f"/api/v1/processes?cursor={cursor}",
            )
        )
    else:  # before keyset paging: the middle page by offset
        urls.append(
            (
                "admin  GET /api/v1/processes?offset=<middle>",
                admin_api,
                f"/api/v1/processes?offset={total // 2}",
            )
        )
    urls += [
        (
            "admin  GET /api/v1/processes?status=approved",
            admin_api,
            "/api/v1/processes?status=approved",
        ),
        (
            "admin  GET /api/v1/processes?office_id=<Amt>&status=approved",
            admin_api,
            f"/api/v1/processes?office_id={amt}&status=approved",
        ),
        ("admin  GET /", admin_pages, "/"),
        ("admin  GET /?office=<Dezernat>&page=3", admin_pages, f"/?office={dezernat}&page=3"),
        ("reader GET /api/v1/systems", reader_api, "/api/v1/systems"),
        ("reader GET /api/v1/processes", reader_api, "/api/v1/processes"),
        ("reader GET /", reader_pages, "/"),
    ]
    # The baseline, in the same rounds: a request that touches no database.
    urls.insert(0, ("baseline GET /healthz", admin_api, "/healthz"))
    results.update(timed_rounds(urls, repeat))
    base50, base95, _ = results["baseline GET /healthz"]
    for name, _, _ in urls:
        p50, p95, n = results[name]
        print(
            f"    {name:<62} p50 {p50:8.1f} ms  p95 {p95:8.1f} ms  (n={n}; "
            f"×{p50 / base50:.1f} / ×{p95 / base95:.1f} the baseline)",
            flush=True,
        )
    workers = [
        pid
        for pid in children(server_pid)
        if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
    ] or [server_pid]
    for pid in workers:
        now, peak = rss_mb(pid)
        results[f"worker {pid} RSS MB"] = (now, peak, 0)
        print(f"    worker {pid}: RSS {now:.0f} MB, peak {peak:.0f} MB", flush=True)
    for client in (admin_api, admin_pages, reader_api, reader_pages):
        client.close()
    return results


def run(
    database_url: str, size: int, args: argparse.Namespace
) -> dict[str, tuple[float, float, int]]:
    env = {
        **os.environ,
        "PYTHONPATH": str(args.app_root),  # this tree's `app` before the installed one
        "PROZESSATLAS_DATABASE_URL": database_url,
        "PROZESSATLAS_SEED_DEMO": "false",
        "PROZESSATLAS_ADMIN_PASSWORD": ADMIN_PASSWORD,
    }
    cli = [sys.executable, "-c", "from app.cli import main; main()"]
    subprocess.run(
        [*cli, "migrate"], env=env, check=True, stdout=subprocess.DEVNULL, cwd=args.app_root
    )
    started = time.perf_counter()
    subprocess.run([sys.executable, __file__, "--populate", str(size)], env=env, check=True)
    print(f"    generated and imported in {time.perf_counter() - started:.0f} s", flush=True)
    port = free_port()
    server = subprocess.Popen(
        [*cli, "serve", "--workers", "2", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=args.app_root,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.3)
        return measure(base, server.pid, args.repeat)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432")
    parser.add_argument(
        "--app-root",
        type=Path,
        default=ROOT,
        help="the source tree to measure (e.g. a `git worktree` of an older commit)",
    )
    parser.add_argument("--populate", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.populate:
        populate(args.populate)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"source tree: {args.app_root}", flush=True)
    for db in args.db.split(","):
        print(f"== {db}", flush=True)
        results: list[dict[str, tuple[float, float, int]]] = []
        for size in sizes:
            print(f"  -- {size} processes", flush=True)
            with tempfile.TemporaryDirectory(prefix="catalogue-scale-") as tmp:
                if db == "sqlite":
                    results.append(run(f"sqlite:///{tmp}/bench.db", size, args))
                else:
                    import psycopg

                    name = f"catalogue_scale_{os.getpid()}_{size}"
                    plain = args.pg.replace("postgresql+psycopg://", "postgresql://")
                    with psycopg.connect(f"{plain}/postgres", autocommit=True) as conn:
                        conn.execute(f'CREATE DATABASE "{name}"')
                    try:
                        results.append(run(f"{args.pg}/{name}", size, args))
                    finally:
                        with psycopg.connect(f"{plain}/postgres", autocommit=True) as conn:
                            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        for (small, a), (large, b) in zip(
            zip(sizes, results, strict=True),
            list(zip(sizes, results, strict=True))[1:],
            strict=False,
        ):
            print(f"  growth {small} -> {large} (p50 ratio):", flush=True)
            for name in a:
                if name in b and not name.startswith("worker"):
                    print(f"    {name:<62} ×{b[name][0] / a[name][0]:.2f}", flush=True)


if __name__ == "__main__":
    main()
