"""Safe parsing of untrusted BPMN uploads.

Entities, DTDs, network access and XInclude are all off; size and depth are bounded; a document is
accepted only if its root is `bpmn:definitions` in the OMG namespace.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from lxml import etree

from app.bpmn.messages import explain_syntax
from app.bpmn.namespaces import BPMN, XINCLUDE, q

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# libxml2's own nesting limit without XML_PARSE_HUGE: deeper documents fail to parse anyway, so
# the default costs no extra pass over the tree; a lower limit is checked after parsing.
LIBXML2_MAX_DEPTH = 256
DEFAULT_MAX_DEPTH = LIBXML2_MAX_DEPTH


@dataclass(frozen=True)
class Rejection:
    """Why a document was refused: a stable code plus German and English text."""

    code: str
    de: str
    en: str


TOO_LARGE = Rejection("too_large", "Die Datei ist zu groß.", "The file is too large.")
EMPTY = Rejection("empty", "Die Datei ist leer.", "The file is empty.")
NOT_WELL_FORMED = Rejection(
    "not_well_formed", "Die Datei ist kein wohlgeformtes XML.", "The file is not well-formed XML."
)
DTD_FORBIDDEN = Rejection(
    "dtd_forbidden",
    "DOCTYPE-Deklarationen (DTDs, Entitäten) sind nicht erlaubt.",
    "DOCTYPE declarations (DTDs, entities) are not allowed.",
)
XINCLUDE_FORBIDDEN = Rejection(
    "xinclude_forbidden", "XInclude ist nicht erlaubt.", "XInclude is not allowed."
)
TOO_DEEP = Rejection(
    "too_deep", "Die XML-Struktur ist zu tief verschachtelt.", "The XML is nested too deeply."
)
NOT_BPMN = Rejection(
    "not_bpmn",
    "Das Wurzelelement ist nicht bpmn:definitions (OMG BPMN 2.0).",
    "The root element is not bpmn:definitions (OMG BPMN 2.0).",
)


class UnsafeOrInvalidXml(Exception):
    """The upload was refused before anything was stored.

    `detail` is the technical text (libxml2's message for a syntax error); `de` and `en` say the
    whole reason in plain words, `reason` names it with a stable code.
    """

    def __init__(
        self,
        rejection: Rejection,
        detail: str = "",
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(f"{rejection.en} {detail}".strip())
        self.rejection = rejection
        self.detail = detail
        self.line = line
        self.column = column or None  # libxml2 reports 0 when it does not know the column
        self.reason, self.de, self.en = rejection.code, rejection.de, rejection.en
        if rejection is NOT_WELL_FORMED and detail:
            explained = explain_syntax(detail)
            self.reason = explained.code
            self.de, self.en = f"{rejection.de} {explained.de}", f"{rejection.en} {explained.en}"
        elif detail:
            self.de, self.en = f"{rejection.de} ({detail})", f"{rejection.en} ({detail})"


def _parser() -> etree.XMLParser:
    # A fresh parser per call: lxml parsers are not thread-safe.
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
        remove_blank_text=False,
    )


@functools.cache
def _deeper_than(limit: int) -> etree.XPath:
    # "/*/*/…/*" with limit + 1 steps selects any element nested deeper than `limit`;
    # libxml2 evaluates it in C, far faster than a Python walk over every element.
    return etree.XPath("boolean(" + "/*" * (limit + 1) + ")")


def _too_deep(tree: etree._ElementTree, limit: int) -> bool:
    return bool(_deeper_than(limit)(tree))


_DOCTYPE_MARKERS = tuple("<!DOCTYPE".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))


def _declares_doctype(data: bytes) -> bool:
    """Whether the prolog holds a DOCTYPE (used to name the reason when libxml2 gives up on it)."""
    head = data[:4096]
    return any(marker in head for marker in _DOCTYPE_MARKERS)


def parse_bpmn(
    data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, max_depth: int = DEFAULT_MAX_DEPTH
) -> etree._ElementTree:
    """Parse `data` as a BPMN 2.0 document, or raise `UnsafeOrInvalidXml`."""
    if len(data) > max_bytes:
        raise UnsafeOrInvalidXml(TOO_LARGE, f"{len(data)} > {max_bytes} bytes")
    if not data.strip():
        raise UnsafeOrInvalidXml(EMPTY)
    try:
        tree = etree.ElementTree(etree.fromstring(data, _parser()))
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        message = str(exc.msg or exc)
        if _declares_doctype(data):
            raise UnsafeOrInvalidXml(DTD_FORBIDDEN, "", line, column) from None
        if "depth" in message.lower():
            raise UnsafeOrInvalidXml(TOO_DEEP, message, line, column) from None
        raise UnsafeOrInvalidXml(NOT_WELL_FORMED, message, line, column) from None
    except (etree.LxmlError, OSError, ValueError) as exc:
        # Some real exports with broken encodings surface as OSError, not XMLSyntaxError.
        raise UnsafeOrInvalidXml(NOT_WELL_FORMED, str(exc)) from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise UnsafeOrInvalidXml(DTD_FORBIDDEN)
    root = tree.getroot()
    if not isinstance(root.tag, str) or root.tag != q("definitions", BPMN):
        raise UnsafeOrInvalidXml(NOT_BPMN, str(root.tag))
    if max_depth < LIBXML2_MAX_DEPTH and _too_deep(tree, max_depth):
        raise UnsafeOrInvalidXml(TOO_DEEP, f"> {max_depth}")
    for ns in XINCLUDE:
        if root.find(f".//{{{ns}}}*") is not None:
            raise UnsafeOrInvalidXml(XINCLUDE_FORBIDDEN)
    return tree
