"""Alembic environment: the URL comes from the app's settings unless a connection is handed in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from app import models  # registers the tables
from app.config import settings
from app.db import Base, make_engine

config = context.config
target_metadata = Base.metadata


def _described(name: str | None, type_: str, _parents: object) -> bool:
    # Per-dialect objects of the migrations (the search index) are no business of autogenerate.
    return models.described_by_models(name, type_, reflected=True)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=_described,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.attributes.get("url") or settings.database_url
    engine = make_engine(url)
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


if context.is_offline_mode():
    context.configure(
        url=settings.database_url, target_metadata=target_metadata, literal_binds=True
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
