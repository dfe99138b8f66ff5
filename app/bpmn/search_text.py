"""Text preparation for the catalogue search: the same terms for the index and for a query.

Both back-ends (SQLite FTS5, PostgreSQL tsvector) store and match only what this module makes:
lower-case ASCII terms of letters and digits, separated by spaces, so the two behave the same.

- Folding both ways: `app.bpmn.text.fold` (ä → a, ß → ss, accents stripped), then the spelled-out
  umlauts ae / oe / ue → a / o / u (not after q), so "Gebuehren", "Gebühren" and "Gebuhren" meet,
  and "Strassensperrung" finds "Straßensperrung".
- Inflection: the Snowball stemmer of the text's language (German or English); a query word
  matches either language's stem, as a query has no language of its own.
- Dotted and mixed-case names ("OK.EWO", "winOWiG"): one term without the dots ("okewo"), the
  pieces as further parts ("ok", "ewo").
- Compounds (ADR 0018): at index time a long word is split into known words, from a word list
  of administrative German (`compound_words.txt`) plus the words the same model uses on their own;
  the stems of the parts are indexed after the text, so "Gebühren" finds
  "Abfallgebührenbescheid" and "Fahrkarte" finds "Fahrkartenbelegen".

Pure functions; caches only remember results.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.bpmn.text import BREAKS, fold, join_hyphenated_compounds, stem, token_language, tokenize

#: Stands between texts and at clause breaks in a prepared field: a phrase never spans it, and no
#: query term is ever this token (`query_word` never yields it).
GAP = "zz"
#: Parts of a compound are at least this long ("amt" in "Ordnungsamt"; shorter pieces are noise).
MIN_PART = 3
#: Beside a known head or tail that is not a full split, at least this much must remain.
MIN_REST = 4
#: Words shorter than this are not split.
MIN_COMPOUND = 7
#: Linking elements between the parts of a German compound (Fugenelemente).
LINKS = ("", "s", "es", "n", "en", "e", "er", "ens", "nen")
#: Endings the last part may carry ("…bescheide", "…belegen").
ENDINGS = ("", "e", "en", "er", "ern", "n", "s", "es", "ns", "nen", "innen", "in")
#: Shortest prefix that is searched as a prefix (shorter last words must match whole).
MIN_PREFIX = 3
#: Shortest cut of a word being typed that is tried as a whole term ("anmeldun" -> "anmeld";
#: shorter cuts such as "park" of "parkon" would find every "Parken").
MIN_CUT = 5

_UMLAUT_SPELLED = re.compile(r"(?<!q)([aou])e")
_WORD = re.compile(r"[^\W_]+(?:[.&][^\W_]+)*")


def normalize(token: str) -> str:
    """A folded token as an index term: spelled-out umlauts folded, dots and ampersands dropped."""
    if "e" in token:
        token = _UMLAUT_SPELLED.sub(r"\1", token)
    if "." in token or "&" in token:
        token = token.replace(".", "").replace("&", "")
    return token


@functools.lru_cache(maxsize=65536)
def term(token: str, language: str) -> str:
    """The index term of one folded token: normalized, then stemmed."""
    return stem(normalize(token), language)


def _pieces(token: str) -> list[str]:
    """The pieces of a dotted or joined name ("ok.ewo" -> ["ok", "ewo"])."""
    return [piece for piece in re.split(r"[.&]", token) if piece] if len(token) > 1 else []


@functools.cache
def word_list() -> frozenset[str]:
    """The shipped word list (normalized), the dictionary of the compound splitter."""
    path = Path(__file__).with_name("compound_words.txt")
    found: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        for token in tokenize(line):
            if token not in BREAKS:
                found.add(normalize(token))
    return frozenset(found)


def _known(word: str, known: frozenset[str] | set[str]) -> bool:
    return len(word) >= MIN_PART and word in known


def _tail(rest: str, known: frozenset[str] | set[str]) -> str | None:
    """`rest` as a known word with an inflection ending, or None."""
    for ending in ENDINGS:
        if ending and not rest.endswith(ending):
            continue
        word = rest[: len(rest) - len(ending)] if ending else rest
        if _known(word, known):
            return word
    return None


def _split(word: str, known: frozenset[str] | set[str], depth: int) -> list[str] | None:
    """The fewest known parts that make up `word` (with links between them), or None."""
    last = _tail(word, known)
    if last is not None:
        return [last]
    if depth == 0:
        return None
    best: list[str] | None = None
    # Longest head first: "gebuhrenbescheid" is "gebuhren" + "bescheid" before "gebuhr" + ...
    for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        head = word[:cut]
        if head not in known:
            continue
        rest = word[cut:]
        for link in LINKS:
            if link and not rest.startswith(link):
                continue
            tail = rest[len(link) :]
            if len(tail) < MIN_PART:
                continue
            parts = _split(tail, known, depth - 1)
            if parts is not None and (best is None or len(parts) + 1 < len(best)):
                best = [head, *parts]
        if best is not None and len(best) == 2:
            break
    return best


@functools.lru_cache(maxsize=65536)
def _split_shipped(word: str) -> tuple[str, ...]:
    return tuple(split_compound(word, word_list(), cached=False))


def split_compound(
    word: str, known: frozenset[str] | set[str] | None = None, *, cached: bool = True
) -> list[str]:
    """The known words a normalized compound consists of ([] when it is none or not known).

    A full split into known words (with linking elements, the last part inflected) is preferred;
    without one, a known head and a known tail of at least `MIN_PART` letters each are taken.
    """
    if len(word) < MIN_COMPOUND or not word.isalpha():
        return []
    if known is None:
        if cached:
            return list(_split_shipped(word))
        known = word_list()
    parts = _split(word, known, depth=4)
    if parts is None or len(parts) < 2:
        parts = _head_and_tail(word, known)
    found = list(parts)
    for part in parts:  # a part may be a compound itself ("Hundesteuer" in "...bescheid")
        if len(part) >= MIN_COMPOUND and part != word:
            sub = _split(part, known - {part}, depth=3)
            if sub is not None and len(sub) > 1:
                found.extend(sub)
    return list(dict.fromkeys(found))


def _head_and_tail(word: str, known: frozenset[str] | set[str]) -> list[str]:
    """A known head and a known tail of a word that is no compound of known words only; the rest
    beside each is at least `MIN_REST` letters ("Kompost" is no kind of "Post")."""
    found: list[str] = []
    for cut in range(len(word) - MIN_REST, MIN_PART - 1, -1):  # longest known head
        if word[:cut] in known:
            found.append(word[:cut])
            break
    for cut in range(MIN_REST, len(word) - MIN_PART + 1):  # longest known tail
        tail = _tail(word[cut:], known)
        if tail is not None:
            if tail not in found:
                found.append(tail)
            break
    return found


def _text_language(tokens: Sequence[str], default: str) -> str:
    return token_language(tuple(tokens), default) if len(tokens) > 2 else default


class FieldBuilder:
    """Collects the texts of one weighted field of a process and prepares them.

    `local` are words the same model uses on their own (normalized): they help to split its
    compounds ("Fahrkartenbelegen" with "Fahrkarte" elsewhere in the model).
    """

    def __init__(self, language: str, local: set[str] | None = None) -> None:
        self.language = language
        self.local = local
        self.terms: list[str] = []
        self.parts: list[str] = []

    def add(self, text: str | None) -> None:
        if not text:
            return
        tokens = tokenize(join_hyphenated_compounds(text))
        if not tokens:
            return
        language = _text_language(tokens, self.language)
        if self.terms:
            self.terms.append(GAP)
        for token in tokens:
            if token in BREAKS:
                self.terms.append(GAP)
                continue
            self.terms.append(term(token, language))
            self.parts.extend(parts_of(token, language, self.local))

    def text(self) -> str:
        if not self.parts:
            return " ".join(self.terms)
        return " ".join([*self.terms, GAP, *dict.fromkeys(self.parts)])


def parts_of(token: str, language: str, local: set[str] | None = None) -> list[str]:
    """Index terms of the parts of one folded token: the pieces of a dotted name, the known words
    of a compound (German only)."""
    found: list[str] = []
    if "." in token or "&" in token:
        found.extend(term(piece, language) for piece in _pieces(token))
    word = normalize(token)
    if language == "de":
        verb = verb_form(word)
        if verb is not None:
            found.append(verb)
    if language == "de" and len(word) >= MIN_COMPOUND:
        parts = split_compound(word)
        if local:
            own = split_compound(word, word_list() | local, cached=False)
            if len(own) > len(parts):
                parts = own
        found.extend(stem(part, language) for part in parts)
    return found


def local_words(texts: Iterable[str]) -> set[str]:
    """The words a model uses on their own (normalized, at least `MIN_PART` letters, alphabetic)."""
    found: set[str] = set()
    for text in texts:
        for token in tokenize(text):
            if token not in BREAKS and len(token) >= MIN_PART + 1 and token.isalpha():
                found.add(normalize(token))
    return found


# --- queries ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One word of a query: it matches any of `forms` exactly, an index term starting with one
    of `prefixes`, or, for a compound, all of its `parts` ("Kitaplatz" in "Kita-Platzvergabe")."""

    word: str
    forms: tuple[str, ...]
    prefixes: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Phrase:
    """Words in quotes: consecutive index terms, as German or as English stems."""

    words: tuple[str, ...]
    variants: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Query:
    """Terms and phrases, all required."""

    terms: tuple[Term, ...]
    phrases: tuple[Phrase, ...]

    @property
    def empty(self) -> bool:
        return not self.terms and not self.phrases

    def all_terms(self) -> tuple[Term, ...]:
        """The words of the terms and of the phrases, for highlighting."""
        return self.terms + tuple(
            query_word(word) for phrase in self.phrases for word in phrase.words
        )


