"""Automation candidates and the automation share (ANALYSIS.md sections 3 and 5.7-5.9).

A task is classified from the words of its name (the purpose) and documentation (the judgement
it needs): the strongest kind wins, the verb that ends a German name (or starts an English one)
counts double because it says what the step does, and judgement or presence words veto it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from app.bpmn.graph import AUTOMATED_TYPES, TASK_TYPES, Graph, Node
from app.bpmn.media import (
    MEDIUM_CLASS,
    CarrierChange,
    ElementMedium,
    MediaBreak,
    Reader,
    TextReading,
)
from app.bpmn.text import BREAKS, token_language, tokenize
from app.bpmn.vocabulary import Hit, Vocabulary

KINDS = (
    "data_transfer",
    "rule_check",
    "notification",
    "document_generation",
    "filing",
    "lookup",
    "online_intake",
)
#: Tie-break between kinds of equal score: the more specific purpose first.
_PRIORITY = {
    "online_intake": 7,
    "filing": 6,
    "notification": 5,
    "lookup": 4,
    "rule_check": 3,
    "document_generation": 2,
    "data_transfer": 1,
}
_VERB_ENDINGS = ("en", "ern", "eln")
#: Plain sending verbs that, with a request as object, mean "send in" (online intake).
_SUBMIT_VERBS = frozenset({"senden", "schicken", "send", "=abschicken", "einsenden", "submit"})
_OF_WORDS = frozenset({"vom", "von", "aus", "des", "der", "from", "of", "the"})
#: Words of a role name that say nothing about the role ("Bürger/in", "der Antragsteller").
_ROLE_FILLERS = frozenset({"in", "innen", "r", "der", "die", "das", "the", "a", "und", "and", "/"})
#: Notification words that only say something is sent (by a requester: sent in).
_TRANSPORT_VERBS = frozenset(
    {
        "senden",
        "schicken",
        "versenden",
        "verschicken",
        "zusenden",
        "ubermitteln",
        "einsenden",
        "=versandt",
        "=verschickt",
        "=versendet",
        "=gesendet",
        "=geschickt",
        "=ubermittelt",
        "faxen",
        "versand",
        "*versand",
        "postversand",
        "send",
        "sent",
        "post",
        "and post",
        "post it",
        "post them",
        "mail it",
        "and mail",
        "send out",
    }
)
_EN_ARTICLES = frozenset({"the", "a", "an", "this", "that", "its", "their", "your", "our"})
#: Drafting verbs: judgement for the office, not for a requester writing their own request.
_DRAFTING = frozenset({"write", "draft", "verfassen", "formulieren", "entwerfen", "aufsetzen"})
#: Verbs that only keep what a step took in (notes, files).
_SAVING = frozenset({"speichern", "=gespeichert", "sichern", "save", "store", "notieren"})
#: Verbs that name a kind only together with another word of that kind (their object).
_OBJECT_VERBS = frozenset({"=stellen", "=stellt"})
#: Articles skipped when looking for the leading action noun of a nominal name.
_ARTICLES = frozenset(
    {"der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "the", "a"}
)


@dataclass(frozen=True)
class Candidate:
    """An automation candidate: element id, kind, score, reasons and a suggestion."""

    element: str
    kind: str
    score: float
    reasons: tuple[str, ...]
    suggestion: dict[str, str] = field(hash=False, compare=False)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form (keys compared directly with the labels files)."""
        return {
            "element": self.element,
            "kind": self.kind,
            "score": self.score,
            "reasons": list(self.reasons),
            "suggestion": dict(self.suggestion),
        }


@dataclass(frozen=True)
class Verdict:
    """The classification of one task."""

    element: str
    automated: bool
    kind: str | None  # None: not a candidate
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class AutomationResult:
    """Candidates, automated tasks, non-candidates and the automation share."""

    candidates: tuple[Candidate, ...]
    automated: tuple[str, ...]
    not_candidates: tuple[str, ...]
    tasks: int

    @property
    def share(self) -> float:
        """(automated tasks + candidates) / all tasks; 0.0 for a model without tasks."""
        if self.tasks == 0:
            return 0.0
        return round((len(self.automated) + len(self.candidates)) / self.tasks, 4)


