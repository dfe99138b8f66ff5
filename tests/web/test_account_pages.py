"""The pages "Meine Zugänge" and /admin (users and roles) without a browser (issue 9 §3, §4)."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import settings
from app.db import utcnow
from app.models import ApiToken, LoginThrottle, Membership, User
from tests.factories import PASSWORD, make_office, make_user
from tests.web.test_pages import csrf_of, log_in


def test_account_page_creates_shows_once_and_revokes_a_token(
    client: TestClient, db: Session
) -> None:
    make_user(db, "lotse")
    log_in(client, "lotse")
    page = client.get("/account")
    assert page.status_code == 200
    assert "Meine Zugänge" in page.text
    assert f'value="{settings.token_default_days}"' in page.text

    # without the CSRF token nothing is created
    forged = client.post("/account/tokens", data={"name": "x", "days": "30", "csrf_token": "no"})
    assert forged.status_code == 403
    assert db.scalar(select(ApiToken).where(ApiToken.name == "x")) is None

    created = client.post(
        "/account/tokens",
        data={"name": "Nachtlauf", "days": "30", "csrf_token": csrf_of(page.text)},
    )
    assert created.status_code == 201
    secret = re.search(r'id="token-value"[^>]*value="(pa_[^"]+)"', created.text)
    assert secret is not None
    assert (
        client.get(
            "/api/v1/offices", headers={"Authorization": f"Bearer {secret.group(1)}"}
        ).status_code
        == 200
    )
    # shown once: the list names the token, never its secret
    again = client.get("/account").text
    assert "Nachtlauf" in again
    assert secret.group(1) not in again
    assert "token-value" not in again

    row = db.scalar(select(ApiToken).where(ApiToken.name == "Nachtlauf"))
    assert row is not None
    revoked = client.post(
        f"/account/tokens/{row.id}/revoke",
        data={"csrf_token": csrf_of(again)},
        follow_redirects=False,
    )
    assert revoked.status_code == 303
    assert (
        client.get(
            "/api/v1/offices", headers={"Authorization": f"Bearer {secret.group(1)}"}
        ).status_code
        == 401
    )


def test_token_lifetime_above_the_maximum_is_explained(client: TestClient, db: Session) -> None:
    make_user(db, "lotse")
    log_in(client, "lotse")
    response = client.post(
        "/account/tokens",
        data={
            "name": "lang",
            "days": str(settings.token_max_days + 1),
            "csrf_token": csrf_of(client.get("/account").text),
        },
    )
    assert response.status_code == 422
    assert f"höchstens {settings.token_max_days} Tage" in response.text


def test_other_sessions_can_be_ended_from_the_account_page(client: TestClient, db: Session) -> None:
    make_user(db, "lotse")
    laptop = TestClient(client.app)
    log_in(laptop, "lotse")
    log_in(client, "lotse")
    page = client.get("/account").text
    assert "dieser Browser" in page
    ids = re.findall(r'action="/account/sessions/(\d+)/end"', page)
    assert len(ids) == 2
    other = min(ids, key=int)  # the laptop logged in first
    client.post(f"/account/sessions/{other}/end", data={"csrf_token": csrf_of(page)})
    assert laptop.get("/", follow_redirects=False).status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 200


def test_a_weak_new_password_is_refused_with_the_reason(client: TestClient, db: Session) -> None:
    make_user(db, "lotse")
    log_in(client, "lotse")
    for new, expected in (
        ("Passwort123!", "zu leicht zu erraten"),
        ("kurz", "mindestens 12 Zeichen"),
    ):
        response = client.post(
            "/account/password",
            data={
                "current_password": PASSWORD,
                "new_password": new,
                "repeat_password": new,
                "csrf_token": csrf_of(client.get("/account").text),
            },
        )
        assert response.status_code == 422
        assert expected in response.text
    wrong_current = client.post(
        "/account/password",
        data={
            "current_password": "nicht das richtige",
            "new_password": "Elbflorenz Straßenbahn 1872",
            "repeat_password": "Elbflorenz Straßenbahn 1872",
            "csrf_token": csrf_of(client.get("/account").text),
        },
    )
    assert wrong_current.status_code == 422
    assert "bisherige Passwort" in wrong_current.text


def test_readers_cannot_open_the_administration(client: TestClient, db: Session) -> None:
    make_user(db, "leser")
    log_in(client, "leser")
    assert client.get("/admin/users").status_code == 403
    assert "Benutzerverwaltung" not in client.get("/").text
    csrf = csrf_of(client.get("/account").text)
    response = client.post(
        "/admin/users",
        data={"username": "eve", "password": "gruene wiese am fluss", "csrf_token": csrf},
    )
    assert response.status_code == 403
    assert db.scalar(select(User).where(User.username == "eve")) is None


def test_admin_manages_a_user_and_their_roles_in_pages(client: TestClient, db: Session) -> None:
    make_user(db, "chefin", admin=True)
    office = make_office(db, "buergeramt")
    log_in(client, "chefin")
    page = client.get("/admin/users")
    assert page.status_code == 200
    assert "Benutzerverwaltung" in client.get("/").text

    # create, with the password policy applied
    weak = client.post(
        "/admin/users",
        data={"username": "anna", "password": "anna12345678", "csrf_token": csrf_of(page.text)},
    )
    assert weak.status_code == 422
    assert "zu leicht" in weak.text
    created = client.post(
        "/admin/users",
        data={
            "username": "anna",
            "display_name": "Anna Schmidt",
            "password": "gruene wiese am fluss",
            "csrf_token": csrf_of(page.text),
        },
        follow_redirects=False,
    )
    assert created.status_code == 303
    anna = db.scalar(select(User).where(User.username == "anna"))
    assert anna is not None
    user_page = client.get(created.headers["location"])
    assert "Anna Schmidt" in user_page.text
    csrf = csrf_of(user_page.text)

    # grant a role, then revoke it
    client.post(
        f"/admin/users/{anna.id}/roles",
        data={"office_id": str(office.id), "role": "modeler", "csrf_token": csrf},
    )
    membership = db.scalar(select(Membership).where(Membership.user_id == anna.id))
    assert membership is not None
    assert membership.role == "modeler"
    assert "Modellieren" in client.get(f"/admin/users/{anna.id}").text
    client.post(f"/admin/users/{anna.id}/roles/{membership.id}/revoke", data={"csrf_token": csrf})
    db.expire_all()
    assert db.scalar(select(Membership).where(Membership.user_id == anna.id)) is None

    # reset the password, deactivate, activate
    anna_browser = TestClient(client.app)
    log_in(anna_browser, "anna", "gruene wiese am fluss")
    client.post(
        f"/admin/users/{anna.id}/password",
        data={"password": "blaue berge im nebel", "csrf_token": csrf},
    )
    assert anna_browser.get("/", follow_redirects=False).status_code == 303
    log_in(anna_browser, "anna", "blaue berge im nebel")
    client.post(f"/admin/users/{anna.id}/active", data={"active": "false", "csrf_token": csrf})
    db.expire_all()
    assert db.get(User, anna.id).is_active is False  # type: ignore[union-attr]
    assert anna_browser.get("/", follow_redirects=False).status_code == 303
    client.post(f"/admin/users/{anna.id}/active", data={"active": "true", "csrf_token": csrf})
    db.expire_all()
    assert db.get(User, anna.id).is_active is True  # type: ignore[union-attr]

    # an admin cannot deactivate themself
    me = db.scalar(select(User).where(User.username == "chefin"))
    assert me is not None
    refused = client.post(
        f"/admin/users/{me.id}/active", data={"active": "false", "csrf_token": csrf}
    )
    assert refused.status_code == 409


def test_admin_lifts_a_login_lock_with_a_button(client: TestClient, db: Session) -> None:
    make_user(db, "chefin", admin=True)
    klara = make_user(db, "klara")
    db.add(
        LoginThrottle(
            key="user:klara",
            failures=settings.login_lockout_failures,
            locked_until=utcnow() + timedelta(minutes=10),
        )
    )
    db.commit()
    assert (
        client.post(
            "/api/v1/auth/token", data={"username": "klara", "password": PASSWORD}
        ).status_code
        == 429
    )

    log_in(client, "chefin")
    page = client.get(f"/admin/users/{klara.user.id}").text
    assert "gesperrt bis" in page
    response = client.post(
        f"/admin/users/{klara.user.id}/unlock",
        data={"csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert "Anmeldesperre ist aufgehoben" in client.get(response.headers["location"]).text
    assert (
        client.post(
            "/api/v1/auth/token", data={"username": "klara", "password": PASSWORD}
        ).status_code
        == 200
    )


def test_admin_forms_need_the_csrf_token(client: TestClient, db: Session) -> None:
    make_user(db, "chefin", admin=True)
    anna = make_user(db, "anna")
    log_in(client, "chefin")
    for path, data in (
        (f"/admin/users/{anna.user.id}/active", {"active": "false"}),
        (f"/admin/users/{anna.user.id}/password", {"password": "blaue berge im nebel"}),
        (f"/admin/users/{anna.user.id}/unlock", {}),
        ("/admin/users", {"username": "neu", "password": "blaue berge im nebel"}),
    ):
        response = client.post(path, data={**data, "csrf_token": "forged"})
        assert response.status_code == 403, path
    db.expire_all()
    assert db.get(User, anna.user.id).is_active is True  # type: ignore[union-attr]
    assert db.scalar(select(User).where(User.username == "neu")) is None


def test_the_account_and_admin_pages_speak_english(client: TestClient, db: Session) -> None:
    make_user(db, "chefin", admin=True)
    log_in(client, "chefin")
    account = client.get("/account?lang=en").text
    assert "My access" in account
    assert "API tokens" in account
    assert "Change password" in account
    users = client.get("/admin/users").text  # the language cookie is kept
    assert "User administration" in users
    assert "Initial password" in users
