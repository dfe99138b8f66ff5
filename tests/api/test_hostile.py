"""Hostile uploads are refused with a clear problem detail; nothing is stored; the server stays up."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.config import settings
from app.models import Office, ProcessVersion
from tests.factories import Actor, bpmn

OMG = 'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="urn:t"'
DEFS = f"<definitions {OMG}>"

HOSTILE: dict[str, tuple[bytes, int, str]] = {
    "xxe_file": (
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        f'<definitions {OMG}><process id="p" name="&x;"/></definitions>'.encode(),
        400,
        "dtd_forbidden",
    ),
    "xxe_network": (
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]>'
        f'<definitions {OMG}><process id="p" name="&x;"/></definitions>'.encode(),
        400,
        "dtd_forbidden",
    ),
    "parameter_entity": (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>'
        + DEFS.encode()
        + b"</definitions>",
        400,
        "dtd_forbidden",
    ),
    "external_dtd": (
        b'<?xml version="1.0"?><!DOCTYPE definitions SYSTEM "http://127.0.0.1:9/x.dtd">'
        + DEFS.encode()
        + b"</definitions>",
        400,
        "dtd_forbidden",
    ),
    "billion_laughs": (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY e "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
        + DEFS.encode()
        + b'<process id="p" name="&e;"/></definitions>',
        400,
        "dtd_forbidden",
    ),
    "quadratic_blowup": (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "'
        + b"x" * 50_000
        + b'">]>'
        + DEFS.encode()
        + b'<process id="p" name="'
        + b"&a;" * 5_000
        + b'"/></definitions>',
        400,
        "dtd_forbidden",
    ),
    "xinclude": (
        f'<definitions {OMG} xmlns:xi="http://www.w3.org/2001/XInclude">'
        '<xi:include href="/etc/passwd" parse="text"/></definitions>'.encode(),
        400,
        "xinclude_forbidden",
    ),
    "too_deep": (
        DEFS.encode() + b"<a>" * 1000 + b"</a>" * 1000 + b"</definitions>",
        400,
        "too_deep",
    ),
    "moderately_deep": (
        DEFS.encode() + b"<a>" * 260 + b"</a>" * 260 + b"</definitions>",
        400,
        "too_deep",
    ),
    "binary": (bytes(range(256)) * 40, 400, "not_well_formed"),
    "empty": (b"", 400, "empty"),
    "whitespace": (b"   \n ", 400, "empty"),
    "truncated": (bpmn()[:-40], 400, "not_well_formed"),
    "not_bpmn_root": (b'<?xml version="1.0"?><html><body>hi</body></html>', 400, "not_bpmn"),
    "wrong_namespace": (b'<definitions xmlns="http://example.com/BPMN"/>', 400, "not_bpmn"),
    "bpmn_2_beta_namespace": (
        b'<definitions xmlns="http://www.omg.org/spec/BPMN/20100501/MODEL"/>',
        400,
        "not_bpmn",
    ),
}


@pytest.fixture
def process_id(client: TestClient, admin: Actor, office: Office) -> int:
    response = client.post(
        f"/api/v1/offices/{office.id}/processes",
        headers=admin.headers,
        json={"key": "ziel", "title": "Ziel"},
    )
    return int(response.json()["id"])


def _versions(db: Session) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(ProcessVersion)) or 0


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_upload_is_refused_and_nothing_stored(client, admin, process_id, db, case) -> None:
    body, status, code = HOSTILE[case]
    response = client.post(
        f"/api/v1/processes/{process_id}/versions",
        content=body,
        headers={**admin.headers, "Content-Type": "application/xml"},
    )
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == code
    assert problem["detail"]
    assert "Traceback" not in response.text
    assert "root:" not in response.text
    assert _versions(db) == 0
    assert client.get(f"/api/v1/processes/{process_id}", headers=admin.headers).status_code == 200


@pytest.mark.parametrize("case", ["xxe_file", "billion_laughs", "xinclude", "truncated"])
def test_validate_endpoint_refuses_hostile_input_too(client, admin, case) -> None:
    body, status, code = HOSTILE[case]
    response = client.post(
        "/api/v1/validate",
        content=body,
        headers={**admin.headers, "Content-Type": "application/xml"},
    )
    assert response.status_code == status
    assert response.json()["code"] == code


def test_oversize_upload_is_refused_before_parsing(
    client, admin, process_id, db, monkeypatch
) -> None:
    monkeypatch.setattr(settings, "max_upload_bytes", 10_000)
    big = bpmn(["x" * 20_000])
    response = client.post(
        f"/api/v1/processes/{process_id}/versions",
        content=big,
        headers={**admin.headers, "Content-Type": "application/xml"},
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    multipart = client.post(
        f"/api/v1/processes/{process_id}/versions",
        headers=admin.headers,
        files={"file": ("big.bpmn", big, "application/xml")},
    )
    assert multipart.status_code == 413
    assert _versions(db) == 0


def test_wrong_content_type_is_415(client, admin, process_id, db) -> None:
    response = client.post(
        f"/api/v1/processes/{process_id}/versions",
        content=b'{"a": 1}',
        headers={**admin.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 415
    assert _versions(db) == 0


@pytest.mark.parametrize(
    ("encoding", "declared"),
    [("utf-8", "UTF-8"), ("utf-16", "UTF-16"), ("iso-8859-1", "ISO-8859-1")],
)
def test_declared_encodings_are_accepted_and_kept_verbatim(
    client, admin, process_id, encoding, declared
) -> None:
    text = bpmn(["Größe prüfen"]).decode().replace('encoding="UTF-8"', f'encoding="{declared}"')
    body = text.encode(encoding)
    response = client.post(
        f"/api/v1/processes/{process_id}/versions",
        content=body,
        headers={**admin.headers, "Content-Type": "application/xml"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["xsd_valid"] is True
    download = client.get(f"/api/v1/processes/{process_id}/versions/1/bpmn", headers=admin.headers)
    assert download.content == body


def test_script_in_names_is_stored_verbatim(client, admin, process_id) -> None:
    body = bpmn(["&lt;script&gt;alert(1)&lt;/script&gt; prüfen"])
    response = client.post(
        f"/api/v1/processes/{process_id}/versions",
        content=body,
        headers={**admin.headers, "Content-Type": "application/xml"},
    )
    assert response.status_code == 201
    download = client.get(f"/api/v1/processes/{process_id}/versions/1/bpmn", headers=admin.headers)
    assert download.content == body


def test_malformed_json_and_multipart_bodies_are_4xx(client, admin, office, process_id) -> None:
    response = client.post(
        f"/api/v1/offices/{office.id}/processes",
        content=b"{nope",
        headers={**admin.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    broken = client.post(
        f"/api/v1/processes/{process_id}/versions",
        content=b"--x\r\ngarbage",
        headers={**admin.headers, "Content-Type": "multipart/form-data; boundary=x"},
    )
    assert 400 <= broken.status_code < 500
