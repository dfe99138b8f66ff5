"""Unit tests of the analysis engine (ANALYSIS.md): media, rules a-d, candidates, share."""

from __future__ import annotations

import json
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest
from lxml import etree

from app.bpmn.analysis import Analysis, analyse
from app.bpmn.graph import build_graph
from app.bpmn.parse import parse_bpmn

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
PA_NS = "urn:prozessatlas:bpmn:1.0"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


def task(
    task_id: str,
    name: str,
    kind: str = "task",
    *,
    medium: str | None = None,
    system: str | None = None,
    doc: str | None = None,
    reads: tuple[str, ...] = (),
) -> str:
    """One activity element (bpmn: prefix), optionally reading data objects."""
    attrs = f' id="{task_id}" name={quoteattr(name)}'
    if medium:
        attrs += f' pa:medium="{medium}"'
    if system:
        attrs += f" pa:system={quoteattr(system)}"
    inner = f"<bpmn:documentation>{escape(doc)}</bpmn:documentation>" if doc else ""
    for n, data in enumerate(reads):
        inner += (
            f'<bpmn:property id="{task_id}_p{n}" name="__targetRef_placeholder"/>'
            f'<bpmn:dataInputAssociation id="{task_id}_dia{n}">'
            f"<bpmn:sourceRef>{data}</bpmn:sourceRef><bpmn:targetRef>{task_id}_p{n}</bpmn:targetRef>"
            "</bpmn:dataInputAssociation>"
        )
    return f"<bpmn:{kind}{attrs}>{inner}</bpmn:{kind}>"


def data(
    data_id: str, name: str, kind: str = "dataObjectReference", medium: str | None = None
) -> str:
    """A data object / data store reference."""
    extra = f' pa:medium="{medium}"' if medium else ""
    return f"<bpmn:{kind} id={quoteattr(data_id)} name={quoteattr(name)}{extra}/>"


def flows(*chain: str) -> str:
    """Sequence flows along a chain of node ids."""
    return "".join(
        f'<bpmn:sequenceFlow id="f_{a}_{b}" sourceRef="{a}" targetRef="{b}"/>'
        for a, b in zip(chain, chain[1:], strict=False)
    )


def model(*processes: str, collaboration: str = "") -> etree._ElementTree:
    """A definitions document from process bodies (each a string of elements)."""
    body = "".join(
        f'<bpmn:process id="Process_{n}" isExecutable="false">{p}</bpmn:process>'
        for n, p in enumerate(processes)
    )
    collab = (
        f'<bpmn:collaboration id="Collab">{collaboration}</bpmn:collaboration>'
        if collaboration
        else ""
    )
    xml = (
        f'<bpmn:definitions xmlns:bpmn="{BPMN_NS}" xmlns:pa="{PA_NS}" id="Defs" '
        f'targetNamespace="http://example.org">{collab}{body}</bpmn:definitions>'
    )
    return parse_bpmn(xml.encode())


def breaks(analysis: Analysis, rule: str | None = None) -> set[frozenset[str]]:
    """The element sets of all findings (of one rule)."""
    return {frozenset(b.elements) for b in analysis.media_breaks if rule is None or b.rule == rule}


def kinds(analysis: Analysis) -> dict[str, str]:
    """Candidate kind per element id."""
    return {c.element: c.kind for c in analysis.candidates}


# --- media -----------------------------------------------------------------------------------


def test_medium_from_words_and_pa_attribute_wins() -> None:
    result = analyse(
        model(
            task("T1", "Antrag per Post versenden")
            + task("T2", "Antrag per Post versenden", medium="email")
            + task("T3", "Daten in SAP erfassen")
            + task("T4", "Vorgang bearbeiten")
        )
    )
    assert result.media["T1"].medium == "paper"
    assert result.media["T2"].medium == "email"
    assert result.media["T3"].medium == "it_system"
    assert result.media["T3"].system == "SAP"
    assert result.media["T4"].medium is None


def test_channel_phrase_outranks_other_medium_words() -> None:
    result = analyse(model(task("T1", "Bescheid per E-Mail an Feuerwehr und Post melden")))
    assert result.media["T1"].medium == "email"


def test_conditional_mentions_do_not_set_the_medium() -> None:
    result = analyse(
        model(
            task("T1", "Antragsteller bei Bedarf persönlich anhören")
            + task("T2", "Unterlagen ggf. per Post nachreichen lassen")
            + task("T3", "Check the form, by phone if needed")
        )
    )
    assert result.media["T1"].medium is None
    assert result.media["T2"].medium is None


@pytest.mark.parametrize(
    ("name", "medium"),
    [
        ("Bescheid im Postfach des Nutzerkontos bereitstellen", "it_system"),
        ("Antrag im Funktionspostfach öffnen", "email"),
        ("E-Mail-Postfach prüfen", "email"),
        ("Papierkorb leeren", None),
        ("Excel-Liste der offenen Posten pflegen", "office_file"),
        ("Antragsformular auf Papier ausfüllen", "paper"),
        ("Beratungsgespräch führen", "in_person"),
        ("Beratungsgespräch telefonisch führen", "phone"),
        ("Anträge im Fachverfahren erfassen", "it_system"),
        ("Person im Melderegister suchen", "it_system"),
    ],
)
def test_word_collisions(name: str, medium: str | None) -> None:
    result = analyse(model(task("T1", name)))
    assert result.media["T1"].medium == medium


def test_english_mail_alone_is_post_and_e_mail_is_email() -> None:
    result = analyse(
        model(
            task("T1", "Send the decision to the applicant by mail")
            + task("T2", "Send the decision to the applicant by e-mail")
        )
    )
    assert result.media["T1"].medium == "paper"
    assert result.media["T2"].medium == "email"


def test_medium_from_type() -> None:
    result = analyse(
        model(
            task("T1", "Daten abgleichen", "serviceTask")
            + task("T2", "Bescheid berechnen", "scriptTask")
            + task("T3", "Unterlagen bearbeiten", "manualTask")
        )
    )
    assert result.media["T1"].medium == "it_system"
    assert result.media["T2"].medium == "it_system"
    assert result.media["T3"].medium is None  # a manual task alone names no analog carrier


# --- rule a ----------------------------------------------------------------------------------


