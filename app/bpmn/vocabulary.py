"""The vocabulary of the analysis (`vocabulary.toml`) and the word matcher built from it.

Text is folded, split into tokens and stemmed by `app.bpmn.text` (the model's language decides
the Snowball stemmer). Vocabulary phrases match whole tokens: by stem, by
exact form, or as the head or tail of a German compound. Raw substring matching is never used,
so "Papierkorb" is no paper and "Person" is not "persönlich".
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import operator
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from app.bpmn.text import (
    BREAKS,
    INFLECTIONS,
    LANGUAGES,
    MIN_COMPOUND_REST,
    compound_head,
    compound_tail,
    fold,
    stem,
    tokenize,
)

DEFAULT_PATH = Path(__file__).with_name("vocabulary.toml")
DEFAULT_WEIGHT = 2


@dataclass(frozen=True)
class WordPattern:
    """One word of a vocabulary phrase: mode is stem, exact, prefix or suffix."""

    mode: str
    value: str  # folded form (exact, prefix, suffix) or stem (stem)
    value_stem: str = ""  # stem of the affix, for inflected compounds ("Funktionspostfächer")
    # A stem word that may match an agent noun (its own word is one: "reminder", "Ordner", or it
    # is no verb: "formal"); verbs do not match their agent nouns ("requester", "Drucker").
    agent_ok: bool = True

    def matches(self, token: str, token_stem: str) -> bool:
        """True when the token is this word (or a compound with it at the head / tail)."""
        if self.mode == "stem":
            return token_stem == self.value
        if self.mode == "exact":
            return token == self.value
        if self.mode == "prefix":
            return compound_head(token, self.value)
        return compound_tail(token, self.value)


@dataclass(frozen=True)
class Pattern:
    """A vocabulary phrase with its label (e.g. `media.paper`) and weight."""

    label: str
    words: tuple[WordPattern, ...]
    weight: int
    text: str
    compound: bool = False  # matched through a compound part: ranks below a whole word
    group: str = ""
    value: str = ""


class Hit(NamedTuple):
    """A phrase found in a text: token span [start, end), label, weight, the words found.

    A named tuple rather than a dataclass: thousands are made per model, and tuples are cheap.
    """

    label: str
    start: int
    end: int
    weight: int
    text: str
    compound: bool
    group: str  # `media` for `media.paper`
    value: str  # `paper` for `media.paper`


_START = operator.itemgetter(1)  # Hit.start
#: A pattern unpacked for the matcher's inner loop: word count, mode and value of the second
#: word, the pattern, then the fields of its hits (label, weight, text, compound, group, value).
_PatternInfo = tuple[int, str, str, Pattern, str, int, str, bool, str, str]


def _word_pattern(word: str, language: str) -> WordPattern:
    if word.startswith("="):
        return WordPattern("exact", word[1:])
    if word.endswith("*") and len(word) > 1:
        head = word[:-1]
        return WordPattern("prefix", head)
    if word.startswith("*") and len(word) > 1:
        tail = word[1:]
        return WordPattern("suffix", tail, stem(tail, language))
    return WordPattern("stem", stem(word, language), "", _agent_ok(word, language))


#: Endings the stemmer strips from agent nouns and instruments ("requester", "Drucker", "Bücher").
# German "-ern" is left out: it is also the ending of verbs ("anfordern", "speichern").
_AGENT_ENDINGS = {"de": ("er", "ers"), "en": ("er", "ers")}


def _agent_ok(word: str, language: str) -> bool:
    """Whether a stem entry may also match agent nouns of its stem: English entries that are
    themselves -er words, German entries that are no verbs."""
    if language == "en":
        return word.endswith(("er", "ers"))
    return not (len(word) > 4 and word.endswith(("en", "eln", "ern")))


def is_agent_noun(token: str, token_stem: str, language: str) -> bool:
    """The stemmer removed an agent ending from the token ("requester" -> "request")."""
    endings = _AGENT_ENDINGS.get(language, ())
    return len(token) > len(token_stem) and token[len(token_stem) :] in endings


#: German nouns of action that the stemmer does not join to their verbs ("Übermittlung" /
#: "übermitteln", "Registrierung" / "registrieren", "Buchung" / "buchen", "Eingabe" / "eingeben",
#: "Übernahme" / "übernehmen"): verb ending -> noun ending. Nonsense forms of non-verbs
#: ("Fristung") are harmless: no text contains them.
_NOUN_FORMS = (
    ("ieren", "ierung"),
    ("eln", "lung"),
    ("ern", "erung"),
    ("geben", "gabe"),
    ("nehmen", "nahme"),
    ("en", "ung"),
)


def noun_forms(entry: str) -> list[str]:
    """Nouns of action derived from a German verb entry (weight kept, same meaning)."""
    text, weight = _split_entry(entry)
    if " " in text.strip() or text[:1] in "=*" or text.endswith("*"):
        return []
    found = []
    for verb_end, noun_end in _NOUN_FORMS:
        if text.endswith(verb_end) and len(text) > len(verb_end) + 2:
            noun = f"{text[: -len(verb_end)]}{noun_end}"
            if noun not in found:
                found.append(noun)
    return [f"{noun}|{weight}" for noun in found]


def _split_entry(entry: str) -> tuple[str, int]:
    if "|" in entry:
        text, _, weight = entry.rpartition("|")
        if weight.strip().isdigit():
            return text, int(weight)
    return entry, DEFAULT_WEIGHT


def compile_pattern(label: str, entry: str, language: str) -> Pattern | None:
    """Turn one vocabulary entry ("e mail postfach|3", "papier*") into a Pattern."""
    text, weight = _split_entry(entry)
    words = []
    for raw in text.split():
        marker_start = "=" if raw.startswith("=") else ("*" if raw.startswith("*") else "")
        marker_end = "*" if raw.endswith("*") and len(raw) > 1 else ""
        core = raw[len(marker_start) : len(raw) - len(marker_end)]
        for index, part in enumerate(tokenize(core)):
            if part in BREAKS:
                continue
            first = index == 0
            last = index == len(tokenize(core)) - 1
            word = (marker_start if first else "") + part + (marker_end if last else "")
            words.append(_word_pattern(word, language))
    if not words:
        return None
    group, _, value = label.partition(".")
    compound = any(w.mode in {"prefix", "suffix"} for w in words)
    return Pattern(label, tuple(words), weight, text, compound, group, value)


class Matcher:
    """Finds vocabulary phrases in token sequences; one instance per language and vocabulary."""

    def __init__(self, patterns: Iterable[Pattern], language: str) -> None:
        self.language = language
        self._by_stem: dict[str, list[Pattern]] = {}
        self._by_exact: dict[str, list[Pattern]] = {}
        self._prefix: dict[str, list[Pattern]] = {}
        self._suffix: dict[str, list[Pattern]] = {}
        for pattern in patterns:
            first = pattern.words[0]
            if first.mode == "stem":
                self._by_stem.setdefault(first.value, []).append(pattern)
            elif first.mode == "exact":
                self._by_exact.setdefault(first.value, []).append(pattern)
            elif first.mode == "prefix":
                self._prefix.setdefault(first.value, []).append(pattern)
            else:
                self._suffix.setdefault(first.value, []).append(pattern)
        self._first_cache: dict[str, tuple[Pattern, ...]] = {}
        self._info_cache: dict[str, tuple[_PatternInfo, ...]] = {}
        self._stem_cache: dict[str, str] = {}

    def _affixes(self, token: str, token_stem: str) -> tuple[Pattern, ...]:
        """Compound heads and tails of `token`, looked up by slicing (no scan over patterns)."""
        if len(token) <= MIN_COMPOUND_REST + 1 or token.isdigit():
            return ()
        found: list[Pattern] = []
        for cut in range(2, len(token) - MIN_COMPOUND_REST + 1):
            found += self._prefix.get(token[:cut], ())
        for cut in range(MIN_COMPOUND_REST, len(token) - 1):
            found += self._suffix.get(token[cut:], ())
            for ending in INFLECTIONS[1:]:
                if token.endswith(ending) and cut < len(token) - len(ending):
                    found += self._suffix.get(token[cut : len(token) - len(ending)], ())
        return tuple(dict.fromkeys(p for p in found if p.words[0].matches(token, token_stem)))

    def _stem(self, token: str) -> str:
        found = self._stem_cache.get(token)
        if found is None:
            found = stem(token, self.language)
            self._stem_cache[token] = found
        return found

    def _first(self, token: str) -> tuple[Pattern, ...]:
        """Patterns whose first word is `token` (cached per token: names repeat their words)."""
        if len(self._first_cache) > 200_000:
            # Bounded: arbitrary uploads bring arbitrary words.
            self._first_cache.clear()
            self._stem_cache.clear()
        token_stem = self._stem(token)
        by_stem: Iterable[Pattern] = self._by_stem.get(token_stem, ())
        if by_stem and is_agent_noun(token, token_stem, self.language):
            # "requester" is no "request", "Drucker" no "drucken", "Bücher" no "buchen".
            by_stem = [p for p in by_stem if p.words[0].agent_ok]
        found = (
            tuple(by_stem) + tuple(self._by_exact.get(token, ())) + self._affixes(token, token_stem)
        )
        self._first_cache[token] = found
        return found

    def _rest_matches(self, pattern: Pattern, tokens: tuple[str, ...], start: int) -> bool:
        """Whether the words after the first of a phrase follow at `start + 1`."""
        for k, word in enumerate(pattern.words[1:], start + 1):
            token = tokens[k]
            if word.mode == "exact":
                if token != word.value:
                    return False
            elif word.mode == "stem":
                token_stem = self._stem(token)
                if token_stem != word.value or (
                    not word.agent_ok and is_agent_noun(token, token_stem, self.language)
                ):
                    return False
            elif not word.matches(token, self._stem(token)):
                return False
        return True

    def _infos(self, token: str) -> tuple[_PatternInfo, ...]:
        """The patterns starting at `token`, unpacked for `find` (cached like `_first`)."""
        patterns = self._first_cache.get(token)
        if patterns is None:
            patterns = () if token in BREAKS else self._first(token)
        infos = self._info_cache
        if len(infos) > 200_000:
            infos.clear()
        found = tuple(
            (
                len(p.words),
                p.words[1].mode if len(p.words) > 1 else "",
                p.words[1].value if len(p.words) > 1 else "",
                p,
                p.label,
                p.weight,
                p.text,
                p.compound,
                p.group,
                p.value,
            )
            for p in patterns
        )
        infos[token] = found
        return found

    def find(self, tokens: tuple[str, ...], into: dict[str, list[Hit]] | None = None) -> list[Hit]:
        """All phrase occurrences in `tokens` (overlapping; resolve with `best_per_span`).

        With `into`, the hits are sorted into it by group instead (media and system names share
        the group "media"), in the order they are found, and the list returned stays empty.
        """
        hits: list[Hit] = []
        count = len(tokens)
        info_cache = self._info_cache
        stem_of = self._stem_cache.get
        for i, token in enumerate(tokens):
            infos = info_cache.get(token)
            if infos is None:
                infos = self._infos(token)
            for size, mode, second, pattern, label, weight, text, compound, group, value in infos:
                end = i + size
                if end > count:
                    continue
                if size > 1:
                    # Most phrases fail at their second word: test it inline before the full
                    # comparison (a phrase's first word is often a common one: "per", "in").
                    following = tokens[i + 1]
                    if mode == "exact":
                        if following != second:
                            continue
                    elif mode == "stem" and (stem_of(following) or self._stem(following)) != second:
                        continue
                    if not self._rest_matches(pattern, tokens, i):
                        continue
                hit = Hit(label, i, end, weight, text, compound, group, value)
                if into is None:
                    hits.append(hit)
                    continue
                key = "media" if group == "systems" else group
                bucket = into.get(key)
                if bucket is None:
                    into[key] = [hit]
                else:
                    bucket.append(hit)
        return hits


def best_per_span(hits: Iterable[Hit]) -> list[Hit]:
    """Longest phrases win; on the same tokens a whole-word match beats a compound match."""
    if not isinstance(hits, list):
        hits = list(hits)
    if len(hits) < 2:
        return hits
    starts: set[int] = set()
    for h in hits:
        start = h[1]
        if h[2] != start + 1 or start in starts:
            break
        starts.add(start)
    else:
        return hits  # one-word hits on distinct tokens: nothing to resolve (the usual case)
    # The same label on the same tokens counts once, with its strongest entry ("frist" and
    # "fristen" share a stem; a word listed twice must not count twice).
    strongest: dict[tuple[str, int, int], Hit] = {}
    for hit in hits:
        key = (hit[0], hit[1], hit[2])  # label, start, end
        other = strongest.get(key)
        # The higher weight wins; on equal weight a whole word beats a compound part.
        if other is None or hit[3] > other[3] or (hit[3] == other[3] and other[5] and not hit[5]):
            strongest[key] = hit
    hits = list(strongest.values())
    if len(hits) < 2:
        return hits
    hits.sort(key=_START)
    end = -1
    for hit in hits:
        if hit[1] < end:
            break
        end = hit[2]
    else:
        return hits  # nothing overlaps (the usual case)
    ordered = sorted(hits, key=lambda h: (-(h.end - h.start), h.compound, h.start))
    kept: list[Hit] = []
    for hit in ordered:
        shadowed = False
        for other in kept:
            inside = other.start <= hit.start and hit.end <= other.end
            if not inside:
                continue
            if (other.end - other.start) > (hit.end - hit.start) or (
                hit.compound and not other.compound
            ):
                shadowed = True
                break
        if not shadowed:
            kept.append(hit)
    return sorted(kept, key=lambda h: h.start)


def _alias_key(name: str) -> str:
    return " ".join(t for t in tokenize(name) if t not in BREAKS)


def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """Extend `base` by `extra`: tables merge, lists are appended, scalars replaced."""
    merged = dict(base)
    for key, value in extra.items():
        old = merged.get(key)
        if isinstance(old, dict) and isinstance(value, Mapping):
            merged[key] = _merge(old, value)
        elif isinstance(old, list) and isinstance(value, list):
            merged[key] = old + [v for v in value if v not in old]
        else:
            merged[key] = value
    return merged


def _entries(table: Any, language: str) -> list[str]:
    """Entries of a {de, en, any} table for one language, or of a plain list."""
    if isinstance(table, list):
        return [str(e) for e in table]
    if isinstance(table, Mapping):
        return [str(e) for e in table.get(language, [])] + [str(e) for e in table.get("any", [])]
    return []


@dataclass(frozen=True)
class Vocabulary:
    """The loaded vocabulary: raw data, a version string, and per-language matchers."""

    data: Mapping[str, Any]
    version: str
    systems: Mapping[str, tuple[str, ...]]  # canonical name -> aliases (incl. itself)
    suggestions: Mapping[str, Mapping[str, str]]
    _matchers: dict[str, Matcher] = field(default_factory=dict, compare=False, repr=False)
    _aliases: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    _generic: set[str] = field(default_factory=set, compare=False, repr=False)
    _memo: dict[str, dict[str, Any]] = field(default_factory=dict, compare=False, repr=False)

    def memo(self, name: str) -> dict[str, Any]:
        """A cache of results computed from this vocabulary alone, shared by every model read
        with it (texts repeat across models, and versions of one model repeat nearly all)."""
        return self._memo.setdefault(name, {})

    def matcher(self, language: str) -> Matcher:
        """The matcher for `language` (built on first use, then reused)."""
        language = language if language in LANGUAGES else "de"
        found = self._matchers.get(language)
        if found is None:
            found = Matcher(self.patterns(language), language)
            self._matchers[language] = found
        return found

    def context_matcher(self, language: str) -> Matcher:
        """The matcher of the `context` words (requester roles, replies): read only for the few
        texts that need them, so the main matcher stays small."""
        language = language if language in LANGUAGES else "de"
        key = "context:" + language
        found = self._matchers.get(key)
        if found is None:
            patterns = [
                pattern
                for name, entries in self.data.get("context", {}).items()
                for entry in _entries(entries, language)
                if (pattern := compile_pattern(f"context.{name}", entry, language)) is not None
            ]
            found = Matcher(patterns, language)
            self._matchers[key] = found
        return found

    def patterns(self, language: str) -> list[Pattern]:
        """All patterns of the vocabulary for one language."""
        patterns: list[Pattern] = []

        def add(label: str, entries: Iterable[str]) -> None:
            for entry in entries:
                pattern = compile_pattern(label, entry, language)
                if pattern is not None:
                    patterns.append(pattern)

        def add_nouns(label: str, entries: Iterable[str]) -> None:
            # The noun of action means what its verb means ("Übermittlung" = "übermitteln"); the
            # pattern keeps the verb as its text, so every rule on the verb applies to the noun.
            for entry in entries:
                for noun in noun_forms(entry):
                    pattern = compile_pattern(label, noun, language)
                    if pattern is not None:
                        verb = _split_entry(entry)[0]
                        patterns.append(dataclasses.replace(pattern, text=verb))

        for group in ("media", "kinds"):
            for name, table in self.data.get(group, {}).items():
                entries = _entries(table, language)
                add(f"{group}.{name}", entries)
                if group == "kinds" and language == "de":
                    add_nouns(f"{group}.{name}", entries)
        for name, entries in self.data.get("phrases", {}).items():
            add(f"phrases.{name}", _entries(entries, language))
        for name, entries in self.data.get("break_task", {}).items():
            add(f"break_task.{name}", _entries(entries, language))
            if language == "de" and name == "scan":  # "Digitalisierung der Akte"
                add_nouns(f"break_task.{name}", _entries(entries, language))
        for name, entries in self.data.get("scan_purpose", {}).items():
            add(f"scan_purpose.{name}", _entries(entries, language))
        for name, entries in self.data.get("exclusions", {}).items():
            add(f"exclusions.{name}", _entries(entries, language))
            if language == "de":
                add_nouns(f"exclusions.{name}", _entries(entries, language))
        for canonical, aliases in self.systems.items():
            for alias in aliases:
                # System names are product names: matched word by word, exactly, never stemmed.
                words = " ".join("=" + t for t in tokenize(alias) if t not in BREAKS)
                if words:
                    add(f"systems.{canonical}", [words + "|3"])
        # Entries that compile to the same words ("print", "prints": one stem) count once, with
        # their strongest weight: fewer hits, and no word counts twice.
        unique: dict[tuple[str, tuple[WordPattern, ...]], Pattern] = {}
        for pattern in patterns:
            key = (pattern.label, pattern.words)
            if key not in unique or pattern.weight > unique[key].weight:
                unique[key] = pattern
        return list(unique.values())

    def canonical_system(self, name: str) -> str:
        """Merge aliases: "E-Akte" and "DMS" are "eAkte"; unknown names keep their own spelling."""
        if not self._aliases:
            self._aliases.update(
                (_alias_key(alias), canonical)
                for canonical, names in self.systems.items()
                for alias in names
            )
        return self._aliases.get(_alias_key(name), name.strip())

    @functools.cached_property
    def known_systems(self) -> frozenset[str]:
        """The canonical names of the systems the vocabulary lists."""
        return frozenset(self.canonical_system(a) for a in self.systems)

    @functools.cached_property
    def not_systems(self) -> frozenset[str]:
        """Folded abbreviations that look like product names but are none (SGB, PDF, OLG)."""
        table = self.data.get("not_systems", {})
        return frozenset(fold(n) for n in _entries(table, "de") + _entries(table, "en"))

    def is_generic_system(self, name: str) -> bool:
        """Generic words ("Fachverfahren", "Portal") name no particular system (ANALYSIS.md 5.2)."""
        if not self._generic:
            generic = self.data.get("generic_systems", {})
            self._generic.update(
                _alias_key(n) for n in _entries(generic, "de") + _entries(generic, "en")
            )
            self._generic.add("")  # marks the set as filled
        return _alias_key(name) in self._generic


def _build(data: dict[str, Any]) -> Vocabulary:
    systems = {
        str(name): tuple(dict.fromkeys([str(name), *[str(a) for a in aliases]]))
        for name, aliases in data.get("systems", {}).items()
    }
    suggestions = {
        str(kind): {"de": str(text.get("de", "")), "en": str(text.get("en", ""))}
        for kind, text in data.get("suggestions", {}).items()
    }
    digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:12]
    version = f"{data.get('version', '0')}+{digest}"
    return Vocabulary(data=data, version=version, systems=systems, suggestions=suggestions)


@functools.cache
def _load(path: Path, extra: Path | None) -> Vocabulary:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    if extra is not None:
        with extra.open("rb") as handle:
            data = _merge(data, tomllib.load(handle))
    return _build(data)


@functools.cache
def load_vocabulary(extra: Path | None = None, path: Path = DEFAULT_PATH) -> Vocabulary:
    """The vocabulary, loaded once; `extra` (a city's TOML file) is merged on top."""
    return _load(path.resolve(), extra.resolve() if extra is not None else None)


def vocabulary_from_mapping(data: Mapping[str, Any], base: Vocabulary | None = None) -> Vocabulary:
    """A vocabulary from in-memory data merged over `base` (tests, configuration screens)."""
    merged = _merge(dict(base.data), data) if base is not None else dict(data)
    return _build(merged)
