"""libxml2's well-formedness and XSD messages as German and English sentences a clerk can read.

libxml2 names elements in Clark notation (`{http://www.omg.org/spec/BPMN/20100524/MODEL}task`) and
speaks parser jargon ("xmlParseEntityRef: no name"). `explain` recognises the common messages and
says the same in plain words with the usual prefixes (`bpmn:task`); anything it does not recognise
keeps libxml2's text, with the prefixes applied, behind a plain-words lead-in. The original text is
never lost: callers keep it beside the translation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from app.bpmn.namespaces import BPMN, BPMNDI, DC, DI, PA

PREFIXES = {
    BPMN: "bpmn",
    BPMNDI: "bpmndi",
    DC: "dc",
    DI: "di",
    PA: "pa",
    "http://www.w3.org/2001/XMLSchema-instance": "xsi",
    "http://www.w3.org/2001/XMLSchema": "xs",
    "http://www.w3.org/XML/1998/namespace": "xml",
    "http://camunda.org/schema/1.0/bpmn": "camunda",
    "http://camunda.org/schema/zeebe/1.0": "zeebe",
    "http://bpmn.io/schema/bpmn/biocolor/1.0": "bioc",
    "http://www.omg.org/spec/BPMN/non-normative/color/1.0": "color",
    "http://www.signavio.com": "signavio",
}

_CLARK = re.compile(r"\{([^{}\s]*)\}([\w.\-]+)")


def prefixed(text: str) -> str:
    """`{uri}local` → `prefix:local` for the namespaces above; other names stay as they are."""

    def replace(match: re.Match[str]) -> str:
        prefix = PREFIXES.get(match.group(1))
        return f"{prefix}:{match.group(2)}" if prefix else match.group(0)

    return _CLARK.sub(replace, text)


@dataclass(frozen=True)
class Explanation:
    """A message in plain words: a stable code plus German and English sentences."""

    code: str
    de: str
    en: str


# --- XSD validation ---------------------------------------------------------------------------

_WHERE = re.compile(
    r"^Element '(?P<element>[^']+)'(?:, attribute '(?P<attribute>[^']+)')?: (?P<rest>.*)$", re.S
)
_EXPECTED = re.compile(r"Expected is(?: one of)? \( (?P<names>.*?) \)\.?", re.S)
_NOT_EXPECTED = re.compile(r"^This element is not expected\.")
_MISSING_CHILD = re.compile(r"^Missing child element\(s\)\.")
_NOT_ALLOWED = re.compile(r"^The attribute '(?P<name>[^']+)' is not allowed\.")
_REQUIRED = re.compile(r"^The attribute '(?P<name>[^']+)' is required but missing\.")
_BAD_VALUE = re.compile(
    r"^'(?P<value>.*)' is not a valid value of the (?:local )?(?:atomic|list|union) type "
    r"'(?P<type>[^']+)'\.",
    re.S,
)
_ENUMERATION = re.compile(
    r"^\[facet 'enumeration'\] The value '(?P<value>.*)' is not an element of the set "
    r"\{(?P<set>.*)\}\.",
    re.S,
)
_FACET = re.compile(r"^\[facet '(?P<facet>\w+)'\] The value '(?P<value>.*?)' (?P<rest>.*)$", re.S)
_UNDECLARED_PREFIX = re.compile(
    r"^The QName value '(?P<value>[^']*)' has no corresponding namespace declaration in scope"
)
_UNRESOLVED_TYPE = re.compile(
    r"^The QName value '(?P<value>[^']*)' of the xsi:type attribute does not resolve to a type"
)
_ELEMENT_ONLY = re.compile(r"^Character content other than whitespace is not allowed")
_NO_CONTENT = re.compile(r"^Character or element children are not allowed")
_NCNAME = re.compile(r"^[^\W\d][\w.\-]*$")

_QUOTE_DE = "„{}“"
_QUOTE_EN = "'{}'"

# What a value of an XSD type looks like, said in words, for the types BPMN and DI use.
_TYPES: dict[str, tuple[str, str, str, str]] = {
    # type: (German noun, English noun, German hint, English hint)
    "xs:ID": (
        "keine gültige ID",
        "not a valid ID",
        "eine ID beginnt mit einem Buchstaben oder „_“ und enthält weder Leerzeichen noch Doppelpunkte",
        "an ID starts with a letter or '_' and contains neither spaces nor colons",
    ),
    "xs:IDREF": (
        "kein gültiger Verweis auf eine ID",
        "not a valid reference to an ID",
        "erwartet wird die ID eines Elements",
        "the id of an element is expected",
    ),
    "xs:QName": (
        "kein gültiger Verweis",
        "not a valid reference",
        "erwartet wird die ID eines Elements, wahlweise mit Präfix (z. B. Task_1 oder bpmn:Task_1)",
        "the id of an element is expected, optionally with a prefix (e.g. Task_1 or bpmn:Task_1)",
    ),
    "xs:boolean": (
        "kein Wahrheitswert",
        "not a boolean",
        "erlaubt sind true und false",
        "allowed are true and false",
    ),
    "xs:integer": ("keine ganze Zahl", "not a whole number", "", ""),
    "xs:int": ("keine ganze Zahl", "not a whole number", "", ""),
    "xs:nonNegativeInteger": (
        "keine ganze Zahl ab 0",
        "not a whole number of 0 or more",
        "",
        "",
    ),
    "xs:positiveInteger": ("keine ganze Zahl ab 1", "not a whole number of 1 or more", "", ""),
    "xs:double": ("keine Zahl", "not a number", "Dezimalpunkt statt Komma", "use a decimal point"),
    "xs:float": ("keine Zahl", "not a number", "Dezimalpunkt statt Komma", "use a decimal point"),
    "xs:decimal": ("keine Zahl", "not a number", "Dezimalpunkt statt Komma", "use a decimal point"),
    "xs:anyURI": ("keine gültige Adresse (URI)", "not a valid address (URI)", "", ""),
    "xs:NCName": (
        "kein gültiger Name",
        "not a valid name",
        "ein Name beginnt mit einem Buchstaben oder „_“ und enthält weder Leerzeichen noch Doppelpunkte",
        "a name starts with a letter or '_' and contains neither spaces nor colons",
    ),
    "xs:dateTime": (
        "kein gültiger Zeitpunkt",
        "not a valid date and time",
        "Format JJJJ-MM-TTThh:mm:ss",
        "format YYYY-MM-DDThh:mm:ss",
    ),
}


def _names(match: re.Match[str] | None) -> str:
    return prefixed(match.group("names")).strip() if match else ""


def _place(element: str, attribute: str | None) -> tuple[str, str]:
    if attribute:
        return (
            f"Attribut {attribute} am Element {element}",
            f"attribute {attribute} of the element {element}",
        )
    return f"Inhalt des Elements {element}", f"content of the element {element}"


def _with_expected(de: str, en: str, expected: str) -> tuple[str, str]:
    if not expected:
        return de + ".", en + "."
    return f"{de}; erwartet: {expected}.", f"{en}; expected: {expected}."


def _explain_xsd(message: str) -> Explanation | None:
    where = _WHERE.match(message.strip())
    if where is None:
        return None
    element = prefixed(where.group("element"))
    attribute = prefixed(where.group("attribute")) if where.group("attribute") else None
    rest = where.group("rest").strip()

    if _NOT_EXPECTED.match(rest):
        de, en = _with_expected(
            f"Das Element {element} ist hier nicht erlaubt",
            f"The element {element} is not allowed here",
            _names(_EXPECTED.search(rest)),
        )
        return Explanation("unexpected_element", de, en)
    if _MISSING_CHILD.match(rest):
        de, en = _with_expected(
            f"Im Element {element} fehlt ein Kindelement",
            f"The element {element} lacks a child element",
            _names(_EXPECTED.search(rest)),
        )
        return Explanation("missing_child", de, en)
    if match := _NOT_ALLOWED.match(rest):
        name = prefixed(match.group("name"))
        return Explanation(
            "attribute_not_allowed",
            f"Das Attribut {name} ist am Element {element} nicht erlaubt.",
            f"The attribute {name} is not allowed on the element {element}.",
        )
    if match := _REQUIRED.match(rest):
        name = prefixed(match.group("name"))
        return Explanation(
            "missing_attribute",
            f"Am Element {element} fehlt das Pflichtattribut {name}.",
            f"The element {element} lacks the required attribute {name}.",
        )
    if match := _ENUMERATION.match(rest):
        value = match.group("value")
        allowed = ", ".join(v.strip().strip("'") for v in match.group("set").split(","))
        place_de, place_en = _place(element, attribute)
        return Explanation(
            "invalid_value",
            f"{_QUOTE_DE.format(value)} ist kein erlaubter Wert ({place_de}); erlaubt: {allowed}.",
            f"{_QUOTE_EN.format(value)} is not an allowed value ({place_en}); allowed: {allowed}.",
        )
    if match := _UNDECLARED_PREFIX.match(rest):
        value = match.group("value")
        prefix = value.split(":", 1)[0]
        place_de, place_en = _place(element, attribute)
        return Explanation(
            "undeclared_prefix",
            f"Der Verweis {_QUOTE_DE.format(value)} ({place_de}) nutzt das Präfix {prefix}:, "
            f'das in der Datei nicht deklariert ist (xmlns:{prefix}="…" fehlt).',
            f"The reference {_QUOTE_EN.format(value)} ({place_en}) uses the prefix {prefix}:, "
            f'which the file does not declare (xmlns:{prefix}="…" is missing).',
        )
    if match := _UNRESOLVED_TYPE.match(rest):
        value = prefixed(match.group("value"))
        return Explanation(
            "unknown_type",
            f"Der Typ {_QUOTE_DE.format(value)} (xsi:type am Element {element}) ist im "
            "BPMN-Schema nicht bekannt.",
            f"The type {_QUOTE_EN.format(value)} (xsi:type of the element {element}) is not "
            "known to the BPMN schema.",
        )
    if match := _BAD_VALUE.match(rest):
        return _bad_value(match.group("value"), match.group("type"), element, attribute)
    if match := _FACET.match(rest):
        place_de, place_en = _place(element, attribute)
        value = match.group("value")
        return Explanation(
            "invalid_value",
            f"{_QUOTE_DE.format(value)} liegt außerhalb des erlaubten Bereichs ({place_de}).",
            f"{_QUOTE_EN.format(value)} is outside the allowed range ({place_en}).",
        )
    if _ELEMENT_ONLY.match(rest):
        return Explanation(
            "text_not_allowed",
            f"Das Element {element} darf keinen Text enthalten, nur weitere Elemente.",
            f"The element {element} may not contain text, only other elements.",
        )
    if _NO_CONTENT.match(rest):
        return Explanation(
            "content_not_allowed",
            f"Das Element {element} muss leer sein.",
            f"The element {element} must be empty.",
        )
    return None


def _bad_value(value: str, type_name: str, element: str, attribute: str | None) -> Explanation:
    place_de, place_en = _place(element, attribute)
    if type_name == "xs:ID" and _NCNAME.match(value):
        # libxml2 reports a second use of an ID with the same words as a malformed ID.
        return Explanation(
            "duplicate_id",
            f"Die ID {_QUOTE_DE.format(value)} ist mehrfach vergeben ({place_de}).",
            f"The id {_QUOTE_EN.format(value)} is used more than once ({place_en}).",
        )
    noun_de, noun_en, hint_de, hint_en = _TYPES.get(
        type_name,
        (
            f"kein gültiger Wert vom Typ {type_name}",
            f"not a valid value of the type {type_name}",
            "",
            "",
        ),
    )
    shown_de = _QUOTE_DE.format(value) if value else "Ein leerer Wert"
    shown_en = _QUOTE_EN.format(value) if value else "An empty value"
    de = f"{shown_de} ist {noun_de} ({place_de})"
    en = f"{shown_en} is {noun_en} ({place_en})"
    if hint_de:
        de, en = f"{de}: {hint_de}", f"{en}: {hint_en}"
    return Explanation("invalid_value", de + ".", en + ".")


# --- well-formedness (libxml2's parser) ---------------------------------------------------------

_POSITION_SUFFIX = re.compile(r"\s*,\s*line \d+, column \d+\s*$", re.S)

_Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], Explanation]]


def _fixed(code: str, de: str, en: str) -> Callable[[re.Match[str]], Explanation]:
    return lambda _match: Explanation(code, de, en)


_ENCODING = _fixed(
    "encoding",
    "Die Datei ist nicht in der Zeichenkodierung gespeichert, die sie angibt (meist UTF-8); "
    "speichern Sie sie als UTF-8.",
    "The file is not stored in the character encoding it declares (usually UTF-8); save it as UTF-8.",
)
_INVALID_CHAR = _fixed(
    "invalid_char",
    "Die Datei enthält ein Zeichen, das in XML nicht erlaubt ist (etwa ein Steuerzeichen).",
    "The file contains a character that XML does not allow (such as a control character).",
)
_UNESCAPED_AMP = _fixed(
    "unescaped_ampersand",
    "Ein „&“ steht unmaskiert im Text oder in einem Attribut; schreiben Sie &amp; dafür.",
    "An '&' stands unescaped in the text or an attribute; write &amp; instead.",
)

_SYNTAX: tuple[_Rule, ...] = (
    (
        re.compile(
            r"^Opening and ending tag mismatch: (?P<open>\S+) line (?P<line>\d+) and (?P<close>\S+)"
        ),
        lambda m: Explanation(
            "tag_mismatch",
            f"Das Element <{m['open']}> aus Zeile {m['line']} wird mit </{m['close']}> geschlossen; "
            "Start- und End-Tag müssen übereinstimmen.",
            f"The element <{m['open']}> from line {m['line']} is closed by </{m['close']}>; "
            "start and end tags must match.",
        ),
    ),
    (
        re.compile(r"^Premature end of data in tag (?P<tag>\S+) line (?P<line>\d+)"),
        lambda m: Explanation(
            "premature_end",
            f"Die Datei endet vorzeitig: das Element <{m['tag']}> aus Zeile {m['line']} wird nie "
            "geschlossen (unvollständig gespeichert oder abgeschnitten?).",
            f"The file ends early: the element <{m['tag']}> from line {m['line']} is never closed "
            "(saved incompletely or cut off?).",
        ),
    ),
    (
        re.compile(
            r"^(?:Couldn't find end of Start Tag (?P<tag>\S+)|expected '>'|EndTag: '</' not found)"
        ),
        lambda m: Explanation(
            "premature_end",
            "Die Datei endet mitten in einem Tag"
            + (f" (<{m['tag']}>)" if m["tag"] else "")
            + " oder einem Tag fehlt das schließende „>“.",
            "The file ends in the middle of a tag"
            + (f" (<{m['tag']}>)" if m["tag"] else "")
            + " or a tag lacks its closing '>'.",
        ),
    ),
    (
        re.compile(r"^(?:Document is empty|Start tag expected, '<' not found)"),
        _fixed(
            "no_root",
            "Die Datei enthält kein XML-Element.",
            "The file contains no XML element.",
        ),
    ),
    (
        re.compile(r"^Extra content at the end of the document"),
        _fixed(
            "extra_content",
            "Nach dem Ende des Wurzelelements folgt weiterer Inhalt; eine XML-Datei hat genau ein "
            "Wurzelelement.",
            "More content follows the end of the root element; an XML file has exactly one root "
            "element.",
        ),
    ),
    (
        re.compile(r"^Unsupported encoding:? ?(?P<name>\S*)"),
        lambda m: Explanation(
            "encoding",
            f"Die Datei gibt eine unbekannte Zeichenkodierung an ({m['name']}); speichern Sie sie "
            "als UTF-8.",
            f"The file declares an unknown character encoding ({m['name']}); save it as UTF-8.",
        ),
    ),
    (
        re.compile(
            r"^(?:Input is not proper UTF-8|Invalid bytes in character encoding"
            r"|Document labelled UTF-16 but has UTF-8 content|switching encoding|encoder error)"
        ),
        _ENCODING,
    ),
    (
        re.compile(
            r"^(?:PCDATA invalid Char value|Invalid character: Char 0x|invalid character in attribute value"
            r"|xmlParseCharRef: invalid xmlChar value|CData section has invalid Char|Char 0x\w+ out of allowed range)"
        ),
        _INVALID_CHAR,
    ),
    (re.compile(r"^(?:xmlParseEntityRef: no name|EntityRef: expecting ';')"), _UNESCAPED_AMP),
    (
        re.compile(r"^Failed to parse QName '(?P<name>[^']*)'"),
        lambda m: Explanation(
            "invalid_name",
            f"{_QUOTE_DE.format(m['name'])} ist kein gültiger Element- oder Attributname (nach dem "
            "Doppelpunkt fehlt der Name oder es stehen mehrere Doppelpunkte darin).",
            f"{_QUOTE_EN.format(m['name'])} is not a valid element or attribute name (the name after "
            "the colon is missing or it has several colons).",
        ),
    ),
    (
        re.compile(r"^Unescaped '<' not allowed in attributes values"),
        _fixed(
            "unescaped_less_than",
            "Ein „<“ steht unmaskiert in einem Attributwert; schreiben Sie &lt; dafür.",
            "A '<' stands unescaped in an attribute value; write &lt; instead.",
        ),
    ),
    (
        re.compile(r"^StartTag: invalid element name"),
        _fixed(
            "invalid_name",
            "Nach einem „<“ folgt kein gültiger Elementname: steht ein „<“ unmaskiert im Text? "
            "Schreiben Sie dann &lt; dafür.",
            "A '<' is not followed by a valid element name: is there an unescaped '<' in the text? "
            "Then write &lt; instead.",
        ),
    ),
    (
        re.compile(
            r"^(?:AttValue: (?:\" or )?' expected|Specification mandates value for attribute (?P<name>\S+))"
        ),
        lambda m: Explanation(
            "attribute_syntax",
            "Einem Attribut"
            + (f" ({m['name']})" if m["name"] else "")
            + ' fehlt der Wert in Anführungszeichen (name="wert").',
            "An attribute"
            + (f" ({m['name']})" if m["name"] else "")
            + ' lacks its value in quotes (name="value").',
        ),
    ),
    (
        re.compile(r"^(?:attributes construct error|error parsing attribute name)"),
        _fixed(
            "attribute_syntax",
            "Die Attribute eines Elements sind fehlerhaft geschrieben (fehlt ein Leerzeichen oder ein "
            "Anführungszeichen?).",
            "The attributes of an element are malformed (a missing space or quote?).",
        ),
    ),
    (
        re.compile(r"^Attribute (?P<name>\S+) redefined"),
        lambda m: Explanation(
            "duplicate_attribute",
            f"Das Attribut {m['name']} steht zweimal am selben Element.",
            f"The attribute {m['name']} appears twice on the same element.",
        ),
    ),
    (
        re.compile(
            r"^Namespace prefix (?P<prefix>\S+) (?:for (?P<attr>\S+) )?on (?P<element>\S+) is not defined"
        ),
        lambda m: Explanation(
            "undefined_prefix",
            f"Das Präfix {m['prefix']}: (an {m['element']}) ist nicht deklariert; es fehlt "
            f'xmlns:{m["prefix"]}="…".',
            f"The prefix {m['prefix']}: (on {m['element']}) is not declared; "
            f'xmlns:{m["prefix"]}="…" is missing.',
        ),
    ),
    (
        re.compile(r"^Entity '(?P<name>[^']+)' not defined"),
        lambda m: Explanation(
            "undefined_entity",
            f"&{m['name']}; ist in XML nicht definiert; für ein „&“ schreiben Sie &amp;.",
            f"&{m['name']}; is not defined in XML; for an '&' write &amp;.",
        ),
    ),
    (
        re.compile(r"^(?:Comment not terminated|Double hyphen within comment)"),
        _fixed(
            "comment",
            "Ein Kommentar (<!-- … -->) ist nicht abgeschlossen oder enthält „--“.",
            "A comment (<!-- … -->) is not closed or contains '--'.",
        ),
    ),
    (
        re.compile(r"^XML declaration allowed only at the start of the document"),
        _fixed(
            "declaration_not_first",
            "Die XML-Deklaration (<?xml …?>) muss ganz am Anfang der Datei stehen, ohne Leerzeilen davor.",
            "The XML declaration (<?xml …?>) must be at the very start of the file, with no blank "
            "lines before it.",
        ),
    ),
)


def _original(message: str) -> str:
    return _POSITION_SUFFIX.sub("", message.strip()).strip()


def explain_syntax(message: str) -> Explanation:
    """A well-formedness error of libxml2's parser, in plain words."""
    text = _original(message)
    for pattern, build in _SYNTAX:
        if match := pattern.match(text):
            return build(match)
    return Explanation(
        "not_well_formed",
        f"Die Datei ist kein wohlgeformtes XML (libxml2: {text}).",
        f"The file is not well-formed XML (libxml2: {text}).",
    )