def test_rule_a_through_gateways_and_events_with_severity() -> None:
    body = (
        '<bpmn:startEvent id="S"/>'
        + task("A", "Antrag auf Papier entgegennehmen")
        + '<bpmn:exclusiveGateway id="G"/>'
        + '<bpmn:intermediateCatchEvent id="E"><bpmn:timerEventDefinition/></bpmn:intermediateCatchEvent>'
        + task("B", "Antragsdaten in OK.EWO erfassen")
        + '<bpmn:endEvent id="X"/>'
        + flows("S", "A", "G", "E", "B", "X")
    )
    result = analyse(model(body))
    assert breaks(result, "a") == {frozenset({"A", "B"})}
    finding = next(b for b in result.media_breaks if b.rule == "a")
    assert finding.severity == "high"
    assert finding.media == ("paper", "it_system")
    assert finding.explanation["de"]
    assert finding.explanation["en"]


def test_rule_a_unknown_medium_hides_the_pair() -> None:
    body = (
        task("A", "Antrag per Post empfangen")
        + task("M", "Antrag bearbeiten")
        + task("B", "Daten in SAP erfassen")
        + flows("A", "M", "B")
    )
    assert breaks(analyse(model(body)), "a") == set()


def test_rule_a_loop_gives_one_finding() -> None:
    body = (
        task("A", "Rückfragen telefonisch klären")
        + '<bpmn:exclusiveGateway id="G"/>'
        + task("B", "Daten in SAP erfassen")
        + flows("A", "G", "B")
        + '<bpmn:sequenceFlow id="back" sourceRef="B" targetRef="A"/>'
    )
    result = analyse(model(body))
    assert breaks(result, "a") == {frozenset({"A", "B"})}
    assert sum(1 for b in result.media_breaks if b.rule == "a") == 1


def test_rule_a_same_class_is_no_break() -> None:
    body = (
        task("A", "Antrag per E-Mail senden")
        + task("B", "Antrag in Excel eintragen")
        + flows("A", "B")
    )
    assert breaks(analyse(model(body)), "a") == set()


def test_rule_a_enters_and_leaves_expanded_sub_processes() -> None:
    inner = (
        '<bpmn:startEvent id="IS"/>'
        + task("I1", "Daten in SAP erfassen")
        + task("I2", "Vorgang in der eAkte ablegen")
        + '<bpmn:endEvent id="IE"/>'
        + flows("IS", "I1", "I2", "IE")
    )
    body = (
        task("A", "Antrag per Post empfangen")
        + f'<bpmn:subProcess id="Sub" name="Erfassung">{inner}</bpmn:subProcess>'
        + task("B", "Bescheid ausdrucken")
        + flows("A", "Sub", "B")
    )
    result = analyse(model(body))
    found = breaks(result, "a")
    assert frozenset({"A", "I1"}) in found  # into the sub-process: its first inner activity
    assert frozenset({"I2", "B"}) in found  # out of it: from its last inner activity
    assert frozenset({"I1", "I2"}) in found  # SAP and eAkte are different named systems
    assert "Sub" not in result.media


def test_rule_a_different_named_systems_and_aliases() -> None:
    body = (
        task("A", "Anmeldung in OK.GEWERBE erfassen")
        + task("B", "Forderung in SAP anlegen")
        + task("C", "Bescheid in der E-Akte ablegen")
        + task("D", "Vorgang im DMS abschließen")
        + task("E", "Daten im Fachverfahren prüfen")
        + flows("A", "B", "C", "D", "E")
    )
    result = analyse(model(body))
    assert breaks(result, "a") == {frozenset({"A", "B"}), frozenset({"B", "C"})}
    finding = next(b for b in result.media_breaks if set(b.elements) == {"A", "B"})
    assert finding.severity == "medium"


def test_rule_a_automated_neighbour_is_the_interface() -> None:
    body = (
        task("A", "Anmeldung in OK.GEWERBE erfassen")
        + task("B", "Forderung in SAP anlegen", "serviceTask")
        + task("C", "Bescheid in der eAkte ablegen")
        + flows("A", "B", "C")
    )
    assert breaks(analyse(model(body)), "a") == set()


def test_rule_a_system_from_pa_system_anywhere_in_the_model() -> None:
    body = (
        task("A", "Vormerkung anlegen", medium="it_system", system="Little Bird")
        + task("B", "Belegung in Little Bird bestätigen")
        + task("C", "Beitrag in SAP erfassen")
        + flows("A", "B", "C")
    )
    result = analyse(model(body))
    assert result.media["B"].system == "Little Bird"
    assert breaks(result, "a") == {frozenset({"B", "C"})}


def test_a_models_own_system_names_stay_with_that_model() -> None:
    # given the same step in two models, read one after the other with one vocabulary:
    # only the first names "Fristenwächter" as a system anywhere
    step = task("B", "Termin im Fristenwächter eintragen")
    without = model(task("C", "Beitrag erfassen") + step + flows("C", "B"))
    before = analyse(without).media["B"]
    with_system = model(
        task("A", "Vormerkung anlegen", medium="it_system", system="Fristenwächter")
        + step
        + flows("A", "B")
    )

    # when both are analysed, in either order
    first = analyse(with_system).media["B"]
    after = analyse(without).media["B"]

    # then the step is read as that system only where the model names it
    assert first.system == "Fristenwächter"
    assert before.system != "Fristenwächter"
    assert after == before


# --- rule b ----------------------------------------------------------------------------------


def test_rule_b_reads_only_data_inputs_and_compares_classes() -> None:
    body = (
        data("DO_Paper", "Antrag (Papier)")
        + data("DS_SAP", "SAP Finanzwesen", "dataStoreReference")
        + task("T1", "Antragsdaten in VOIS erfassen", reads=("DO_Paper", "DS_SAP"))
        + task("T2", "Antrag in Excel eintragen")
    )
    result = analyse(model(body))
    assert breaks(result, "b") == {frozenset({"DO_Paper", "T1"})}
    finding = next(b for b in result.media_breaks if b.rule == "b")
    assert finding.elements == ("DO_Paper", "T1")
    assert finding.severity == "high"


def test_rule_b_pa_medium_on_data_reference() -> None:
    body = data("DO", "Nachweise", medium="paper") + task(
        "T", "Daten in SAP erfassen", reads=("DO",)
    )
    assert breaks(analyse(model(body)), "b") == {frozenset({"DO", "T"})}


