"""Media of elements and media breaks (ANALYSIS.md sections 1, 2 and 5).

The medium of an element is found once per element (pa:medium, then words, then type) and then
the four rules compare media along sequence flows (a), data inputs (b), the wording of a task (c)
and message flows (d).
"""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from app.bpmn.graph import (
    AUTOMATED_TYPES,
    OTHER_ACTIVITY_TYPES,
    SUBPROCESS_TYPES,
    TASK_TYPES,
    Graph,
    Node,
)
from app.bpmn.text import (
    BREAKS,
    capitals,
    cased_tokens,
    detect_language,
    has_hyphenated_compound,
    join_hyphenated_compounds,
    token_language,
    tokenize,
)
from app.bpmn.vocabulary import (
    Hit,
    Matcher,
    Vocabulary,
    best_per_span,
    compile_pattern,
)

MEDIA = ("paper", "fax", "phone", "in_person", "email", "office_file", "it_system")
MEDIUM_CLASS = {
    "paper": "analog",
    "fax": "analog",
    "phone": "analog",
    "in_person": "analog",
    "email": "digital_unstructured",
    "office_file": "digital_unstructured",
    "it_system": "digital_structured",
}
#: Spellings of pa:medium other tools or people write, mapped to the canonical medium.
_MEDIUM_ALIASES = {
    "post": "paper",
    "letter": "paper",
    "telephone": "phone",
    "telefon": "phone",
    "inperson": "in_person",
    "in-person": "in_person",
    "person": "in_person",
    "e-mail": "email",
    "mail": "email",
    "office": "office_file",
    "file": "office_file",
    "officefile": "office_file",
    "it": "it_system",
    "system": "it_system",
    "itsystem": "it_system",
    "it-system": "it_system",
}
#: How far (in tokens) a channel / target / source / conditional marker reaches forward.
MARKER_REACH = 3
_HIT_ORDER = operator.attrgetter("start", "label")
#: Node types that end the walk along sequence flows: activities and collapsed sub-processes.
_WALK_STOP_TYPES = TASK_TYPES | OTHER_ACTIVITY_TYPES | SUBPROCESS_TYPES
#: Characters of one name or documentation that are read.
MAX_TEXT = 3000
# Readings kept per language and vocabulary (a few KB each).
_CACHED_READINGS = 8192
#: Weight of a guessed product name: above a source mention, below every real medium word.
GUESSED_WEIGHT = 1.5
_EN_VERB_LEAD = frozenset({"and", "then", "to", "or", "first", "manually"})
#: Product-like spellings: CamelCase ("ParkOnline"), capitals ("OTRS"), domains ("x-y.de").
_PRODUCT = re.compile(
    r"^(?:[A-Z]?[a-z]+[A-Z][A-Za-z0-9]*|[A-Z][A-Z0-9]{2,}(?:[.&][A-Z0-9]+)*|[a-z0-9]+\.(?:de|com|org|net|eu|bund\.de))$"
)
_PRODUCT_SEARCH = re.compile(r"\b(?:[A-Z]?[a-z]+[A-Z]|[A-Z][A-Z0-9]{2,})|\.(?:de|com|org|net|eu)\b")
_CLAUSE_JOINS = frozenset({",", ";", "und", "sowie", "and", "then", "dann"})
_NOT_MARKERS = frozenset({"conditional", "alternative"})
_ARTICLES = frozenset({"des", "eines", "dieses", "jedes", "keines", "the", "a", "this", "each"})
_DOMAIN = re.compile(r"^[a-z0-9]+\.(?:de|com|org|net|eu)$")

_MEDIUM_NAMES_DE = {
    "paper": "Papier",
    "fax": "Fax",
    "phone": "Telefon",
    "in_person": "persönlich",
    "email": "E-Mail",
    "office_file": "Office-Datei",
    "it_system": "IT-System",
}
_MEDIUM_NAMES_EN = {
    "paper": "paper",
    "fax": "fax",
    "phone": "phone",
    "in_person": "in person",
    "email": "e-mail",
    "office_file": "office file",
    "it_system": "IT system",
}


def medium_class(medium: str | None) -> str | None:
    """analog, digital_unstructured or digital_structured (None for unknown)."""
    return MEDIUM_CLASS.get(medium) if medium else None


def normalise_medium(value: str | None) -> str | None:
    """A pa:medium value as a canonical medium, or None when it is empty or unknown."""
    if not value:
        return None
    key = value.strip().lower().replace(" ", "_")
    if key in MEDIUM_CLASS:
        return key
    return _MEDIUM_ALIASES.get(key.replace("_", "-"), _MEDIUM_ALIASES.get(key.replace("_", "")))


