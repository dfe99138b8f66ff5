"""Text normalization for German and English model texts: one place for analysis, search, glossary.

Text is folded (lower case, ä/ae → a, ö → o, ü → u, ß → ss, other diacritics stripped), split into
word tokens and clause breaks, and stemmed with the Snowball stemmer of its language (PyStemmer).
German compounds are matched by their parts: a known word at the head or at the (inflected) tail
of a longer token. Pure functions; the caches only remember results, they change no behaviour.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import Stemmer

LANGUAGES = ("de", "en")
#: Clause breaks, kept as tokens of their own: phrases never match across them.
BREAKS = frozenset({",", ";", ":", "(", ")"})
#: Shortest remainder for a compound match ("Hauspost" yes, "Kompost" should not be likely).
MIN_COMPOUND_REST = 3
#: Endings of an inflected compound tail ("Funktionspostfächer" folds to "...postfacher").
INFLECTIONS = ("", "e", "en", "er", "ern", "n", "s", "es", "ns")

_TOKEN = re.compile(r"[a-z0-9]+(?:[.&][a-z0-9]+)*|[,;:()]")
_ASCII_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[.&][A-Za-z0-9]+)*|[,;:()]")
_CASED_TOKEN = re.compile(r"[^\W_]+(?:[.&][^\W_]+)*|[,;:()]")
#: A German compound split by a hyphen before a lower-case tail ("Service-kontos").
_HYPHENATED_COMPOUND = re.compile(r"\b([A-ZÄÖÜ][a-zäöüß]{2,})-(?=[a-zäöüß]{3})")
_STEMMERS = {"de": "german", "en": "english"}

#: Function words that tell German from English.
GERMAN_HINTS = frozenset(
    {
        *("der", "die", "das", "den", "dem", "des", "ein", "eine", "und", "oder", "sowie"),
        *("mit", "im", "per", "zur", "zum", "nach", "aus", "von", "fur", "auf", "bei", "uber"),
        *("ist", "wird", "nicht"),
    }
)
ENGLISH_HINTS = frozenset(
    {
        *("the", "a", "this", "that", "its", "and", "or", "is", "are", "be", "if"),
        *("with", "to", "of", "for", "by", "from", "into", "on", "at"),
    }
)

#: German letters folded without Unicode decomposition (the common case, and much faster).
GERMAN_LETTERS = str.maketrans(
    {"ä": "a", "ö": "o", "ü": "u", "Ä": "A", "Ö": "O", "Ü": "U", "ß": "ss", "ẞ": "SS"}
)


def fold(text: str) -> str:
    """Lower-case, ß -> ss and strip diacritics ("Prüfung" -> "prufung")."""
    if not text.isascii():
        text = text.translate(GERMAN_LETTERS)
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=32768)
def tokenize(text: str) -> tuple[str, ...]:
    """Folded word tokens plus clause breaks (, ; : parentheses)."""
    return tuple(_TOKEN.findall(fold(text)))


def words(text: str) -> tuple[str, ...]:
    """Folded word tokens without the clause breaks (for search terms and glossary keys)."""
    return tuple(token for token in tokenize(text) if token not in BREAKS)


@functools.cache  # one per language
def _stemmer(language: str) -> Any:
    return Stemmer.Stemmer(_STEMMERS[language])


@functools.lru_cache(maxsize=65536)
def stem(word: str, language: str) -> str:
    """Snowball stem of one folded token (cached: models repeat their words a lot)."""
    if language == "de" and len(word) > 4 and word[-1] == "s" and word[-2] in "aioy":
        # Genitive / plural -s after a vowel, which the German stemmer keeps ("des
        # Servicekontos", "die Büros", "Kitas").
        word = word[:-1]
    return str(_stemmer(language).stemWord(word))


def stems(text: str, language: str) -> tuple[str, ...]:
    """The stems of a text's words, in order."""
    return tuple(stem(word, language) for word in words(text))


def token_language(tokens: tuple[str, ...], default: str) -> str:
    """Language of one tokenised text by its function words; `default` on a tie."""
    german = sum(map(GERMAN_HINTS.__contains__, tokens))
    english = sum(map(ENGLISH_HINTS.__contains__, tokens))
    if german == english:
        return default
    return "en" if english > german else "de"


def detect_language(texts: Iterable[str], default: str = "de") -> str:
    """The language whose function words are more frequent in all texts; `default` on a tie."""
    german = english = 0
    for text in texts:
        for token in tokenize(text):
            if token in GERMAN_HINTS:
                german += 1
            if token in ENGLISH_HINTS:
                english += 1
    if english == german:
        return default
    return "en" if english > german else "de"


def join_hyphenated_compounds(text: str) -> str:
    """German compounds split by a hyphen before a lower-case tail as one word
    ("Melde-register" -> "Melderegister"); other hyphens stay."""
    if "-" not in text:
        return text
    return _HYPHENATED_COMPOUND.sub(r"\1", text)


def has_hyphenated_compound(text: str) -> bool:
    return "-" in text and _HYPHENATED_COMPOUND.search(text) is not None


def compound_head(token: str, head: str) -> bool:
    """Whether folded `token` is a compound that starts with `head` ("postfach…" for "post")."""
    return token.startswith(head) and len(token) - len(head) >= MIN_COMPOUND_REST


def compound_tail(token: str, tail: str) -> bool:
    """Whether folded `token` is a compound that ends with `tail`, also inflected
    ("funktionspostfacher" for "postfach")."""
    for ending in INFLECTIONS:
        if token.endswith(tail + ending):
            return len(token) - len(tail) - len(ending) >= MIN_COMPOUND_REST
    return False


def cased_tokens(text: str, count: int) -> tuple[str, ...]:
    """The tokens as written (same split as `tokenize`, case and accents kept).

    `count` is the number of folded tokens; when the two splits disagree (exotic letters) every
    token is assumed to be a noun ("X").
    """
    if not text.isascii():
        text = text.translate(GERMAN_LETTERS)  # same letters as `tokenize` folds
    pattern = _ASCII_TOKEN if text.isascii() else _CASED_TOKEN
    found = tuple(pattern.findall(text))
    return found if len(found) == count else ("X",) * count


def capitals(text: str, count: int) -> tuple[bool, ...]:
    """Per token: written with a capital letter (German nouns, proper names, and product names
    such as "eAkte", which are no verbs either)."""
    # The same split as `cased_tokens`, without folding the German letters first: folding maps
    # letters to letters of the same case, so neither the tokens nor their capitals change.
    found = _CASED_TOKEN.findall(text)
    if len(found) != count:
        return (True,) * count  # as `cased_tokens`: assume nouns
    return tuple([t != t.lower() for t in found])
