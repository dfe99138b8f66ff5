"""The database goes away and comes back: 503 with Retry-After meanwhile, then service as before.

SQLite: the database file is replaced by a directory (it cannot be opened) and the pool let go,
then put back. PostgreSQL: the app talks to the server through a TCP relay in this process that
is cut and restored; nothing is done to the server itself.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.main import create_app
from tests.conftest import BACKEND
from tests.factories import PASSWORD, make_office, make_user
from tests.web.test_pages import csrf_of

BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


class Relay:
    """A TCP relay to the database server that can be cut (all connections dropped, new ones
    refused) and restored, on the same port."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.up = True
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        self.up = False
        with self.lock:
            for s in self.sockets:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()
            self.sockets.clear()

    def restore(self) -> None:
        self.up = True

    def close(self) -> None:
        self.cut()
        self.listener.close()


class Outage:
    """Takes the app's database away and gives it back."""

    def __init__(self, app: FastAPI, database_url: str, relay: Relay | None) -> None:
        self.app = app
        self.relay = relay
        self.path = Path(database_url.removeprefix("sqlite:///")) if relay is None else None

    def start(self) -> None:
        if self.relay is not None:
            self.relay.cut()
            return
        assert self.path is not None
        shutil.move(self.path, self.path.with_suffix(".away"))
        self.path.mkdir()  # a directory where the file was: SQLite cannot open it
        self.app.state.db.engine.dispose()  # pooled connections would still reach the old file

    def end(self) -> None:
        if self.relay is not None:
            self.relay.restore()
            return
        assert self.path is not None
        self.path.rmdir()
        shutil.move(self.path.with_suffix(".away"), self.path)


@pytest.fixture
def outage_app(database_url: str) -> Iterator[tuple[FastAPI, Outage]]:
    relay = None
    url = database_url
    if BACKEND == "postgresql":
        parts = urlsplit(database_url)
        relay = Relay(parts.hostname or "127.0.0.1", parts.port or 5432)
        netloc = parts.netloc.replace(f":{parts.port or 5432}", f":{relay.port}")
        url = urlunsplit(parts._replace(netloc=netloc))
    application = create_app(url)
    yield application, Outage(application, database_url, relay)
    application.state.db.dispose()
    if relay is not None:
        relay.close()


def test_an_outage_answers_503_and_recovery_is_automatic(
    outage_app: tuple[FastAPI, Outage],
) -> None:
    app, outage = outage_app
    with app.state.db.session() as session:
        admin = make_user(session, "admin", admin=True)
        make_office(session, "amt")
    with TestClient(app, raise_server_exceptions=False) as client:
        browser = TestClient(app, raise_server_exceptions=False)
        form = browser.get("/login")
        assert (
            browser.post(
                "/login",
                data={"username": "admin", "password": PASSWORD, "csrf_token": csrf_of(form.text)},
                follow_redirects=False,
            ).status_code
            == 303
        )
        assert client.get("/api/v1/offices", headers=admin.headers).status_code == 200
        assert client.get("/readyz").status_code == 200

        outage.start()
        api = client.get("/api/v1/offices", headers=admin.headers)
        assert api.status_code == 503
        assert api.headers["content-type"] == "application/problem+json"
        assert int(api.headers["retry-after"]) > 0
        assert api.json()["title"] == "Vorübergehend nicht verfügbar"
        write = client.post(
            "/api/v1/offices", headers=admin.headers, json={"key": "neu", "name": "Neu"}
        )
        assert write.status_code == 503
        page = browser.get("/", headers=BROWSER)  # a logged-in browser gets a page, not JSON
        assert page.status_code == 503
        assert page.headers["content-type"].startswith("text/html")
        assert "retry-after" in page.headers
        assert "Die Datenbank ist gerade nicht erreichbar" in page.text
        assert client.get("/healthz").status_code == 200  # the process is up
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["reason"] == "database unreachable"

        outage.end()
        assert client.get("/api/v1/offices", headers=admin.headers).status_code == 200
        assert browser.get("/", headers=BROWSER).status_code == 200  # still logged in
        assert client.get("/readyz").status_code == 200
        created = client.post(
            "/api/v1/offices", headers=admin.headers, json={"key": "neu", "name": "Neu"}
        )
        assert created.status_code == 201  # the write refused during the outage was not stored


def test_readyz_wants_every_migration_applied(client: TestClient, db: Session) -> None:
    assert client.get("/readyz").json() == {
        "status": "ok",
        "database": "ok",
        "migrations": "current",
    }
    current = db.scalar(text("SELECT version_num FROM alembic_version"))
    db.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    db.commit()
    try:
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["reason"] == "migrations not at head"
        assert "retry-after" in ready.headers
        assert client.get("/healthz").status_code == 200
    finally:
        db.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": current})
        db.commit()