class MediumHit(NamedTuple):
    """A medium word in a text, with its effective weight after channel/target/source markers."""

    medium: str
    system: str | None
    start: int
    weight: float
    words: str


@dataclass(frozen=True)
class TextReading:
    """What the vocabulary finds in one text (a name or a documentation)."""

    tokens: tuple[str, ...]
    text: str
    media: tuple[MediumHit, ...]  # conditional mentions removed, weights adjusted
    # Hits by group, resolved per group (longest / whole-word wins); media and system names
    # share the group "media". Not to be changed after reading.
    groups: Mapping[str, Sequence[Hit]] = field(default_factory=dict, compare=False)
    # Per token: written with a capital letter (German nouns, proper names).
    caps: tuple[bool, ...] = ()
    # Hits by group that are neither conditional ("ggf. drucken") nor negated ("kein Ermessen").
    active_groups: Mapping[str, Sequence[Hit]] = field(default_factory=dict, compare=False)

    @property
    def hits(self) -> tuple[Hit, ...]:
        """All hits, group by group."""
        return tuple(h for group in self.groups.values() for h in group)

    def labels(self, group: str) -> list[Hit]:
        """Hits of one group (`kinds`, `exclusions`, `break_task`, ...)."""
        return list(self.groups.get(group, ()))

    def active(self, group: str) -> Sequence[Hit]:
        """Hits of a group that are neither conditional nor negated."""
        return self.active_groups.get(group, ())

    def best(self, min_weight: float = 0) -> MediumHit | None:
        """The strongest medium mention (ties: the later one, which usually names the result)."""
        best: MediumHit | None = None
        for hit in self.media:
            if hit.weight < min_weight:
                continue
            if best is None or hit.weight >= best.weight:
                best = hit
        return best


@dataclass(frozen=True)
class ElementMedium:
    """The medium of one element and where it came from."""

    medium: str | None
    system: str | None  # canonical system name, for it_system
    source: str  # pa, name, documentation, type, data, none
    words: str = ""


