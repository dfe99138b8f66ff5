"""What the account hardening costs per request (ADR 0012), measured in-process, best of 5 rounds.

1. The security-headers middleware: an ASGI app that answers at once, called bare and through
   `SecurityHeaders`; the difference is the middleware's cost per response.
2. The browser-session check: the server-side session lookup (`sessions.lookup`: one indexed join
   on the secret's hash) against what a signed cookie with a user id needed before (`session.get`
   of the user by primary key), each in a fresh session as in a request.
3. Login throttling on the failure path: the throttle check every login does, and the whole
   bookkeeping of a failure (counters, audit row, commit), beside argon2's verify.
4. The password policy (zxcvbn): a usual passphrase, and the worst case we know, a password
   made of every character zxcvbn's l33t table substitutes (its matching grows exponentially
   with them).

    .venv/bin/python bench/accounts_overhead.py [--database-url URL] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import delete
from sqlalchemy.orm import Session

from app import credentials, migrate
from app.db import Database
from app.headers import SecurityHeaders
from app.models import LoginThrottle, User
from app.services import sessions


def best_pair(
    rounds: int, first: Callable[[], float], second: Callable[[], float]
) -> tuple[float, float]:
    """The best of `rounds` runs of each, taken in turns, so both meet the same load."""
    a, b = [], []
    for _ in range(rounds):
        a.append(first())
        b.append(second())
    return min(a), min(b)


async def _bare(
    scope: object, receive: object, send: Callable[[dict[str, object]], object]
) -> None:
    await send(  # type: ignore[misc]
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"text/plain")],
        }
    )
    await send({"type": "http.response.body", "body": b"ok"})  # type: ignore[misc]


def middleware_cost(rounds: int, calls: int = 100_000) -> tuple[float, float]:
    scope = {"type": "http", "path": "/api/v1/processes/1/versions/1", "headers": []}
    wrapped = SecurityHeaders(_bare)  # type: ignore[arg-type]

    async def receive() -> dict[str, object]:
        return {"type": "http.request"}

    async def send(message: dict[str, object]) -> None:
        return None

    def run(app: object) -> float:
        async def loop() -> float:
            start = time.perf_counter()
            for _ in range(calls):
                await app(scope, receive, send)  # type: ignore[operator]
            return (time.perf_counter() - start) / calls

        return asyncio.run(loop())

    return best_pair(rounds, lambda: run(_bare), lambda: run(wrapped))


def lookup_cost(database: Database, rounds: int, calls: int = 3_000) -> tuple[float, float]:
    with database.session() as session:
        user = User(
            username=BENCH_USER,
            password_hash=password_hash,
            display_name="Bench",
        )
        session.add(user)
        session.flush()
        secret = sessions.start(session, user=user, client="127.0.0.1")
        session.commit()
        user_id = user.id

    def old() -> float:
        start = time.perf_counter()
        for _ in range(calls):
            with Session(database.engine) as session:
                assert session.get(User, user_id) is not None
        return (time.perf_counter() - start) / calls

    def new() -> float:
        start = time.perf_counter()
        for _ in range(calls):
            with Session(database.engine) as session:
                assert sessions.lookup(session, secret) is not None
        return (time.perf_counter() - start) / calls

    return best_pair(rounds, old, new)


def failure_cost(database: Database, rounds: int, calls: int = 200) -> tuple[float, float]:
    """A lookup of the throttle rows alone, and the whole bookkeeping of one failed login
    (rows checked, both counters updated atomically, audit row, commit), without argon2."""

    def check_only() -> float:
        start = time.perf_counter()
        for n in range(calls):
            with database.session() as session:
                sessions.refusal(session, username=BENCH_USER, client=f"10.1.0.{n % 250}")
        return (time.perf_counter() - start) / calls

    def bookkeeping() -> float:
        start = time.perf_counter()
        for n in range(calls):
            with database.session() as session:
                client = f"10.0.{n // 250}.{n % 250}"
                sessions.refusal(session, username=BENCH_USER, client=client)
                sessions._record_failure(session, username=BENCH_USER, client=client)
                sessions._audit_failure(
                    session,
                    user=None,
                    username=BENCH_USER,
                    client=client,
                    via="bench",
                    reason="wrong_password",
                )
                session.commit()
        with database.session() as cleanup:
            cleanup.execute(delete(LoginThrottle))
            cleanup.commit()
        return (time.perf_counter() - start) / calls

    return best_pair(rounds, check_only, bookkeeping)


def policy_cost(rounds: int) -> tuple[float, float]:
    usual = "Elbflorenz Straßenbahn 1872"
    adversarial = "!$%(+0123456789<@[{|"  # every l33t character, 20 of them
    return best_pair(
        rounds,
        lambda: _timed(lambda: credentials.password_problem(usual)),
        lambda: _timed(lambda: credentials.password_problem(adversarial * 3)),
    )


def _timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


password_hash = credentials.hash_password("bench password for failures")
BENCH_USER = f"bench-{secrets.token_hex(4)}"  # a database may be used for several runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        migrate.upgrade(url)
        database = Database(url)
        try:
            bare, wrapped = middleware_cost(args.rounds)
            print(
                f"security headers middleware: bare ASGI call {bare * 1e6:.2f} µs, "
                f"through SecurityHeaders {wrapped * 1e6:.2f} µs: "
                f"+{(wrapped - bare) * 1e6:.2f} µs per response"
            )
            old, new = lookup_cost(database, args.rounds)
            print(
                f"browser session check ({database.engine.dialect.name}): user by id "
                f"{old * 1e3:.3f} ms, server-side session lookup {new * 1e3:.3f} ms "
                f"(ratio {new / old:.2f})"
            )
            check, bookkeeping = failure_cost(database, args.rounds)
            verify = min(
                _timed(lambda: credentials.verify_password(password_hash, "wrong"))
                for _ in range(args.rounds)
            )
            print(
                f"failed login: throttle check {check * 1e3:.2f} ms, whole bookkeeping with "
                f"audit and commit {bookkeeping * 1e3:.2f} ms; argon2 verify {verify * 1e3:.1f} ms"
            )
            usual, worst = policy_cost(args.rounds)
            print(
                f"password policy: a usual passphrase {usual * 1e3:.1f} ms, the worst case "
                f"(every l33t character) {worst * 1e3:.0f} ms"
            )
        finally:
            database.dispose()
    print(f"each figure is the best of {args.rounds} rounds taken in turns (the machine is shared)")


if __name__ == "__main__":
    main()