def is_automated(node: Node, medium: ElementMedium | None) -> bool:
    """Service, script and business-rule tasks, and send/receive tasks in an IT system."""
    if node.type in AUTOMATED_TYPES:
        return True
    return (
        node.type in {"sendTask", "receiveTask"}
        and medium is not None
        and medium.medium == "it_system"
    )


def _is_verb(reading: TextReading, hit: Hit, language: str, head: int = -1) -> bool:
    """Whether a hit is the action of the name: a German verb (lower case), an infinitive or
    action noun that leads a nominal name ("Übergabe Ausweis"), the first word in English."""
    if hit.start <= head < hit.end:
        return True
    if language == "en":
        return hit.start == 0
    if not reading.caps[hit.start]:
        return True
    token = reading.tokens[hit.end - 1]
    return hit.start == 0 and token.endswith(_VERB_ENDINGS)


def _outside_brackets(tokens: tuple[str, ...]) -> list[int]:
    """Word positions outside parentheses and without bare numbers ("Antrag prüfen (SB) 2")."""
    breaks = BREAKS
    if "(" not in tokens:
        words = [i for i, t in enumerate(tokens) if t not in breaks and not t.isdigit()]
        return words or [i for i, t in enumerate(tokens) if t not in breaks]
    # Before the first bracket everything is outside; a stray ")" there changes nothing.
    opening = tokens.index("(")
    words = [
        i
        for i, t in enumerate(tokens[:opening])
        if t not in breaks and not t.replace(".", "").isdigit()
    ]
    depth = 0
    for i in range(opening, len(tokens)):
        token = tokens[i]
        if token in breaks:
            if token == "(":
                depth += 1
            elif token == ")" and depth:
                depth -= 1
        elif depth == 0 and not token.replace(".", "").isdigit():
            words.append(i)
    return words or [i for i, t in enumerate(tokens) if t not in breaks]


def _head_position(reading: TextReading, language: str) -> int:
    """Index of the token that says what the step does.

    English names open with the verb ("Check the claim"). German names close with it ("Antrag
    prüfen", "… werden abgelegt"); a German name that ends in a noun is nominal ("Prüfung der
    Unterlagen", "Versand per Post", "Erfassung OK.EWO") and its first noun is the action.
    """
    words = _outside_brackets(reading.tokens)
    if not words:
        return -1
    if language == "en":
        return words[0]
    last = words[-1]
    if len(words) == 1 or not reading.caps[last]:
        return last
    tokens = reading.tokens
    for i in words:
        if tokens[i] not in _ARTICLES:
            return i
    return words[0]