# --- rule c ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Bescheid ausdrucken und per Post versenden", True),
        ("Brief einscannen", True),
        ("Antragsdaten aus dem Papierantrag in Prosoz abtippen", True),
        ("Urlaubstage manuell in SAP übertragen", True),
        ("Bewerbungen aus Interamt in eine Excel-Übersicht übertragen", True),
        ("Daten aus der Excel-Liste in SAP übertragen", True),
        ("Daten aus der E-Mail in Excel kopieren", False),  # same class
        ("Daten aus Excel in die Excel-Gesamtliste übertragen", False),
        ("Antrag in SAP erfassen", False),  # plain entry: rule b's business
        ("Scan in der eAkte registrieren", False),  # the noun is no scanning
        ("Re-type the amount from the Excel sheet into SAP", True),
        ("Print the reply and send it by post", True),
        ("Bescheid ggf. ausdrucken", False),
    ],
)
def test_rule_c_needs_explicit_wording(name: str, expected: bool) -> None:
    result = analyse(model(task("T", name)))
    assert (frozenset({"T"}) in breaks(result, "c")) is expected


def test_rule_c_source_from_data_input_when_the_name_does_not_say() -> None:
    body = data("DO", "Konferenzliste mit handschriftlichen Vermerken (Papier)") + task(
        "T", "Ergebnis aus der Konferenzliste in Little Bird eintragen", reads=("DO",)
    )
    assert frozenset({"T"}) in breaks(analyse(model(body)), "c")


def test_rule_c_medium_is_the_produced_carrier() -> None:
    result = analyse(
        model(task("P", "Rangliste aus Little Bird ausdrucken") + task("S", "Brief einscannen"))
    )
    assert result.media["P"].medium == "paper"
    assert result.media["S"].medium == "office_file"


# --- rule d ----------------------------------------------------------------------------------


def _collaboration(target: str, extra_citizen: str = "") -> etree._ElementTree:
    citizen = task("C1", "Antrag schreiben") + extra_citizen
    office = (
        '<bpmn:startEvent id="S"><bpmn:messageEventDefinition/></bpmn:startEvent>'
        + task("O1", "Antragsdaten in OK.EWO erfassen")
        + flows("S", "O1")
    )
    collab = (
        '<bpmn:participant id="P_C" name="Bürger" processRef="Process_0"/>'
        '<bpmn:participant id="P_O" name="Bürgeramt" processRef="Process_1"/>'
        '<bpmn:participant id="P_X" name="Finanzamt"/>'
        f'<bpmn:messageFlow id="MF" name="Antrag (Brief)" sourceRef="C1" targetRef="{target}"/>'
    )
    return model(citizen, office, collaboration=collab)


def test_rule_d_message_into_start_event_reaches_following_activity() -> None:
    assert breaks(analyse(_collaboration("S")), "d") == {frozenset({"MF", "O1"})}


def test_rule_d_message_into_activity() -> None:
    result = analyse(_collaboration("O1"))
    assert breaks(result, "d") == {frozenset({"MF", "O1"})}
    finding = next(b for b in result.media_breaks if b.rule == "d")
    assert finding.elements == ("MF", "O1")


def test_rule_d_collapsed_pool_gives_nothing() -> None:
    assert breaks(analyse(_collaboration("P_X")), "d") == set()


def test_collapsed_pool_detected() -> None:
    graph = build_graph(_collaboration("S"))
    assert graph.participants["P_X"].collapsed
    assert not graph.participants["P_O"].collapsed


# --- automation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Antragsdaten in OK.EWO erfassen", "data_transfer"),
        ("Antrag auf Vollständigkeit prüfen", "rule_check"),
        ("Gebühr nach der Gebührensatzung berechnen", "rule_check"),
        ("Eingangsbestätigung per E-Mail senden", "notification"),
        ("Antragsteller per Brief über die Entscheidung informieren", "notification"),
        ("Bescheinigung aus der Word-Vorlage erstellen", "document_generation"),
        ("Bescheid in der eAkte ablegen", "filing"),
        ("Antrag an die Sachbearbeitung weiterleiten", "filing"),
        ("Haushaltsmitglieder im Melderegister abfragen", "lookup"),
        ("Antrag am Schalter entgegennehmen", "online_intake"),
        ("Post öffnen und mit Eingangsstempel versehen", "online_intake"),
        ("Antrag per E-Mail an das Ordnungsamt senden", "online_intake"),
        ("Stellungnahmen der Fachämter per E-Mail einholen", "notification"),
        ("Notify the applicant by e-mail", "notification"),
        ("Check the claim for completeness", "rule_check"),
        ("File the form in the paper folder", "filing"),
        ("Aktenablage", "filing"),
        ("Bescheidversand per Post", "notification"),
        ("Eingang Antrag per E-Mail", "online_intake"),
        ("Antrag im Bürgerbüro persönlich abgeben", "online_intake"),
        ("Akte an die Registratur abgeben", "filing"),
        ("Bescheid zur Freigabe vorlegen", "filing"),
        ("1.2 Antrag auf Vollständigkeit prüfen (SB)", "rule_check"),
        ("Bescheid versenden (Post)", "notification"),
    ],
)
def test_candidate_kinds(name: str, kind: str) -> None:
    result = analyse(model(task("T", name, "userTask")))
    assert kinds(result) == {"T": kind}


@pytest.mark.parametrize(
    ("name", "doc"),
    [
        ("Über den Antrag entscheiden", None),
        ("Erlaubnisvoraussetzungen prüfen", "Ermessensentscheidung der Teamleitung."),
        ("Ortsbesichtigung durchführen", None),
        ("Beratungsgespräch zu Leistungen führen", None),
        ("Widerspruch bearbeiten", None),
        ("Antwortschreiben unterschreiben", None),
        ("Bescheid im Vier-Augen-Prinzip freigeben", None),
        ("Fundsache persönlich abgeben", None),
        ("Decide on the claim at discretion", None),
        ("Papierkorb leeren", None),
        ("Übergabe Ausweis", None),
        ("Sachverhalt ermitteln", None),
        ("Kontrolle durch die Sachgebietsleitung", None),
    ],
)
def test_judgement_and_presence_are_not_candidates(name: str, doc: str | None) -> None:
    result = analyse(model(task("T", name, doc=doc)))
    assert kinds(result) == {}
    assert result.not_candidates == ("T",)


def test_judgement_word_as_object_of_a_send_step_still_a_candidate() -> None:
    result = analyse(model(task("T", "Einladungen zu Vorstellungsgesprächen per E-Mail versenden")))
    assert kinds(result) == {"T": "notification"}


