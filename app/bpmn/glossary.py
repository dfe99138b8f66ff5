"""Glossary terms of one model: roles, IT systems, documents and partners under normalized names.

A name is normalized by removing a medium suffix ("Antrag (Papier)" is the document "Antrag" on
paper), folding (case, umlauts, ß) and stemming each word with the German Snowball stemmer, so
"Gewerbeanmeldungen" and "Gewerbeanmeldung" share one key. German stems are used for every model,
whatever its language: the same name must meet the same entry in every model (ADR 0021).
Pure: a stored extraction (app/bpmn/extract.py) in, terms out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from app.bpmn.text import fold, join_hyphenated_compounds, stem, words

KINDS = ("role", "system", "document", "partner")
#: Extraction list -> glossary kind.
_LISTS = {"roles": "role", "systems": "system", "documents": "document", "partners": "partner"}
#: Longest name kept (the database column); longer texts are no glossary names anyway.
MAX_NAME = 300

#: Folded medium words in a trailing "(...)" -> the medium as shown.
MEDIA = {
    "papier": "Papier",
    "papierform": "Papier",
    "ausdruck": "Papier",
    "analog": "Papier",
    "pdf": "PDF",
    "excel": "Excel",
    "xlsx": "Excel",
    "xls": "Excel",
    "word": "Word",
    "docx": "Word",
    "doc": "Word",
    "csv": "CSV",
    "xml": "XML",
    "e-mail": "E-Mail",
    "email": "E-Mail",
    "mail": "E-Mail",
    "fax": "Fax",
    "telefax": "Fax",
    "scan": "Scan",
    "digital": "digital",
    "elektronisch": "elektronisch",
    "online": "online",
    "paper": "Papier",
    "electronic": "elektronisch",
}
_SUFFIX = re.compile(r"^(?P<base>.*?)\s*[(\[](?P<medium>[^()\[\]]*)[)\]]\s*$", re.DOTALL)
#: Gender forms written into a word: "Sachbearbeiter*in", "Bürger:innen", "SachbearbeiterIn".
_GENDER = re.compile(r"(?<=\w)[*:_/]-?in(?:nen)?\b|(?<=[a-zäöüß])In(?:nen)?\b")
_PARTS = re.compile(r"\s*(?:/|,|\boder\b|\bund\b|\bor\b|\band\b|\+)\s*")


@dataclass(frozen=True)
class Name:
    """A written name split into the name proper and its medium, with its variant and key."""

    name: str  # as written, without the medium suffix
    medium: str | None
    variant: str  # folded words: the written form, for curation by variant
    key: str  # folded German stems: what merges inflected forms


def split_medium(written: str) -> tuple[str, str | None]:
    """("Antrag (Papier)") -> ("Antrag", "Papier"); a suffix that names no medium stays."""
    text = " ".join(written.split())
    match = _SUFFIX.match(text)
    if match is None or not match.group("base").strip():
        return text, None
    parts = [p for p in _PARTS.split(fold(match.group("medium")).strip()) if p]
    media = [MEDIA.get(p.replace(" ", "")) for p in parts]
    if not parts or None in media:
        return text, None
    unique = list(dict.fromkeys(m for m in media if m))
    return match.group("base").strip(), "/".join(unique)


def variant_of(name: str) -> str:
    """The folded words of a name (medium removed by the caller)."""
    return " ".join(words(join_hyphenated_compounds(name)))


def key_of(name: str) -> str:
    """The normalized name: folded German stems of its words, gender forms as the base word."""
    plain = _GENDER.sub("", join_hyphenated_compounds(name))
    return " ".join(stem(word, "de") for word in words(plain))


def normalize(written: str) -> Name | None:
    """The parts of one written name; None when nothing of it is a word."""
    name, medium = split_medium(written[: MAX_NAME * 2])
    name = name[:MAX_NAME]
    key = key_of(name)[:MAX_NAME]
    if not key:
        return None
    return Name(name=name, medium=medium, variant=variant_of(name)[:MAX_NAME], key=key)


@dataclass
class Term:
    """One glossary name of a model: its kind, normalized name and the elements that carry it."""

    kind: str
    name: Name
    detail: str | None
    element_ids: list[str] = field(default_factory=list)


def _detail(kind: str, entry: dict[str, Any]) -> str | None:
    if kind == "system":
        return "declared" if entry.get("declared") else "recognised"
    value = entry.get("kind")
    return str(value) if isinstance(value, str) else None


def terms(extraction: dict[str, Any]) -> list[Term]:
    """The glossary terms of a stored extraction: one per kind and written variant (medium and
    case aside), with the ids of all its elements, in order of appearance."""
    found: dict[tuple[str, str], Term] = {}
    for list_name, kind in _LISTS.items():
        entries = extraction.get(list_name)
        if not isinstance(entries, list):
            continue
        for entry in entries:
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                continue
            name = normalize(entry["name"])
            if name is None:
                continue
            term = found.get((kind, name.variant))
            if term is None:
                term = found[kind, name.variant] = Term(kind, name, _detail(kind, entry))
            elif term.name.medium is None and name.medium is not None:
                term.name = name
            for element_id in entry.get("ids") or []:
                if isinstance(element_id, str) and element_id not in term.element_ids:
                    term.element_ids.append(element_id)
    return list(found.values())


def query_keys(text: str) -> list[list[tuple[str, str]]]:
    """Per word of a filter text, its spellings as (folded word, stem): as typed and, when it
    spells ä/ö/ü as ae/oe/ue, with those letters folded like the names ("Gebuehren")."""
    result = []
    for word in words(text):
        plain = word.replace("ae", "a").replace("oe", "o").replace("ue", "u")
        spellings = [(word, stem(word, "de"))]
        if plain != word:
            spellings.append((plain, stem(plain, "de")))
        result.append(spellings)
    return result
