"""The domain's error tree: errors a client can act on, with German and English messages.

Pure: no web framework here. The API layer (`app/api/problems.py`) renders them as RFC 9457
problem details.
"""

from __future__ import annotations

from typing import Any, ClassVar


class AppError(Exception):
    """An error a client can act on. Subclasses set `status`; messages come in German and English."""

    status: ClassVar[int] = 400
    title_de: ClassVar[str] = "Ungültige Anfrage"
    title_en: ClassVar[str] = "Bad request"

    def __init__(
        self,
        de: str | None = None,
        en: str | None = None,
        /,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        self.de = de or self.title_de
        self.en = en or de or self.title_en
        self.headers = headers
        self.extra = extra
        super().__init__(self.en)


class NotAuthenticated(AppError):
    status = 401
    title_de, title_en = "Anmeldung erforderlich", "Authentication required"


class Forbidden(AppError):
    status = 403
    title_de, title_en = "Keine Berechtigung", "Forbidden"


class NotFound(AppError):
    status = 404
    title_de, title_en = "Nicht gefunden", "Not found"


class Conflict(AppError):
    status = 409
    title_de, title_en = "Konflikt", "Conflict"


class PreconditionRequired(AppError):
    status = 428
    title_de, title_en = "Vorbedingung erforderlich", "Precondition required"


class PayloadTooLarge(AppError):
    status = 413
    title_de, title_en = "Datei zu groß", "Payload too large"


class UnsupportedMediaType(AppError):
    status = 415
    title_de, title_en = "Nicht unterstützter Inhaltstyp", "Unsupported media type"


class InvalidBpmn(AppError):
    status = 400
    title_de, title_en = "Ungültige BPMN-Datei", "Invalid BPMN file"


class Unprocessable(AppError):
    status = 422
    title_de, title_en = "Nicht verarbeitbar", "Unprocessable content"


class TooManyRequests(AppError):
    status = 429
    title_de, title_en = "Zu viele Versuche", "Too many requests"