def verb_form(word: str) -> str | None:
    """The stem of a German verb's infinitive for a form in -t ("prüft", "nutzt", "bearbeitet"),
    which Snowball leaves apart from "prüfen"; None for other words."""
    if len(word) < 5 or not word.endswith("t") or not word.isalpha():
        return None
    base = word[:-1] + ("n" if word.endswith("et") else "en")
    return stem(base, "de")


def query_word(token: str, *, prefix: bool = False) -> Term:
    """The forms a folded query word matches (German and English stem, exact normalized form,
    the infinitive's stem of a verb in -t)."""
    word = normalize(token)
    candidates = (stem(word, "de"), stem(word, "en"), word, verb_form(word))
    forms = dict.fromkeys(f for f in candidates if f and f != GAP)
    prefixes: tuple[str, ...] = ()
    if prefix and len(word) >= MIN_PREFIX:
        # While typing, the word may be cut anywhere: a longer term starts with it, or its
        # stem is shorter than what is typed ("anmeldun" -> "anmeld").
        prefixes = tuple(dict.fromkeys((word, stem(word, "de"))))
        for cut in range(len(word) - 1, max(MIN_CUT, len(word) - 5) - 1, -1):
            forms.setdefault(word[:cut])
    if word.startswith("be") and len(word) >= 8 and word.isalpha():
        # A verb made from a noun: "beantragen" finds "Urlaubsantrag".
        forms.setdefault(stem(word[2:], "de"))
    split = split_compound(word)
    parts = tuple(dict.fromkeys(stem(part, "de") for part in split)) if len(split) > 1 else ()
    return Term(token, tuple(forms), prefixes, parts)


