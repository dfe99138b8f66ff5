"""XML namespaces of BPMN 2.0 and of Prozessatlas' own extension attributes."""

from __future__ import annotations

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
PA = "urn:prozessatlas:bpmn:1.0"
XINCLUDE = ("http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude")

NS = {"bpmn": BPMN, "bpmndi": BPMNDI, "dc": DC, "di": DI, "pa": PA}


def q(local: str, ns: str = BPMN) -> str:
    """Clark notation `{ns}local` for lxml tag comparisons."""
    return f"{{{ns}}}{local}"
