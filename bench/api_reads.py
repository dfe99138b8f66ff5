"""Version-metadata GETs against a live server on loopback: requests/s and latency percentiles.

Starts `prozessatlas serve` on a fresh SQLite database (or uses --url), creates a token, then
keeps `--concurrency` keep-alive connections busy for `--seconds` and prints req/s and p50/p99
(targets: ≥ 1 000 req/s, p99 < 50 ms). A baseline in the same run: `/healthz`, which does one
trivial query, so the ratio shows what the API itself costs.

    .venv/bin/python bench/api_reads.py [--concurrency 32] [--seconds 10] [--workers 1]
"""

from __future__ import annotations

import argparse
import asyncio
import os
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


def report(name: str, latencies: list[float], seconds: float) -> float:
    ordered = sorted(latencies)
    rate = len(ordered) / seconds
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[int(len(ordered) * 0.99) - 1] * 1000
    print(
        f"{name:<28} {rate:8.0f} req/s   p50 {p50:6.1f} ms   p99 {p99:6.1f} ms   ({len(ordered)} requests)"
    )
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=1)
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
            print(
                f"{args.concurrency} connections, {args.seconds:.0f} s each, {args.workers} worker(s)"
            )
            asyncio.run(load(url, headers, args.concurrency, 1))  # warm-up
            baseline = report(
                "baseline GET /healthz",
                asyncio.run(load(f"{base}/healthz", {}, args.concurrency, args.seconds)),
                args.seconds,
            )
            rate = report(
                "GET version metadata",
                asyncio.run(load(url, headers, args.concurrency, args.seconds)),
                args.seconds,
            )
            print(f"ratio metadata / baseline: {rate / baseline:.2f}")
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
