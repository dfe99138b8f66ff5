"""All settings in one place, read from `PROZESSATLAS_*` environment variables (or `.env`)."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.bpmn.parse import DEFAULT_MAX_DEPTH

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PROZESSATLAS_", env_file=".env", extra="ignore")

    database_url: str = f"sqlite:///{ROOT / 'data' / 'prozessatlas.db'}"
    xsd_dir: Path = ROOT / "bpmn_schemas"
    max_upload_bytes: int = 20 * 1024 * 1024
    max_xml_depth: int = DEFAULT_MAX_DEPTH
    admin_password: str | None = None
    secret_key: str | None = None
    seed_demo: bool = True
    sqlite_busy_timeout_ms: int = 10_000
    vocabulary_file: Path | None = None
    session_cookie_secure: bool = False
    # Browser sessions end after this many hours (ADR 0012).
    session_hours: int = 12
    # API tokens: lifetime when none is asked for, and the longest an admin allows (ADR 0012).
    token_default_days: int = 90
    token_max_days: int = 365
    # Failed logins: an account is locked after this many in a row, for this many minutes.
    login_lockout_failures: int = 10
    login_lockout_minutes: int = 15
    # One log line per request costs a fifth of the throughput of small reads (ADR 0008); the
    # reverse proxy in front of a production instance logs requests anyway.
    access_log: bool = False
    # Database connections per app process; also the number of requests admitted at once.
    db_pool_size: int = 10
    # Threads for the sync routes; few, since their work is CPU-bound Python (see app/admission.py).
    worker_threads: int = 3
    # The city's time zone (IANA name): every time in the pages and the modeler is shown in it.
    time_zone: str = "Europe/Berlin"

    @field_validator("time_zone")
    @classmethod
    def _known_time_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"unknown time zone {value!r}: use an IANA name such as Europe/Berlin"
            ) from exc
        return value


settings = Settings()