def test_print_and_scan_take_the_kind_of_their_purpose() -> None:
    result = analyse(
        model(
            task("A", "Bescheid ausdrucken und per Post versenden")
            + task("B", "Parkausweis auf Sicherheitspapier drucken")
            + task("C", "Eingegangenen Brief einscannen")
            + task("D", "Unterschriebenes Schreiben einscannen")
            + task("E", "Entwurf ausdrucken und in die Umlaufmappe legen")
        )
    )
    assert kinds(result) == {
        "A": "notification",
        "B": "document_generation",
        "C": "online_intake",
        "D": "filing",
        "E": "filing",
    }


def test_automated_tasks_and_share() -> None:
    body = (
        task("S1", "Daten abrufen", "serviceTask")
        + task("S2", "Gebühr berechnen", "businessRuleTask")
        + task("S3", "Bescheid im Portal bereitstellen", "sendTask", medium="it_system")
        + task("S4", "Bescheid per Post senden", "sendTask")
        + task("U1", "Antrag auf Vollständigkeit prüfen", "userTask")
        + task("U2", "Über den Antrag nach Ermessen entscheiden", "userTask")
    )
    result = analyse(model(body))
    assert set(result.automated) == {"S1", "S2", "S3"}
    assert set(kinds(result)) == {"S4", "U1"}
    assert result.tasks == 6
    assert result.automation_share == pytest.approx(5 / 6, abs=1e-3)
    as_dict = result.as_dict()
    assert as_dict["counts"]["automated"] == 3  # type: ignore[index]
    assert as_dict["automation_share"] == result.automation_share


def test_candidate_score_and_reasons() -> None:
    body = data("DO", "Antrag (Papier)") + task("T", "Antragsdaten in SAP erfassen", reads=("DO",))
    candidate = analyse(model(body)).candidates[0]
    assert 0.0 <= candidate.score <= 1.0
    assert any("erfassen" in r for r in candidate.reasons)
    assert any("media breaks" in r for r in candidate.reasons)
    assert candidate.suggestion["de"]
    assert candidate.suggestion["en"]


# --- robustness and output format ------------------------------------------------------------


def test_default_namespace_other_prefixes_and_missing_names() -> None:
    xml = f"""<definitions xmlns="{BPMN_NS}" xmlns:x="{PA_NS}" id="d">
      <process id="p">
        <startEvent id="s"/>
        <task id="a" name="Antrag&#10;per Post empfangen"/>
        <task id="b"/>
        <userTask id="c" name="Daten in SAP erfassen" x:medium="it_system"/>
        <callActivity id="ca" name="Zahlung"/>
        <adHocSubProcess id="ah"><task id="ah1" name="Vorgang ablegen"/></adHocSubProcess>
        <transaction id="tx"><task id="tx1" name="Buchen in SAP"/></transaction>
        <sequenceFlow id="f1" sourceRef="s" targetRef="a"/>
        <sequenceFlow id="f2" sourceRef="a" targetRef="c"/>
        <sequenceFlow id="f3" sourceRef="c" targetRef="b"/>
        <sequenceFlow id="f4" sourceRef="b" targetRef="ca"/>
      </process>
    </definitions>"""
    result = analyse(parse_bpmn(xml.encode()))
    assert result.media["a"].medium == "paper"
    assert breaks(result, "a") == {frozenset({"a", "c"})}
    graph = build_graph(parse_bpmn(xml.encode()))
    assert graph.nodes["a"].name == "Antrag per Post empfangen"
    assert graph.nodes["ah1"].parent == "ah"
    assert_consistent(parse_bpmn(xml.encode()), result)


def assert_consistent(tree: etree._ElementTree, result: Analysis) -> None:
    """What every analysis must satisfy, whatever the model: findings name elements of the model,
    each task is counted once as candidate, automated or not, the share follows from the counts,
    and the stored form survives JSON unchanged."""
    graph = build_graph(tree)
    known = set(graph.nodes) | set(graph.data) | {m.id for m in graph.message_flows}
    for found in result.media_breaks:
        assert found.rule in {"a", "b", "c", "d"}, found
        assert found.severity in {"high", "medium"}, found
        assert set(found.elements) <= known, found
        assert found.explanation["de"], found
        assert found.explanation["en"], found
    candidates = [c.element for c in result.candidates]
    groups = [candidates, list(result.automated), list(result.not_candidates)]
    every = [element for group in groups for element in group]
    assert len(every) == len(set(every)) == result.tasks, groups
    assert set(every) <= set(graph.nodes)
    for candidate in result.candidates:
        assert 0.0 <= candidate.score <= 1.0, candidate
    expected_share = (
        (len(candidates) + len(result.automated)) / result.tasks if result.tasks else 0.0
    )
    assert result.automation_share == pytest.approx(expected_share, abs=1e-4)
    stored = result.as_dict()
    assert json.loads(json.dumps(stored)) == stored


def test_as_dict_keys() -> None:
    body = task("A", "Bescheid ausdrucken") + task("B", "Daten in SAP erfassen") + flows("A", "B")
    out = analyse(model(body)).as_dict()
    assert set(out) >= {
        "vocabulary_version",
        "media_breaks",
        "automation_candidates",
        "media",
        "automated",
        "counts",
        "automation_share",
    }
    first = out["media_breaks"][0]  # type: ignore[index]
    assert set(first) == {"rule", "elements", "media", "severity", "explanation"}
    candidate = out["automation_candidates"][0]  # type: ignore[index]
    assert {"element", "kind", "score", "reasons", "suggestion"} <= set(candidate)


def _miwg_files() -> list[str]:
    expected = SHARED / "miwg" / "expected.json"
    if not expected.exists():
        return []
    entries = json.loads(expected.read_text("utf-8"))
    return sorted(name for name, info in entries.items() if info.get("wellformed"))


@pytest.mark.skipif(not (SHARED / "miwg").exists(), reason="shared corpus not present")
def test_every_wellformed_miwg_file_is_analysed() -> None:
    names = _miwg_files()
    assert names
    for name in names:
        path = SHARED / "miwg" / name
        if not path.exists():
            continue
        try:
            tree = parse_bpmn(path.read_bytes())
        except Exception:  # refusals of the safe parser are not the analysis' business
            continue
        assert_consistent(tree, analyse(tree))


