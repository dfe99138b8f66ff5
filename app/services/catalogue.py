"""Catalogue-wide look-ups across the processes a user can see."""

from __future__ import annotations

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from app.bpmn.analysis import named_systems
from app.bpmn.graph import build_graph
from app.bpmn.parse import parse_bpmn
from app.config import settings
from app.models import Process, ProcessVersion, User
from app.services import access


def systems(session: Session, *, actor: User) -> list[str]:
    """Distinct `pa:system` names in the newest versions the actor can see, sorted.

    Read from the stored analysis; a version analysed before it listed the names is parsed.
    """
    offices = list(access.effective_roles(session, actor))
    rows = session.execute(
        select(ProcessVersion.id, ProcessVersion.analysis)
        .join(
            Process,
            and_(
                Process.id == ProcessVersion.process_id,
                Process.latest_version == ProcessVersion.number,
            ),
        )
        .where(Process.office_id.in_(offices))
    ).all()
    written: list[str] = []
    unlisted: list[int] = []
    for version_id, analysis in rows:
        if isinstance(analysis, dict) and isinstance(analysis.get("systems"), list):
            written += analysis["systems"]
        else:
            unlisted.append(version_id)
    if unlisted:
        for xml in session.scalars(
            select(ProcessVersion.xml).where(ProcessVersion.id.in_(unlisted))
        ):
            tree = parse_bpmn(xml, max_bytes=max(len(xml), settings.max_upload_bytes))
            written += named_systems(build_graph(tree))
    names: dict[str, str] = {}
    for name in written:
        names.setdefault(name.casefold(), name)
    return sorted(names.values(), key=str.casefold)
