"""Version-metadata GETs against a live server on loopback: requests/s and latency percentiles.

Starts `prozessatlas serve` on a fresh SQLite database with the demo catalogue, creates a token,
then keeps `--concurrency` keep-alive connections busy for `--seconds` and prints req/s and p50/p99
(targets: ≥ 1 000 req/s, p99 < 50 ms). The load comes from `wrk` when it is installed
(`apt-get install wrk`), otherwise from an asyncio httpx client, which needs more CPU itself.
Baseline in the same run: `/healthz` (one trivial query), so the ratio shows what the API costs.
Each line also gives the server's CPU time per request (from /proc), which stays comparable
between runs when other jobs share the machine and req/s does not (ADR 0013).

    .venv/bin/python bench/api_reads.py [--concurrency 16] [--seconds 10] [--workers <cores>]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def load(url: str, headers: dict[str, str], concurrency: int, seconds: float) -> list[float]:
    """Closed-loop load: each of `concurrency` clients sends the next request when one returns."""
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(headers=headers, limits=limits, timeout=30) as client:

        async def worker() -> None:
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                response = await client.get(url)
                latencies.append(time.perf_counter() - start)
                if response.status_code != 200:
                    raise RuntimeError(f"{url}: {response.status_code} {response.text[:200]}")

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies


Result = tuple[float, float, float, int]  # req/s, p50 ms, p99 ms, requests


def _milliseconds(text: str) -> float:
    number = text.rstrip("usm")
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[text[len(number) :]]


def with_wrk(url: str, headers: dict[str, str], concurrency: int, seconds: float) -> Result:
    """wrk (C, one thread) as the load generator: it leaves the server most of the CPU."""
    command = ["wrk", "-t1", f"-c{concurrency}", f"-d{seconds:.0f}s", "--latency", url]
    for name, value in headers.items():
        command[1:1] = ["-H", f"{name}: {value}"]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    if "Non-2xx" in out:
        raise RuntimeError(out)
    percentiles = {
        line.split()[0]: _milliseconds(line.split()[1])
        for line in out.splitlines()
        if "%" in line and len(line.split()) == 2
    }
    rate = float(out.split("Requests/sec:")[1].split()[0])
    total = int(out.split(" requests in ")[0].split()[-1])
    return rate, percentiles["50%"], percentiles["99%"], total


def with_python(url: str, headers: dict[str, str], concurrency: int, seconds: float) -> Result:
    ordered = sorted(asyncio.run(load(url, headers, concurrency, seconds)))
    p99 = ordered[int(len(ordered) * 0.99) - 1]
    return len(ordered) / seconds, statistics.median(ordered) * 1000, p99 * 1000, len(ordered)


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) the server and its worker processes have used (Linux /proc).

    Unlike req/s, CPU per request hardly moves when other jobs share the machine.
    """
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(child) for child in (task / "children").read_text().split())
        except OSError:
            continue  # gone, or no /proc
    return total


def report(
    name: str, url: str, headers: dict[str, str], args: argparse.Namespace, server: int
) -> float:
    measure = with_python if args.python_client or not shutil.which("wrk") else with_wrk
    cpu = server_cpu(server)
    rate, p50, p99, total = measure(url, headers, args.concurrency, args.seconds)
    cpu_ms = (server_cpu(server) - cpu) * 1000 / max(total, 1)
    print(
        f"{name:<24} {rate:7.0f} req/s   p50 {p50:5.1f} ms   p99 {p99:5.1f} ms   "
        f"server CPU {cpu_ms:5.3f} ms/request   ({total} requests)"
    )
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--python-client", action="store_true", help="use httpx even if wrk is installed"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        env = {
            **os.environ,
            "PROZESSATLAS_DATABASE_URL": f"sqlite:///{tmp}/bench.db",
            "PROZESSATLAS_ADMIN_PASSWORD": "bench-admin-password",
            "PROZESSATLAS_SECRET_KEY": "bench",
        }
        server = subprocess.Popen(
            [
                str(BIN / "prozessatlas"),
                "serve",
                "--port",
                str(port),
                "--workers",
                str(args.workers),
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"{base}/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            token = subprocess.run(
                [str(BIN / "prozessatlas"), "create-token", "admin", "--name", "bench"],
                env=env,
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
            headers = {"Authorization": f"Bearer {token}"}
            process = httpx.get(f"{base}/api/v1/processes?limit=1", headers=headers).json()[
                "items"
            ][0]
            url = f"{base}/api/v1/processes/{process['id']}/versions/latest"
            client = "httpx" if args.python_client or not shutil.which("wrk") else "wrk"
            print(
                f"{args.concurrency} connections, {args.seconds:.0f} s each, "
                f"{args.workers} server worker(s), load from {client}"
            )
            if client == "httpx" and not args.python_client:
                print(
                    "  (no wrk: `make bench-deps` installs it; this client takes CPU from the server)"
                )
            asyncio.run(load(url, headers, args.concurrency, 1))  # warm-up
            baseline = report("baseline GET /healthz", f"{base}/healthz", {}, args, server.pid)
            rate = report("GET version metadata", url, headers, args, server.pid)
            print(f"ratio metadata / baseline: {rate / baseline:.2f}")
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