#: Words of a question that say nothing about what is searched ("welche Prozesse nutzen OK.EWO",
#: "wer prüft Gewerbeanmeldungen"); dropped from queries unless nothing else is left.
QUESTION_WORDS = frozenset(
    {
        *("welche", "welcher", "welches", "welchen", "wer", "wen", "wem", "wie", "was", "wo"),
        *("wann", "warum", "womit", "wofur", "gibt", "es", "alle", "man", "ich", "wir"),
        *("der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer"),
        *("und", "oder", "fur", "von", "im", "in", "zu", "zum", "zur", "bei", "auf", "mit"),
        *("ist", "sind", "wird", "werden", "prozess", "prozesse", "prozessen"),
        *("nutzen", "nutzt", "benutzen", "benutzt", "verwenden", "verwendet", "braucht"),
        *("brauche", "suche", "finde", "zeige", "zeig"),
        *("which", "who", "what", "where", "how", "the", "a", "an", "of", "for", "is", "are"),
        *("process", "processes"),
    }
)
_QUOTED = re.compile(r'"([^"]*)"?')
#: A query has at most this many words (the rest is ignored: nobody types more).
MAX_QUERY_WORDS = 12


def parse_query(text: str) -> Query:
    """Words AND-ed, "quoted phrases", and the last word also as a prefix when the text does not
    end with a space (still being typed)."""
    phrases: list[Phrase] = []
    loose: list[str] = []
    position = 0
    for quoted in _QUOTED.finditer(text):
        loose.extend(_query_tokens(text[position : quoted.start()]))
        position = quoted.end()
        tokens = _query_tokens(quoted.group(1))
        if len(tokens) == 1:
            loose.extend(tokens)
        elif tokens:
            words = tuple(tokens[:MAX_QUERY_WORDS])
            variants = tuple(
                dict.fromkeys(
                    tuple(stem(normalize(word), language) for word in words)
                    for language in ("de", "en")
                )
            )
            phrases.append(Phrase(words, variants))
    tail = text[position:]
    loose.extend(_query_tokens(tail))
    typing = bool(tail.strip()) and not tail[-1].isspace()
    loose = list(dict.fromkeys(loose))
    meaningful = [word for word in loose if normalize(word) not in QUESTION_WORDS]
    if meaningful or phrases:
        typing = typing and bool(meaningful) and meaningful[-1] == loose[-1]
        loose = meaningful
    loose = loose[:MAX_QUERY_WORDS]
    terms = tuple(
        query_word(word, prefix=typing and index == len(loose) - 1)
        for index, word in enumerate(loose)
    )
    return Query(terms, tuple(phrases))


