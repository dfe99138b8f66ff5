"""Catalogue-wide look-ups across the processes a user can see."""

from __future__ import annotations

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from app.bpmn.namespaces import PA
from app.bpmn.parse import parse_bpmn
from app.config import settings
from app.models import Process, ProcessVersion, User
from app.services import access

_SYSTEM = f"{{{PA}}}system"


def systems(session: Session, *, actor: User) -> list[str]:
    """Distinct `pa:system` names in the newest versions the actor can see, sorted."""
    offices = list(access.effective_roles(session, actor))
    rows = session.scalars(
        select(ProcessVersion.xml)
        .join(
            Process,
            and_(
                Process.id == ProcessVersion.process_id,
                Process.latest_version == ProcessVersion.number,
            ),
        )
        .where(Process.office_id.in_(offices))
    )
    names: dict[str, str] = {}
    for xml in rows:
        tree = parse_bpmn(xml, max_bytes=max(len(xml), settings.max_upload_bytes))
        for element in tree.iter():
            value = element.get(_SYSTEM) if isinstance(element.tag, str) else None
            if value and value.strip():
                names.setdefault(value.strip().casefold(), value.strip())
    return sorted(names.values(), key=str.casefold)