class Reader:
    """Reads the texts of one model: language, vocabulary matcher, system names of the model."""

    def __init__(self, graph: Graph, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        # A model's language shows in its first few hundred texts; reading them all would only
        # cost time on very large models.
        texts: list[str] = [n.name for n in itertools.islice(graph.nodes.values(), 400) if n.name]
        texts += [
            n.documentation[:MAX_TEXT]
            for n in itertools.islice(graph.nodes.values(), 400)
            if n.documentation
        ]
        texts += [d.name for d in itertools.islice(graph.data.values(), 100)]
        texts += [m.name for m in graph.message_flows[:100]]
        self.language = detect_language(texts)
        self.matcher: Matcher = vocabulary.matcher(self.language)
        self._systems: dict[str, str] = {}
        # System names written in pa:system anywhere in the model name that system wherever the
        # model mentions them ("Belegung in Little Bird bestätigen" without any attribute).
        known = vocabulary.known_systems
        extra = []
        for system in _model_systems(graph):
            canonical = vocabulary.canonical_system(system)
            if canonical in known or len(system.strip()) < 2:
                continue
            if vocabulary.is_generic_system(system):
                continue
            words = " ".join("=" + t for t in tokenize(system) if t not in BREAKS)
            pattern = compile_pattern(f"systems.{canonical}", words + "|3", self.language)
            if pattern is not None:
                extra.append(pattern)
        self._extra = Matcher(extra, self.language) if extra else None
        # A reading depends on the vocabulary, the language and the text, and on the system
        # names of this model if it writes unlisted ones.
        self._cache: dict[str, TextReading] = {}  # this model's texts, each read once
        self._shared: dict[str, TextReading] | None = (
            vocabulary.memo(f"readings.{self.language}") if self._extra is None else None
        )

    def read(self, text: str) -> TextReading:
        """Vocabulary hits of `text` (cached per distinct text)."""
        found = self._cache.get(text)  # texts are read several times: look up first
        if found is None:
            found = self._cache[text] = self._shared_read(text)
        return found

    def _shared_read(self, text: str) -> TextReading:
        if len(text) > MAX_TEXT:
            # What a step is and works on is said early; an essay in a documentation field
            # must not make the analysis slow (some steps of the reading grow faster than
            # linearly with the number of matches in one text).
            text = text[:MAX_TEXT]
        shared = self._shared
        found = shared.get(text) if shared is not None else None
        if found is None:
            found = self._read(text)
            if shared is not None:
                if len(shared) >= _CACHED_READINGS:
                    shared.clear()  # a bound on memory, not an LRU: refilled as models come
                shared[text] = found
        return found

    def _read(self, text: str) -> TextReading:
        tokens = tokenize(text)
        matcher = self.matcher
        language = self.language
        if len(tokens) > 2:
            # A text clearly in the other language (English names in a German model, or the
            # reverse) is read with that language's stemmer and words.
            language = token_language(tokens, self.language)
            if language != self.language:
                matcher = self.vocabulary.matcher(language)
        if language == "de" and has_hyphenated_compound(text):
            # A German compound split by a hyphen before a lower-case tail ("Service-kontos",
            # "Melde-register") is one word.
            text = join_hyphenated_compounds(text)
            tokens = tokenize(text)
        # Media and system names compete for the same words; everything else per group.
        groups: dict[str, list[Hit]] = {}
        matcher.find(tokens, groups)
        if self._extra is not None:
            self._extra.find(tokens, groups)
        for key, bucket in groups.items():
            if len(bucket) > 1:
                groups[key] = best_per_span(bucket)
        phrases = groups.get("phrases")
        if phrases and any(h.value == "conditional" and h.start > 0 for h in phrases):
            # "eines Falls", "des Falls" are nouns, not the conditional "falls".
            groups["phrases"] = [
                h
                for h in phrases
                if h.value != "conditional" or h.start == 0 or tokens[h.start - 1] not in _ARTICLES
            ]
        if _PRODUCT_SEARCH.search(text):
            found = [h for b in groups.values() for h in b]
            products = self._product_names(tokens, cased_tokens(text, len(tokens)), found)
            if products:
                groups["media"] = sorted(groups.get("media", []) + products, key=_HIT_ORDER)
        media = tuple(_media_hits(tokens, groups.get("media", ()), groups.get("phrases", ())))
        return TextReading(
            tokens,
            text,
            media,
            groups,
            capitals(text, len(tokens)),
            _active_groups(tokens, groups),
        )

    def _product_names(
        self, tokens: tuple[str, ...], cased: tuple[str, ...], hits: list[Hit]
    ) -> list[Hit]:
        """Unlisted product names ("in ParkOnline", "Fundregister FundInfo") as named systems.

        A token that looks like a product (CamelCase, all capitals, a domain) names an IT system
        when it directly follows a carrier phrase ("in", "über das", "aus") or an IT-system word.
        Abbreviations that are no systems (laws, courts, file formats) are listed in the
        vocabulary under `not_systems`.
        """
        covered: set[int] = set()
        after: set[int] = set()
        for hit in hits:
            if hit.group in {"media", "systems"}:
                covered.update(range(hit.start, hit.end))
                if hit.value == "it_system" or hit.group == "systems":
                    after.add(hit.end)
            elif hit.group == "phrases" and hit.value not in _NOT_MARKERS:
                after.add(hit.end)
                after.add(hit.end + 1)  # one article or adjective in between
        # Web addresses name a system wherever they stand ("zoll-auktion.de").
        after.update(i for i, t in enumerate(tokens) if _DOMAIN.match(t))
        found: list[Hit] = []
        for i in sorted(after):
            if i >= len(tokens) or i in covered or not _PRODUCT.match(cased[i]):
                continue
            if tokens[i] in self.vocabulary.not_systems:
                continue
            name = cased[i]
            # Weight 0 marks a guessed name; `_media_hits` ranks it below every real word.
            found.append(Hit(f"systems.{name}", i, i + 1, 0, name, False, "systems", name))
        return found

    def canonical(self, system: str | None) -> str | None:
        """Canonical system name (aliases merged); None for none or a generic word."""
        if not system or not system.strip():
            return None
        found = self._systems.get(system)
        if found is None:
            generic = self.vocabulary.is_generic_system(system)
            found = "" if generic else self.vocabulary.canonical_system(system)
            self._systems[system] = found
        return found or None


def _model_systems(graph: Graph) -> Iterator[str]:
    for node in graph.nodes.values():
        if node.system:
            yield node.system
    for data in graph.data.values():
        if data.system:
            yield data.system
    for flow in graph.message_flows:
        if flow.system:
            yield flow.system


def _media_hits(
    tokens: tuple[str, ...], candidates: Sequence[Hit], phrases: Sequence[Hit]
) -> list[MediumHit]:
    """Medium mentions in token order, weighted by the marker phrases before them."""
    if not candidates:
        return []
    markers = [h for h in phrases if h.value not in _NOT_MARKERS] if phrases else []
    conditionals = [h for h in phrases if h.value == "conditional"] if phrases else []
    # Words listed as "no medium" ("Papierkorb", "offene Posten") silence media on their tokens.
    silent = [(h.start, h.end) for h in candidates if h.label == "media.none"]
    starts = [h.start for h in candidates]
    may_be_negated = not NEGATIONS.isdisjoint(tokens)
    result: list[MediumHit] = []
    for hit in candidates:
        group = hit.group
        if group == "systems":
            medium, system = "it_system", hit.value
        elif group == "media" and hit.value in MEDIUM_CLASS:
            medium, system = hit.value, None
        else:
            continue
        hit_start = hit.start
        if silent and _inside(silent, hit_start, hit.end):
            continue
        if conditionals and _marker_before(tokens, conditionals, hit_start, MARKER_REACH + 1):
            continue  # "bei Bedarf persönlich", "ggf. per Post": no medium
        if conditionals and _trailing_condition(tokens, conditionals, hit.end):
            continue  # "by letter if needed": a closing condition qualifies the phrase before it
        if may_be_negated and negated(tokens, hit_start):
            continue  # "nicht per Post", "ohne Ausdruck"
        marker = _marker_before(tokens, markers, hit_start) if markers else None
        if marker is not None:
            marker_end = marker.end
            for other in starts:
                if marker_end <= other < hit_start:
                    marker = None  # a marker qualifies only the first medium word after it
                    break
        weight: float = hit.weight
        if group == "systems" and weight == 0:
            # A guessed product name ("in ParkOnline") names the system, but any real medium
            # word of the text outranks it ("Vorsprache im KVR" stays in person).
            weight = 1 if marker is not None and marker.value == "source" else GUESSED_WEIGHT
            result.append(MediumHit(medium, system, hit_start, weight, hit.text))
            continue
        if weight < 2 and (marker is None or marker.value == "source"):
            continue  # a weak hint ("Akte", "Unterschrift") sets no medium on its own
        if marker is not None:
            if marker.value == "channel":
                weight = max(weight, 4)
            elif marker.value == "target":
                weight = max(weight, 3)
            elif marker.value == "source":
                weight = 1
        if hit_start >= 2 and result and tokens[hit_start - 1] == "(":
            # "Posteingangsbuch (Excel)": the bracket says on what the thing before it lives.
            before = result[-1]
            if before.start == hit_start - 2:
                result.pop()
                weight = max(weight, before.weight)
        result.append(MediumHit(medium, system, hit_start, weight, hit.text))
    if len(result) > 1 and phrases and any(h.value == "alternative" for h in phrases):
        result = _alternatives(tokens, result, [h for h in phrases if h.value == "alternative"])
    return result


def _active_groups(
    tokens: tuple[str, ...], groups: Mapping[str, Sequence[Hit]]
) -> Mapping[str, Sequence[Hit]]:
    """The hits of each group that are neither conditional ("ggf. drucken") nor negated."""
    conditionals = [h for h in groups.get("phrases", ()) if h.value == "conditional"]
    if not conditionals and NEGATIONS.isdisjoint(tokens):
        return groups  # the usual case: nothing to drop
    negators = [i for i, t in enumerate(tokens) if t in NEGATIONS]
    found: dict[str, list[Hit]] = {}
    for hit in (h for group in groups.values() for h in group):
        if conditionals:
            marker = _marker_before(tokens, conditionals, hit.start, MARKER_REACH + 1)
            # A conditional qualifies the carrier or an extra step ("ggf. per Post",
            # "ggf. ausdrucken"); the purpose of the task stays, unless the conditional opens
            # an extra clause after the main one ("Antrag prüfen, ggf. nachfordern").
            if marker is not None and (hit.group != "kinds" or _extra_clause(tokens, marker)):
                continue
        if any(hit.start - 2 <= i < hit.start for i in negators):
            continue
        found.setdefault(hit.group, []).append(hit)
    return {k: tuple(v) for k, v in found.items()}


def _extra_clause(tokens: tuple[str, ...], marker: Hit) -> bool:
    """Whether a conditional opens a clause after another one ("…, ggf. …", "… und ggf. …")."""
    return marker.start > 1 and tokens[marker.start - 1] in _CLAUSE_JOINS


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) lies within one of the spans."""
    return any(span_start <= start and end <= span_end for span_start, span_end in spans)


def _trailing_condition(tokens: tuple[str, ...], conditionals: list[Hit], end: int) -> bool:
    """A conditional that closes the text or a clause, right after a medium phrase."""
    for marker in conditionals:
        if not 0 <= marker.start - end <= 1:
            continue
        if marker.end == len(tokens) or tokens[marker.end] in BREAKS:
            return True
    return False


def _alternatives(
    tokens: tuple[str, ...], hits: list[MediumHit], joins: list[Hit]
) -> list[MediumHit]:
    """Carriers offered as alternatives ("telefonisch oder per E-Mail", "by post or e-mail").

    The result must not depend on the order of the words: alternatives of different classes
    set no medium; of one class they count as the first medium of that class in `MEDIA` (any of
    them gives the same media breaks, which compare classes).
    """
    result = list(hits)
    for join in joins:
        before = [h for h in result if h.start < join.start]
        after = [h for h in result if h.start >= join.end]
        if not before or not after:
            continue
        first, second = before[-1], after[0]
        if join.start - first.start > MARKER_REACH or second.start - join.end > MARKER_REACH:
            continue
        if not BREAKS.isdisjoint(tokens[first.start : second.start]):
            continue
        # A word can be both a medium word and a system name ("SAP"): drop every reading of it.
        result = [h for h in result if h.start not in {first.start, second.start}]
        if MEDIUM_CLASS[first.medium] == MEDIUM_CLASS[second.medium]:
            medium = min(first.medium, second.medium, key=MEDIA.index)
            chosen = first if first.medium == medium else second
            weight = max(first.weight, second.weight)
            # Two named systems offered as alternatives name neither ("in SAP oder VOIS").
            system = chosen.system if first.system == second.system else None
            result.append(chosen._replace(start=second.start, weight=weight, system=system))
            result.sort(key=operator.attrgetter("start"))
    return result


NEGATIONS = frozenset(
    {"kein", "keine", "keiner", "keinen", "ohne", "nicht", "no", "not", "without", "never", "nie"}
)


def negated(tokens: tuple[str, ...], position: int) -> bool:
    """A negation up to two tokens before `position` ("kein Ermessen", "nicht per Post")."""
    return not NEGATIONS.isdisjoint(tokens[max(0, position - 2) : position])


def _marker_before(
    tokens: tuple[str, ...], markers: list[Hit], position: int, reach: int = MARKER_REACH
) -> Hit | None:
    """The nearest marker phrase ending at most `reach` tokens before `position`."""
    best: Hit | None = None
    for marker in markers:
        if marker.end > position or position - marker.end > reach:
            continue
        if not BREAKS.isdisjoint(tokens[marker.end : position]):
            continue
        if (
            best is None
            or marker.end > best.end
            or (marker.end == best.end and marker.start < best.start)
        ):
            best = marker
    return best


def _choose(name: TextReading, doc: TextReading) -> MediumHit | None:
    """Name first; the documentation speaks only when the name says nothing (or only "aus X")."""
    if not name.media and not doc.media:
        return None  # no medium word at all
    named = name.best(2)
    if named is not None and named.medium == "in_person" and named.weight == 2:
        # A conversation or meeting is in person unless a channel says otherwise, also in the
        # documentation ("Gespräch führen" documented as "telefonisch").
        channel = doc.best(3)
        if channel is not None and channel.medium in {"phone", "email", "it_system"}:
            return channel
    steps = (
        (name, 2),
        (name, GUESSED_WEIGHT),
        (doc, 2),
        (doc, GUESSED_WEIGHT),
        (name, 1),
        (doc, 1),
    )
    for reading, floor in steps:
        best = reading.best(floor)
        if best is not None:
            return best
    return None


def _system_of(readings: Iterable[TextReading]) -> str | None:
    """The system a text names where it works (not where it reads from)."""
    for reading in readings:
        best: MediumHit | None = None
        for hit in reading.media:
            if (
                hit.system
                and hit.weight >= GUESSED_WEIGHT
                and (best is None or hit.weight >= best.weight)
            ):
                best = hit
        if best is not None:
            return best.system
    return None


def text_medium(
    reader: Reader,
    name: str,
    documentation: str,
    pa_medium: str | None,
    pa_system: str | None,
    node_type: str | None = None,
) -> ElementMedium:
    """Medium of an element from pa:medium, its words, or its type (ANALYSIS.md section 1)."""
    name_reading = reader.read(name)
    doc_reading = reader.read(documentation)
    explicit = normalise_medium(pa_medium)
    system = reader.canonical(pa_system)
    if explicit is not None:
        if explicit == "it_system" and system is None:
            system = _system_of((name_reading, doc_reading))
        return ElementMedium(explicit, system if explicit == "it_system" else None, "pa")
    if node_type in AUTOMATED_TYPES:
        # Software does the step: it works in an IT system whatever else its name mentions.
        return ElementMedium("it_system", system or _system_of((name_reading, doc_reading)), "type")
    best = _choose(name_reading, doc_reading)
    if best is None:
        if system is not None:
            return ElementMedium("it_system", system, "pa")
        return ElementMedium(None, None, "none")
    source = "name" if best in name_reading.media else "documentation"
    if best.medium == "it_system":
        system = system or best.system or _system_of((name_reading, doc_reading))
    else:
        system = None
    return ElementMedium(best.medium, system, source, best.words)


@dataclass(frozen=True)
class MediaBreak:
    """One media-break finding."""

    rule: str
    elements: tuple[str, ...]
    media: tuple[str | None, str | None]
    severity: str
    explanation: dict[str, str] = field(hash=False, compare=False)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form (keys compared directly with the labels files)."""
        return {
            "rule": self.rule,
            "elements": list(self.elements),
            "media": list(self.media),
            "severity": self.severity,
            "explanation": dict(self.explanation),
        }