def test_rule_a_follows_link_events_and_boundary_events() -> None:
    body = (
        task("A", "Antrag per Post empfangen")
        + '<bpmn:intermediateThrowEvent id="LT" name="weiter"><bpmn:linkEventDefinition name="weiter"/>'
        "</bpmn:intermediateThrowEvent>"
        + '<bpmn:intermediateCatchEvent id="LC" name="weiter"><bpmn:linkEventDefinition name="weiter"/>'
        "</bpmn:intermediateCatchEvent>"
        + task("B", "Daten in SAP erfassen")
        + '<bpmn:boundaryEvent id="BE" attachedToRef="B"><bpmn:timerEventDefinition/></bpmn:boundaryEvent>'
        + task("C", "Erinnerung per Brief senden")
        + flows("A", "LT")
        + flows("LC", "B")
        + flows("BE", "C")
    )
    found = breaks(analyse(model(body)), "a")
    assert frozenset({"A", "B"}) in found
    assert frozenset({"B", "C"}) in found


def test_negations_set_no_medium_and_do_not_exclude() -> None:
    result = analyse(
        model(
            task("T1", "Bescheid nicht per Post versenden")
            + task("T2", "Voraussetzungen prüfen", doc="Gebundene Entscheidung ohne Ermessen.")
            + task("T3", "Bescheid ohne Ausdruck digital zustellen")
        )
    )
    assert result.media["T1"].medium is None
    assert kinds(result)["T2"] == "rule_check"
    assert frozenset({"T3"}) not in breaks(result, "c")


def test_nominal_style_names() -> None:
    result = analyse(
        model(
            task("A", "Versand des Bescheids per Post")
            + task("B", "Archivierung der Unterlagen")
            + task("C", "Abgleich der Daten mit dem Melderegister")
            + task("D", "Erfassung der Antragsdaten in OK.EWO")
        )
    )
    assert kinds(result) == {
        "A": "notification",
        "B": "filing",
        "C": "rule_check",
        "D": "data_transfer",
    }
    assert result.media["A"].medium == "paper"


def test_city_vocabulary_extension(tmp_path: Path) -> None:
    from app.bpmn.vocabulary import load_vocabulary

    extra = tmp_path / "stadt.toml"
    extra.write_text('[systems]\n"Fundus" = ["Fundus", "Fundus Web"]\n', "utf-8")
    base = load_vocabulary()
    city = load_vocabulary(extra)
    assert city.version != base.version
    body = (
        task("A", "Fundsache in Fundus erfassen")
        + task("B", "Gebühr in SAP buchen")
        + flows("A", "B")
    )
    assert breaks(analyse(model(body), base), "a") == set()
    assert breaks(analyse(model(body), city), "a") == {frozenset({"A", "B"})}


def test_rule_a_leaves_nested_sub_processes() -> None:
    innermost = '<bpmn:startEvent id="S2"/>' + task("I", "Daten in SAP erfassen") + flows("S2", "I")
    inner = (
        '<bpmn:startEvent id="S1"/>'
        + f'<bpmn:subProcess id="Sub2">{innermost}</bpmn:subProcess>'
        + flows("S1", "Sub2")
    )
    body = (
        task("A", "Antrag per Post empfangen")
        + f'<bpmn:subProcess id="Sub1">{inner}</bpmn:subProcess>'
        + task("B", "Bescheid ausdrucken")
        + flows("A", "Sub1", "B")
    )
    assert breaks(analyse(model(body)), "a") == {frozenset({"A", "I"}), frozenset({"I", "B"})}


def test_rule_c_on_automated_tasks_only_for_physical_changes() -> None:
    result = analyse(
        model(
            task("P", "Bescheide im Druckzentrum drucken", "serviceTask")
            + task("I", "Daten aus OK.EWO in SAP übertragen", "serviceTask")
        )
    )
    assert breaks(result, "c") == {frozenset({"P"})}


def test_generic_pa_system_names_no_system() -> None:
    body = (
        task("A", "Antrag erfassen", medium="it_system", system="Fachverfahren")
        + task("B", "Forderung anlegen", medium="it_system", system="SAP")
        + task("C", "Vorgang anlegen", medium="it_system", system="ok.gewerbe")
        + task("D", "Gebühr erfassen", medium="it_system", system="OK.GEWERBE")
        + flows("A", "B", "C", "D")
    )
    result = analyse(model(body))
    assert result.media["A"].system is None
    assert breaks(result, "a") == {frozenset({"B", "C"})}


def test_conversation_channel_from_documentation() -> None:
    result = analyse(
        model(
            task("A", "Beratungsgespräch führen", doc="Das Gespräch wird telefonisch geführt.")
            + task("B", "Beratungsgespräch führen", doc="Im Bürgerbüro.")
            + task("C", "Telefonkonferenz mit dem Fachamt")
        )
    )
    assert result.media["A"].medium == "phone"
    assert result.media["B"].medium == "in_person"
    assert result.media["C"].medium == "phone"


def test_unlisted_product_names_name_a_system() -> None:
    body = (
        task("A", "Versanddatum in ParkOnline eintragen")
        + task("B", "Fundsache im Fundregister FundInfo erfassen")
        + task("C", "Fundsache auf zoll-auktion.de einstellen")
        + task("D", "Antrag nach § 66 SGB I prüfen")
        + task("E", "Daten in OTRS erfassen")
        + flows("A", "B", "C")
    )
    result = analyse(model(body))
    assert result.media["A"].system == "ParkOnline"
    assert result.media["B"].system == "FundInfo"
    assert result.media["C"].medium == "it_system"
    assert result.media["D"].medium is None
    assert result.media["E"].system == "OTRS"
    assert breaks(result, "a") == {frozenset({"A", "B"}), frozenset({"B", "C"})}


@pytest.mark.parametrize(
    "body",
    [
        "",
        '<bpmn:task id="T"/>',
        '<bpmn:sequenceFlow id="F" sourceRef="nowhere" targetRef="T"/><bpmn:task id="T" name="x"/>',
        task("T", "Daten in SAP erfassen", reads=("missing",)),
        '<bpmn:subProcess id="S"/>' + flows("S", "S"),
        '<bpmn:task id="A" name="Brief drucken"/>' + flows("A", "A"),
        '<bpmn:callActivity id="C" name="Zahlung" calledElement="P2"/>',
        '<bpmn:intermediateThrowEvent id="L"><bpmn:linkEventDefinition/></bpmn:intermediateThrowEvent>',
    ],
)
def test_odd_models_do_not_break_the_analysis(body: str) -> None:
    collab = (
        '<bpmn:participant id="P" processRef="Process_0"/>'
        '<bpmn:messageFlow id="M" sourceRef="ghost" targetRef="T"/>'
    )
    tree = model(body, collaboration=collab)
    assert_consistent(tree, analyse(tree))


