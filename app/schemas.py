"""Request and response bodies of the REST API.

Request bodies derive from `Input`: no text in them may hold a character that cannot be stored
(NUL, lone surrogates, other control characters XML cannot carry), and no integer may exceed the
database's integer columns. Both are refused with 422 before anything is stored (ADR 0011).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from app.models import Role

T = TypeVar("T")

KEY_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"

# Ids and counts are `integer` columns (PostgreSQL: 32 bits); no larger number names anything.
INT_MAX = 2**31 - 1
# NUL and the other C0 controls but tab, newline and carriage return; lone surrogates; the two
# non-characters: what PostgreSQL or UTF-8 cannot store, or BPMN's XML cannot carry.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def storable_text(value: str) -> str:
    """`value` if every character of it can be stored; else a 422 validation error."""
    if _UNSTORABLE.search(value):
        raise PydanticCustomError(
            "text_forbidden_character",
            "contains a character that is not allowed (a control character, NUL or invalid Unicode)",
        )
    return value


def _storable(value: Any) -> Any:
    if isinstance(value, str):
        storable_text(value)
    elif isinstance(value, bool):
        pass
    elif isinstance(value, int) and not -INT_MAX <= value <= INT_MAX:
        raise PydanticCustomError(
            "int_out_of_range", "must lie between -{le} and {le}", {"le": INT_MAX}
        )
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _storable(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _storable(key)
            _storable(item)
    return value


Id = Annotated[int, Field(ge=1, le=INT_MAX)]


class Input(BaseModel):
    """A request body: every text storable, every integer within the database's columns."""

    @field_validator("*", mode="after")
    @classmethod
    def _only_storable_values(cls, value: Any) -> Any:
        return _storable(value)


class Page(BaseModel, Generic[T]):
    total: int
    items: list[T]


class OfficeCreate(Input):
    key: str = Field(pattern=KEY_PATTERN, description="Short stable slug, e.g. `buergeramt`")
    name: str = Field(min_length=1, max_length=200)
    kind: str = Field(default="amt", pattern=r"^(dezernat|amt|abteilung)$")
    parent_id: Id | None = None


class OfficeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    key: str
    name: str
    kind: str
    parent_id: int | None
    created_at: datetime


class ProcessCreate(Input):
    key: str = Field(pattern=KEY_PATTERN)
    title: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=20_000)
    owner: str | None = Field(default=None, description="username of the process owner")
    leika_key: str | None = Field(default=None, pattern=r"^[0-9]{8,20}$")
    tags: list[str] = Field(default_factory=list, max_length=50)


class ProcessUpdate(Input):
    title: str | None = Field(default=None, min_length=1, max_length=300)
    description: str | None = Field(default=None, max_length=20_000)
    owner: str | None = None
    leika_key: str | None = Field(default=None, pattern=r"^[0-9]{8,20}$")
    tags: list[str] | None = Field(default=None, max_length=50)


class ProcessRead(BaseModel):
    id: int
    office_id: int
    key: str
    title: str
    description: str
    owner: str | None
    leika_key: str | None
    tags: list[str]
    latest_version: int | None
    etag: str | None
    status: str | None
    xsd_valid: bool | None
    media_breaks: int | None
    automation_candidates: int | None
    automation_share: float | None
    created_at: datetime
    updated_at: datetime
    archived: bool = False  # hidden from the catalogue and lists; nothing of it is deleted
    archived_at: datetime | None = None


class ValidationIssue(BaseModel):
    """A validation error in plain words (`message` in the request's language) above libxml2's text."""

    kind: str
    code: str
    message: str
    message_de: str
    message_en: str
    original: str
    line: int | None = None
    column: int | None = None
    element_id: str | None = None


class VersionRead(BaseModel):
    process_id: int
    number: int
    sha256: str
    etag: str
    size: int
    content_type: str
    filename: str | None
    author: str | None
    created_at: datetime
    change_note: str
    status: str
    xsd_valid: bool
    errors: list[ValidationIssue]
    media_breaks: int
    automation_candidates: int
    automation_share: float | None


class ValidationReport(BaseModel):
    wellformed: bool
    xsd_valid: bool
    errors: list[ValidationIssue]


class UserCreate(Input):
    username: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,79}$")
    password: str = Field(
        max_length=1024,
        description="at least 12 characters, not on the lists of common or breached passwords",
    )
    display_name: str = Field(default="", max_length=200)
    is_admin: bool = False


class UserUpdate(Input):
    is_active: bool | None = None
    password: str | None = Field(default=None, max_length=1024)


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    display_name: str
    is_admin: bool
    is_active: bool
    created_at: datetime


class MemberCreate(Input):
    username: str
    role: Role


class MemberRead(BaseModel):
    id: int
    username: str
    display_name: str
    office_id: int
    role: Role


class TokenCreate(Input):
    name: str = Field(default="", max_length=120)
    days: int | None = Field(
        default=None,
        ge=1,
        le=36_500,
        description="lifetime in days (default 90; at most PROZESSATLAS_TOKEN_MAX_DAYS)",
    )


class TokenRead(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int | None = None
    expires_at: datetime | None = None
    id: int | None = None


class TokenInfo(BaseModel):
    """A token as listed: never its secret."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    created_at: datetime
    expires_at: datetime | None


class AnalysisRead(BaseModel):
    model_config = ConfigDict(extra="allow")

    media_breaks: list[dict[str, Any]]
    automation_candidates: list[dict[str, Any]]


class ProcessPage(Page[ProcessRead]):
    """A page of processes. `next_cursor` continues the list after this page (None: last page);
    `total_exact` is False when `total` is only the lower bound of a bounded count."""

    next_cursor: str | None = None
    total_exact: bool = True


# --- search (issue 12 §3) ---------------------------------------------------------------------


class SearchMatch(BaseModel):
    """Where a hit matched. `field`: title, key, leika_key, tags, description, office (process
    metadata); element (an element's name), documentation; role (a lane or pool), partner (a
    black-box pool), document (a data object or store), system (an IT system), medium.

    `highlight` is `text` with every matched word between « and » (a « or » in the text itself is
    shown as " there); the page escapes it and renders the marks."""

    field: str
    element_id: str | None = None
    element_type: str | None = None
    text: str
    highlight: str


class SearchOffice(BaseModel):
    id: int
    name: str


class SearchHit(BaseModel):
    process_id: int
    title: str
    office: SearchOffice
    version: int
    status: str
    score: float
    matches: list[SearchMatch]


class Facet(BaseModel):
    """One value of a facet and how many hits carry it (only hits the caller may see)."""

    value: str
    label: str
    count: int


class SearchFacets(BaseModel):
    office: list[Facet] = Field(default_factory=list)
    status: list[Facet] = Field(default_factory=list)
    element_type: list[Facet] = Field(default_factory=list)
    system: list[Facet] = Field(default_factory=list)
    medium: list[Facet] = Field(default_factory=list)


class SearchResult(BaseModel):
    total: int
    items: list[SearchHit]
    facets: SearchFacets


class Suggestion(BaseModel):
    """An as-you-type completion: `kind` is title (then `process_id` is set), system or role."""

    kind: str
    text: str
    process_id: int | None = None


class SuggestResult(BaseModel):
    items: list[Suggestion]