def severity(first: str | None, second: str | None) -> str:
    """high for analog <-> digital, medium otherwise."""
    classes = {medium_class(first), medium_class(second)}
    return "high" if "analog" in classes and len(classes - {"analog"}) > 0 else "medium"


@dataclass(frozen=True)
class MediaResult:
    """Media of all elements and the media breaks found."""

    media: dict[str, ElementMedium]
    breaks: tuple[MediaBreak, ...]
    language: str


def resolve_media(graph: Graph, reader: Reader) -> dict[str, ElementMedium]:
    """Medium of every activity, data reference and message flow, computed once."""
    result: dict[str, ElementMedium] = {}
    for node in graph.nodes.values():
        if node.id in graph.subprocesses:
            continue  # an expanded sub-process has no medium of its own
        if node.type in _WALK_STOP_TYPES:  # activities and sub-processes
            result[node.id] = text_medium(
                reader, node.name, node.documentation, node.medium, node.system, node.type
            )
    for data in graph.data.values():
        found = text_medium(reader, data.name, data.documentation, data.medium, data.system)
        if found.medium is None and data.target_ref and data.target_ref in graph.data:
            inner = graph.data[data.target_ref]
            found = text_medium(reader, inner.name, inner.documentation, inner.medium, inner.system)
        result[data.id] = found
    for flow in graph.message_flows:
        result[flow.id] = text_medium(
            reader, flow.name, flow.documentation, flow.medium, flow.system
        )
    return result