def test_guessed_product_names_rank_below_real_medium_words() -> None:
    result = analyse(
        model(
            task("A", "Vorsprache im KVR")
            + task("B", "Anmeldung in der KiTa entgegennehmen")
            + task("C", "Herausgabe in FundInfo vermerken", doc="Quittung auf Papier.")
        )
    )
    assert result.media["A"].medium == "in_person"
    assert result.media["B"].medium is None
    assert result.media["C"].medium == "it_system"
    assert result.media["C"].system == "FundInfo"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Verlust telefonisch beim Fundbüro melden", "online_intake"),
        ("Ersatzpflanzung mit der Excel-Berechnungshilfe berechnen", "rule_check"),
        ("Registerauszug auf Einträge prüfen", "rule_check"),
        ("Im Gewerberegister nach Einträgen suchen", "lookup"),
        ("Freie Stelle im Stellenplan nachschlagen", "lookup"),
        ("Stellenanzeige im Internet schalten", "notification"),
        ("Fachämter beteiligen", "notification"),
        ("Vorgang im Fachverfahren anlegen", "data_transfer"),
        ("PDF in die eAkte hochladen", "filing"),
        ("Ticket im Ticketsystem schließen", "filing"),
        ("Unterschriebene Genehmigung in SAP erfassen", "data_transfer"),
        ("Begehungsprotokoll vom Papierbogen in Word abtippen", "data_transfer"),
    ],
)
def test_kinds_at_their_borders(name: str, kind: str) -> None:
    assert kinds(analyse(model(task("T", name)))) == {"T": kind}


@pytest.mark.parametrize(
    "name",
    [
        "Auszahlung in SAP freigeben",
        "Zahlung anordnen",
        "Fingerabdrücke abnehmen",
        "Identität anhand des Ausweises prüfen",
        "Messwerte vor Ort notieren",
        "Platzangebot annehmen",
    ],
)
def test_not_candidates_at_their_borders(name: str) -> None:
    assert kinds(analyse(model(task("T", name)))) == {}


def test_place_of_work_excludes_but_notes_from_there_do_not() -> None:
    result = analyse(
        model(
            task("A", "Parkverstoß im Außendienst erfassen")
            + task("B", "Protokoll vom Vor-Ort-Termin in die eAkte übertragen")
        )
    )
    assert kinds(result) == {"B": "data_transfer"}


# --- direction, presence and wording (patterns from a blind holdout, new wordings) -----------


def _lanes(*lanes: tuple[str, str, tuple[str, ...]]) -> str:
    """A lane set: (lane id, lane name, node ids)."""
    body = "".join(
        f"<bpmn:lane id={quoteattr(lane_id)} name={quoteattr(name)}>"
        + "".join(f"<bpmn:flowNodeRef>{ref}</bpmn:flowNodeRef>" for ref in refs)
        + "</bpmn:lane>"
        for lane_id, name, refs in lanes
    )
    return f'<bpmn:laneSet id="LS">{body}</bpmn:laneSet>'


def test_a_requester_sending_to_the_office_is_intake_not_notification() -> None:
    requester = task("R1", "Bauvoranfrage per Post an das Bauamt senden") + task(
        "R2", "Rückantwort mit der Terminbestätigung per E-Mail an das Bauamt schicken"
    )
    office = (
        task("O1", "Bauvoranfrage im Fachverfahren erfassen")
        + task("O2", "Zwischennachricht per E-Mail an die Antragstellerin senden")
        + task("O3", "Fehlende Pläne per Brief nachfordern")
    )
    collaboration = (
        '<bpmn:participant id="P_R" name="Bauherrin" processRef="Process_0"/>'
        '<bpmn:participant id="P_O" name="Bauaufsicht" processRef="Process_1"/>'
        '<bpmn:messageFlow id="M1" sourceRef="R1" targetRef="O1"/>'
    )
    found = kinds(analyse(model(requester, office, collaboration=collaboration)))
    assert found["R1"] == "online_intake"
    assert found["R2"] == "notification"  # an answer to the office stays what it is
    assert found["O2"] == "notification"
    assert found["O3"] == "notification"


def test_a_requester_lane_in_a_single_pool_submits() -> None:
    body = (
        _lanes(
            ("L1", "Beschäftigte (anfordernd)", ("A",)),
            ("L2", "Bürgerservice", ("B",)),
        )
        + task("A", "Fortbildungswunsch per E-Mail an das Personalamt schicken")
        + task("B", "Erinnerung per E-Mail an das Fachamt schicken")
    )
    assert kinds(analyse(model(body))) == {"A": "online_intake", "B": "notification"}


def test_taking_a_request_over_from_a_mailbox_is_intake() -> None:
    result = analyse(
        model(
            task("A", "Bauantrag aus dem Outlook-Postfach übernehmen")
            + task("B", "Daten aus dem Postfach in das Fachverfahren übertragen")
        )
    )
    assert kinds(result) == {"A": "online_intake", "B": "data_transfer"}
    english = analyse(model(task("C", "Take the claim over from the shared mailbox")))
    assert kinds(english) == {"C": "online_intake"}


@pytest.mark.parametrize(
    "name",
    [
        "Paket beim Pförtner in Empfang nehmen",
        "Gelbe Säcke am Vorabend an den Gehweg stellen",
        "Kopien der Nachweise am Schalter vorlegen",
        "Ausweis und Unterlagen persönlich vorzeigen",
        "Warnhinweis am Schalter aushängen",
    ],
)
def test_bare_words_and_physical_steps_are_no_candidates(name: str) -> None:
    assert kinds(analyse(model(task("T", name, "manualTask")))) == {}
    assert kinds(analyse(model(task("T", name)))) == {}


