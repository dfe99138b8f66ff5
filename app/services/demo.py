"""The demo catalogue: offices, processes and their first versions, from `app/demo/`."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Office, Process, User
from app.schemas import OfficeCreate, ProcessCreate
from app.services import offices as office_service
from app.services import processes as process_service

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"


def is_empty(session: Session) -> bool:
    return not session.scalar(select(func.count()).select_from(Process))


def seed(session: Session, *, admin: User) -> int:
    """Load the demo catalogue (idempotent: existing offices and processes are kept). Returns new processes."""
    catalogue: dict[str, Any] = tomllib.loads((DEMO_DIR / "catalogue.toml").read_text("utf-8"))
    ids: dict[str, int] = {}
    for entry in catalogue.get("offices", []):
        office = office_service.by_key(session, entry["key"])
        if office is None:
            office = office_service.create(
                session,
                actor=admin,
                data=OfficeCreate(
                    key=entry["key"],
                    name=entry["name"],
                    kind=entry.get("kind", "amt"),
                    parent_id=ids.get(entry["parent"]) if entry.get("parent") else None,
                ),
            )
        ids[entry["key"]] = office.id
    created = 0
    for entry in catalogue.get("processes", []):
        office_id = ids[entry["office"]]
        exists = session.scalar(
            select(Process.id).where(Process.office_id == office_id, Process.key == entry["key"])
        )
        if exists is not None:
            continue
        process = process_service.create(
            session,
            actor=admin,
            office_id=office_id,
            data=ProcessCreate(
                key=entry["key"],
                title=entry["title"],
                description=entry.get("description", ""),
                leika_key=entry.get("leika"),
                tags=entry.get("tags", []),
                owner=admin.username,
            ),
        )
        xml = (DEMO_DIR / "models" / entry["file"]).read_bytes()
        process_service.add_version(
            session,
            actor=admin,
            process_id=process.id,
            if_match=None,
            upload=process_service.Upload(
                xml=xml,
                filename=entry["file"],
                change_note=entry.get("change_note", "Demo-Katalog"),
            ),
        )
        created += 1
    return created


def office_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Office)) or 0