def _is_walk_stop(node: Node, graph: Graph) -> bool:
    """Activities (and collapsed sub-processes) end the walk; gateways and events do not."""
    return node.type in _WALK_STOP_TYPES and node.id not in graph.subprocesses


def next_activities(graph: Graph, start: str, *, from_node: bool = True) -> list[str]:
    """Activities reached from `start` along sequence flows through gateways and events.

    With `from_node` the walk begins at the outgoing flows of `start` (an activity, or an event
    receiving a message); sub-processes are entered at their first inner nodes and left from
    their last ones, boundary events continue the flow of their host.
    """
    seen: set[str] = {start}
    found: list[str] = []
    stack: list[str] = []
    if from_node:
        stack.extend(_successors(graph, start))
    else:
        stack.append(start)
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        node = graph.nodes.get(current)
        if node is None:
            continue
        if node.id in graph.subprocesses:
            stack.extend(graph.subprocesses[node.id].entries)
            continue
        if _is_walk_stop(node, graph):
            found.append(current)
            continue
        stack.extend(_successors(graph, current))
    return found


def _successors(graph: Graph, node_id: str) -> list[str]:
    node = graph.nodes[node_id]
    outgoing = graph.outgoing.get(node_id, ())
    # A boundary event carries on the work of its host (the escalation after a timer).
    boundary = graph.boundary.get(node_id)
    following = [*outgoing, *boundary] if boundary else list(outgoing)
    if outgoing or node.type == "boundaryEvent" or node.triggered_by_event:
        return following
    # Leaving a sub-process from its last inner node: continue after the sub-process, or after
    # the enclosing one when the sub-process is itself the last node of its parent.
    parent = node.parent
    while parent is not None and parent in graph.subprocesses:
        after = graph.outgoing.get(parent, ())
        if after:
            return following + list(after)
        parent_node = graph.nodes[parent]
        if parent_node.triggered_by_event:
            break
        parent = parent_node.parent
    return following


