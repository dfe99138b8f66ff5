"""The search service and its index on the database under test (SQLite or PostgreSQL): index
maintenance in the writer's transaction, matching, ranking, facets and permissions.
(The acceptance suite of issue 12 is tests/search/.)"""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Office, Role, SearchDocument, SearchFacet
from app.schemas import ProcessCreate, ProcessUpdate
from app.services import processes as process_service
from app.services.search import SearchQuery, search, suggest
from app.services.search import index as search_index
from tests.factories import Actor, bpmn, grant, make_office, make_process, make_user


def _ids(db: Session, actor: Actor, q: str, **filters: object) -> list[int]:
    result = search(db, actor=actor.user, query=SearchQuery(q=q, **filters))  # type: ignore[arg-type]
    return [hit.process_id for hit in result.items]


def _titled(
    db: Session, office: Office, admin: Actor, key: str, title: str, tasks: list[str]
) -> int:
    process = make_process(db, office, admin, key, xml=bpmn(tasks))
    process_service.update_metadata(
        db, actor=admin.user, process_id=process.id, data=ProcessUpdate(title=title)
    )
    db.commit()
    return process.id


def test_a_saved_version_is_found_by_folded_inflected_and_compound_words(
    db: Session, admin: Actor, office: Office
) -> None:
    pid = _titled(
        db,
        office,
        admin,
        "abfall",
        "Abfallgebührenbescheid erstellen",
        [
            "Straßensperrung prüfen",
            "Gewerbeanmeldung in OK.EWO erfassen",
            "Fahrkartenbelegen sichten",
        ],
    )
    for q in (
        "Gebühren",
        "gebuehren",
        "Strassensperrung",
        "Gewerbeanmeldungen",
        "OK.EWO",
        "ok.ewo",
        "EWO",
        "Fahrkarte",
        "abfallgebührenbescheid",
        "Gewerbeanm",  # typing
        "anmeldun",
        '"Straßensperrung prüfen"',
    ):
        assert _ids(db, admin, q) == [pid], q
    assert _ids(db, admin, '"prüfen Straßensperrung"') == []
    assert _ids(db, admin, "Gebühren Hundesteuer") == []  # AND
    assert _ids(db, admin, "Gewerbeanm ") == []  # a finished word matches whole only


def test_the_index_follows_new_versions_renames_and_archiving(
    db: Session, admin: Actor, office: Office
) -> None:
    process = make_process(db, office, admin, "p", xml=bpmn(["Hundesteuer festsetzen"]))
    assert _ids(db, admin, "Hundesteuer") == [process.id]
    process_service.add_version(
        db,
        actor=admin.user,
        process_id=process.id,
        if_match=process_service.etag_of(process.latest_sha256),
        upload=process_service.Upload(xml=bpmn(["Zweitwohnungsteuer festsetzen"])),
    )
    db.commit()
    assert _ids(db, admin, "Hundesteuer") == []
    assert _ids(db, admin, "Zweitwohnungsteuer") == [process.id]
    process_service.update_metadata(
        db, actor=admin.user, process_id=process.id, data=ProcessUpdate(title="Ruhestörung")
    )
    db.commit()
    assert _ids(db, admin, "Ruhestörung") == [process.id]
    process_service.set_archived(db, actor=admin.user, process_id=process.id, archived=True)
    db.commit()
    assert _ids(db, admin, "Ruhestörung") == []
    process_service.set_archived(db, actor=admin.user, process_id=process.id, archived=False)
    db.commit()
    assert _ids(db, admin, "Ruhestörung") == [process.id]
    assert db.scalar(select(func.count()).select_from(SearchDocument)) == 1


def test_ranking_title_before_role_before_element_before_documentation(
    db: Session, admin: Actor, office: Office
) -> None:
    element = _titled(db, office, admin, "a", "Eins", ["Wohngeld prüfen"])
    title = _titled(db, office, admin, "b", "Wohngeld beantragen", ["Antrag prüfen"])
    described = make_process(db, office, admin, "c", xml=bpmn(["Antrag prüfen"]))
    process_service.update_metadata(
        db, actor=admin.user, process_id=described.id, data=ProcessUpdate(description="Wohngeld")
    )
    db.commit()
    assert _ids(db, admin, "Wohngeld") == [title, element, described.id]


def test_readers_never_see_drafts_of_other_offices_nor_their_counts(
    db: Session, admin: Actor, office: Office
) -> None:
    other = make_office(db, "ordnungsamt")
    sub = make_office(db, "abteilung", parent=office, kind="abteilung")
    mine = make_process(db, office, admin, "mine", xml=bpmn(["Meldebescheinigung drucken"]))
    below = make_process(db, sub, admin, "below", xml=bpmn(["Meldebescheinigung senden"]))
    make_process(db, other, admin, "theirs", xml=bpmn(["Meldebescheinigung prüfen"]))
    reader = make_user(db, "leser")
    grant(db, reader, office, Role.READER)
    result = search(db, actor=reader.user, query=SearchQuery(q="Meldebescheinigung"))
    assert {hit.process_id for hit in result.items} == {mine.id, below.id}
    assert result.total == 2
    assert {f.value: f.count for f in result.facets.office} == {str(office.id): 1, str(sub.id): 1}
    assert sum(f.count for f in result.facets.element_type if f.value == "userTask") == 2
    assert _ids(db, admin, "Meldebescheinigung", office_id=office.id) != []
    assert set(_ids(db, admin, "Meldebescheinigung", office_id=office.id)) == {mine.id, below.id}
    stranger = make_user(db, "fremd")
    assert search(db, actor=stranger.user, query=SearchQuery(q="Meldebescheinigung")).total == 0
    assert suggest(db, actor=stranger.user, prefix="Mein").items == []


