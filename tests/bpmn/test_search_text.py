"""Text preparation for the search index (pure): folding, stems, names, compounds, queries."""

from __future__ import annotations

import pytest

from app.bpmn.search_text import (
    GAP,
    FieldBuilder,
    highlight,
    normalize,
    parse_query,
    split_compound,
    word_matches,
)
from app.bpmn.text import fold


def _terms(text: str, language: str = "de") -> set[str]:
    field = FieldBuilder(language)
    field.add(text)
    return set(field.text().split())


def _finds(query: str, text: str) -> bool:
    """Whether every word of `query` has a form among the terms of `text` (what the index does)."""
    terms = _terms(text)
    parsed = parse_query(query)
    return all(
        any(form in terms for form in term.forms)
        or any(t.startswith(p) for p in term.prefixes for t in terms)
        or (bool(term.parts) and all(part in terms for part in term.parts))
        for term in parsed.terms
    )


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("Strassensperrung", "Straßensperrung beantragen"),
        ("Straßensperrung", "Strassensperrung beantragen"),
        ("Gebuehren", "Gebühren erheben"),
        ("Gebühren", "Gebuehren erheben"),
        ("Gewerbeanmeldungen", "Gewerbeanmeldung prüfen"),
        ("Gebühren", "Abfallgebührenbescheid erstellen"),
        ("Gebühren", "Gebührenrechner öffnen"),
        ("Fahrkarte", "Fahrkartenbelegen sichten"),
        ("OK.EWO", "Daten in OK.EWO erfassen"),
        ("ok.ewo", "Daten in OK.EWO erfassen"),
        ("EWO", "Daten in OK.EWO erfassen"),
        ("winowig", "Verwarnung in winOWiG buchen"),
        ("SAP FI", "Buchung in SAP FI"),
        ("applications", "Review the application"),
        ("anmeldun", "Anmeldung prüfen"),  # typing: the stem is shorter than the prefix
        ("Gewerbeanm", "Gewerbeanmeldung prüfen"),
        # staff questions: question words go, verb forms in -t meet the infinitive
        ("welche Prozesse nutzen OK.EWO", "Daten in OK.EWO erfassen"),
        ("wer prüft Gewerbeanmeldungen", "Gewerbeanmeldung prüfen"),
        ("prüfen", "Sachbearbeitung prüft den Antrag"),
        ("Formular Hundesteuer", "Formular zur Hundesteuer ausfüllen"),
        ("Urlaub beantragen", "Urlaubsantrag stellen"),  # a verb made from a noun
        ("Kitaplatz", "Kita-Platzvergabe"),  # a compound query, its parts apart in the text
    ],
)
def test_queries_find_their_texts(query: str, text: str) -> None:
    assert _finds(query, text)


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("Post", "Kompost entsorgen"),
        ("Gebühren", "Bescheid erstellen"),
        ("Anmeldung ", "Anmeldeformular"),  # a finished word is no prefix
    ],
)
def test_queries_do_not_find_unrelated_texts(query: str, text: str) -> None:
    assert not _finds(query, text)


def test_spelled_out_umlauts_fold_but_not_after_q() -> None:
    assert normalize(fold("Gebühren")) == normalize("gebuehren") == "gebuhren"
    assert normalize("quelle") == "quelle"
    assert normalize("ok.ewo") == "okewo"


def test_compounds_split_into_known_words_and_their_parts() -> None:
    assert split_compound("abfallgebuhrenbescheid") == ["abfall", "gebuhren", "bescheid"]
    assert {"hund", "steur", "bescheid"} <= set(split_compound("hundesteurbescheid"))
    assert split_compound("kompost") == []
    assert split_compound("verwaltung") == []
    # the words of the same model help: an unknown head
    assert "zweitwohnung" in split_compound("zweitwohnungsteur", {"zweitwohnung", "steur"})


def test_phrases_keep_order_and_parts_stay_out_of_them() -> None:
    field = FieldBuilder("de")
    field.add("Gebührenbescheid erstellen")
    field.add("Antrag prüfen")
    words = field.text().split()
    # the parts come after a gap: "bescheid erstell" is no phrase of the text
    assert words[: words.index(GAP)] == ["gebuhrenbescheid", "erstell"]
    assert words.index("bescheid") > words.index("pruf")
    parsed = parse_query('"Antrag prüfen" Gebühr')
    assert parsed.phrases[0].variants[0] == ("antrag", "pruf")
    assert [term.word for term in parsed.terms] == ["gebuhr"]
    assert parsed.terms[0].prefixes  # the last word is still being typed


def test_query_syntax_is_never_passed_on() -> None:
    parsed = parse_query('NEAR(a b) "unclosed AND * OR')
    forms = {form for term in parsed.terms for form in term.forms}
    assert all(form.isalnum() for form in forms)
    for phrase in parsed.phrases:
        assert all(word.isalnum() for variant in phrase.variants for word in variant)
    assert parse_query("").empty
    assert parse_query('""  ,;').empty


def test_highlight_marks_matched_words_and_neutralises_marks_in_the_text() -> None:
    terms = parse_query("gebühren ok.ewo ").terms
    marked, matched = highlight("«Abfallgebührenbescheid» in OK.EWO anlegen", terms)
    assert matched
    assert marked == '"«Abfallgebührenbescheid»" in «OK.EWO» anlegen'
    assert highlight("Antrag prüfen", terms) == ("Antrag prüfen", False)
    assert word_matches("Gebührenrechner", terms)
