"""The administrator's command line, end to end on the test database."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import cli
from app.config import settings
from app.models import Office, Process, ProcessVersion, User


@pytest.fixture
def configured(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(settings, "database_url", database_url)
    monkeypatch.setattr(settings, "admin_password", None)
    return database_url


def test_first_start_creates_admin_once_and_seeds_the_demo(configured, db: Session, capsys) -> None:
    cli.prepare()
    printed = capsys.readouterr().out
    assert "admin /" in printed
    password = printed.split("admin / ", 1)[1].split()[0]
    assert len(password) >= 12

    cli.prepare()  # a restart prints no password and seeds nothing twice
    assert "admin /" not in capsys.readouterr().out

    offices = db.scalars(select(Office)).all()
    kinds = {o.kind for o in offices}
    assert {"dezernat", "amt", "abteilung"} <= kinds
    assert any(o.parent_id is not None and o.kind == "abteilung" for o in offices)
    assert (db.scalar(select(func.count()).select_from(Process)) or 0) >= 6
    valid = db.scalars(select(ProcessVersion.xsd_valid)).all()
    assert len(valid) >= 6
    assert all(valid)


def test_admin_password_from_environment(
    configured, monkeypatch, client: TestClient, capsys
) -> None:
    monkeypatch.setattr(settings, "admin_password", "from-the-environment")
    cli.prepare()
    assert "admin /" not in capsys.readouterr().out
    token = client.post(
        "/api/v1/auth/token", data={"username": "admin", "password": "from-the-environment"}
    )
    assert token.status_code == 200


def test_users_roles_and_tokens(configured, client: TestClient, capsys, db: Session) -> None:
    cli.main(["migrate"])
    cli.main(["create-user", "boss", "--password", "a long password for tests", "--admin"])
    cli.main(
        [
            "create-user",
            "anna",
            "--password",
            "a long password for tests",
            "--display-name",
            "Anna S.",
        ]
    )
    cli.main(["create-token", "boss"])
    boss_token = capsys.readouterr().out.strip().splitlines()[-1]
    boss = {"Authorization": f"Bearer {boss_token}"}
    office = client.post(
        "/api/v1/offices", headers=boss, json={"key": "standesamt", "name": "Standesamt"}
    ).json()
    cli.main(["grant", "anna", "standesamt", "modeler"])
    cli.main(["create-token", "anna", "--days", "1"])
    anna = {"Authorization": f"Bearer {capsys.readouterr().out.strip().splitlines()[-1]}"}
    created = client.post(
        f"/api/v1/offices/{office['id']}/processes",
        headers=anna,
        json={"key": "ehe", "title": "Eheschließung"},
    )
    assert created.status_code == 201
    assert client.get("/api/v1/users", headers=anna).status_code == 403
    assert db.scalar(select(User.display_name).where(User.username == "anna")) == "Anna S."


def test_cli_errors_are_messages_not_tracebacks(configured) -> None:
    cli.main(["migrate"])
    with pytest.raises(SystemExit) as exited:
        cli.main(["grant", "nobody", "nowhere", "reader"])
    assert "nowhere" in str(exited.value)
    cli.main(["create-user", "eve", "--password", "a long password for tests"])
    with pytest.raises(SystemExit) as duplicate:
        cli.main(["create-user", "eve", "--password", "a long password for tests"])
    assert "already exists" in str(duplicate.value)


def test_set_password(configured, client: TestClient, monkeypatch) -> None:
    cli.main(["create-user", "olaf", "--password", "first password of olaf"])
    monkeypatch.setenv("PROZESSATLAS_NEW_USER_PASSWORD", "second password of olaf")
    cli.main(["set-password", "olaf"])
    old = client.post(
        "/api/v1/auth/token", data={"username": "olaf", "password": "first password of olaf"}
    )
    new = client.post(
        "/api/v1/auth/token", data={"username": "olaf", "password": "second password of olaf"}
    )
    assert old.status_code == 401
    assert new.status_code == 200
    monkeypatch.setenv("PROZESSATLAS_NEW_USER_PASSWORD", "short")
    with pytest.raises(SystemExit):
        cli.main(["set-password", "olaf"])


def _serve(port: int) -> list[str]:
    """The command line of `prozessatlas serve` with two workers on `port`."""
    return [
        str(Path(sys.executable).parent / "prozessatlas"),
        "serve",
        "--port",
        str(port),
        "--workers",
        "2",
    ]


def _serve_env(tmp_path: Path) -> dict[str, str]:
    """Its environment: a database of its own, no demo catalogue."""
    return {
        **os.environ,
        "PROZESSATLAS_DATABASE_URL": f"sqlite:///{tmp_path}/serve.db",
        "PROZESSATLAS_ADMIN_PASSWORD": "serve-test-password",
        "PROZESSATLAS_SEED_DEMO": "false",
        "PROZESSATLAS_SECRET_KEY": "test",
    }


def test_serve_with_two_workers_answers_replaces_a_dead_worker_and_stops_on_sigterm(
    tmp_path: Path,
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        _serve(port),
        env=_serve_env(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        with httpx.Client() as client:  # new connections spread over both worker sockets
            statuses = {
                client.get(f"http://127.0.0.1:{port}/healthz").status_code for _ in range(20)
            }
        assert statuses == {200}

        # a worker killed from outside is replaced, and the server keeps answering
        def workers() -> set[int]:  # child processes started by multiprocessing's spawn
            children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text()
            found = set()
            for pid in children.split():
                with contextlib.suppress(FileNotFoundError):  # exited meanwhile
                    if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes():
                        found.add(int(pid))
            return found

        first = workers()
        assert len(first) == 2
        os.kill(min(first), signal.SIGKILL)
        deadline = time.monotonic() + 30
        while len(now := workers()) != 2 or min(first) in now:
            assert time.monotonic() < deadline, "no new worker"
            time.sleep(0.2)
        assert max(first) in now
        assert httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200
    finally:
        server.terminate()
        assert server.wait(15) is not None
    assert not any(Path(f"/proc/{pid}").exists() for pid in first)


def test_serve_gives_up_when_workers_cannot_start(tmp_path: Path) -> None:
    # given a port that another program holds
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        # when serving there with two workers
        result = subprocess.run(
            _serve(port),
            env=_serve_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=120,
        )

    # then serve stops with an error instead of restarting workers forever
    assert result.returncode == 1
    assert "keep dying" in result.stderr


@pytest.mark.parametrize(
    ("workers", "stop"),
    [("1", signal.SIGINT), ("1", signal.SIGTERM), ("2", signal.SIGINT), ("2", signal.SIGTERM)],
)
def test_serve_stops_quietly_with_exit_code_0(
    tmp_path: Path, workers: str, stop: signal.Signals
) -> None:
    # given a running server in a session of its own (as `make run` in a terminal)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [*_serve(port)[:-1], workers]
    server = subprocess.Popen(
        command,
        env=_serve_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                assert server.poll() is None, server.communicate()
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)

        # when Ctrl+C reaches every process of the group, or SIGTERM reaches serve
        if stop == signal.SIGINT:
            os.killpg(server.pid, stop)
        else:
            server.send_signal(stop)
        out, err = server.communicate(timeout=30)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)

    # then it ends with exit code 0, without a traceback
    assert server.returncode == 0, err
    assert "Traceback" not in out + err
    assert "KeyboardInterrupt" not in out + err


def test_the_import_command_starts_without_migrations_or_hasher() -> None:
    # `prozessatlas import` runs once per folder of a city: it should not load what it never uses
    probe = (
        "import sys\n"
        "from app import cli\n"
        "from app.services import transfer\n"
        "from app.services import users\n"
        "from app.services.transfer import importing\n"
        "assert cli.ADMIN_USERNAME == importing.DEFAULT_IMPORTER == users.ADMIN_USERNAME\n"
    )
    loaded = (
        "import sys\n"
        "from app import cli\n"
        "from app.services import transfer\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    assert subprocess.run([sys.executable, "-c", probe], check=False).returncode == 0
    modules = set(
        subprocess.run(
            [sys.executable, "-c", loaded], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    for heavy in ("alembic", "argon2", "zxcvbn", "app.main"):
        assert heavy not in modules, heavy