def classify(
    node: Node,
    medium: ElementMedium | None,
    reader: Reader,
    change: CarrierChange | None = None,
    breaks: int = 0,
    *,
    requester: bool = False,
    on_site: Callable[[Node], bool] | bool = False,
) -> Verdict:
    """Classify one task: automated, a candidate of some kind, or not a candidate.

    `requester`: the task is done by someone who turns to the office (a task in another pool
    than the office's, or in a requester's lane); what it sends is a submission, not a notice.
    `on_site`: the task belongs to on-site work (its sub-process or the step before it happens
    on site), so recording observations there needs presence; a callable is asked only for
    tasks that record something.
    """
    if is_automated(node, medium):
        return Verdict(node.id, True, None, 1.0, (f"type:{node.type}",))
    language = reader.language
    name = reader.read(node.name)
    doc = reader.read(node.documentation)
    matched: list[Hit] = []

    # Judgement and presence: strong words decide from the name or the documentation, unless the
    # name's own verb is a clear candidate verb and the judgement word is only its object
    # ("Einladungen zu Vorstellungsgesprächen versenden").
    head = _head_position(name, language)
    name_exclusions = name.active("exclusions")
    strong_name: list[Hit]
    weak_name: list[Hit]
    place: list[Hit]
    if name_exclusions:
        strong_name = [
            h
            for h in name_exclusions
            if h.value == "strong" and not _object_noun(name, h, head, reader)
        ]
        if requester and strong_name and all(h.text in _DRAFTING for h in strong_name):
            # The requester writing their own request ("Write the application and send it")
            # is no expert statement: the step is the submission.
            strong_name = []
        # Weak words count only as the verb: "Unterschriebenes Schreiben" is no signing step.
        weak_name = [
            h for h in name_exclusions if h.value == "weak" and _is_verb(name, h, language, head)
        ]
        physical = [h for h in name_exclusions if h.value == "physical"]
        # "vom Vor-Ort-Termin" names where notes come from (re-typing them is a candidate);
        # "vor Ort erfassen" says the step itself happens there.
        place = [
            h
            for h in name_exclusions
            if h.value == "place" and (h.start == 0 or name.tokens[h.start - 1] not in _OF_WORDS)
        ]
    else:
        strong_name = weak_name = physical = place = []
    doc_exclusions = doc.active("exclusions")
    strong_doc = [h for h in doc_exclusions if h.value == "strong"] if doc_exclusions else []
    if place:
        words = ", ".join(_shown(h.text) for h in place)
        return Verdict(node.id, False, None, 0.0, (f"presence:{words}",))
    in_person = medium is not None and medium.medium == "in_person"
    if name_exclusions and (medium is None or MEDIUM_CLASS.get(medium.medium or "") == "analog"):
        # Recording one's own observations where the work is seen (ANALYSIS.md 5.9).
        record = [
            h for h in name_exclusions if h.value == "record" and _is_verb(name, h, language, head)
        ]
        if record and (on_site(node) if callable(on_site) else on_site):
            words = ", ".join(_shown(h.text) for h in record)
            return Verdict(node.id, False, None, 0.0, (f"presence (on-site notes):{words}",))

    scores: dict[str, float] = {}
    raw: dict[str, int] = {}  # strongest single word per kind: weak hints alone decide nothing
    strong_verb = False
    kind_hits = name.active("kinds")
    name_tokens = name.tokens
    for hit in kind_hits:
        hit_weight = hit.weight
        text = hit.text
        value = hit.value
        weight = float(hit_weight)
        if weight <= 0 or (requester and text in _DRAFTING):
            continue  # a requester drafting their own request: the step is sending it in
        if text in _OBJECT_VERBS and not any(h.value == value and h is not hit for h in kind_hits):
            # "stellen" is "Antrag stellen" only with a request as its object, not "an den
            # Straßenrand stellen".
            continue
        start = hit.start
        end = hit.end
        is_head = start <= head < end
        if (
            language == "de"
            and not is_head
            and end == start + 1
            and text.endswith(_VERB_ENDINGS)
            and name_tokens[start].endswith("ung")
        ):
            # A verb entry found through its noun ("Anmeldung" for "anmelden") names the
            # object of the step, not what the step does.
            weight -= 1.0
        if is_head:
            weight += 2.0  # the verb that closes (de) / opens (en) the name is the purpose
        if hit_weight >= 3 and not strong_verb and _is_verb(name, hit, language, head):
            strong_verb = True
        scores[value] = scores.get(value, 0.0) + weight
        raw[value] = max(raw.get(value, 0), hit_weight)
        matched.append(hit)
    for hit in doc.active("kinds"):
        # The documentation only hints; it never outvotes the name.
        scores[hit.value] = scores.get(hit.value, 0.0) + 0.25 * hit.weight

    _purpose_of_change(change, name, scores)
    _intake_rules(name, scores)
    _intake_before_notes(name, scores, head, language)
    if requester:
        _submission(name, reader, scores)

    if strong_name:
        verbs = [h for h in strong_name if _is_verb(name, h, language, head)]
        if verbs or not strong_verb:
            words = ", ".join(_shown(h.text) for h in strong_name)
            return Verdict(node.id, False, None, 0.0, (f"judgement:{words}",))
    if strong_doc and not (strong_verb and _max(scores) >= 5):
        words = ", ".join(_shown(h.text) for h in strong_doc)
        return Verdict(node.id, False, None, 0.0, (f"judgement (documentation):{words}",))
    if weak_name and _max(scores) < 4:
        words = ", ".join(_shown(h.text) for h in weak_name)
        return Verdict(node.id, False, None, 0.0, (f"presence:{words}",))
    if physical and weak_name:
        return Verdict(node.id, False, None, 0.0, ("presence:physical hand-over",))
    if in_person and weak_name and scores.get("online_intake", 0.0) < 4:
        # Showing or handing over papers at a counter, in person: the step is the presence
        # (handing in a request there is intake: "Antrag im Bürgerbüro persönlich abgeben").
        return Verdict(node.id, False, None, 0.0, ("presence:in person hand-over",))
    if not scores or _max(scores) < 2:
        return Verdict(node.id, False, None, 0.0, ("no automatable purpose found",))

    kind = max(scores, key=lambda k: (scores[k], _PRIORITY[k]))
    if raw.get(kind, 2) < 2 and scores[kind] < 3:
        return Verdict(node.id, False, None, 0.0, ("only weak hints",))
    reasons = [f"{_shown(h.text)} → {h.value}" for h in matched]
    score = 0.35 + min(scores[kind], 8.0) * 0.06
    if medium is not None and medium.medium and MEDIUM_CLASS[medium.medium] != "digital_structured":
        score += 0.1
        reasons.append(f"medium:{medium.medium}")
    if breaks:
        score += min(0.1, 0.05 * breaks)
        reasons.append(f"media breaks nearby:{breaks}")
    reasons.append(f"type:{node.type}")
    return Verdict(node.id, False, kind, round(min(score, 1.0), 2), tuple(reasons))