def explain_xsd(message: str) -> Explanation:
    """An XSD validation error of libxml2, in plain words."""
    found = _explain_xsd(message)
    if found is not None:
        return found
    text = prefixed(message.strip())
    return Explanation(
        "schema",
        f"Die Datei entspricht nicht dem BPMN-2.0-Schema (libxml2: {text})",
        f"The file does not conform to the BPMN 2.0 schema (libxml2: {text})",
    )


_DUPLICATE = re.compile(r"^Duplicate id '(?P<id>.*)'$", re.S)
_DANGLING = re.compile(
    r"^(?P<element>\S+) (?P<attribute>\S+) '(?P<value>.*)' references no element$", re.S
)


def explain(kind: str, message: str) -> Explanation:
    """Any validation issue (`Issue.kind` and its original message) in plain words."""
    if kind == "xsd":
        return explain_xsd(message)
    if kind == "duplicate_id" and (match := _DUPLICATE.match(message)):
        return Explanation(
            "duplicate_id",
            f"Die ID {_QUOTE_DE.format(match['id'])} ist mehrfach vergeben.",
            f"The id {_QUOTE_EN.format(match['id'])} is used more than once.",
        )
    if kind == "dangling_reference" and (match := _DANGLING.match(message)):
        element = match["element"]
        element = f"bpmndi:{element}" if element.startswith("BPMN") else f"bpmn:{element}"
        return Explanation(
            "dangling_reference",
            f"Das Attribut {match['attribute']} am Element {element} verweist auf "
            f"{_QUOTE_DE.format(match['value'])}, das es im Modell nicht gibt.",
            f"The attribute {match['attribute']} of the element {element} refers to "
            f"{_QUOTE_EN.format(match['value'])}, which is not in the model.",
        )
    text = prefixed(message)
    return Explanation(kind, text, text)


def readable_issue(stored: Mapping[str, Any], lang: str = "de") -> dict[str, Any]:
    """A stored validation issue with its plain-words message in both languages.

    `message` is in `lang`; `message_de` / `message_en` hold both; `original` keeps libxml2's (or
    the reference check's) text; an unknown column (libxml2 reports 0) becomes None.
    """
    kind = str(stored.get("kind", ""))
    original = str(stored.get("message", ""))
    explained = explain(kind, original)
    column = stored.get("column")
    return {
        "kind": kind,
        "code": explained.code,
        "message": explained.en if lang == "en" else explained.de,
        "message_de": explained.de,
        "message_en": explained.en,
        "original": original,
        "line": stored.get("line") or None,
        "column": column or None,
        "element_id": stored.get("element_id"),
    }
