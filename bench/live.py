"""The real server for the browser benchmarks: `prozessatlas serve` on a fresh SQLite database.

`live_server()` yields the base URL and an httpx client on /api/v1 with an admin token;
`login(page, base)` logs a Playwright page in as that admin.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CHROMIUM = os.environ.get("PROZESSATLAS_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "bench-admin-Passw0rd"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def live_server() -> Iterator[tuple[str, httpx.Client]]:
    if not Path(CHROMIUM).exists():
        sys.exit(f"no chromium at {CHROMIUM} (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "PROZESSATLAS_DATABASE_URL": f"sqlite:///{tmp}/bench.db",
            "PROZESSATLAS_ADMIN_PASSWORD": PASSWORD,
            "PROZESSATLAS_SECRET_KEY": "bench-browser-0123456789abcdef",
            "PROZESSATLAS_SEED_DEMO": "false",
        }
        port = free_port()
        server = subprocess.Popen(
            [str(BIN / "prozessatlas"), "serve", "--port", str(port), "--workers", "1"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    if httpx.get(f"{base}/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
            token = subprocess.run(
                [str(BIN / "prozessatlas"), "create-token", "admin", "--name", "bench"],
                env=env,
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
            with httpx.Client(
                base_url=base + "/api/v1",
                headers={"Authorization": f"Bearer {token}"},
                timeout=60,
            ) as api:
                yield base, api
        finally:
            server.terminate()
            server.wait(10)


def launch(playwright: Any) -> Any:
    return playwright.chromium.launch(
        executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
    )


def login(page: Any, base: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("Benutzername").fill("admin")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(base + "/")