@functools.lru_cache(maxsize=4096)
def _shown(pattern: str) -> str:
    """A vocabulary entry without its matching marks, for the reasons shown to people."""
    return pattern.replace("=", "").replace("*", "")


def _max(scores: Mapping[str, float]) -> float:
    return max(scores.values(), default=0.0)


def _purpose_of_change(
    change: CarrierChange | None, name: TextReading, scores: dict[str, float]
) -> None:
    """A print or scan step takes the kind of its purpose (ANALYSIS.md 5.9)."""
    if change is None:
        return
    if change.kind == "print":
        # Printed to be sent, to be filed or forwarded, or as the product itself.
        if scores.get("notification", 0) > 0:
            scores["notification"] += 3
        elif scores.get("filing", 0) >= 2:
            scores["filing"] += 3
        else:
            scores["document_generation"] = scores.get("document_generation", 0.0) + 3
    elif change.kind == "scan":
        purposes = {h.value for h in name.active("scan_purpose")}
        if "filing" in purposes:
            scores["filing"] = scores.get("filing", 0.0) + 3
        elif "online_intake" in purposes:
            scores["online_intake"] = scores.get("online_intake", 0.0) + 4
        elif scores.get("filing", 0) >= 2:
            scores["filing"] = scores.get("filing", 0.0) + 3
        else:
            scores["data_transfer"] = scores.get("data_transfer", 0.0) + 3
    elif change.kind in {"retype", "manual", "copy"}:
        scores["data_transfer"] = scores.get("data_transfer", 0.0) + 4


def _intake_rules(name: TextReading, scores: dict[str, float]) -> None:
    """A requester sending in a request (Antrag, Meldung, form) by any channel is online intake;
    so is taking a request over from a mailbox ("aus dem Outlook-Postfach übernehmen")."""
    if scores.get("online_intake", 0.0) <= 0:
        return
    kinds = name.active("kinds")
    submits = any(h.value == "notification" and h.text in _SUBMIT_VERBS for h in kinds)
    request = any(h.value == "online_intake" and h.weight <= 2 for h in kinds)
    if submits and request and scores.get("filing", 0.0) < 3:
        scores["online_intake"] += 3


def _intake_before_notes(
    name: TextReading, scores: dict[str, float], head: int, language: str
) -> None:
    """Taking something in and then noting or saving it ("Störung telefonisch aufnehmen und
    notieren", "Anhänge öffnen und auf dem Laufwerk speichern") is intake: the recording verb
    at the end of the name only says what happens to what came in."""
    if head < 0 or scores.get("online_intake", 0.0) <= 0:
        return
    at_head = [h for h in name.groups.get("exclusions", ()) if h.start <= head < h.end]
    at_head += [h for h in name.groups.get("kinds", ()) if h.start <= head < h.end]
    if not any(h.value == "record" or h.text in _SAVING for h in at_head):
        return
    intake = [
        h
        for h in name.active("kinds")
        if h.value == "online_intake" and not h.start <= head < h.end
    ]
    if sum(h.weight for h in intake) >= 2 and any(_is_verb(name, h, language) for h in intake):
        scores["online_intake"] = _max(scores) + 1.0