_CHANGE_DE = {
    "print": "Ausdruck",
    "scan": "Scan",
    "retype": "Abtippen",
    "manual": "manuelle Übertragung",
    "copy": "Übertragung von Hand",
}
_CHANGE_EN = {
    "print": "printing",
    "scan": "scanning",
    "retype": "re-typing",
    "manual": "manual transfer",
    "copy": "copying by hand",
}


def _explain(rule: str, first: str | None, second: str | None, detail: str = "") -> dict[str, str]:
    """One line in German and English saying what changes where."""
    de_a = _MEDIUM_NAMES_DE.get(first or "", "unbekannt")
    de_b = _MEDIUM_NAMES_DE.get(second or "", "unbekannt")
    en_a = _MEDIUM_NAMES_EN.get(first or "", "unknown")
    en_b = _MEDIUM_NAMES_EN.get(second or "", "unknown")
    if rule == "a" and detail:
        return {
            "de": f"Daten werden von Hand von einem IT-System ins andere übertragen ({detail}).",
            "en": f"Data is re-entered by hand from one IT system into another ({detail}).",
        }
    if rule == "a":
        return {
            "de": f"Im Ablauf wechselt der Träger: {de_a} → {de_b}.",
            "en": f"The flow changes carrier: {en_a} → {en_b}.",
        }
    if rule == "b":
        return {
            "de": f"Die gelesenen Daten liegen auf {de_a}, die Aufgabe arbeitet mit {de_b}.",
            "en": f"The task reads data on {en_a} but works with {en_b}.",
        }
    if rule == "c":
        return {
            "de": f"Die Aufgabe dient dem Trägerwechsel ({_CHANGE_DE.get(detail, detail)}): "
            f"{de_a} → {de_b}.",
            "en": f"The task exists to change the carrier ({_CHANGE_EN.get(detail, detail)}): "
            f"{en_a} → {en_b}.",
        }
    return {
        "de": f"Die Nachricht kommt als {de_a}, die empfangende Aufgabe arbeitet mit {de_b}.",
        "en": f"The message arrives as {en_a}; the receiving task works with {en_b}.",
    }


