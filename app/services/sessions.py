"""Logins: browser sessions kept on the server, throttling of failed logins, their audit (ADR 0012).

All state is in the database, so several stateless app instances on one PostgreSQL agree.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Table, bindparam, case, delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app import credentials
from app.config import settings
from app.db import utcnow
from app.errors import NotAuthenticated, NotFound, TooManyRequests
from app.models import ApiToken, LoginThrottle, User, UserSession
from app.services import access, audit

# A session's `last_seen_at` is written at most this often, and only by requests that write
# anyway: a read that wrote would break the admission rule of ADR 0008 (only admitted writers
# may wait for SQLite's write lock).
TOUCH_INTERVAL = timedelta(minutes=5)

# Ended sessions are kept this long (for "Meine Zugänge" and questions), then deleted at a login.
KEEP_ENDED_SESSIONS = timedelta(days=30)

# Failed logins: this many are free, then each one makes the next attempt wait twice as long
# (1 s, 2 s, 4 s ... up to MAX_DELAY). A client address is one city hall's NAT as often as one
# attacker, so it gets more free failures and delays only; an account is also locked.
ACCOUNT_FREE_FAILURES = 3
ADDRESS_FREE_FAILURES = 20
MAX_DELAY = timedelta(seconds=60)
# Failures older than this are forgotten; rows older than a day are deleted.
FAILURE_WINDOW = timedelta(hours=1)
KEEP_ROWS = timedelta(days=1)


# --- browser sessions -------------------------------------------------------------------------


def start(session: Session, *, user: User, client: str = "", user_agent: str = "") -> str:
    """Open a session for `user`; returns its secret for the cookie (the database keeps a hash)."""
    secret = secrets.token_urlsafe(32)
    now = utcnow()
    session.execute(
        delete(UserSession)
        .where(UserSession.user_id == user.id)
        .where(
            or_(
                UserSession.expires_at < now - KEEP_ENDED_SESSIONS,
                UserSession.revoked_at < now - KEEP_ENDED_SESSIONS,
            )
        )
    )
    session.add(
        UserSession(
            user_id=user.id,
            secret_hash=credentials.digest(secret),
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(hours=settings.session_hours),
            client=client[:64],
            user_agent=user_agent[:200],
        )
    )
    session.flush()
    return secret


_SESSION_QUERY = (
    select(UserSession, User)
    .join(User, User.id == UserSession.user_id)
    .where(UserSession.secret_hash == bindparam("secret_hash"))
)


def lookup(
    session: Session, secret: str, *, touch: bool = False
) -> tuple[UserSession, User] | None:
    """The live session with this secret and its active user, or None (ended, expired, unknown).

    `touch`: the request writes anyway, so `last_seen_at` may be brought up to date.
    """
    row = session.execute(_SESSION_QUERY, {"secret_hash": credentials.digest(secret)}).first()
    if row is None:
        return None
    record, user = row
    now = utcnow()
    if record.revoked_at is not None or record.expires_at <= now or not user.is_active:
        return None
    if touch and now - record.last_seen_at > TOUCH_INTERVAL:
        record.last_seen_at = now  # written with the request's commit
    return record, user


def end(session: Session, secret: str) -> None:
    """End the session with this secret (logout)."""
    session.execute(
        update(UserSession)
        .where(UserSession.secret_hash == credentials.digest(secret))
        .where(UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def end_all(session: Session, *, user: User) -> int:
    """End every session and revoke every API token of `user`; returns how many were live."""
    now = utcnow()
    ended = _rowcount(
        session.execute(
            update(UserSession)
            .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
            .where(UserSession.expires_at > now)
            .values(revoked_at=now)
        )
    )
    revoked = _rowcount(
        session.execute(
            update(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )
    )
    return ended + revoked


def _rowcount(result: object) -> int:
    """Rows a DML statement touched (its result is a CursorResult)."""
    return int(cast(CursorResult[Any], result).rowcount or 0)


def live(session: Session, *, user: User) -> list[UserSession]:
    """The user's sessions that have not ended, newest first."""
    return list(
        session.scalars(
            select(UserSession)
            .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
            .where(UserSession.expires_at > utcnow())
            .order_by(UserSession.created_at.desc(), UserSession.id.desc())
        )
    )


def end_one(session: Session, *, actor: User, session_id: int) -> None:
    """End one of the actor's sessions (admins: anybody's)."""
    record = session.get(UserSession, session_id)
    if record is None or (record.user_id != actor.id and not actor.is_admin):
        raise NotFound("Diese Sitzung gibt es nicht.", "No such session.")
    if record.revoked_at is None:
        record.revoked_at = utcnow()
        session.flush()


# --- logins and their throttling --------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """Why a login is not even checked now: wait `retry_after` seconds (`locked`: an account lock)."""

    retry_after: int
    locked: bool
    until: datetime


def _account_key(username: str) -> str:
    return f"user:{username}"[:200]


def _address_key(client: str) -> str:
    return f"addr:{client}"[:200]


def refusal(session: Session, *, username: str, client: str) -> Refusal | None:
    """Whether a login for `username` from `client` must wait (without looking at the password)."""
    now = utcnow()
    rows = session.scalars(
        select(LoginThrottle).where(
            LoginThrottle.key.in_([_account_key(username), _address_key(client)])
        )
    )
    worst: Refusal | None = None
    for row in rows:
        for until, locked in ((row.locked_until, True), (row.next_attempt_at, False)):
            if until is not None and until > now:
                wait = max(1, math.ceil((until - now).total_seconds()))
                if worst is None or (locked, wait) > (worst.locked, worst.retry_after):
                    worst = Refusal(wait, locked, until)
    return worst