def _object_noun(reading: TextReading, hit: Hit, head: int, reader: Reader) -> bool:
    """A judgement verb found through a noun that is only the object of the step, not its
    action ("Unterschriebene Anordnung einscannen" is no act of ordering a payment): a German
    verb entry matched by an -ung noun away from the head, unless that noun is listed itself."""
    if hit.end != hit.start + 1 or hit.start <= head < hit.end:
        return False
    if token_language(reading.tokens, reader.language) == "en":
        return _moved_document(reading, hit, head)
    token = reading.tokens[hit.start]
    if not token.endswith("ung") or not hit.text.endswith(_VERB_ENDINGS):
        return False
    return not any(token.endswith(noun) for noun in _listed_nouns(reader.vocabulary))


def _moved_document(reading: TextReading, hit: Hit, head: int) -> bool:
    """English: "Send / forward / file the decision": the judgement noun is a document that the
    step only moves (an article before it, a sending or filing verb as the step's action)."""
    if hit.start == 0 or reading.tokens[hit.start - 1] not in _EN_ARTICLES:
        return False
    return any(
        h.start <= head < h.end and (h.text in _TRANSPORT_VERBS or h.value == "filing")
        for h in reading.groups.get("kinds", ())
    )


_NOUNS_CACHE: dict[str, frozenset[str]] = {}


def _listed_nouns(vocabulary: Vocabulary) -> frozenset[str]:
    """-ung nouns listed as exclusions themselves ("Entscheidung", "Beratung")."""
    found = _NOUNS_CACHE.get(vocabulary.version)
    if found is None:
        words: set[str] = set()
        for entries in vocabulary.data.get("exclusions", {}).values():
            for entry in entries if isinstance(entries, list) else ():
                word = str(entry).rpartition("|")[0] or str(entry)
                word = word.strip("=*")
                if " " not in word and word.endswith("ung"):
                    words.add(word)
        found = _NOUNS_CACHE[vocabulary.version] = frozenset(words)
    return found


def _submission(name: TextReading, reader: Reader, scores: dict[str, float]) -> None:
    """What a requester sends to the office is a submission (online intake), unless it answers
    the office (a confirmation, a statement, a draft: then it stays what it is)."""
    top = _max(scores)
    if top <= 0 or scores.get("notification", 0.0) < top:
        return
    hits = [h for h in name.active("kinds") if h.value == "notification"]
    if not any(h.text in _TRANSPORT_VERBS for h in hits) or any(
        h.weight >= 3 and h.text not in _TRANSPORT_VERBS for h in hits
    ):
        return  # "notify", "remind", "invite" say the office acts, whoever models it
    context = reader.vocabulary.context_matcher(reader.language).find(name.tokens)
    if any(h.value == "reply" for h in context):
        return
    scores["online_intake"] = scores["notification"] + 1


def _is_requester_role(tokens: tuple[str, ...], hits: Sequence[Hit]) -> bool:
    """A lane or pool name that names a requester ("Antragsteller/in", "Fachamt (anfordernd)",
    "Citizen"): every word outside brackets, or every word inside them, is a requester word."""
    hits = [h for h in hits if h.value == "requester"]
    if not hits:
        return False
    covered = {i for h in hits for i in range(h.start, h.end)}
    outside: list[int] = []
    inside: list[int] = []
    depth = 0
    for i, token in enumerate(tokens):
        if token == "(":
            depth += 1
        elif token == ")":
            depth = max(0, depth - 1)
        elif token not in BREAKS and token not in _ROLE_FILLERS:
            (inside if depth else outside).append(i)
    return any(part and covered.issuperset(part) for part in (outside, inside))


