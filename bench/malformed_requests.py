"""Send a fixed set of malformed requests to the app and count what comes back (issue 9 §5).

Huge integers in paths, queries and bodies; lone surrogates, NUL and control characters in every
text field, in query strings, a path segment and the change note. Prints, per database, how many
requests got a 5xx, how many stored the bad text (2xx), and the answers by status class; both
databases should answer alike. The app runs in-process on a fresh, migrated database (SQLite in a
temporary directory, or a temporary PostgreSQL database that is dropped afterwards).

    .venv/bin/python bench/malformed_requests.py [sqlite|postgresql ...] [--pg URL]
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import tempfile
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app import migrate  # noqa: E402
from app.main import create_app  # noqa: E402
from tests.factories import bpmn, make_office, make_process, make_user  # noqa: E402

HUGE = [
    "99999999999999999999999",
    "9223372036854775808",
    "9223372036854775807",
    "2147483648",
    "-9223372036854775809",
]
BAD_TEXT = ["\\ud800", "\\udfff", "a\\u0000b", "\\u0000"]

Request = tuple[str, str, dict[str, str], bytes | None]


def _requests(headers: dict[str, str], office_id: int, process_id: int) -> list[Request]:
    json_headers = {**headers, "Content-Type": "application/json"}
    found: list[Request] = []
    for n in HUGE:
        for path in (
            f"/api/v1/processes/{n}",
            f"/api/v1/processes/{n}/versions",
            f"/api/v1/processes/{n}/versions/1",
            f"/api/v1/processes/{process_id}/versions/{n}",
            f"/api/v1/offices/{n}",
            f"/api/v1/offices/{n}/processes",
            f"/api/v1/offices/{n}/members",
            f"/processes/{n}",
            f"/processes/{n}/edit",
            f"/?office={n}",
        ):
            found.append(("GET", path, headers, None))
        for query in ("offset", "limit", "office_id"):
            found.append(("GET", f"/api/v1/processes?{query}={n}", headers, None))
        found.append(("GET", f"/api/v1/offices?offset={n}", headers, None))
        body = f'{{"key": "k", "name": "N", "parent_id": {n}}}'.encode()
        found.append(("POST", "/api/v1/offices", json_headers, body))
        found.append(("PATCH", f"/api/v1/processes/{n}", json_headers, b'{"title": "x"}'))
    for bad in BAD_TEXT:
        bodies = [
            (
                f"/api/v1/offices/{office_id}/processes",
                f'{{"key": "p", "title": "T", "owner": "{bad}"}}',
            ),
            (
                f"/api/v1/offices/{office_id}/processes",
                f'{{"key": "p", "title": "T", "tags": ["{bad}"]}}',
            ),
            (f"/api/v1/offices/{office_id}/processes", f'{{"key": "p", "title": "{bad}"}}'),
            (
                f"/api/v1/offices/{office_id}/processes",
                f'{{"key": "p", "title": "T", "description": "{bad}"}}',
            ),
            (f"/api/v1/offices/{office_id}/members", f'{{"username": "{bad}", "role": "reader"}}'),
            ("/api/v1/offices", f'{{"key": "k2", "name": "{bad}"}}'),
        ]
        found += [("POST", path, json_headers, body.encode()) for path, body in bodies]
        for body in (f'{{"owner": "{bad}"}}', f'{{"tags": ["{bad}"]}}'):
            found.append(("PATCH", f"/api/v1/processes/{process_id}", json_headers, body.encode()))
    for query in ("status=%00", "cursor=%00", "office_id=1&status=a%00"):
        found.append(("GET", f"/api/v1/processes?{query}", headers, None))
    found.append(("GET", f"/api/v1/processes/{process_id}/versions/la%00test", headers, None))
    upload = {**headers, "Content-Type": "application/xml", "X-Change-Note": "a%00b"}
    found.append(("POST", f"/api/v1/processes/{process_id}/versions", upload, bpmn()))
    return found


def run(backend: str, pg_server: str) -> None:
    name = f"prozessatlas_malformed_{os.getpid()}"
    admin_engine = create_engine(f"{pg_server}/postgres", isolation_level="AUTOCOMMIT")
    if backend == "postgresql":
        with admin_engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = f"{pg_server}/{name}"
    else:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='prozessatlas-malformed-')}/bench.db"
    try:
        migrate.upgrade(url)
        app = create_app(url)
        with app.state.db.session() as session:
            admin = make_user(session, "admin", admin=True)
            office = make_office(session, "amt")
            process = make_process(session, office, admin, "antrag", xml=bpmn())
            office_id, process_id = office.id, process.id
        client = TestClient(app, raise_server_exceptions=False)
        classes: collections.Counter[int] = collections.Counter()
        stored = 0
        requests = _requests(admin.headers, office_id, process_id)
        for method, path, headers, body in requests:
            response = client.request(method, path, headers=headers, content=body)
            classes[response.status_code // 100] += 1
            bad = body is not None and (b"\\u" in body or "%00" in str(headers))
            stored += int(bad and response.status_code < 300)
        print(
            f"{backend}: {len(requests)} malformed requests, 5xx: {classes[5]}, "
            f"stored bad text: {stored}, by class: {dict(sorted(classes.items()))}"
        )
        app.state.db.dispose()
    finally:
        if backend == "postgresql":
            with admin_engine.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin_engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("backends", nargs="*", default=["sqlite", "postgresql"])
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    for backend in args.backends:
        run(backend, args.pg)


if __name__ == "__main__":
    main()
