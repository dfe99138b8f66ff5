"""`access.role_on`: one recursive query over an office's ancestors, same answers as the full map."""

from __future__ import annotations

import random

from sqlalchemy import update
from sqlalchemy.orm import Session

from app.models import Office, Role
from app.services import access
from tests.factories import grant, make_office, make_user


def _chain(db: Session, depth: int) -> list[Office]:
    offices = [make_office(db, "ebene-0", kind="dezernat")]
    for level in range(1, depth):
        offices.append(make_office(db, f"ebene-{level}", parent=offices[-1]))
    return offices


class TestRoleOn:
    def test_a_role_holds_down_a_deep_hierarchy(self, db: Session) -> None:
        # given a chain of 40 offices and a reader role near the top
        offices = _chain(db, 40)
        actor = make_user(db, "tief")
        user = actor.user
        grant(db, make_user(db, "x"), offices[0], Role.OWNER)  # someone else's role
        grant(db, actor, offices[2], Role.READER)
        db.expire_all()
        # when / then: above the grant nothing, below it the role
        assert access.role_on(db, user, offices[0].id) is None
        assert access.role_on(db, user, offices[1].id) is None
        assert access.role_on(db, user, offices[2].id) is Role.READER
        assert access.role_on(db, user, offices[39].id) is Role.READER

    def test_the_strongest_role_on_the_chain_wins(self, db: Session) -> None:
        offices = _chain(db, 6)
        actor = make_user(db, "mehrfach")
        grant(db, actor, offices[1], Role.OWNER)
        grant(db, actor, offices[4], Role.MODELER)
        db.expire_all()
        assert access.role_on(db, actor.user, offices[5].id) is Role.OWNER
        assert access.role_on(db, actor.user, offices[3].id) is Role.OWNER
        assert access.role_on(db, actor.user, offices[0].id) is None

    def test_admins_see_every_existing_office_only(self, db: Session) -> None:
        offices = _chain(db, 3)
        admin = make_user(db, "chefin", admin=True).user
        assert access.role_on(db, admin, offices[2].id) is Role.ADMIN
        assert access.role_on(db, admin, 999_999) is None
        assert access.role_on(db, make_user(db, "niemand").user, 999_999) is None

    def test_a_parent_cycle_terminates(self, db: Session) -> None:
        # given a corrupt hierarchy a → b → a (the full map's walk guards against it, too)
        a = make_office(db, "a")
        b = make_office(db, "b", parent=a)
        db.execute(update(Office).where(Office.id == a.id).values(parent_id=b.id))
        db.commit()
        actor = make_user(db, "kreis")
        grant(db, actor, b, Role.MODELER)
        assert access.role_on(db, actor.user, a.id) is Role.MODELER
        assert access.role_on(db, make_user(db, "fremd").user, a.id) is None

    def test_agrees_with_effective_roles_on_a_random_tree(self, db: Session) -> None:
        rng = random.Random(7)
        offices: list[Office] = []
        for n in range(60):
            parent = rng.choice(offices) if offices and rng.random() < 0.85 else None
            offices.append(make_office(db, f"o{n}", parent=parent))
        actor = make_user(db, "zufall")
        for office in rng.sample(offices, 8):
            grant(db, actor, office, rng.choice([Role.READER, Role.MODELER, Role.OWNER]))
        db.expire_all()
        single = {o.id: access.role_on(db, actor.user, o.id) for o in offices}
        access.forget_roles(db)
        every = access.effective_roles(db, actor.user)
        assert single == {o.id: every.get(o.id) for o in offices}

    def test_forget_roles_drops_the_cached_answer(self, db: Session) -> None:
        office = make_office(db, "amt")
        actor = make_user(db, "neu")
        assert access.role_on(db, actor.user, office.id) is None
        grant(db, actor, office, Role.READER)  # grant() forgets the roles of its session
        assert access.role_on(db, actor.user, office.id) is Role.READER


class TestPermissions:
    def test_each_role_answers_what_it_may_do(self, db: Session) -> None:
        top = make_office(db, "dezernat", kind="dezernat")
        below = make_office(db, "amt", parent=top)
        other = make_office(db, "anderes")
        expected = {
            Role.READER: access.Permissions(can_read=True),
            Role.MODELER: access.Permissions(can_read=True, can_model=True),
            Role.OWNER: access.Permissions(can_read=True, can_model=True, can_own=True),
            Role.ADMIN: access.Permissions(True, True, True, True),
        }
        for role, permissions in expected.items():
            actor = make_user(db, f"nutzer-{role.value}")
            grant(db, actor, top, role)
            assert access.permissions(db, actor.user, top.id) == permissions
            assert access.permissions(db, actor.user, below.id) == permissions  # inherited
            assert access.permissions(db, actor.user, other.id) == access.NOTHING
            assert access.anywhere(db, actor.user) == permissions
            assert access.offices_where(db, actor.user, Role.MODELER) == (
                {top.id, below.id} if permissions.can_model else set()
            )

    def test_anywhere_is_the_strongest_role_and_nothing_without_one(self, db: Session) -> None:
        first, second = make_office(db, "eins"), make_office(db, "zwei")
        actor = make_user(db, "gemischt")
        grant(db, actor, first, Role.READER)
        grant(db, actor, second, Role.OWNER)
        assert access.anywhere(db, actor.user).can_own
        assert not access.permissions(db, actor.user, first.id).can_model
        assert access.anywhere(db, make_user(db, "niemand").user) == access.NOTHING
        admin = make_user(db, "admin-global", admin=True)
        assert access.anywhere(db, admin.user).can_admin
