"""Validates every model here against the OMG BPMN 2.0 XSD (offline) and checks ids / references / DI."""
import sys
from pathlib import Path
from lxml import etree

HERE = Path(__file__).resolve().parent
XSD = HERE.parents[2] / "bpmn_schemas" / "BPMN20.xsd"
schema = etree.XMLSchema(etree.parse(str(XSD)))
ok = True
for f in sorted(HERE.glob("*.bpmn")):
    doc = etree.parse(str(f))
    valid = schema.validate(doc)
    ids = [e.get("id") for e in doc.iter() if isinstance(e.tag, str) and e.get("id")]
    dup = {i for i in ids if ids.count(i) > 1}
    idset = set(ids)
    bad = []
    for e in doc.iter():
        if not isinstance(e.tag, str):
            continue
        for a in ("sourceRef", "targetRef", "processRef", "bpmnElement", "dataObjectRef", "default"):
            v = e.get(a)
            if v and v not in idset:
                bad.append((a, v))
        if etree.QName(e).localname in ("incoming", "outgoing", "flowNodeRef", "sourceRef", "targetRef") and e.text:
            if e.text.strip() not in idset:
                bad.append((etree.QName(e).localname, e.text))
    di = {e.get("bpmnElement") for e in doc.iter() if isinstance(e.tag, str) and e.get("bpmnElement")}
    need = [e.get("id") for e in doc.iter() if isinstance(e.tag, str) and etree.QName(e).localname in (
        "participant", "lane", "task", "userTask", "manualTask", "serviceTask", "scriptTask", "businessRuleTask",
        "sendTask", "receiveTask", "startEvent", "endEvent", "intermediateCatchEvent", "exclusiveGateway",
        "sequenceFlow", "messageFlow", "dataObjectReference", "dataStoreReference", "dataInputAssociation",
        "dataOutputAssociation", "association")]
    missing = [i for i in need if i not in di]
    print(f.name, "valid" if valid else "INVALID", "dup", sorted(dup), "badref", bad, "noDI", missing)
    if not valid:
        for err in schema.error_log:
            print("   ", err.line, err.message)
    ok = ok and valid and not dup and not bad and not missing
sys.exit(0 if ok else 1)
