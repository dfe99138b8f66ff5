"""The OpenAPI document declares how to authenticate, on every protected operation."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.factories import PASSWORD, make_user

PUBLIC = {("post", "/api/v1/auth/token")}


def test_security_schemes_are_declared(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["bearer"]["description"],
    }
    assert schemes["password"]["type"] == "oauth2"
    assert schemes["password"]["flows"]["password"]["tokenUrl"] == "/api/v1/auth/token"


def test_every_protected_operation_names_both_ways_to_authenticate(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    operations = [
        (method, path, operation)
        for path, item in paths.items()
        for method, operation in item.items()
    ]
    assert len(operations) > 20
    for method, path, operation in operations:
        if (method, path) in PUBLIC:
            assert "security" not in operation, path
        else:
            # alternatives: a personal API token or the password flow's token
            assert operation.get("security") == [{"bearer": []}, {"password": []}], (method, path)


def test_the_password_flow_gives_a_token_that_the_protected_operations_take(
    client: TestClient, db
) -> None:
    make_user(db, "lotse")
    # what Swagger UI's "Authorize" sends for the password flow
    issued = client.post(
        "/api/v1/auth/token",
        data={"grant_type": "password", "username": "lotse", "password": PASSWORD, "scope": ""},
    )
    assert issued.status_code == 200, issued.text
    body = issued.json()
    assert body["token_type"] == "bearer"
    offices = client.get(
        "/api/v1/offices", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert offices.status_code == 200
    assert client.get("/api/v1/offices").status_code == 401


def test_every_operation_documents_its_problem_answers(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path, item in paths.items():
        for method, operation in item.items():
            for status in ("401", "404", "422", "503"):
                content = operation["responses"][status]["content"]
                schema = content["application/problem+json"]["schema"]
                assert "$ref" not in str(schema), (method, path)  # inline, resolvable anywhere
                assert schema["required"] == ["type", "title", "status", "detail", "instance"]
