"""The manifest of an export: offices, processes and their versions' files and metadata."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, Field

from app.models import VersionStatus

FORMAT = "prozessatlas-export"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MAX_OFFICE_DEPTH = 20


class ManifestOffice(BaseModel):
    """An office of the export, with the key of its parent."""

    key: str = Field(min_length=1, max_length=64)
    name: str
    kind: str
    parent: str | None = None


class ManifestVersion(BaseModel):
    """One version: its file in the export and the metadata it was stored with."""

    number: int = Field(ge=1)
    file: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0)
    content_type: str = Field(default="application/xml", max_length=120)
    filename: str | None = Field(default=None, max_length=255)
    author: str | None = None
    created_at: AwareDatetime
    change_note: str = ""
    status: VersionStatus = VersionStatus.DRAFT
    xsd_valid: bool


class ManifestProcess(BaseModel):
    """A process with all its versions, in the office of that key."""

    office: str
    key: str = Field(min_length=1, max_length=120)
    title: str = Field(min_length=1, max_length=300)
    description: str = ""
    owner: str | None = None
    leika_key: str | None = Field(default=None, max_length=32)
    tags: list[str] = Field(default_factory=list)
    created_at: AwareDatetime | None = None
    updated_at: AwareDatetime | None = None
    versions: list[ManifestVersion]


class Manifest(BaseModel):
    """`manifest.json` of an export."""

    format: Literal["prozessatlas-export"] = "prozessatlas-export"
    format_version: Literal[1] = 1
    exported_at: AwareDatetime
    scope: str
    offices: list[ManifestOffice]
    processes: list[ManifestProcess]


class ManifestHeader(BaseModel):
    """The manifest with its processes unchecked, so one bad process entry refuses only itself."""

    format: Literal["prozessatlas-export"]
    format_version: Literal[1]
    offices: list[ManifestOffice]
    processes: list[dict[str, Any]]
