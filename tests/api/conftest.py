from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from app.models import Office
from tests.factories import Actor, make_office, make_user


@pytest.fixture
def admin(db: Session) -> Actor:
    return make_user(db, "admin", admin=True)


@pytest.fixture
def office(db: Session, admin: Actor) -> Office:
    return make_office(db, "buergeramt")