class _Context:
    """Who does a task and where (ANALYSIS.md 5.9), worked out once per model and lazily.

    The office is the pool with the most tasks; a task in any other expanded pool (unless the
    office starts that pool's process with a message: then it answers), or in a lane or pool
    named after a requester, is done by a requester. A task belongs to on-site work
    when its sub-process, a task of that sub-process or the task just before it happens on site.
    """

    def __init__(self, graph: Graph, reader: Reader) -> None:
        self.graph = graph
        self.reader = reader
        counts: dict[str, int] = {}
        for node in graph.tasks():
            counts[node.process] = counts.get(node.process, 0) + 1
        self.office = max(counts, key=counts.__getitem__) if len(counts) > 1 else None
        self.pools = {p.process: p.name for p in graph.participants.values() if p.process}
        # Processes each task sends messages to (a message flow into a pool or into a node), and
        # the pools the office starts with a message: they answer the office, they do not ask.
        self._targets: dict[str, set[str | None]] = {}
        self.responders: set[str] = set()
        if self.office is not None:
            for flow in graph.message_flows:
                target = graph.nodes.get(flow.target)
                participant = graph.participants.get(flow.target)
                process = (
                    target.process
                    if target is not None
                    else (participant.process if participant is not None else None)
                )
                self._targets.setdefault(flow.source, set()).add(process)
                source = graph.nodes.get(flow.source)
                sender = graph.participants.get(flow.source)
                from_office = (source is not None and source.process == self.office) or (
                    sender is not None and sender.process == self.office
                )
                if (
                    from_office
                    and target is not None
                    and target.type == "startEvent"
                    and target.parent is None
                ):
                    self.responders.add(target.process)
        self._roles: dict[str, bool] = {}
        self.matcher = reader.vocabulary.context_matcher(reader.language)
        self._sites: dict[str, bool] = {}
        self._parents: dict[str, bool] = {}
        self._inner: dict[str, list[str]] = {}

    def _role(self, text: str | None) -> bool:
        if not text:
            return False
        found = self._roles.get(text)
        if found is None:
            tokens = tokenize(text)
            hits = self.matcher.find(tokens)
            found = self._roles[text] = _is_requester_role(tokens, hits)
        return found

    def requester(self, node: Node) -> bool:
        """Whether the task is done by someone turning to the office: in another pool than the
        office's (and sending, if it sends at all, to the office), or in a requester's role."""
        if self.office is not None and node.process != self.office:
            if node.process in self.responders:
                return False
            targets = self._targets.get(node.id)
            return targets is None or self.office in targets
        return self._role(node.lane) or self._role(self.pools.get(node.process))

    def _site(self, node_id: str) -> bool:
        found = self._sites.get(node_id)
        if found is None:
            node = self.graph.nodes.get(node_id)
            found = node is not None and (
                _happens_on_site(self.reader.read(node.name))
                or any(h.value == "site" for h in self.matcher.find(tokenize(node.name)))
            )
            self._sites[node_id] = found
        return found

    def _site_parent(self, parent: str) -> bool:
        if not self._parents:
            inner: dict[str, list[str]] = {}
            for node in self.graph.tasks():
                if node.parent is not None:
                    inner.setdefault(node.parent, []).append(node.id)
            self._inner = inner
            self._parents[""] = False  # marks the map as built
        found = self._parents.get(parent)
        if found is None:
            found = self._site(parent) or any(self._site(t) for t in self._inner.get(parent, ()))
            self._parents[parent] = found
        return found

    def on_site(self, node: Node) -> bool:
        """Whether the task belongs to on-site work."""
        if node.parent is not None and self._site_parent(node.parent):
            return True
        return any(self._site(p) for p in self.graph.incoming.get(node.id, ()))


def _happens_on_site(reading: TextReading) -> bool:
    """A name that places the work on site ("vor Ort", "im Außendienst")."""
    return any(h.value == "place" for h in reading.active("exclusions"))


def classify_tasks(
    graph: Graph,
    media: Mapping[str, ElementMedium],
    reader: Reader,
    changes: Mapping[str, CarrierChange],
    breaks: tuple[MediaBreak, ...] | list[MediaBreak],
) -> AutomationResult:
    """Classify every task of every expanded pool."""
    near: dict[str, int] = {}
    for finding in breaks:
        for element in finding.elements:
            near[element] = near.get(element, 0) + 1
    candidates: list[Candidate] = []
    automated: list[str] = []
    rejected: list[str] = []
    tasks = 0
    context = _Context(graph, reader)
    for node in graph.nodes.values():
        if node.type not in TASK_TYPES:
            continue  # as `graph.tasks()`, without a generator and a property per node
        tasks += 1
        verdict = classify(
            node,
            media.get(node.id),
            reader,
            changes.get(node.id),
            near.get(node.id, 0),
            requester=context.requester(node),
            on_site=context.on_site,
        )
        if verdict.automated:
            automated.append(node.id)
        elif verdict.kind is None:
            rejected.append(node.id)
        else:
            suggestion = reader.vocabulary.suggestions.get(verdict.kind, {"de": "", "en": ""})
            candidates.append(
                Candidate(node.id, verdict.kind, verdict.score, verdict.reasons, dict(suggestion))
            )
    return AutomationResult(tuple(candidates), tuple(automated), tuple(rejected), tasks)