def _query_tokens(text: str) -> list[str]:
    tokens = [t for t in tokenize(join_hyphenated_compounds(text)) if t not in BREAKS]
    return [t for t in tokens if normalize(t)]


# --- highlighting -------------------------------------------------------------------------------

MARK_OPEN, MARK_CLOSE = "«", "»"


@functools.lru_cache(maxsize=65536)
def _word_terms(word: str) -> tuple[frozenset[str], frozenset[str]]:
    """(the terms of a word as written, the terms of its parts)."""
    folded = [t for t in tokenize(word) if t not in BREAKS]
    own: set[str] = set()
    parts: set[str] = set()
    for token in folded:
        for language in ("de", "en"):
            own.add(term(token, language))
            parts.update(parts_of(token, language))
        own.add(normalize(token))
    return frozenset(own), frozenset(parts)


def word_matches(word: str, terms: Sequence[Term]) -> bool:
    """Whether one written word is matched by any of the query's terms."""
    own, parts = _word_terms(word)
    for query_term in terms:
        if any(form in own or form in parts for form in query_term.forms):
            return True
        if any(t.startswith(p) for p in query_term.prefixes for t in own):
            return True
        if any(part in own or part in parts for part in query_term.parts):
            return True
    return False


class Highlighter:
    """`highlight` for one query over many texts: each distinct word is judged once (the texts
    of a page of hits repeat their words and texts; judging every occurrence was most of a search's time
    at 10 000 processes, ADR 0018 addendum)."""

    def __init__(self, terms: Sequence[Term]) -> None:
        self.terms = tuple(terms)
        self._seen: dict[str, bool] = {}
        self._texts: dict[str, tuple[str, bool]] = {}

    def matches(self, word: str) -> bool:
        known = self._seen.get(word)
        if known is None:
            known = self._seen[word] = word_matches(word, self.terms)
        return known

    def __call__(self, text: str) -> tuple[str, bool]:
        done = self._texts.get(text)
        if done is None:
            done = self._texts[text] = _highlight(text, self.matches)
        return done


def highlight(text: str, terms: Sequence[Term]) -> tuple[str, bool]:
    """`text` with every matched word between « and », and whether any word matched."""
    return _highlight(text, lambda word: word_matches(word, terms))


def _highlight(text: str, matches: Callable[[str], bool]) -> tuple[str, bool]:
    text = text.replace(MARK_OPEN, '"').replace(MARK_CLOSE, '"')
    out: list[str] = []
    position = 0
    matched = False
    for found in _WORD.finditer(text):
        if matches(found.group()):
            out.append(text[position : found.start()])
            out.append(MARK_OPEN + found.group() + MARK_CLOSE)
            position = found.end()
            matched = True
    out.append(text[position:])
    return "".join(out), matched


def folded_prefix(text: str) -> str:
    """A suggestion prefix as compared: folded, spelled-out umlauts folded, spaces squeezed."""
    return " ".join(normalize(token) for token in fold(text).split())