def flow_breaks(graph: Graph, media: dict[str, ElementMedium]) -> list[MediaBreak]:
    """Rule a: activity pairs along sequence flows whose media differ in class or system."""
    found: list[MediaBreak] = []
    done: set[frozenset[str]] = set()
    for node in graph.nodes.values():
        if not _is_walk_stop(node, graph):
            continue
        first = media.get(node.id)
        if first is None or first.medium is None:
            continue  # an activity of unknown medium never causes a finding
        for target in next_activities(graph, node.id):
            if target == node.id:
                continue
            pair = frozenset((node.id, target))
            if pair in done:
                continue
            second = media.get(target)
            if second is None or second.medium is None:
                continue
            detail = ""
            if medium_class(first.medium) == medium_class(second.medium):
                if not _system_break(graph, node.id, target, first, second):
                    continue
                detail = f"{first.system} → {second.system}"
            done.add(pair)
            found.append(
                MediaBreak(
                    "a",
                    (node.id, target),
                    (first.medium, second.medium),
                    severity(first.medium, second.medium),
                    _explain("a", first.medium, second.medium, detail),
                )
            )
    return found


def _system_break(
    graph: Graph, first_id: str, second_id: str, first: ElementMedium, second: ElementMedium
) -> bool:
    if first.medium != "it_system" or second.medium != "it_system":
        return False
    if not first.system or not second.system:
        return False  # "im Fachverfahren" names no system: it never differs
    if " ".join(tokenize(first.system)) == " ".join(tokenize(second.system)):
        return False
    # An automated step at either end is the interface between the two systems.
    return (
        graph.nodes[first_id].type not in AUTOMATED_TYPES
        and graph.nodes[second_id].type not in AUTOMATED_TYPES
        and not _automated_send_receive(graph.nodes[first_id], first)
        and not _automated_send_receive(graph.nodes[second_id], second)
    )


def _automated_send_receive(node: Node, medium: ElementMedium) -> bool:
    return node.type in {"sendTask", "receiveTask"} and medium.medium == "it_system"


def data_breaks(graph: Graph, media: dict[str, ElementMedium]) -> list[MediaBreak]:
    """Rule b: data read by an activity on a carrier of another class."""
    found: list[MediaBreak] = []
    done: set[tuple[str, str]] = set()
    for assoc in graph.data_inputs:
        key = (assoc.data, assoc.activity)
        if key in done:
            continue
        data = media.get(assoc.data)
        task = media.get(assoc.activity)
        if data is None or task is None or data.medium is None or task.medium is None:
            continue
        if medium_class(data.medium) == medium_class(task.medium):
            continue
        done.add(key)
        found.append(
            MediaBreak(
                "b",
                key,
                (data.medium, task.medium),
                severity(data.medium, task.medium),
                _explain("b", data.medium, task.medium),
            )
        )
    return found


@dataclass(frozen=True)
class CarrierChange:
    """Why a task is an explicit carrier change (rule c)."""

    kind: str  # print, scan, retype, manual, copy
    source: str | None
    target: str | None