def test_notes_taken_during_on_site_work_need_presence() -> None:
    inner = (
        task("I1", "Bäume vor Ort kontrollieren")
        + task("I2", "Schäden auf dem Kontrollbogen (Papier) notieren")
        + flows("I1", "I2")
    )
    flat = (
        task("F1", "Baustelle im Außendienst besichtigen")
        + task("F2", "Befund handschriftlich festhalten")
        + task("F3", "Befund vom Kontrollbogen in das Fachverfahren übertragen")
        + task("F4", "Wiedervorlage im Kalender notieren")
        + flows("F1", "F2", "F3", "F4")
    )
    result = analyse(
        model(f'<bpmn:subProcess id="Sub" name="Baumkontrolle">{inner}</bpmn:subProcess>' + flat)
    )
    found = kinds(result)
    assert "I2" not in found
    assert "F2" not in found
    assert found["F3"] == "data_transfer"  # re-typing the notes afterwards is a candidate
    assert found["F4"] == "data_transfer"  # notes away from the site are ordinary records


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Neue Laptops inventarisieren", "data_transfer"),
        ("Auftrag im Ticketsystem als erledigt markieren", "filing"),
        ("Schadensmeldung in OTRS als erledigt kennzeichnen", "filing"),
        ("Mark the request as done in the ticket system", "filing"),
        ("Print the decision notice and post it", "notification"),
        ("Print and mail the refusal letter", "notification"),
        ("Stellenanzeige im Amtsblatt schalten", "notification"),
        ("Antrag auf Parkausweis per E-Mail stellen", "online_intake"),
    ],
)
def test_wordings_of_the_holdout_patterns(name: str, kind: str) -> None:
    assert kinds(analyse(model(task("T", name)))) == {"T": kind}


def test_a_service_centre_named_after_citizens_is_no_requester() -> None:
    office = task("O1", "Send a reminder to the department by e-mail")
    requester = task("R1", "Send the claim form by post")
    collaboration = (
        '<bpmn:participant id="P_O" name="Citizens\' service centre" processRef="Process_0"/>'
        '<bpmn:participant id="P_R" name="Citizen" processRef="Process_1"/>'
    )
    found = kinds(
        analyse(model(office + office.replace("O1", "O2"), requester, collaboration=collaboration))
    )
    assert found == {"O1": "notification", "O2": "notification", "R1": "online_intake"}


def test_on_site_work_is_named_by_the_sub_process_and_not_by_a_counter() -> None:
    inner = task("I1", "Schäden auf dem Vordruck notieren")
    counter = (
        task("C1", "Antrag am Schalter entgegennehmen")
        + task("C2", "Rückrufwunsch im Kalender notieren")
        + flows("C1", "C2")
    )
    result = analyse(
        model(
            f'<bpmn:subProcess id="Sub" name="Begehung der Grünanlage">{inner}</bpmn:subProcess>'
            + counter
        )
    )
    assert kinds(result) == {"C1": "online_intake", "C2": "data_transfer"}


@pytest.mark.parametrize(
    ("started_by_office", "kind"), [(True, "notification"), (False, "online_intake")]
)
def test_a_pool_the_office_starts_with_a_message_answers_rather_than_asks(
    started_by_office: bool, kind: str
) -> None:
    office = (
        task("O1", "Grundbuchauszug per E-Mail beim Grundbuchamt anfordern")
        + task("O2", "Grundbuchauszug in die eAkte übernehmen")
        + task("O3", "Auszug auf Belastungen prüfen")
    )
    other = (
        '<bpmn:startEvent id="S"/>'
        + task("X1", "Grundbuchauszug per Post an das Bauamt senden")
        + flows("S", "X1")
    )
    collaboration = (
        '<bpmn:participant id="P_O" name="Bauamt" processRef="Process_0"/>'
        '<bpmn:participant id="P_X" name="Grundbuchamt" processRef="Process_1"/>'
        '<bpmn:messageFlow id="M2" sourceRef="X1" targetRef="O2"/>'
    )
    if started_by_office:
        collaboration += '<bpmn:messageFlow id="M1" sourceRef="O1" targetRef="S"/>'
    found = kinds(analyse(model(office, other, collaboration=collaboration)))
    assert found["X1"] == kind


# --- nominal style, inflection, synonyms, conditions, alternatives (a second blind holdout's
# patterns, new wordings) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Anlage eines neuen Falls in OK.SOZIUS", "data_transfer"),
        ("Anlage der Akte im Fachverfahren", "data_transfer"),
        ("Neuanlage des Kunden in SAP", "data_transfer"),
        ("Erfassung der Meldedaten", "data_transfer"),
        ("Übermittlung der Daten an das Kraftfahrt-Bundesamt", "notification"),
        ("Eingabe der Messwerte in die Datenbank", "data_transfer"),
        ("Weitergabe der Unterlagen an das Standesamt", "filing"),
        ("Bekanntgabe des Ergebnisses an die Bewerber", "notification"),
        ("Übernahme der Daten ins Fachverfahren", "data_transfer"),
        ("Kontrolle der Vollständigkeit der Nachweise", "rule_check"),
        ("Archivierung der Prüfunterlagen", "filing"),
        ("Benachrichtigung der Halterin per Brief", "notification"),
        ("E-Mail mit Anlage an das Ordnungsamt versenden", "notification"),
        ("Registrierung der Katze im Fachverfahren", "data_transfer"),
        ("Buchung des Zahlungseingangs in Infoma", "data_transfer"),
        ("Aktualisierung der Adresse in OK.EWO", "data_transfer"),
        ("Übersendung der Unterlagen an das Jugendamt", "filing"),
        ("Anlage eines Vorgangs in der eAkte", "data_transfer"),
    ],
)
def test_nouns_of_action_mean_their_verbs(name: str, kind: str) -> None:
    assert kinds(analyse(model(task("T", name)))) == {"T": kind}


@pytest.mark.parametrize(
    "name",
    [
        "Erstellung einer Stellungnahme zum Bauvorhaben und Versand per Post",
        "Fachliche Stellungnahme erstellen",
        "Vermittlung zwischen den Nachbarn",
    ],
)
def test_nouns_of_judgement_exclude_like_their_verbs(name: str) -> None:
    assert kinds(analyse(model(task("T", name)))) == {}


@pytest.mark.parametrize("name", ["Digitalisierung der Bauakte", "Scan des Lageplans"])
def test_nominal_scanning_steps_are_carrier_changes(name: str) -> None:
    result = analyse(model(task("T", name)))
    assert breaks(result, "c") == {frozenset({"T"})}
    assert result.media["T"].medium == "office_file"


