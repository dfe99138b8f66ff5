"""The office tree of the catalogue (and, next, the portfolio) as a service."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.models import Role
from app.services import offices as office_service
from tests.factories import grant, make_office, make_user


def _names(nodes: list[office_service.OfficeNode]) -> list[object]:
    return [(node.office.name, _names(node.children)) for node in nodes]


def test_the_tree_shows_what_the_actor_sees_sorted_by_name(db: Session) -> None:
    dezernat = make_office(db, "zentral", kind="dezernat")
    amt_b = make_office(db, "buergeramt", parent=dezernat)
    amt_a = make_office(db, "amt-a", parent=dezernat)
    abteilung = make_office(db, "abteilung", parent=amt_b, kind="abteilung")
    make_office(db, "fremd")
    admin = make_user(db, "chefin", admin=True)
    whole = office_service.tree(db, actor=admin.user)
    assert _names(whole.roots) == [
        ("Fremd", []),
        ("Zentral", [("Amt-A", []), ("Buergeramt", [("Abteilung", [])])]),
    ]
    assert whole.subtree_ids(dezernat.id) == {dezernat.id, amt_a.id, amt_b.id, abteilung.id}

    # a user with a role below the top sees that office as a root, with what lies below it
    clerk = make_user(db, "sachbearbeiterin")
    grant(db, clerk, amt_b, Role.READER)
    mine = office_service.tree(db, actor=clerk.user)
    assert _names(mine.roots) == [("Buergeramt", [("Abteilung", [])])]
    assert set(mine.offices) == {amt_b.id, abteilung.id}
    assert office_service.tree(db, actor=make_user(db, "niemand").user).roots == []
