"""Credentials without the web: argon2 password hashes, the password policy and API tokens.

The request side (browser session, CSRF, the `CurrentUser` dependency) is in `app.auth`; who may
do what is decided in `app.services.access`.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session
from zxcvbn import zxcvbn

from app.db import utcnow
from app.errors import Unprocessable
from app.models import ApiToken, User

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """A hash to verify against when the user does not exist, so timing does not reveal
    usernames (made on first use: hashing costs tens of milliseconds at every start)."""
    return _hasher.hash("prozessatlas-dummy-password")


TOKEN_PREFIX = "pa"

# --- passwords (NIST SP 800-63B: length and a blocklist, no composition rules) ----------------

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
# zxcvbn's score 4: more than 10^10 guesses are needed. Below that a password is in (or close
# to) its lists of common and breached passwords, words, names, keyboard patterns, sequences,
# repetitions and dates, or built from the words below. Score 3 (10^8) still lets through the
# German classic "Sommer2024!!" (10^8.0) and "Stadtverwaltung1"; three words pass easily
# ("gruene wiese am fluss": 10^20).
MIN_SCORE = 4
# zxcvbn judges the first 16 characters: its l33t matching grows exponentially with the distinct
# substitutable characters a string holds (16 of them: up to 0.4 s on a loaded 2-core machine;
# 24: 3 s; 72 random punctuation characters: 4-6 s; usual passwords: 1 ms). What makes a long
# password weak shows in its first 16 (words, repeats, sequences); every passphrase we tried of
# three or more words passes.
_ZXCVBN_MAX = 16
# Words of this application and of German administrations that its English lists lack.
CONTEXT_WORDS = (
    "prozessatlas",
    "prozess",
    "passwort",
    "kennwort",
    "geheim",
    "hallo",
    "willkommen",
    "sommer",
    "winter",
    "herbst",
    "frühling",
    "stadt",
    "verwaltung",
    "rathaus",
    "amt",
    "bürgeramt",
)


def password_problem(password: str, *, user_inputs: Iterable[str] = ()) -> tuple[str, str] | None:
    """Why `password` may not be chosen (German, English), or None when it is fine."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return (
            f"Das Passwort muss mindestens {MIN_PASSWORD_LENGTH} Zeichen lang sein. "
            "Eine Passphrase aus mehreren Wörtern ist leicht zu merken.",
            f"The password must be at least {MIN_PASSWORD_LENGTH} characters long. "
            "A passphrase of several words is easy to remember.",
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        return (
            f"Das Passwort darf höchstens {MAX_PASSWORD_LENGTH} Zeichen lang sein.",
            f"The password may be at most {MAX_PASSWORD_LENGTH} characters long.",
        )
    words = [*CONTEXT_WORDS, *(w for w in user_inputs if w)]
    if zxcvbn(password[:_ZXCVBN_MAX], user_inputs=words)["score"] < MIN_SCORE:
        return (
            "Dieses Passwort ist zu leicht zu erraten: es steht in Listen häufiger oder "
            "gestohlener Passwörter oder besteht aus bekannten Wörtern, Namen, dem Benutzernamen "
            "oder Mustern wie „123456“ oder „qwertz“. Bitte wählen Sie eine längere Passphrase "
            "aus mehreren Wörtern.",
            "This password is too easy to guess: it is on lists of common or stolen passwords "
            "or made of well-known words, names, the user name or patterns like '123456' or "
            "'qwerty'. Please choose a longer passphrase of several words.",
        )
    return None


def check_new_password(password: str, *, user_inputs: Iterable[str] = ()) -> None:
    """Refuse a new password that breaks the policy (422 with the reason)."""
    problem = password_problem(password, user_inputs=user_inputs)
    if problem is not None:
        raise Unprocessable(*problem, code="weak_password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return (
            _hasher.verify(password_hash or _dummy_hash(), password) and password_hash is not None
        )
    except (VerificationError, InvalidHashError):
        return False


# --- API tokens (ADR 0003) --------------------------------------------------------------------


def digest(secret: str) -> str:
    """SHA-256 of a high-entropy secret (token or session id): what the database keeps."""
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(
    session: Session, user: User, *, name: str = "", lifetime: timedelta | None = None
) -> tuple[ApiToken, str]:
    """Create an API token for `user`: the row and the token, whose secret is stored only hashed."""
    lookup = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    expires_at: datetime | None = utcnow() + lifetime if lifetime else None
    row = ApiToken(
        user_id=user.id,
        name=name,
        lookup=lookup,
        secret_hash=digest(secret),
        expires_at=expires_at,
    )
    session.add(row)
    session.flush()
    return row, f"{TOKEN_PREFIX}_{lookup}_{secret}"


# Built once: every API request runs it, and building it costs as much as running it.
_TOKEN_QUERY = (
    select(ApiToken, User)
    .join(User, User.id == ApiToken.user_id)
    .where(ApiToken.lookup == bindparam("lookup"))
)


def user_for_token(session: Session, token: str) -> User | None:
    prefix, _, rest = token.partition("_")
    lookup, _, secret = rest.partition("_")
    if prefix != TOKEN_PREFIX or not lookup or not secret:
        return None
    row = session.execute(_TOKEN_QUERY, {"lookup": lookup}).first()
    if row is None:
        return None
    api_token, user = row
    if not hmac.compare_digest(api_token.secret_hash, digest(secret)):
        return None
    if api_token.revoked_at is not None or (
        api_token.expires_at and api_token.expires_at < utcnow()
    ):
        return None
    return user if user.is_active else None
