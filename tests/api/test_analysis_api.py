"""The analysis through the API: stored with every version, comparable with the labels, refreshable."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from app import cli
from app.config import settings
from app.models import Office
from tests.factories import Actor, bpmn

XML = {"Content-Type": "application/xml"}


def _new_process(client: TestClient, admin: Actor, office: Office, key: str) -> int:
    response = client.post(
        f"/api/v1/offices/{office.id}/processes",
        headers=admin.headers,
        json={"key": key, "title": key},
    )
    return int(response.json()["id"])


def test_labelled_model_analysis_matches_its_labels(client, admin, office, shared) -> None:
    folder = shared / "corpus" / "labelled"
    labels = json.loads((folder / "gewerbeanmeldung.labels.json").read_text())
    pid = _new_process(client, admin, office, "gewerbe")
    data = (folder / "gewerbeanmeldung.bpmn").read_bytes()
    assert (
        client.post(
            f"/api/v1/processes/{pid}/versions",
            headers=admin.headers,
            files={"file": ("gewerbeanmeldung.bpmn", data, "application/xml")},
        ).status_code
        == 201
    )

    analysis = client.get(
        f"/api/v1/processes/{pid}/versions/1/analysis", headers=admin.headers
    ).json()
    found = {(b["rule"], frozenset(b["elements"])) for b in analysis["media_breaks"]}
    expected = {(b["rule"], frozenset(b["elements"])) for b in labels["media_breaks"]}
    assert len(found & expected) >= 0.9 * len(expected)
    assert len(found & expected) >= 0.9 * len(found)
    candidates = {c["element"] for c in analysis["automation_candidates"]}
    assert {c["element"] for c in labels["automation_candidates"]} <= candidates
    assert not candidates & set(labels["not_candidates"])
    for item in analysis["media_breaks"]:
        assert item["severity"] in {"high", "medium"}
        assert item["explanation"]["de"]
        assert item["explanation"]["en"]
        assert len(item["media"]) == 2
    for item in analysis["automation_candidates"]:
        assert 0.0 <= item["score"] <= 1.0
        assert item["reasons"]
        assert item["suggestion"]["de"]

    # the process list carries the counts, and the dry run gives the same result
    listed = client.get(f"/api/v1/processes?office_id={office.id}", headers=admin.headers).json()[
        "items"
    ][0]
    assert listed["media_breaks"] == len(analysis["media_breaks"])
    assert listed["automation_candidates"] == len(analysis["automation_candidates"])
    assert listed["automation_share"] == pytest.approx(analysis["automation_share"])
    dry = client.post("/api/v1/analyse", content=data, headers={**admin.headers, **XML}).json()
    assert dry["media_breaks"] == analysis["media_breaks"]


def test_reanalyze_applies_a_city_vocabulary(
    client, admin, office, database_url, monkeypatch, tmp_path
) -> None:
    pid = _new_process(client, admin, office, "klemmbrett")
    xml = bpmn(["Notiz auf dem Klemmbrett festhalten", "Daten in OK.EWO speichern"])
    client.post(f"/api/v1/processes/{pid}/versions", content=xml, headers={**admin.headers, **XML})
    before = client.get(
        f"/api/v1/processes/{pid}/versions/1/analysis", headers=admin.headers
    ).json()
    assert not [b for b in before["media_breaks"] if b["rule"] == "a"]

    extra = tmp_path / "stadt.toml"
    extra.write_text('[media.paper]\nde = ["klemmbrett|3"]\n', encoding="utf-8")
    monkeypatch.setattr(settings, "vocabulary_file", extra)
    monkeypatch.setattr(settings, "database_url", database_url)
    cli.main(["reanalyze"])

    after = client.get(f"/api/v1/processes/{pid}/versions/1/analysis", headers=admin.headers).json()
    assert after["vocabulary_version"] != before["vocabulary_version"]
    assert {frozenset(b["elements"]) for b in after["media_breaks"] if b["rule"] == "a"} == {
        frozenset({"Task_0", "Task_1"})
    }
    listed = client.get(f"/api/v1/processes/{pid}", headers=admin.headers).json()
    assert listed["media_breaks"] == len(after["media_breaks"])
