"""Sessions that really end, login throttling and lockout, token lifetime and revocation,
the password policy (issue 9 §4)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import cli
from app.config import settings
from app.db import utcnow
from app.models import ApiToken, AuditEvent, LoginThrottle, User, UserSession
from app.services import sessions
from tests.factories import PASSWORD, make_user
from tests.web.test_pages import csrf_of, log_in

COOKIE = "prozessatlas_session"


class Clock:
    """A settable `utcnow` for the login service, to step over delays and lockouts."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(sessions, "utcnow", clock)
    return clock


def token_login(client: TestClient, username: str, password: str) -> int:
    return client.post(
        "/api/v1/auth/token", data={"username": username, "password": password}
    ).status_code


# --- sessions ---------------------------------------------------------------------------------


def test_a_cookie_replayed_after_logout_is_useless(client: TestClient, db: Session) -> None:
    make_user(db, "lotse")
    log_in(client, "lotse")
    stolen = client.cookies[COOKIE]
    assert client.get("/", follow_redirects=False).status_code == 200
    csrf = csrf_of(client.get("/").text)

    # when the user logs out
    assert (
        client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    )

    # then the old cookie, replayed, opens no page and no API call
    client.cookies.clear()
    client.cookies.set(COOKIE, stolen)
    page = client.get("/", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"].startswith("/login")
    assert client.get("/api/v1/offices").status_code == 401
    record = db.scalar(select(UserSession))
    assert record is not None
    assert record.revoked_at is not None


def test_a_password_change_ends_every_session_and_token(client: TestClient, db: Session) -> None:
    lotse = make_user(db, "lotse")
    other_browser = TestClient(client.app)
    log_in(client, "lotse")
    log_in(other_browser, "lotse")
    stolen = other_browser.cookies[COOKIE]
    personal = client.post(
        "/api/v1/auth/tokens",
        json={"name": "script"},
        headers={"X-CSRF-Token": csrf_of(client.get("/account").text)},
    )
    assert personal.status_code == 201
    script = {"Authorization": f"Bearer {personal.json()['access_token']}"}
    assert client.get("/api/v1/offices", headers=script).status_code == 200

    # when the user changes their password on "Meine Zugänge"
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "Elbflorenz Straßenbahn 1872",
            "repeat_password": "Elbflorenz Straßenbahn 1872",
            "csrf_token": csrf_of(client.get("/account").text),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text

    # then the other browser's session, every token and the fixture's token are dead ...
    other_browser.cookies.clear()
    other_browser.cookies.set(COOKIE, stolen)
    assert other_browser.get("/api/v1/offices").status_code == 401
    assert client.get("/api/v1/offices", headers=script).status_code == 401
    assert client.get("/api/v1/offices", headers=lotse.headers).status_code == 401
    # ... while this browser got a fresh session, and the new password works
    assert client.get("/account", follow_redirects=False).status_code == 200
    assert token_login(client, "lotse", "Elbflorenz Straßenbahn 1872") == 200
    assert token_login(client, "lotse", PASSWORD) == 401


def test_the_command_line_password_change_ends_sessions(
    client: TestClient, db: Session, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    olaf = make_user(db, "olaf")
    log_in(client, "olaf")
    monkeypatch.setattr(settings, "database_url", database_url)
    monkeypatch.setenv("PROZESSATLAS_NEW_USER_PASSWORD", "Hafenrundfahrt bei Nebel")
    cli.main(["set-password", "olaf"])
    assert client.get("/", follow_redirects=False).status_code == 303
    assert client.get("/api/v1/offices", headers=olaf.headers).status_code == 401


def test_deactivation_ends_sessions_and_tokens(client: TestClient, db: Session) -> None:
    admin = make_user(db, "chefin", admin=True)
    anna = make_user(db, "anna")
    anna_browser = TestClient(client.app)
    log_in(anna_browser, "anna")
    response = client.patch(
        f"/api/v1/users/{anna.user.id}", json={"is_active": False}, headers=admin.headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["is_active"] is False
    assert anna_browser.get("/", follow_redirects=False).status_code == 303
    assert client.get("/api/v1/offices", headers=anna.headers).status_code == 401
    assert token_login(client, "anna", PASSWORD) == 401


def test_last_seen_is_written_by_writes_at_most_every_few_minutes(
    client: TestClient, db: Session, clock: Clock
) -> None:
    make_user(db, "lotse")
    log_in(client, "lotse")
    first = db.scalar(select(UserSession.last_seen_at))
    csrf = {"X-CSRF-Token": csrf_of(client.get("/account").text)}

    def write() -> None:
        assert (
            client.post("/api/v1/auth/tokens", json={"name": "t"}, headers=csrf).status_code == 201
        )

    def last_seen() -> datetime | None:
        db.expire_all()
        return db.scalar(select(UserSession.last_seen_at))

    write()
    assert last_seen() == first  # within the interval: no extra write
    clock.advance(minutes=6)
    client.get("/")
    assert last_seen() == first  # reads never write
    write()
    assert last_seen() == clock.now


def test_sessions_ended_long_ago_are_deleted_at_the_next_login(
    client: TestClient, db: Session, clock: Clock
) -> None:
    make_user(db, "lotse")
    log_in(client, "lotse")
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/").text)})
    log_in(client, "lotse")
    assert len(db.scalars(select(UserSession)).all()) == 2
    clock.advance(days=31)
    log_in(client, "lotse")
    db.expire_all()
    assert len(db.scalars(select(UserSession)).all()) == 1


def test_an_expired_session_ends(client: TestClient, db: Session, clock: Clock) -> None:
    make_user(db, "lotse")
    log_in(client, "lotse")
    clock.advance(hours=settings.session_hours, seconds=1)
    assert client.get("/", follow_redirects=False).status_code == 303


# --- throttling and lockout -------------------------------------------------------------------


def test_200_wrong_passwords_are_not_all_answered_with_401(client: TestClient, db: Session) -> None:
    make_user(db, "admin", admin=True)
    answers = [token_login(client, "admin", f"wrong {n}") for n in range(200)]
    assert answers[: sessions.ACCOUNT_FREE_FAILURES + 1] == [401] * (
        sessions.ACCOUNT_FREE_FAILURES + 1
    )
    assert answers.count(429) >= 190
    throttled = client.post("/api/v1/auth/token", data={"username": "admin", "password": "x"})
    assert throttled.status_code == 429
    assert 1 <= int(throttled.headers["Retry-After"]) <= 60
    assert throttled.headers["content-type"].startswith("application/problem+json")
    # even the right password waits: it is not even checked
    assert token_login(client, "admin", PASSWORD) == 429


def test_delays_grow_and_then_the_account_is_locked(
    client: TestClient, db: Session, clock: Clock
) -> None:
    make_user(db, "klara")
    waits: list[int] = []
    failures = 0
    while failures < settings.login_lockout_failures:
        response = client.post(
            "/api/v1/auth/token", data={"username": "klara", "password": "falsch falsch"}
        )
        if response.status_code == 401:
            failures += 1
        else:  # too early: wait as told, the attempt was not even checked
            assert response.status_code == 429
            waits.append(int(response.headers["Retry-After"]))
            clock.advance(seconds=waits[-1])
    assert waits == [1, 2, 4, 8, 16, 32]
    # the last failure locked the account: the right password is refused for the lock's length
    locked = client.post("/api/v1/auth/token", data={"username": "klara", "password": PASSWORD})
    assert locked.status_code == 429
    assert locked.json()["code"] == "account_locked"
    assert int(locked.headers["Retry-After"]) > 60 * (settings.login_lockout_minutes - 1)
    assert (
        "gesperrt"
        in client.post(
            "/api/v1/auth/token",
            data={"username": "klara", "password": PASSWORD},
            headers={"Accept-Language": "de"},
        ).json()["detail"]
    )

    # once the lock has expired, the right password works and clears the count
    clock.advance(minutes=settings.login_lockout_minutes, seconds=1)
    assert token_login(client, "klara", PASSWORD) == 200
    assert db.scalar(select(LoginThrottle).where(LoginThrottle.key == "user:klara")) is None


def test_an_admin_lifts_a_lock_on_the_command_line(
    client: TestClient,
    db: Session,
    clock: Clock,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make_user(db, "klara")
    for _ in range(settings.login_lockout_failures):
        token_login(client, "klara", "falsch falsch")
        clock.advance(seconds=61)
    assert token_login(client, "klara", PASSWORD) == 429
    monkeypatch.setattr(settings, "database_url", database_url)
    cli.main(["unlock", "klara"])
    assert "lifted" in capsys.readouterr().out
    assert token_login(client, "klara", PASSWORD) == 200


def test_the_address_is_throttled_across_accounts(
    client: TestClient, db: Session, clock: Clock
) -> None:
    # password spraying: one wrong try for each of many accounts from one address
    answers = [token_login(client, f"user{n}", "Sommer2024") for n in range(40)]
    assert answers[: sessions.ADDRESS_FREE_FAILURES] == [401] * sessions.ADDRESS_FREE_FAILURES
    assert 429 in answers


def test_the_login_form_is_throttled_too(client: TestClient, db: Session) -> None:
    make_user(db, "lotse")
    statuses = []
    for _ in range(sessions.ACCOUNT_FREE_FAILURES + 2):
        form = client.get("/login")
        response = client.post(
            "/login",
            data={"username": "lotse", "password": "nope", "csrf_token": csrf_of(form.text)},
        )
        statuses.append(response.status_code)
    assert statuses[-1] == 429
    assert "Retry-After" in response.headers
    assert "Sekunden" in response.text


def test_logins_are_audited_failed_ones_too(client: TestClient, db: Session) -> None:
    klara = make_user(db, "klara")
    assert token_login(client, "klara", "falsch falsch") == 401
    assert token_login(client, "niemand", "falsch falsch") == 401
    assert token_login(client, "klara", PASSWORD) == 200
    events = db.scalars(select(AuditEvent).where(AuditEvent.action.like("auth.%"))).all()
    summary = [(e.action, e.entity_id, (e.after or {}).get("reason")) for e in events]
    assert summary == [
        ("auth.login_failed", str(klara.user.id), "wrong_password"),
        ("auth.login_failed", "niemand", "wrong_password"),
        ("auth.login", str(klara.user.id), None),
    ]
    assert all((e.after or {}).get("via") == "token" for e in events)


# --- tokens -----------------------------------------------------------------------------------


def test_tokens_expire_by_default_and_not_beyond_the_maximum(
    client: TestClient, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    anna = make_user(db, "anna")
    created = client.post("/api/v1/auth/tokens", json={"name": "nightly"}, headers=anna.headers)
    assert created.status_code == 201
    body = created.json()
    expires = datetime.fromisoformat(body["expires_at"])
    assert abs(expires - (utcnow() + timedelta(days=90))) < timedelta(minutes=1)
    assert body["expires_in"] == 90 * 24 * 3600
    monkeypatch.setattr(settings, "token_max_days", 30)
    too_long = client.post(
        "/api/v1/auth/tokens", json={"name": "x", "days": 31}, headers=anna.headers
    )
    assert too_long.status_code == 422
    assert "30" in too_long.json()["detail"]
    login = client.post("/api/v1/auth/token", data={"username": "anna", "password": PASSWORD})
    assert login.json()["expires_in"] == 12 * 3600
    assert login.json()["expires_at"]


def test_tokens_are_listed_and_revoked(client: TestClient, db: Session) -> None:
    anna = make_user(db, "anna")
    bert = make_user(db, "bert")
    admin = make_user(db, "chefin", admin=True)
    script = client.post("/api/v1/auth/tokens", json={"name": "script"}, headers=anna.headers)
    token_id = script.json()["id"]
    script_headers = {"Authorization": f"Bearer {script.json()['access_token']}"}

    mine = client.get("/api/v1/auth/tokens", headers=anna.headers)
    assert mine.status_code == 200
    assert {t["name"] for t in mine.json()} == {"test", "script"}
    assert all("access_token" not in t and "secret_hash" not in t for t in mine.json())
    assert all("expires_at" in t for t in mine.json())
    # others see neither the list nor the token; admins see both
    assert client.get("/api/v1/auth/tokens?user=anna", headers=bert.headers).status_code == 403
    assert client.delete(f"/api/v1/auth/tokens/{token_id}", headers=bert.headers).status_code == 404
    listed = client.get("/api/v1/auth/tokens?user=anna", headers=admin.headers).json()
    assert token_id in {t["id"] for t in listed}
    assert client.get("/api/v1/auth/tokens?user=nobody", headers=admin.headers).status_code == 404

    # revoking stops it at once; revoking again is fine
    assert client.delete(f"/api/v1/auth/tokens/{token_id}", headers=anna.headers).status_code == 204
    assert client.get("/api/v1/offices", headers=script_headers).status_code == 401
    assert client.delete(f"/api/v1/auth/tokens/{token_id}", headers=anna.headers).status_code == 204
    assert token_id not in {
        t["id"] for t in client.get("/api/v1/auth/tokens", headers=anna.headers).json()
    }
    assert client.delete("/api/v1/auth/tokens/99999999999", headers=anna.headers).status_code in (
        404,
        422,
    )


def test_tokens_on_the_command_line(
    client: TestClient,
    db: Session,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    anna = make_user(db, "anna")
    monkeypatch.setattr(settings, "database_url", database_url)
    cli.main(["create-token", "anna", "--name", "backup"])
    token = capsys.readouterr().out.strip()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/offices", headers=headers).status_code == 200
    cli.main(["list-tokens", "anna"])
    listing = capsys.readouterr().out
    assert "backup" in listing
    assert "test" in listing
    token_id = db.scalar(select(ApiToken.id).where(ApiToken.name == "backup"))
    cli.main(["revoke-token", str(token_id)])
    assert "revoked" in capsys.readouterr().out
    assert client.get("/api/v1/offices", headers=headers).status_code == 401
    assert client.get("/api/v1/offices", headers=anna.headers).status_code == 200
    with pytest.raises(SystemExit):
        cli.main(["create-token", "anna", "--days", str(settings.token_max_days + 1)])


# --- passwords --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    [
        "12345678",
        "password",
        "kurz genug",
        "password1234",
        "123456789012",
        "qwertzuiopas",
        "passwortpasswort",
        "neuer-nutzer-1",
        "Prozessatlas2026",
        "Sommer2024!!",
        "Stadtverwaltung1",
    ],
)
def test_weak_passwords_are_refused(client: TestClient, db: Session, password: str) -> None:
    admin = make_user(db, "chefin", admin=True)
    response = client.post(
        "/api/v1/users",
        json={"username": "neuer-nutzer", "password": password},
        headers={**admin.headers, "Accept-Language": "de"},
    )
    assert response.status_code == 422, password
    assert "Passwort" in response.json()["detail"]
    assert db.scalar(select(User).where(User.username == "neuer-nutzer")) is None


def test_a_long_passphrase_without_special_characters_is_fine(
    client: TestClient, db: Session
) -> None:
    admin = make_user(db, "chefin", admin=True)
    response = client.post(
        "/api/v1/users",
        json={"username": "neu", "password": "gruene wiese am fluss"},
        headers=admin.headers,
    )
    assert response.status_code == 201, response.text


def test_the_english_message_says_what_to_do(client: TestClient, db: Session) -> None:
    admin = make_user(db, "chefin", admin=True)
    response = client.post(
        "/api/v1/users",
        json={"username": "neu", "password": "short"},
        headers={**admin.headers, "Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert "at least 12 characters" in response.json()["detail"]


# --- several instances ------------------------------------------------------------------------


def test_two_instances_on_one_database_agree_on_sessions_and_throttles(
    database_url: str, db: Session
) -> None:
    from app.main import create_app

    make_user(db, "lotse")
    first, second = create_app(database_url), create_app(database_url)
    try:
        with TestClient(first) as a, TestClient(second) as b:
            # a session opened on one instance is ended through the other
            log_in(a, "lotse")
            cookie = a.cookies[COOKIE]
            b.cookies.set(COOKIE, cookie)
            assert b.get("/", follow_redirects=False).status_code == 200
            b.post("/logout", data={"csrf_token": csrf_of(b.get("/").text)})
            a.cookies.clear()
            a.cookies.set(COOKIE, cookie)
            assert a.get("/", follow_redirects=False).status_code == 303

            # failures on one instance count on the other
            for client in (a, b, a, b):
                assert token_login(client, "lotse", "falsch falsch") == 401
            assert token_login(a, "lotse", PASSWORD) == 429
            assert token_login(b, "lotse", PASSWORD) == 429
    finally:
        first.state.db.dispose()
        second.state.db.dispose()
