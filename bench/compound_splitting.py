"""Compound splitting for the search index (ADR 0018): the app's word-list splitter against
CharSplit, on a gold list of administrative compounds written for this purpose.

A produced part counts as right when its stem is the stem of a gold part; the gold parts are the
words a member of staff would type to find the compound. Words that are no compounds of the
kind searched ("Kompost", "Verwaltung") must give no parts at all. Prints precision and recall
of the parts, and microseconds per word.

CharSplit is the algorithm `charsplit-fst` ports to Rust (same n-gram data); `charsplit-fst`
0.1.4 needs Python >= 3.12 (its wheel is abi3 for 3.12 and fails to load on 3.11), so the pure
Python CharSplit of the PyPI package `compound-split` 1.0.2 stands in for its splits when it is
importable (`pip install compound-split==1.0.2` into a scratch environment and put it on
PYTHONPATH; it is no dependency of the app).

    .venv/bin/python bench/compound_splitting.py
"""

from __future__ import annotations

import time
from collections.abc import Callable

from app.bpmn.search_text import normalize, split_compound
from app.bpmn.text import fold, stem

#: compound -> the parts a searcher types ("" for words that must not be split).
GOLD: dict[str, str] = {
    "Abfallgebührenbescheid": "Abfall Gebühren Bescheid",
    "Gebührenrechner": "Gebühren Rechner",
    "Fahrkartenbelegen": "Fahrkarte Beleg",
    "Gewerbeanmeldung": "Gewerbe Anmeldung",
    "Straßensperrung": "Straße Sperrung",
    "Hundesteuerbescheid": "Hundesteuer Hund Steuer Bescheid",
    "Personalausweisantrag": "Personalausweis Personal Ausweis Antrag",
    "Verwarnungsgeldverfahren": "Verwarnungsgeld Verwarnung Geld Verfahren",
    "Wohnsitzanmeldung": "Wohnsitz Anmeldung",
    "Meldebescheinigung": "Melde Bescheinigung",
    "Baugenehmigungsverfahren": "Baugenehmigung Bau Genehmigung Verfahren",
    "Eingangsbestätigung": "Eingang Bestätigung",
    "Zahlungserinnerung": "Zahlung Erinnerung",
    "Ratenzahlungsvereinbarung": "Raten Zahlung Vereinbarung",
    "Führerscheinstelle": "Führerschein Stelle",
    "Kfz-Zulassungsstelle": "Zulassung Stelle",
    "Wohngeldantrag": "Wohngeld Antrag",
    "Elterngeldstelle": "Elterngeld Stelle",
    "Bußgeldbescheid": "Bußgeld Geld Bescheid",
    "Akteneinsicht": "Akten Einsicht",
    "Aufenthaltserlaubnis": "Aufenthalt Erlaubnis",
    "Ausländerbehörde": "Ausländer Behörde",
    "Einwohnermeldeamt": "Einwohner Melde Amt",
    "Standesamtsregister": "Standesamt Amt Register",
    "Sondernutzungserlaubnis": "Sondernutzung Nutzung Erlaubnis",
    "Gaststättenerlaubnis": "Gaststätte Erlaubnis",
    "Hundehalterin": "Hund Halter",
    "Widerspruchsbescheid": "Widerspruch Bescheid",
    "Zustellungsnachweis": "Zustellung Nachweis",
    "Vollstreckungsankündigung": "Vollstreckung Ankündigung",
    "Kassenzeichen": "Kasse Zeichen",
    "Beratungsgespräch": "Beratung Gespräch",
    "Sachbearbeitung": "Sache Bearbeitung",
    "Terminvereinbarung": "Termin Vereinbarung",
    "Steuererklärung": "Steuer Erklärung",
    "Grundstücksverkehr": "Grundstück Verkehr",
    "Bebauungsplanverfahren": "Bebauungsplan Bebauung Plan Verfahren",
    "Fundsachenverwaltung": "Fund Sache Verwaltung",
    "Parkausweis": "Park Ausweis",
    "Anwohnerparkausweis": "Anwohner Park Ausweis",
    "Schulanmeldung": "Schule Anmeldung",
    "Kitaplatzvergabe": "Kita Platz Vergabe",
    # no compounds of searchable parts: every part produced is a false one
    "Kompost": "",
    "Verwaltung": "",
    "Erlaubnis": "",
    "Bescheinigung": "",
    "Unterschrift": "",
    "Gesundheit": "",
    "Parkett": "",
    "Ausnahme": "",
}


def _stems(words: str | list[str]) -> set[str]:
    items = words.split() if isinstance(words, str) else words
    return {stem(normalize(fold(word)), "de") for word in items}


def _word_list(word: str) -> list[str]:
    return split_compound(normalize(fold(word.split("-")[-1])))


def _charsplit(threshold: float) -> Callable[[str], list[str]] | None:
    try:
        from compound_split import char_split  # type: ignore[import-not-found]
    except ImportError:
        return None

    def split(word: str, depth: int = 3) -> list[str]:
        scored = char_split.split_compound(word)
        if not scored or scored[0][0] <= threshold or depth == 0:
            return []
        _score, head, tail = scored[0]
        if len(head) < 3 or len(tail) < 3:
            return []
        parts = [head, tail]
        for part in (head, tail):
            parts.extend(split(part, depth - 1))
        return parts

    return split


def score(name: str, splitter: Callable[[str], list[str]]) -> None:
    produced = right = gold_total = found = 0
    misses: list[str] = []
    started = time.perf_counter()
    results = {word: splitter(word) for word in GOLD}
    micros = (time.perf_counter() - started) / len(GOLD) * 1e6
    for word, parts_text in GOLD.items():
        gold = _stems(parts_text)
        got = _stems(results[word]) - _stems([word])
        produced += len(got)
        right += len(got & gold)
        gold_total += len(gold)
        found += len(gold & got)
        if got - gold or gold - got:
            misses.append(f"{word}: {sorted(got)} (gold {sorted(gold)})")
    precision = right / produced if produced else 1.0
    recall = found / gold_total if gold_total else 1.0
    print(f"{name:16} precision {precision:.2f}  recall {recall:.2f}  {micros:8.1f} µs/word")
    for miss in misses:
        print("   ", miss)


def main() -> None:
    print(f"{len(GOLD)} words, {sum(1 for v in GOLD.values() if v)} compounds")
    _word_list("Aufwärmen")  # load the list outside the timing
    score("word list", _word_list)
    for threshold in (0.0, -0.5, -1.0):  # CharSplit's score of its best split must exceed this
        charsplit = _charsplit(threshold)
        if charsplit is None:
            print("CharSplit    not importable (compound-split 1.0.2 not on PYTHONPATH)")
            return
        charsplit("Aufwärmen")  # load its n-grams outside the timing
        score(f"CharSplit>{threshold}", charsplit)


if __name__ == "__main__":
    main()