def _delay(failures: int, free: int) -> timedelta | None:
    if failures <= free:
        return None
    return min(timedelta(seconds=2 ** min(failures - free - 1, 16)), MAX_DELAY)


def _count_failure(session: Session, key: str, now: datetime) -> int:
    """Add one failure to `key`'s row (atomically, also across instances); the new count."""
    table = cast(Table, LoginThrottle.__table__)
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(table)
        .values(key=key, failures=1, last_failure_at=now)
        .on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "failures": case(
                    (table.c.last_failure_at < now - FAILURE_WINDOW, 1),
                    else_=table.c.failures + 1,
                ),
                "last_failure_at": now,
            },
        )
    ).returning(table.c.failures)
    return int(session.execute(statement).scalar_one())


def _record_failure(session: Session, *, username: str, client: str) -> bool:
    """Count a failed attempt for the account and the address; True when the account got locked."""
    now = utcnow()
    session.execute(
        delete(LoginThrottle)
        .where(LoginThrottle.last_failure_at < now - KEEP_ROWS)
        .where(or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until < now))
    )
    locked = False
    for key, free in (
        (_account_key(username), ACCOUNT_FREE_FAILURES),
        (_address_key(client), ADDRESS_FREE_FAILURES),
    ):
        failures = _count_failure(session, key, now)
        delay = _delay(failures, free)
        values: dict[str, Any] = {"next_attempt_at": now + delay if delay else None}
        if key.startswith("user:") and failures >= settings.login_lockout_failures:
            values["locked_until"] = now + timedelta(minutes=settings.login_lockout_minutes)
            locked = True
        session.execute(update(LoginThrottle).where(LoginThrottle.key == key).values(values))
    return locked


def _refused(refused: Refusal) -> TooManyRequests:
    headers = {"Retry-After": str(refused.retry_after)}
    if refused.locked:
        minutes = max(1, math.ceil(refused.retry_after / 60))
        return TooManyRequests(
            f"Das Konto ist nach zu vielen falschen Passwörtern für {minutes} Minuten gesperrt. "
            "Eine Administratorin oder ein Administrator kann die Sperre aufheben.",
            f"After too many wrong passwords the account is locked for {minutes} minutes. "
            "An administrator can lift the lock.",
            headers=headers,
            code="account_locked",
            retry_after=refused.retry_after,
        )
    return TooManyRequests(
        f"Zu viele Fehlversuche. Bitte warten Sie {refused.retry_after} Sekunden und versuchen "
        "Sie es dann erneut.",
        f"Too many failed attempts. Please wait {refused.retry_after} seconds and try again.",
        headers=headers,
        code="login_throttled",
        retry_after=refused.retry_after,
    )


def _audit_failure(
    session: Session, *, user: User | None, username: str, client: str, via: str, reason: str
) -> None:
    audit.record(
        session,
        actor=None,
        action="auth.login_failed",
        entity="user",
        entity_id=user.id if user is not None else username[:64],
        after={"username": username[:80], "client": client, "via": via, "reason": reason},
    )


def login(session: Session, *, username: str, password: str, client: str, via: str) -> User:
    """The active user with these credentials; throttled per account and client address.

    A failure is committed before the error is raised (the request rolls back what is left,
    which is nothing): it counts and is audited even though the request fails. It commits the
    request's own transaction instead of opening a second connection, which a crowd of failing
    logins could otherwise wait for in a full pool.
    """
    refused = refusal(session, username=username, client=client)
    if refused is not None:
        _audit_failure(
            session,
            user=None,
            username=username,
            client=client,
            via=via,
            reason="locked" if refused.locked else "throttled",
        )
        session.commit()
        raise _refused(refused)
    user = session.scalar(select(User).where(User.username == username))
    ok = credentials.verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        reason = "inactive" if ok else "wrong_password"
        _audit_failure(session, user=user, username=username, client=client, via=via, reason=reason)
        if _record_failure(session, username=username, client=client) and user is not None:
            audit.record(session, actor=None, action="auth.lock", entity="user", entity_id=user.id)
        session.commit()
        raise NotAuthenticated(
            "Benutzername oder Passwort ist falsch.", "Wrong user name or password."
        )
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == _account_key(username)))
    audit.record(
        session,
        actor=user,
        action="auth.login",
        entity="user",
        entity_id=user.id,
        after={"client": client, "via": via},
    )
    return user


def locked_until(session: Session, *, user: User) -> datetime | None:
    """Until when the account is locked, if it is."""
    until = session.scalar(
        select(LoginThrottle.locked_until).where(LoginThrottle.key == _account_key(user.username))
    )
    return until if until is not None and until > utcnow() else None


def unlock(session: Session, *, actor: User | None, user: User) -> bool:
    """Lift the lock and the delays of an account (admins; `actor=None` is the command line)."""
    if actor is not None:
        access.require_admin(actor)
    removed = _rowcount(
        session.execute(
            delete(LoginThrottle).where(LoginThrottle.key == _account_key(user.username))
        )
    )
    audit.record(session, actor=actor, action="auth.unlock", entity="user", entity_id=user.id)
    return bool(removed)