def carrier_change(
    reader: Reader,
    node: Node,
    medium: ElementMedium,
    media: dict[str, ElementMedium],
    reads: dict[str, list[str]],
) -> CarrierChange | None:
    """Rule c on one task: print / scan / re-type wording, or "aus X in Y übertragen"."""
    reading = reader.read(node.name)
    hits = reading.active("break_task")
    if not hits:
        return None  # no print / scan / re-type / transfer wording: the usual case
    if token_language(reading.tokens, reader.language) == "en":
        # English nouns and verbs look alike ("the scan", "scan the letter"): only a verb that
        # opens the name or follows "and" / "then" / "to" says what the step does.
        hits = tuple(
            h for h in hits if h.start == 0 or reading.tokens[h.start - 1] in _EN_VERB_LEAD
        )
    kinds = [hit.value for hit in hits]
    if not kinds:
        return None
    markers = reading.groups.get("phrases", ())
    read = next((media[d].medium for d in reads.get(node.id, ()) if media[d].medium), None)
    named_source, _ = _source_and_target(reading)
    if "print" in kinds:
        # Printing starts from something digital: the named source, the data read, else a file.
        source = named_source.medium if named_source else read
        if medium_class(source) in {None, "analog"}:
            source = "office_file"
        return CarrierChange("print", source, "paper")
    if "scan" in kinds:
        target = medium.medium if medium_class(medium.medium) == "digital_structured" else None
        return CarrierChange("scan", "paper", target or "office_file")
    if node.type in AUTOMATED_TYPES:
        return None  # software copying between carriers is the interface, not a break
    if "retype" in kinds:
        source = named_source.medium if named_source else read
        return CarrierChange("retype", source, medium.medium)
    if "transfer" not in kinds:
        return None
    if "manual" in kinds:
        return CarrierChange("manual", read, medium.medium)
    source_hit, target_hit = _source_and_target(reading)
    has_source_marker = any(m.value == "source" for m in markers)
    if not has_source_marker:
        return None
    source_medium = source_hit.medium if source_hit else read
    source_system = source_hit.system if source_hit else None
    target_medium = target_hit.medium if target_hit else medium.medium
    target_system = target_hit.system if target_hit else medium.system
    if source_medium is None or target_medium is None:
        return None
    if medium_class(source_medium) != medium_class(target_medium):
        return CarrierChange("copy", source_medium, target_medium)
    if (
        source_medium == target_medium == "it_system"
        and source_system
        and target_system
        and reader.canonical(source_system) != reader.canonical(target_system)
    ):
        return CarrierChange("copy", source_medium, target_medium)
    return None


def _source_and_target(reading: TextReading) -> tuple[MediumHit | None, MediumHit | None]:
    source = target = None
    for hit in reading.media:
        if hit.weight == 1 and source is None:
            source = hit
        elif hit.weight >= 3:
            target = hit
    return source, target


def explicit_breaks(
    graph: Graph, media: dict[str, ElementMedium], reader: Reader
) -> tuple[list[MediaBreak], dict[str, CarrierChange]]:
    """Rule c: tasks whose purpose is a carrier change."""
    found: list[MediaBreak] = []
    changes: dict[str, CarrierChange] = {}
    reads: dict[str, list[str]] = {}
    for assoc in graph.data_inputs:
        if assoc.data in media:
            reads.setdefault(assoc.activity, []).append(assoc.data)
    for node in graph.nodes.values():
        if node.type not in TASK_TYPES:
            continue
        medium = media.get(node.id)
        if medium is None:
            continue
        change = carrier_change(reader, node, medium, media, reads)
        if change is None:
            continue
        changes[node.id] = change
        detail = change.kind
        found.append(
            MediaBreak(
                "c",
                (node.id,),
                (change.source, change.target),
                severity(change.source, change.target) if change.source else "medium",
                _explain("c", change.source, change.target, detail),
            )
        )
    return found, changes


def message_breaks(graph: Graph, media: dict[str, ElementMedium]) -> list[MediaBreak]:
    """Rule d: a message whose carrier class differs from that of the receiving activity."""
    found: list[MediaBreak] = []
    for flow in graph.message_flows:
        message = media.get(flow.id)
        if message is None or message.medium is None:
            continue
        for receiver in receiving_activities(graph, flow.target):
            task = media.get(receiver)
            if task is None or task.medium is None:
                continue
            if medium_class(task.medium) == medium_class(message.medium):
                continue
            found.append(
                MediaBreak(
                    "d",
                    (flow.id, receiver),
                    (message.medium, task.medium),
                    severity(message.medium, task.medium),
                    _explain("d", message.medium, task.medium),
                )
            )
    return found


def receiving_activities(graph: Graph, target: str) -> list[str]:
    """Activities that receive a message sent to `target` (an activity, event or pool)."""
    node = graph.nodes.get(target)
    if node is None:
        return []  # a pool (collapsed or its border): no receiving activity
    if node.id in graph.subprocesses:
        return next_activities(graph, node.id, from_node=False)
    if _is_walk_stop(node, graph):
        return [node.id]
    return next_activities(graph, node.id)


def find_media_breaks(graph: Graph, vocabulary: Vocabulary) -> MediaResult:
    """Media of all elements and the findings of rules a–d."""
    reader = Reader(graph, vocabulary)
    media = resolve_media(graph, reader)
    breaks = flow_breaks(graph, media) + data_breaks(graph, media)
    explicit, _ = explicit_breaks(graph, media, reader)
    breaks += explicit + message_breaks(graph, media)
    return MediaResult(media, tuple(breaks), reader.language)
