"""libxml2's messages in plain German and English, checked on what libxml2 really says."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from app.bpmn.messages import explain, explain_syntax, prefixed, readable_issue
from app.bpmn.parse import UnsafeOrInvalidXml, parse_bpmn
from app.bpmn.validate import validate
from app.config import settings
from tests.factories import bpmn

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
    'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
    'id="D" targetNamespace="http://example.org">'
)
TAIL = "</bpmn:definitions>"


def _xsd(body: str) -> list[dict[str, object]]:
    """The readable XSD issues libxml2 reports for a document with `body` in its definitions."""
    result = validate(parse_bpmn((HEAD + body + TAIL).encode()), settings.xsd_dir)
    return [readable_issue(i.as_dict()) for i in result.issues if i.kind == "xsd"]


def _one(body: str) -> dict[str, object]:
    issues = _xsd(body)
    assert len(issues) == 1, issues
    return issues[0]


def test_unexpected_element_names_it_and_the_expected_ones_with_prefixes() -> None:
    issue = _one('<bpmn:process id="P"><bpmn:bogus id="b"/></bpmn:process>')
    assert issue["code"] == "unexpected_element"
    de, en = str(issue["message_de"]), str(issue["message_en"])
    assert de.startswith("Das Element bpmn:bogus ist hier nicht erlaubt; erwartet: bpmn:")
    assert en.startswith("The element bpmn:bogus is not allowed here; expected: bpmn:")
    assert "bpmn:laneSet" in de
    assert "bpmn:flowElement" in en
    assert "{http" not in de + en  # no namespace URIs left
    # the original stays available, untouched
    assert str(issue["original"]).startswith(
        "Element '{http://www.omg.org/spec/BPMN/20100524/MODEL}bogus': This element is not expected."
    )
    assert issue["message"] == de  # German unless asked otherwise
    assert issue["column"] is None  # libxml2 knows no column for XSD errors (reports 0)
    assert issue["line"] == 2


def test_the_message_follows_the_language() -> None:
    stored = validate(
        parse_bpmn((HEAD + '<bpmn:process id="P" foo="1"/>' + TAIL).encode()), settings.xsd_dir
    ).issues[0]
    assert readable_issue(stored.as_dict(), "en")["message"] == (
        "The attribute foo is not allowed on the element bpmn:process."
    )
    assert readable_issue(stored.as_dict(), "de")["message"] == (
        "Das Attribut foo ist am Element bpmn:process nicht erlaubt."
    )


def test_missing_child_element() -> None:
    issue = _one(
        '<bpmn:process id="P"/><bpmndi:BPMNDiagram id="d"><bpmndi:BPMNPlane id="pl">'
        '<bpmndi:BPMNShape id="s" bpmnElement="P"></bpmndi:BPMNShape>'
        "</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>"
    )
    assert issue["code"] == "missing_child"
    assert issue["message_de"] == (
        "Im Element bpmndi:BPMNShape fehlt ein Kindelement; erwartet: di:extension, dc:Bounds."
    )
    assert issue["message_en"] == (
        "The element bpmndi:BPMNShape lacks a child element; expected: di:extension, dc:Bounds."
    )
    assert issue["element_id"] == "s"


def test_namespaced_attribute_not_allowed() -> None:
    issue = _one('<bpmn:process id="P" bpmn:foo="1"/>')
    assert issue["code"] == "attribute_not_allowed"
    assert issue["message_de"] == "Das Attribut bpmn:foo ist am Element bpmn:process nicht erlaubt."


def test_missing_required_attribute() -> None:
    issue = _one('<bpmn:process id="P"><bpmn:sequenceFlow id="f" sourceRef="a"/></bpmn:process>')
    assert issue["code"] == "missing_attribute"
    assert (
        issue["message_de"] == "Am Element bpmn:sequenceFlow fehlt das Pflichtattribut targetRef."
    )
    assert issue["message_en"] == (
        "The element bpmn:sequenceFlow lacks the required attribute targetRef."
    )


@pytest.mark.parametrize(
    ("body", "de", "en"),
    [
        (
            '<bpmn:process id="1P"/>',
            "„1P“ ist keine gültige ID (Attribut id am Element bpmn:process)",
            "'1P' is not a valid ID (attribute id of the element bpmn:process)",
        ),
        (
            '<bpmn:message id="m" itemRef="a b"/>',
            "„a b“ ist kein gültiger Verweis (Attribut itemRef am Element bpmn:message)",
            "'a b' is not a valid reference (attribute itemRef of the element bpmn:message)",
        ),
        (
            '<bpmn:process id="P"><bpmn:task id="t"><bpmn:incoming>a b</bpmn:incoming>'
            "</bpmn:task></bpmn:process>",
            "„a b“ ist kein gültiger Verweis (Inhalt des Elements bpmn:incoming)",
            "'a b' is not a valid reference (content of the element bpmn:incoming)",
        ),
        (
            '<bpmn:process id="P" isExecutable="yes"/>',
            "„yes“ ist kein Wahrheitswert (Attribut isExecutable am Element bpmn:process): "
            "erlaubt sind true und false.",
            "'yes' is not a boolean (attribute isExecutable of the element bpmn:process): "
            "allowed are true and false.",
        ),
        (
            '<bpmn:process id="P"><bpmn:task id="t" completionQuantity="x"/></bpmn:process>',
            "„x“ ist keine ganze Zahl (Attribut completionQuantity am Element bpmn:task).",
            "'x' is not a whole number (attribute completionQuantity of the element bpmn:task).",
        ),
        (
            '<bpmn:process id="P" processType="Foo"/>',
            "„Foo“ ist kein erlaubter Wert (Attribut processType am Element bpmn:process); "
            "erlaubt: None, Public, Private.",
            "'Foo' is not an allowed value (attribute processType of the element bpmn:process); "
            "allowed: None, Public, Private.",
        ),
    ],
    ids=["ID", "QName-attribute", "QName-content", "boolean", "integer", "enumeration"],
)
def test_invalid_values_say_what_is_expected(body: str, de: str, en: str) -> None:
    issue = _one(body)
    assert issue["code"] == "invalid_value"
    assert str(issue["message_de"]).startswith(de)
    assert str(issue["message_en"]).startswith(en)


XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '


def _with_xsi(body: str) -> dict[str, object]:
    result = validate(
        parse_bpmn((HEAD.replace('id="D"', XSI + 'id="D"') + body + TAIL).encode()),
        settings.xsd_dir,
    )
    issues = [readable_issue(i.as_dict()) for i in result.issues if i.kind == "xsd"]
    assert len(issues) == 1, issues
    return issues[0]


def test_references_with_undeclared_prefixes_and_unknown_types() -> None:
    flow = (
        '<bpmn:process id="P"><bpmn:sequenceFlow id="f" sourceRef="a" targetRef="b">'
        '<bpmn:conditionExpression xsi:type="{}">x</bpmn:conditionExpression>'
        "</bpmn:sequenceFlow></bpmn:process>"
    )
    undeclared = _with_xsi(flow.replace("{}", "bpmn2:tFormalExpression"))
    assert undeclared["code"] == "undeclared_prefix"
    assert undeclared["message_de"] == (
        "Der Verweis „bpmn2:tFormalExpression“ (Attribut xsi:type am Element "
        "bpmn:conditionExpression) nutzt das Präfix bpmn2:, das in der Datei nicht deklariert "
        'ist (xmlns:bpmn2="…" fehlt).'
    )
    unknown = _with_xsi(flow.replace("{}", "bpmn:tNope"))
    assert unknown["code"] == "unknown_type"
    assert unknown["message_en"] == (
        "The type 'bpmn:tNope' (xsi:type of the element bpmn:conditionExpression) is not known "
        "to the BPMN schema."
    )
    empty = _one('<bpmn:process id="P"><bpmn:callActivity id="c" calledElement=""/></bpmn:process>')
    assert str(empty["message_de"]).startswith("Ein leerer Wert ist kein gültiger Verweis")


def test_a_second_use_of_an_id_is_called_a_duplicate() -> None:
    issues = validate(
        parse_bpmn((HEAD + '<bpmn:process id="P"/><bpmn:process id="P"/>' + TAIL).encode()),
        settings.xsd_dir,
    ).issues
    readable = [readable_issue(i.as_dict()) for i in issues]
    assert {r["code"] for r in readable} == {"duplicate_id"}
    assert any(
        r["message_de"] == "Die ID „P“ ist mehrfach vergeben (Attribut id am Element bpmn:process)."
        for r in readable
    )  # libxml2's own words
    assert any(r["message_de"] == "Die ID „P“ ist mehrfach vergeben." for r in readable)  # ours


def test_dangling_reference_is_explained() -> None:
    xml = bpmn().replace(b'bpmnElement="Task_0"', b'bpmnElement="Nope"')
    issue = next(
        readable_issue(i.as_dict())
        for i in validate(parse_bpmn(xml), settings.xsd_dir).issues
        if i.kind == "dangling_reference"
    )
    assert issue["message_de"] == (
        "Das Attribut bpmnElement am Element bpmndi:BPMNShape verweist auf „Nope“, "
        "das es im Modell nicht gibt."
    )
    assert issue["original"] == "BPMNShape bpmnElement 'Nope' references no element"


def test_text_where_only_elements_belong() -> None:
    issue = _one('<bpmn:process id="P">hallo</bpmn:process>')
    assert issue["code"] == "text_not_allowed"
    assert (
        issue["message_en"] == "The element bpmn:process may not contain text, only other elements."
    )


def _syntax(data: bytes) -> UnsafeOrInvalidXml:
    with pytest.raises(UnsafeOrInvalidXml) as refused:
        parse_bpmn(data)
    return refused.value


DOC = HEAD.encode() + b'<bpmn:process id="P">{}</bpmn:process>' + TAIL.encode()


@pytest.mark.parametrize(
    ("data", "code", "de"),
    [
        (
            HEAD.encode()
            + b'<bpmn:process id="P"><bpmn:task id="t"></bpmn:process>'
            + TAIL.encode(),
            "tag_mismatch",
            "Das Element <task> aus Zeile 2 wird mit </process> geschlossen",
        ),
        (
            HEAD.encode() + b'<bpmn:process id="P"><bpmn:task id="t">',
            "premature_end",
            "Die Datei endet vorzeitig: das Element <task> aus Zeile 2 wird nie geschlossen",
        ),
        (HEAD.encode() + b"<bpmn:process", "premature_end", "Die Datei endet mitten in"),
        (
            DOC.replace(b"{}", b'<bpmn:task id="t" name="A\x01B"/>'),
            "invalid_char",
            "Die Datei enthält ein Zeichen, das in XML nicht erlaubt ist",
        ),
        (
            DOC.replace(b"{}", b"<bpmn:documentation>A \x00 B</bpmn:documentation>"),
            "invalid_char",
            "Die Datei enthält ein Zeichen",
        ),
        (
            DOC.replace(b"{}", b'<bpmn:task id="t" name="Wohngeld & Miete"/>'),
            "unescaped_ampersand",
            "Ein „&“ steht unmaskiert im Text oder in einem Attribut; schreiben Sie &amp; dafür.",
        ),
        (
            DOC.replace(b"{}", b'<bpmn:task id="t" name="a < b"/>'),
            "unescaped_less_than",
            "Ein „<“ steht unmaskiert in einem Attributwert",
        ),
        (
            DOC.replace(b"{}", b"<bpmn:documentation>a < b</bpmn:documentation>"),
            "invalid_name",
            "Nach einem „<“ folgt kein gültiger Elementname",
        ),
        (
            DOC.replace(
                b"{}", "<bpmn:documentation>Prüfung</bpmn:documentation>".encode("latin-1")
            ),
            "encoding",
            "Die Datei ist nicht in der Zeichenkodierung gespeichert, die sie angibt",
        ),
        (
            DOC.replace(b'encoding="UTF-8"', b'encoding="KLINGONISCH"'),
            "encoding",
            "Die Datei gibt eine unbekannte Zeichenkodierung an (KLINGONISCH)",
        ),
        (
            DOC.replace(b"{}", b'<bpmn:task id="t" name="a" name="b"/>'),
            "duplicate_attribute",
            "Das Attribut name steht zweimal am selben Element.",
        ),
        (
            DOC.replace(b"{}", b'<camunda:task id="t"/>'),
            "undefined_prefix",
            "Das Präfix camunda: (an task) ist nicht deklariert",
        ),
        (DOC + b"<bpmn:definitions/>", "extra_content", "Nach dem Ende des Wurzelelements"),
    ],
    ids=[
        "tag-mismatch",
        "premature-end",
        "end-in-tag",
        "control-char",
        "nul",
        "ampersand",
        "less-than-attribute",
        "less-than-text",
        "latin1-as-utf8",
        "unknown-encoding",
        "duplicate-attribute",
        "undefined-prefix",
        "extra-content",
    ],
)
def test_well_formedness_errors_in_plain_words(data: bytes, code: str, de: str) -> None:
    refused = _syntax(data)
    assert refused.rejection.code == "not_well_formed"
    assert refused.reason == code
    assert refused.de.startswith("Die Datei ist kein wohlgeformtes XML. " + de), refused.de
    assert refused.en.startswith("The file is not well-formed XML. ")
    assert refused.detail  # libxml2's own text is kept
    assert refused.line is not None
    assert refused.line >= 1


def test_unknown_messages_fall_back_to_the_prefixed_original() -> None:
    assert explain_syntax("Something new, line 3, column 9").de == (
        "Die Datei ist kein wohlgeformtes XML (libxml2: Something new)."
    )
    fallback = explain(
        "xsd", "Element '{http://www.omg.org/spec/BPMN/20100524/MODEL}task': Something new."
    )
    assert fallback.code == "schema"
    assert "bpmn:task" in fallback.de
    assert "{http" not in fallback.de
    assert explain("other", "x").de == "x"


def test_every_real_syntax_error_of_the_parser_yields_a_sentence() -> None:
    """Whatever libxml2 says about a document cut off anywhere, a specific sentence explains it."""
    data = bpmn(["Antrag prüfen", "Bescheid senden"])
    messages: list[str] = []
    for cut in range(40, len(data) - 1, 7):
        try:
            etree.fromstring(data[:cut])
        except etree.XMLSyntaxError as exc:
            messages.append(str(exc.msg))
    assert len(messages) > 100
    unexplained = [m for m in messages if explain_syntax(m).code == "not_well_formed"]
    assert unexplained == []


def test_prefixes_for_the_usual_namespaces_only() -> None:
    assert prefixed("{http://www.w3.org/2001/XMLSchema-instance}type") == "xsi:type"
    assert prefixed("{urn:prozessatlas:bpmn:1.0}medium") == "pa:medium"
    assert prefixed("{urn:other}x") == "{urn:other}x"


def test_every_error_in_the_shared_corpus_gets_a_specific_sentence(shared: Path) -> None:
    """What real exports trip over (MIWG and the labelled models) is explained, not echoed."""
    files = [
        f for f in (shared / "corpus").rglob("*") if f.suffix.lower() in (".bpmn", ".bpmn2", ".xml")
    ]
    assert len(files) > 300
    codes: Counter[str] = Counter()
    for path in files:
        try:
            tree = parse_bpmn(path.read_bytes())
        except UnsafeOrInvalidXml as refused:
            codes[refused.reason] += 1
            continue
        for issue in validate(tree, settings.xsd_dir).issues:
            codes[readable_issue(issue.as_dict())["code"]] += 1
    assert sum(codes.values()) > 100  # the corpus has plenty of invalid files
    assert codes["schema"] == 0  # no XSD message fell back to libxml2's words
    assert codes["not_well_formed"] == 0
