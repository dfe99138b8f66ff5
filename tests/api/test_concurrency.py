"""Optimistic concurrency under real parallel load, through a live server on loopback."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx2 as httpx
import pytest
import uvicorn
from fastapi import FastAPI

from app.models import Office
from tests.factories import Actor, bpmn


@pytest.fixture
def live_url(app: FastAPI) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def test_twenty_parallel_uploads_against_one_etag(
    live_url: str, admin: Actor, office: Office
) -> None:
    with httpx.Client(base_url=live_url, headers=admin.headers, timeout=60) as client:
        pid = client.post(
            f"/api/v1/offices/{office.id}/processes", json={"key": "parallel", "title": "Parallel"}
        ).json()["id"]
        first = client.post(
            f"/api/v1/processes/{pid}/versions",
            content=bpmn(["Start"]),
            headers={"Content-Type": "application/xml"},
        )
        assert first.status_code == 201
        etag = first.headers["ETag"]
        barrier = threading.Barrier(20)

        def upload(i: int) -> int:
            body = bpmn([f"Schritt {i}"])
            barrier.wait()
            response = client.post(
                f"/api/v1/processes/{pid}/versions",
                content=body,
                headers={"Content-Type": "application/xml", "If-Match": etag},
            )
            return response.status_code

        with ThreadPoolExecutor(20) as pool:
            statuses = list(pool.map(upload, range(20)))

        assert sorted(statuses) == [201] + [409] * 19
        versions = client.get(f"/api/v1/processes/{pid}/versions").json()
        assert [v["number"] for v in versions["items"]] == [2, 1]
        assert versions["total"] == 2


def test_sequential_chain_of_uploads_has_no_gaps(
    live_url: str, admin: Actor, office: Office
) -> None:
    with httpx.Client(base_url=live_url, headers=admin.headers, timeout=60) as client:
        pid = client.post(
            f"/api/v1/offices/{office.id}/processes", json={"key": "chain", "title": "Chain"}
        ).json()["id"]

        def save_until_accepted(i: int) -> None:
            # each writer retries with the newest ETag after a conflict, as the modeler does
            for _ in range(200):
                current = client.get(f"/api/v1/processes/{pid}").headers.get("ETag")
                headers = {
                    "Content-Type": "application/xml",
                    **({"If-Match": current} if current else {}),
                }
                response = client.post(
                    f"/api/v1/processes/{pid}/versions", content=bpmn([f"W{i}"]), headers=headers
                )
                if response.status_code == 201:
                    return
                assert response.status_code in (409, 428)
            raise AssertionError("writer starved")

        with ThreadPoolExecutor(8) as pool:
            list(pool.map(save_until_accepted, range(8)))
        numbers = [
            v["number"] for v in client.get(f"/api/v1/processes/{pid}/versions").json()["items"]
        ]
        assert sorted(numbers) == list(range(1, 9))
