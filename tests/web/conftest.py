"""Browser tests: a live uvicorn server on loopback (temp SQLite, demo catalogue) and Debian's chromium.

The server runs `app.main:create_app --factory` in a subprocess after `prozessatlas migrate` and
`prozessatlas seed-demo`; tests log in through the login form as `admin`.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("PROZESSATLAS_SHARED", ROOT.parent / "shared"))
FRONTEND = ROOT / "frontend"
DIST = ROOT / "app" / "static" / "dist"
ARTIFACTS = ROOT / "test-artifacts"
AXE = FRONTEND / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("PROZESSATLAS_CHROMIUM", "/usr/bin/chromium")
ADMIN_PASSWORD = "browser-test-Passw0rd"


TEST_OFFICE = "Browsertest-Amt"

_SETUP = """
import sys
from app.db import Database
from app.schemas import OfficeCreate
from app.services import offices, users
db = Database(sys.argv[1])
with db.session() as session:
    users.ensure_admin(session, password=sys.argv[2])
    admin = users.by_username(session, users.ADMIN_USERNAME)
    if offices.by_key(session, "browsertest") is None:
        offices.create(session, actor=admin, data=OfficeCreate(key="browsertest", name=sys.argv[3], kind="amt"))
    session.commit()
"""


@dataclass(frozen=True)
class LiveServer:
    url: str
    database_url: str
    env: dict[str, str]

    def api(self, method: str, path: str, token: str, body: Any = None) -> Any:
        """A bearer-token API call for arranging and checking state outside the browser."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.url + path,
            data=data,
            method=method,
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            raw = response.read()
            return (
                json.loads(raw)
                if raw and "json" in response.headers.get("Content-Type", "")
                else raw
            )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _ensure_bundle() -> None:
    if all((DIST / name).exists() for name in ("modeler.js", "viewer.js", "search.js")):
        return
    npm = shutil.which("npm")
    if npm is None or not (FRONTEND / "node_modules").exists():
        pytest.skip("frontend bundle missing: run `npm ci && npm run build` in frontend/")
    subprocess.run([npm, "run", "build"], cwd=FRONTEND, check=True, capture_output=True)


def _cli(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-c", "from app.cli import main; main()", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no chromium at {CHROMIUM} (apt-get install chromium)")
    _ensure_bundle()
    tmp = tmp_path_factory.mktemp("live")
    database_url = f"sqlite:///{tmp / 'prozessatlas.db'}"
    env = {
        **os.environ,
        "PROZESSATLAS_DATABASE_URL": database_url,
        "PROZESSATLAS_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "PROZESSATLAS_SECRET_KEY": "browser-tests-session-secret-0123456789",
        "PROZESSATLAS_SEED_DEMO": "true",
    }
    _cli(env, "migrate")
    with contextlib.suppress(subprocess.CalledProcessError):
        _cli(env, "seed-demo")  # the tests only need the admin and their own office
    subprocess.run(
        [sys.executable, "-c", _SETUP, database_url, ADMIN_PASSWORD, TEST_OFFICE],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    port = _free_port()
    log = (tmp / "server.log").open("wb")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "app.main:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url + "/login", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise RuntimeError("live server did not start:\n" + (tmp / "server.log").read_text())
        time.sleep(0.1)
    try:
        yield LiveServer(url=url, database_url=database_url, env=env)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_context_args,
        "locale": "de-DE",
        "timezone_id": "Europe/Berlin",
        "viewport": {"width": 1440, "height": 900},
        "accept_downloads": True,
    }


@pytest.fixture(scope="session")
def admin_state(
    live_server: LiveServer, browser: Any, browser_context_args: dict[str, Any]
) -> dict[str, Any]:
    """Cookies of a logged-in admin session, to start contexts already logged in."""
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    login(page, live_server.url)
    state: dict[str, Any] = context.storage_state()
    context.close()
    return state


@pytest.fixture
def admin_page(
    live_server: LiveServer,
    browser: Any,
    browser_context_args: dict[str, Any],
    admin_state: dict[str, Any],
) -> Iterator[Any]:
    context = browser.new_context(**browser_context_args, storage_state=admin_state)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def login(
    page: Any, base_url: str, username: str = "admin", password: str = ADMIN_PASSWORD
) -> None:
    page.goto(base_url + "/login")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(base_url + "/")


def check_axe(page: Any, name: str) -> None:
    """axe-core from frontend/node_modules: no serious or critical WCAG 2.1 A/AA violations (canvas excluded)."""
    if not AXE.exists():
        pytest.skip("axe-core missing: npm ci in frontend/")
    # evaluated through the DevTools protocol: the pages' CSP rightly refuses inline scripts
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""async () => {
        const r = await axe.run({ exclude: [['.djs-container']] }, {
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
            resultTypes: ['violations'] });
        return r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')) }));
    }""")
    bad = [v for v in result if v["impact"] in ("serious", "critical")]
    assert not bad, f"axe violations on {name}: {json.dumps(bad, indent=1)}"


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
