"""Writes the hand-made labels (ANALYSIS.md section 4). Kept as code only for compactness."""
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


def mb(rule, *els):
    return {"rule": rule, "elements": list(els)}


def cand(el, kind):
    return {"element": el, "kind": kind}


L = {}
L["einbuergerung"] = {
    "media_breaks": [
        mb("a", "sid-B1-4E1A-9C11", "sid-B2-4E1A-9C12"),
        mb("a", "sid-B2-4E1A-9C12", "sid-B3-4E1A-9C13"),
        mb("a", "sid-B6-4E1A-9C17", "sid-B7-4E1A-9C18"),
        mb("a", "sid-B7-4E1A-9C18", "sid-B9-4E1A-9C20"),
        mb("a", "sid-B9-4E1A-9C20", "sid-B10-4E1A-9C21"),
        mb("b", "sid-DO-PDF-7C1E", "sid-B3-4E1A-9C13"),
        mb("b", "sid-DO-AKTE-7C2E", "sid-B9-4E1A-9C20"),
        mb("c", "sid-B2-4E1A-9C12"),
        mb("c", "sid-B3-4E1A-9C13"),
        mb("c", "sid-B10-4E1A-9C21"),
        mb("d", "sid-MF-03", "sid-B6-4E1A-9C17"),
    ],
    "automation_candidates": [
        cand("sid-0A1B2C3D-0002-4000-8000-000000000002", "online_intake"),
        cand("sid-B1-4E1A-9C11", "online_intake"),
        cand("sid-B2-4E1A-9C12", "online_intake"),
        cand("sid-B3-4E1A-9C13", "data_transfer"),
        cand("sid-B6-4E1A-9C17", "filing"),
        cand("sid-B9-4E1A-9C20", "document_generation"),
        cand("sid-B10-4E1A-9C21", "document_generation"),
        cand("sid-B13-4E1A-9C25", "notification"),
    ],
    "not_candidates": ["sid-B7-4E1A-9C18", "sid-B11-4E1A-9C22", "sid-B12-4E1A-9C24"],
}
L["wohnberechtigungsschein"] = {
    "media_breaks": [
        mb("a", "Activity_0wb1", "Activity_1chk"),
        mb("a", "Activity_1chk", "Activity_3ber"),
        mb("a", "Activity_4dec", "Activity_5frei"),
        mb("a", "Activity_6gen", "Activity_7druck"),
        mb("b", "DataObjectReference_0nw", "Activity_3ber"),
        mb("c", "Activity_7druck"),
    ],
    "automation_candidates": [
        cand("Activity_0wb1", "lookup"),
        cand("Activity_1chk", "rule_check"),
        cand("Activity_2nf", "notification"),
        cand("Activity_7druck", "notification"),
        cand("Activity_8vers", "notification"),
    ],
    "not_candidates": ["Activity_4dec", "Activity_5frei"],
}
L["bauvoranfrage"] = {
    "media_breaks": [
        mb("a", "obj.105", "obj.106"),
        mb("a", "obj.108", "obj.109"),
        mb("a", "obj.109", "obj.110"),
        mb("a", "obj.112", "obj.115"),
        mb("b", "obj.201", "obj.104"),
        mb("c", "obj.110"),
    ],
    "automation_candidates": [
        cand("obj.102", "online_intake"),
        cand("obj.103", "rule_check"),
        cand("obj.104", "data_transfer"),
        cand("obj.105", "lookup"),
        cand("obj.106", "notification"),
        cand("obj.110", "data_transfer"),
        cand("obj.112", "document_generation"),
        cand("obj.116", "notification"),
        cand("obj.117", "filing"),
    ],
    "not_candidates": ["obj.107", "obj.108", "obj.109", "obj.113", "obj.115"],
}
L["stoerungsmeldung-strassenbeleuchtung"] = {
    "media_breaks": [
        mb("a", "T1", "T2"), mb("a", "T2", "T3"), mb("a", "T3", "T4"), mb("a", "T4", "T5"), mb("a", "T5", "T6"),
        mb("b", "DO_Notiz", "T2"), mb("b", "DO_Liste", "T4"),
        mb("c", "T2"),
    ],
    "automation_candidates": [
        cand("T1", "online_intake"), cand("T2", "data_transfer"), cand("T3", "lookup"), cand("T4", "notification"),
        cand("T5", "data_transfer"), cand("T7", "notification"), cand("T8", "filing"), cand("T9", "rule_check"),
    ],
    "not_candidates": ["T6"],
}
L["verdienstausfall-ehrenamt"] = {
    "media_breaks": [
        mb("a", "R2", "R3"), mb("a", "R3", "R4"), mb("a", "R5", "R6"), mb("a", "R6", "R7"), mb("a", "R8", "R9"),
        mb("b", "DO_AGB", "R3"),
        mb("c", "R3"), mb("c", "R4"), mb("c", "R6"),
    ],
    "automation_candidates": [
        cand("E_Antrag", "online_intake"), cand("R1", "online_intake"), cand("R2", "rule_check"),
        cand("R3", "data_transfer"), cand("R4", "filing"), cand("R6", "filing"), cand("R7", "filing"),
        cand("R9", "notification"),
    ],
    "not_candidates": ["R5"],
}
L["beistandschaft"] = {
    "media_breaks": [
        mb("a", "Activity_Antrag", "Activity_Anlegen"),
        mb("a", "Activity_Berechnen", "Activity_Urkunde"),
        mb("a", "Activity_Fax", "Activity_Erfassen"),
        mb("a", "Activity_Urkunde", "Activity_Abgleich"),
        mb("b", "DataObject_Antrag", "Activity_Anlegen"),
        mb("d", "MessageFlow_3", "Activity_Erfassen"),
    ],
    "automation_candidates": [
        cand("Activity_Antrag", "online_intake"), cand("Activity_Anlegen", "data_transfer"),
        cand("Activity_Auskunft", "notification"), cand("Activity_Berechnen", "rule_check"),
        cand("Activity_Fax", "notification"), cand("Activity_Erfassen", "data_transfer"),
        cand("Activity_Abgleich", "rule_check"),
    ],
    "not_candidates": ["Activity_Beratung", "Activity_Leistung", "Activity_Urkunde", "Activity_Klage"],
}
L["foi-request"] = {
    "media_breaks": [
        mb("d", "Flow_m1", "Activity_1reg"),
        mb("b", "DataObjectReference_1mail", "Activity_1reg"),
        mb("a", "Activity_1reg", "Activity_1ack"),
        mb("a", "Activity_1search", "Activity_1copy"),
        mb("c", "Activity_1copy"),
        mb("b", "DataStoreReference_1drive", "Activity_1copy"),
        mb("a", "Activity_1hear", "Activity_1redact"),
        mb("a", "Activity_1redact", "Activity_1sendrec"),
        mb("c", "Activity_1print"),
        mb("a", "Activity_1sendrec", "Activity_1archive"),
        mb("a", "Activity_1print", "Activity_1archive"),
    ],
    "automation_candidates": [
        cand("Activity_0write", "online_intake"), cand("Activity_1reg", "data_transfer"),
        cand("Activity_1ack", "notification"), cand("Activity_1fee", "rule_check"),
        cand("Activity_1search", "lookup"), cand("Activity_1copy", "data_transfer"),
        cand("Activity_1sendrec", "notification"), cand("Activity_1print", "notification"),
        cand("Activity_1archive", "filing"),
    ],
    "not_candidates": ["Activity_1assess", "Activity_1hear", "Activity_1refuse"],
}
L["vereinsfoerderung"] = {
    "media_breaks": [
        mb("a", "sid-VF-V3", "sid-VF-V4"),
        mb("a", "sid-VF-V4", "sid-VF-V6"),
        mb("c", "sid-VF-V6"),
        mb("a", "sid-VF-V9", "sid-VF-V11"),
        mb("d", "sid-VF-MF3", "sid-VF-V11"),
        mb("b", "sid-VF-DO2", "sid-VF-V11"),
        mb("c", "sid-VF-V11"),
        mb("a", "sid-VF-V12", "sid-VF-V13"),
    ],
    "automation_candidates": [
        cand("sid-VF-V1", "data_transfer"), cand("sid-VF-V2", "rule_check"), cand("sid-VF-V6", "data_transfer"),
        cand("sid-VF-V11", "online_intake"), cand("sid-VF-V12", "rule_check"), cand("sid-VF-V13", "data_transfer"),
        cand("sid-VF-V15", "filing"),
    ],
    "not_candidates": ["sid-VF-V3", "sid-VF-V4", "sid-VF-V8"],
}


def render(lab):
    lines = ["{", '  "media_breaks": [']
    lines.append(",\n".join(f'    {{"rule": "{m["rule"]}", "elements": {json.dumps(m["elements"])}}}' for m in lab["media_breaks"]))
    lines.append("  ],")
    lines.append('  "automation_candidates": [')
    lines.append(",\n".join(f'    {{"element": "{c["element"]}", "kind": "{c["kind"]}"}}' for c in lab["automation_candidates"]))
    lines.append("  ],")
    lines.append(f'  "not_candidates": {json.dumps(lab["not_candidates"])}')
    lines.append("}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    for name, lab in L.items():
        (HERE / f"{name}.labels.json").write_text(render(lab), encoding="utf-8")
