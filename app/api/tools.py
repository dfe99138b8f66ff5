"""Dry runs that store nothing: validation and analysis of a document; catalogue look-ups."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from app.api.deps import LanguageDep, SessionDep, UploadDep
from app.auth import CurrentUser
from app.bpmn.messages import readable_issue
from app.schemas import ValidationIssue, ValidationReport
from app.services import catalogue
from app.services import processes as process_service

router = APIRouter(tags=["tools"])


@router.post("/validate", response_model=ValidationReport)
def validate(_: CurrentUser, upload: UploadDep, lang: LanguageDep) -> ValidationReport:
    """Validate a BPMN document against the OMG XSD and for broken references; nothing is stored."""
    checked = process_service.inspect_upload(upload.xml)
    return ValidationReport(
        wellformed=True,
        xsd_valid=checked.xsd_valid,
        errors=[
            ValidationIssue(**readable_issue(issue.as_dict(), lang)) for issue in checked.issues
        ],
    )


@router.post("/analyse")
def analyse(_: CurrentUser, upload: UploadDep) -> dict[str, Any]:
    """Media breaks and automation candidates of a document, as for a stored version; nothing is stored."""
    return process_service.inspect_upload(upload.xml).analysis


@router.get("/systems")
def systems(session: SessionDep, actor: CurrentUser) -> list[str]:
    """IT system names used in the processes the caller can see (for `pa:system` suggestions)."""
    return catalogue.systems(session, actor=actor)