def test_attachment_is_no_record_creation() -> None:
    # "Anlage" alone is an attachment, not "anlegen".
    result = analyse(model(task("T", "Anlage zur E-Mail öffnen und lesen")))
    assert kinds(result).get("T") != "data_transfer"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Scan the signed payment order", "filing"),
        ("Gegengezeichnete Kassenanordnung einscannen", "filing"),
        ("Unterzeichnete Anordnung in die eAkte scannen", "filing"),
        ("Send the decision to the applicant by post", "notification"),
        ("Remind the requesters by e-mail", "notification"),
    ],
)
def test_documents_and_agent_nouns_trigger_no_verb_rules(name: str, kind: str) -> None:
    assert kinds(analyse(model(task("T", name)))) == {"T": kind}


def test_agent_nouns_do_not_match_their_verbs() -> None:
    # "Drucker" is no printing, "Bücher" no booking, "requester" no request.
    result = analyse(
        model(
            task("A", "Toner im Drucker wechseln")
            + task("B", "Bücher ins Regal stellen")
            + task("C", "Thank the requester")
        )
    )
    assert breaks(result, "c") == set()
    assert kinds(result) == {}


def test_genitive_and_hyphenated_compounds_are_recognised() -> None:
    result = analyse(
        model(
            task("A", "Bescheid in das Postfach des Bürgerkontos einstellen")
            + task("B", "Nachricht über das Service-kontos Postfach senden")
            + task("C", "Antwort im Postfach des Nutzerkontos abrufen")
            + task("D", "Antwort im Funktionspostfach lesen")
            + task("E", "Bescheide in die Postfächer der Servicekonten einstellen")
        )
    )
    assert result.media["B"].medium == "it_system"
    assert result.media["E"].medium == "it_system"
    assert result.media["A"].medium == "it_system"
    assert result.media["C"].medium == "it_system"
    assert result.media["D"].medium == "email"


@pytest.mark.parametrize(
    "name",
    [
        "Beträge aus der Excel-Liste in SAP eintippen",
        "Messwerte vom Papierbogen ins Fachverfahren eintippen",
        "Angaben aus dem Brief manuell in OK.EWO nachtragen",
        "Adressen aus der E-Mail händisch in VOIS einpflegen",
        "Key in the amounts from the paper claim into SAP",
        "Type the addresses from the spreadsheet into the database",
    ],
)
def test_more_words_for_retyping(name: str) -> None:
    result = analyse(model(task("T", name)))
    assert breaks(result, "c") == {frozenset({"T"})}
    assert kinds(result) == {"T": "data_transfer"}


@pytest.mark.parametrize(
    "name",
    [
        "Zählerstand in SAP eintippen",
        "Änderungen im Fachverfahren nachtragen",
        "Type in the reading",
    ],
)
def test_typing_into_one_system_is_data_transfer_without_rule_c(name: str) -> None:
    result = analyse(model(task("T", name)))
    assert breaks(result, "c") == set()
    assert kinds(result) == {"T": "data_transfer"}


def test_taking_a_request_over_into_a_system_is_no_carrier_change() -> None:
    result = analyse(model(task("T", "Anzeige aus dem Bürgerportal in die eAkte übernehmen")))
    assert breaks(result, "c") == set()


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Halter ggf. per Brief über die Umsetzung benachrichtigen", "notification"),
        ("Bei Bedarf Antragstellerin telefonisch an Frist erinnern", "notification"),
        ("Inform the caller by letter if needed", "notification"),
        ("Rechnung auf Richtigkeit prüfen, ggf. per Telefon nachfragen", "rule_check"),
    ],
)
def test_conditions_set_no_medium_but_keep_the_task(name: str, kind: str) -> None:
    result = analyse(model(task("T", name)))
    assert kinds(result) == {"T": kind}
    assert result.media["T"].medium is None


def test_a_noun_is_no_condition() -> None:
    result = analyse(model(task("T", "Anlage des Falls in OK.JUS")))
    assert result.media["T"].medium == "it_system"
    assert kinds(result) == {"T": "data_transfer"}


@pytest.mark.parametrize(
    ("first", "second", "medium"),
    [
        ("per Brief", "per E-Mail", None),
        ("telefonisch", "über das Portal", None),
        ("per Brief", "per Fax", "paper"),
        ("per E-Mail", "als Excel-Datei", "email"),
    ],
)
def test_alternative_channels_do_not_depend_on_word_order(
    first: str, second: str, medium: str | None
) -> None:
    for a, b in ((first, second), (second, first)):
        result = analyse(model(task("T", f"Nachweise {a} oder {b} anfordern")))
        assert result.media["T"].medium == medium, (a, b)


def test_alternative_systems_name_no_system() -> None:
    for text in (
        "Zahlungsdaten in OK.FIS oder SAP buchen",
        "Zahlungsdaten in SAP oder OK.FIS buchen",
    ):
        result = analyse(model(task("T", text)))
        assert result.media["T"].medium == "it_system"
        assert result.media["T"].system is None


def test_english_alternatives_of_different_classes_set_no_medium() -> None:
    result = analyse(model(task("T", "Request the missing documents by phone or by e-mail")))
    assert result.media["T"].medium is None


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Schadensmeldung telefonisch aufnehmen und im Notizbuch festhalten", "online_intake"),
        ("Post öffnen und Eingänge in der Liste notieren", "online_intake"),
        ("Anhänge aus dem Funktionspostfach öffnen und im Ordner speichern", "online_intake"),
        ("Receive the complaint by phone and write it down", "online_intake"),
        ("Take the call and note the details", "online_intake"),
    ],
)
def test_intake_wins_over_the_notes_taken_of_it(name: str, kind: str) -> None:
    assert kinds(analyse(model(task("T", name)))) == {"T": kind}


def test_a_requester_writing_their_own_request_is_intake() -> None:
    requester = task("R1", "Draft the complaint and send it to the city by post")
    office = task("O1", "Register the complaint in the ticket system") + task(
        "O2", "Write the statement on the complaint"
    )
    collaboration = (
        '<bpmn:participant id="P_R" name="Resident" processRef="Process_0"/>'
        '<bpmn:participant id="P_O" name="Public order office" processRef="Process_1"/>'
        '<bpmn:messageFlow id="M1" sourceRef="R1" targetRef="O1"/>'
    )
    found = kinds(analyse(model(requester, office, collaboration=collaboration)))
    assert found["R1"] == "online_intake"
    assert "O2" not in found  # the office drafting a statement is judgement
