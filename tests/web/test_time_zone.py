"""Times in the city's time zone (`PROZESSATLAS_TIME_ZONE`): server-rendered pages and the modeler."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.config import Settings, settings
from app.web import i18n
from app.web.pages import templates
from tests.factories import bpmn, make_office, make_process, make_user
from tests.web.test_pages import log_in

WINTER = datetime(2026, 12, 7, 22, 7, tzinfo=UTC)
SUMMER = datetime(2026, 7, 7, 22, 7, tzinfo=UTC)


def test_times_are_shown_in_the_configured_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    assert i18n.format_datetime(WINTER, "de") == "07.12.2026 23:07"
    assert i18n.format_datetime(WINTER, "de", zone=True) == "07.12.2026 23:07 MEZ"
    assert i18n.format_datetime(SUMMER, "de", zone=True) == "08.07.2026 00:07 MESZ"
    assert i18n.format_datetime(WINTER, "en", zone=True) == "2026-12-07 23:07 CET"
    monkeypatch.setattr(settings, "time_zone", "America/New_York")
    assert i18n.format_datetime(WINTER, "de") == "07.12.2026 17:07"


def test_jinja_filter_uses_the_pages_language() -> None:
    template = templates.from_string("{{ when|local_time }} / {{ when|local_time(zone=True) }}")
    assert template.render(when=WINTER, lang="en") == "2026-12-07 23:07 / 2026-12-07 23:07 CET"
    assert template.render(when=None, lang="de").startswith("–")


def test_unknown_time_zone_is_refused_at_start() -> None:
    with pytest.raises(ValidationError, match="Europe/Berlin"):
        Settings(time_zone="Mars/Olympus_Mons")


def test_modeler_page_gets_the_zone(
    client: TestClient, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = make_user(db, "zeitzone", admin=True)
    process = make_process(db, make_office(db, "zeitamt"), admin, "zeit", xml=bpmn())
    monkeypatch.setattr(settings, "time_zone", "Europe/Vienna")
    log_in(client, "zeitzone")
    page = client.get(f"/processes/{process.id}/edit")
    data = re.search(r'id="pa-page-data">(.*?)</script>', page.text, re.S)
    assert data is not None
    assert json.loads(data.group(1))["timeZone"] == "Europe/Vienna"


def test_version_times_name_their_zone(client: TestClient, db: Session) -> None:
    admin = make_user(db, "zeitzone2", admin=True)
    process = make_process(db, make_office(db, "zeitamt2"), admin, "zeit2", xml=bpmn())
    log_in(client, "zeitzone2")
    created = i18n.format_datetime(process.updated_at, "de")
    for path in (f"/processes/{process.id}", f"/processes/{process.id}/versions/1"):
        page = client.get(path)
        assert page.status_code == 200
        assert re.search(r"\d\d\.\d\d\.\d{4} \d\d:\d\d (MEZ|MESZ)", page.text), path
    assert created in client.get(f"/processes/{process.id}").text