def test_matches_name_the_element_and_mark_the_words(
    db: Session, admin: Actor, office: Office
) -> None:
    make_process(db, office, admin, "p", xml=bpmn(["Gebührenbescheid versenden"]))
    (hit,) = search(db, actor=admin.user, query=SearchQuery(q="Gebühren")).items
    (match,) = [m for m in hit.matches if m.field == "element"]
    assert match.element_id == "Task_0"
    assert match.element_type == "userTask"
    assert match.highlight == "«Gebührenbescheid» versenden"


def test_facet_filters_and_suggestions(db: Session, admin: Actor, office: Office) -> None:
    pid = _titled(db, office, admin, "gast", "Gaststättenerlaubnis", ["Antrag prüfen"])
    assert _ids(db, admin, "Antrag", element_type=("userTask",)) == [pid]
    assert _ids(db, admin, "Antrag", element_type=("serviceTask",)) == []
    assert _ids(db, admin, "Antrag", status=("draft",)) == [pid]
    assert _ids(db, admin, "Antrag", status=("approved",)) == []
    items = suggest(db, actor=admin.user, prefix="gastst").items
    assert [(s.kind, s.text, s.process_id) for s in items] == [
        ("title", "Gaststättenerlaubnis", pid)
    ]


def test_hostile_query_text_is_only_ever_words(db: Session, admin: Actor, office: Office) -> None:
    make_process(db, office, admin, "p", xml=bpmn(["Antrag prüfen"]))
    for q in (
        '"',
        "AND OR NOT",
        "a*",
        "x:y",
        "'; DROP TABLE x;--",
        "(((",
        "NEAR(a b)",
        "%_",
        "ä" * 300,
    ):
        search(db, actor=admin.user, query=SearchQuery(q=q))
        suggest(db, actor=admin.user, prefix=q)
    assert _ids(db, admin, "NOT Antrag") == []  # "not" is a word like any other


def test_reindex_rebuilds_the_same_documents(db: Session, admin: Actor, office: Office) -> None:
    make_process(db, office, admin, "p", xml=bpmn(["Antrag prüfen"]))
    before = db.execute(select(SearchDocument.t_title, SearchDocument.t_element)).all()
    facets = db.scalar(select(func.count()).select_from(SearchFacet))
    assert search_index.reindex_all(db) == 1
    db.commit()
    assert db.execute(select(SearchDocument.t_title, SearchDocument.t_element)).all() == before
    assert db.scalar(select(func.count()).select_from(SearchFacet)) == facets
    assert _ids(db, admin, "Antrag") != []


def test_a_bulk_insert_is_indexed(db: Session, admin: Actor, office: Office) -> None:
    checked = process_service.inspect_upload(bpmn(["Bußgeld verhängen"]))
    new = [
        process_service.NewProcess(
            key=f"k{i}",
            title=f"Verfahren {i}",
            upload=process_service.Upload(bpmn()),
            checked=checked,
        )
        for i in range(3)
    ]
    process_service.insert_with_first_versions(
        db,
        office_id=office.id,
        new=new,
        provenance=process_service.Provenance(
            author_id=admin.user.id, created_at=process_service.utcnow()
        ),
    )
    db.commit()
    assert len(_ids(db, admin, "Bußgeld")) == 3
    assert ProcessCreate  # the schema module is importable beside the service


def test_an_empty_index_is_filled_on_start(db: Session, admin: Actor, office: Office) -> None:
    make_process(db, office, admin, "p", xml=bpmn(["Antrag prüfen"]))
    search_index.remove(db, list(db.scalars(select(SearchDocument.process_id))))
    db.commit()
    assert search_index.fill_if_empty(db) == 1
    assert search_index.fill_if_empty(db) == 0
    db.commit()
    assert _ids(db, admin, "Antrag") != []


def test_the_api_answers_the_contract_and_bounds_the_page(
    client: TestClient, db: Session, admin: Actor, office: Office
) -> None:
    process = make_process(db, office, admin, "p", xml=bpmn(["Gebührenbescheid versenden"]))
    response = client.get("/api/v1/search", params={"q": "gebühr"}, headers=admin.headers)
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1
    (item,) = body["items"]
    assert item["process_id"] == process.id
    assert item["office"] == {"id": office.id, "name": office.name}
    assert set(body["facets"]) == {"office", "status", "element_type", "system", "medium"}
    for params in ({"limit": 101}, {"offset": 1001}, {"limit": 0}, {"office_id": 2**40}):
        bad = client.get("/api/v1/search", params={"q": "a", **params}, headers=admin.headers)
        assert bad.status_code == 422, params
    suggestion = client.get("/api/v1/search/suggest", params={"q": "P"}, headers=admin.headers)
    assert suggestion.status_code == 200
    assert client.get("/api/v1/search", params={"q": "a"}).status_code == 401


def test_a_medium_match_names_the_element(db: Session, admin: Actor, office: Office) -> None:
    make_process(db, office, admin, "p", xml=bpmn(["Bescheid per Post versenden"]))
    (hit,) = search(db, actor=admin.user, query=SearchQuery(q="Papier")).items
    assert [(m.field, m.element_id, m.highlight) for m in hit.matches] == [
        ("medium", "Task_0", "«Papier»")
    ]
