"""Conformance: every MIWG export goes through the API as the acceptance list asks."""

from __future__ import annotations

import hashlib
import json
import re

from fastapi.testclient import TestClient

from app.models import Office
from tests.factories import Actor


def test_every_miwg_file_through_the_api(
    client: TestClient, admin: Actor, office: Office, shared
) -> None:
    folder = shared / "corpus" / "miwg"
    expected = json.loads((folder / "expected.json").read_text())
    failures: list[str] = []
    for index, (name, verdict) in enumerate(sorted(expected.items())):
        key = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] + f"-{index}"
        pid = client.post(
            f"/api/v1/offices/{office.id}/processes",
            headers=admin.headers,
            json={"key": key, "title": name},
        ).json()["id"]
        data = (folder / name).read_bytes()
        response = client.post(
            f"/api/v1/processes/{pid}/versions",
            headers=admin.headers,
            files={"file": (name.rsplit("/", 1)[-1], data, "application/xml")},
        )
        if not verdict["wellformed"]:
            if not 400 <= response.status_code < 500:
                failures.append(f"{name}: malformed but {response.status_code}")
            continue
        if response.status_code != 201:
            failures.append(f"{name}: {response.status_code} {response.text[:200]}")
            continue
        if response.json()["xsd_valid"] != verdict["xsd_valid"]:
            failures.append(f"{name}: xsd_valid {response.json()['xsd_valid']}")
        download = client.get(f"/api/v1/processes/{pid}/versions/1/bpmn", headers=admin.headers)
        if hashlib.sha256(download.content).hexdigest() != verdict["sha256"]:
            failures.append(f"{name}: bytes differ")
    assert failures == []
