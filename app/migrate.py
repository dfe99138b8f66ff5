"""Run the Alembic migrations programmatically (the CLI, the app start and the tests use this)."""

from __future__ import annotations

import functools

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from app.config import ROOT


def alembic_config(url: str | None = None) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    if url:
        config.attributes["url"] = url
    return config


def upgrade(url: str | None = None) -> None:
    """Bring the database at `url` (default: the configured one) to the newest schema."""
    command.upgrade(alembic_config(url), "head")


@functools.cache
def head_revisions() -> frozenset[str]:
    """The revisions the migration scripts end in (read once per process)."""
    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


def at_head(connection: Connection) -> bool:
    """Whether the database behind `connection` has every migration applied."""
    current = MigrationContext.configure(connection).get_current_heads()
    return frozenset(current) == head_revisions()
