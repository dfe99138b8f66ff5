"""Text normalization: folding, tokens, stems, language, compounds."""

from __future__ import annotations

import pytest

from app.bpmn import text


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("Prüfung", "prufung"),
        ("Größe", "grosse"),
        ("ÄRGER", "arger"),
        ("Straße", "strasse"),
        ("GROẞ", "gross"),
        ("Café résumé", "cafe resume"),
        ("ﬁle", "file"),  # compatibility ligature
        ("plain", "plain"),
    ],
)
def test_fold_lower_cases_and_strips_umlauts_and_diacritics(written: str, folded: str) -> None:
    assert text.fold(written) == folded


def test_tokenize_keeps_clause_breaks_and_dotted_names() -> None:
    assert text.tokenize("Antrag prüfen, ggf. in OK.EWO erfassen (Fachverfahren)") == (
        "antrag",
        "prufen",
        ",",
        "ggf",
        "in",
        "ok.ewo",
        "erfassen",
        "(",
        "fachverfahren",
        ")",
    )
    assert text.words("Antrag prüfen, dann ablegen") == ("antrag", "prufen", "dann", "ablegen")


def test_stems_join_inflected_forms_per_language() -> None:
    assert text.stem("antrage", "de") == text.stem("antrag", "de")
    assert text.stem("servicekontos", "de") == text.stem("servicekonto", "de")
    assert text.stem("requests", "en") == text.stem("request", "en")
    assert text.stems("Anträge prüfen", "de") == (text.stem("antrage", "de"), "pruf")


def test_language_follows_the_function_words() -> None:
    assert text.detect_language(["Antrag mit der Post senden"]) == "de"
    assert text.detect_language(["Send the form to the office"]) == "en"
    assert text.detect_language([""], default="en") == "en"
    assert text.token_language(text.tokenize("check the form and file it"), "de") == "en"


def test_compound_parts_need_a_remainder_of_three_letters() -> None:
    assert text.compound_head("postfach", "post")
    assert not text.compound_head("posten", "post")
    assert text.compound_tail("funktionspostfacher", "postfach")
    assert text.compound_tail("hauspost", "post")
    assert not text.compound_tail("impost", "post")


def test_hyphenated_german_compounds_become_one_word() -> None:
    assert text.has_hyphenated_compound("Service-kontos prüfen")
    assert text.join_hyphenated_compounds("Melde-register abfragen") == "Melderegister abfragen"
    assert not text.has_hyphenated_compound("E-Mail senden")
    assert text.join_hyphenated_compounds("E-Mail") == "E-Mail"


def test_cased_tokens_and_capitals_align_with_the_folded_tokens() -> None:
    name = "Bescheid in der eAkte ablegen"
    count = len(text.tokenize(name))
    assert text.cased_tokens(name, count) == ("Bescheid", "in", "der", "eAkte", "ablegen")
    assert text.capitals(name, count) == (True, False, False, True, False)
    # splits that disagree: every token is taken for a noun
    assert text.cased_tokens(name, count + 1) == ("X",) * (count + 1)
    assert text.capitals(name, count + 1) == (True,) * (count + 1)
