"""Roles × endpoints × own/other office: every cell of the table is asserted."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.models import Role
from tests.factories import Actor, bpmn, grant, make_office, make_process, make_user

ROLES = ["none", "reader", "modeler", "owner", "admin"]


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str  # {office} and {process} are filled per case
    needs: str  # the weakest office role that may call it; "global" = global admins only

    def expected(self, role: str, own: bool) -> int:
        if self.needs == "global":
            return 403
        if role == "none" or not own:
            return 404
        return self.success if ROLES.index(role) >= ROLES.index(self.needs) else 403

    @property
    def success(self) -> int:
        return 201 if self.method == "POST" else 200


ENDPOINTS = [
    Endpoint("read office", "GET", "/api/v1/offices/{office}", "reader"),
    Endpoint("list office processes", "GET", "/api/v1/offices/{office}/processes", "reader"),
    Endpoint("create process", "POST", "/api/v1/offices/{office}/processes", "modeler"),
    Endpoint("read process", "GET", "/api/v1/processes/{process}", "reader"),
    Endpoint("update process", "PATCH", "/api/v1/processes/{process}", "modeler"),
    Endpoint("list versions", "GET", "/api/v1/processes/{process}/versions", "reader"),
    Endpoint("version metadata", "GET", "/api/v1/processes/{process}/versions/1", "reader"),
    Endpoint(
        "download version", "GET", "/api/v1/processes/{process}/versions/latest/bpmn", "reader"
    ),
    Endpoint("analysis", "GET", "/api/v1/processes/{process}/versions/1/analysis", "reader"),
    Endpoint("upload version", "POST", "/api/v1/processes/{process}/versions", "modeler"),
    Endpoint("list members", "GET", "/api/v1/offices/{office}/members", "owner"),
    Endpoint("add member", "POST", "/api/v1/offices/{office}/members", "admin"),
    Endpoint("create sub-office", "POST", "/api/v1/offices", "admin"),
    Endpoint("create user", "POST", "/api/v1/users", "global"),
    Endpoint("list users", "GET", "/api/v1/users", "global"),
]


@dataclass
class World:
    own: dict[str, int]
    other: dict[str, int]
    actors: dict[str, Actor]
    admin: Actor


@pytest.fixture
def world(db: Session) -> World:
    admin = make_user(db, "admin", admin=True)
    dezernat = make_office(db, "dezernat-3", kind="dezernat")
    own = make_office(db, "buergeramt", parent=dezernat)
    other = make_office(db, "ordnungsamt", parent=dezernat)
    actors = {role: make_user(db, f"user-{role}") for role in ROLES}
    for role in ROLES[1:]:
        grant(db, actors[role], own, Role(role))
    make_user(db, "newcomer")
    own_process = make_process(db, own, admin, "own", xml=bpmn())
    other_process = make_process(db, other, admin, "other", xml=bpmn())
    return World(
        {"office": own.id, "process": own_process.id},
        {"office": other.id, "process": other_process.id},
        actors,
        admin,
    )


def _call(
    client: TestClient, endpoint: Endpoint, ids: dict[str, int], headers: dict[str, str], n: int
):  # type: ignore[no-untyped-def]
    path = endpoint.path.format(**ids)
    bodies = {
        "create process": {"json": {"key": f"neu-{n}", "title": "Neu"}},
        "update process": {"json": {"title": "Umbenannt"}},
        "add member": {"json": {"username": "newcomer", "role": "reader"}},
        "create sub-office": {
            "json": {
                "key": f"abt-{n}",
                "name": "Abteilung",
                "kind": "abteilung",
                "parent_id": ids["office"],
            }
        },
        "create user": {"json": {"username": f"u{n}", "password": "long enough password"}},
    }
    if endpoint.name == "upload version":
        current = client.get(f"/api/v1/processes/{ids['process']}", headers=headers).headers.get(
            "ETag", "*"
        )
        return client.post(
            path,
            content=bpmn([f"Version {n}"]),
            headers={**headers, "Content-Type": "application/xml", "If-Match": current},
        )
    return client.request(endpoint.method, path, headers=headers, **bodies.get(endpoint.name, {}))


CASES = [(e, r, own) for e in ENDPOINTS for r in ROLES for own in (True, False)]


@pytest.mark.parametrize(
    ("endpoint", "role", "own"),
    CASES,
    ids=[f"{e.name}-{r}-{'own' if o else 'other'}" for e, r, o in CASES],
)
def test_role_matrix(
    client: TestClient, world: World, endpoint: Endpoint, role: str, own: bool
) -> None:
    ids = world.own if own else world.other
    response = _call(client, endpoint, ids, world.actors[role].headers, len(CASES))
    assert response.status_code == endpoint.expected(role, own), response.text
    if response.status_code >= 400:
        assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_global_admin_may_do_everything(
    client: TestClient, world: World, endpoint: Endpoint
) -> None:
    for ids in (world.own, world.other):
        response = _call(client, endpoint, ids, world.admin.headers, ids["office"])
        assert response.status_code == endpoint.success, response.text


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_no_or_bad_credentials_are_401(
    client: TestClient, world: World, endpoint: Endpoint
) -> None:
    for headers in (
        {},
        {"Authorization": "Bearer pa_nope_nope"},
        {"Authorization": "Bearer garbage"},
    ):
        response = _call(client, endpoint, world.own, headers, 0)
        assert response.status_code == 401
        assert "WWW-Authenticate" in response.headers


def test_role_on_parent_office_holds_for_sub_offices(client: TestClient, db: Session) -> None:
    admin = make_user(db, "admin", admin=True)
    dezernat = make_office(db, "dezernat", kind="dezernat")
    amt = make_office(db, "amt", parent=dezernat)
    abteilung = make_office(db, "abteilung", parent=amt, kind="abteilung")
    lead = make_user(db, "lead")
    grant(db, lead, dezernat, Role.MODELER)
    process = make_process(db, abteilung, admin, "tief", xml=bpmn())
    assert client.get(f"/api/v1/processes/{process.id}", headers=lead.headers).status_code == 200
    listed = client.get("/api/v1/offices", headers=lead.headers).json()
    assert {o["key"] for o in listed["items"]} == {"dezernat", "amt", "abteilung"}
    created = client.post(
        f"/api/v1/offices/{abteilung.id}/processes",
        headers=lead.headers,
        json={"key": "neu", "title": "Neu"},
    )
    assert created.status_code == 201


def test_password_flow_issues_a_working_token(client: TestClient, db: Session) -> None:
    from tests.factories import PASSWORD

    make_user(db, "klara")
    wrong = client.post("/api/v1/auth/token", data={"username": "klara", "password": "nope"})
    assert wrong.status_code == 401
    token = client.post("/api/v1/auth/token", data={"username": "klara", "password": PASSWORD})
    assert token.status_code == 200
    body = token.json()
    assert body["token_type"] == "bearer"
    me = client.get("/api/v1/offices", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
