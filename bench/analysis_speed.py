"""Speed of the analysis on generated models of 100, 1 000 and 10 000 activities.

    python bench/analysis_speed.py

Models mix realistic task names (paper, e-mail, Excel, IT systems, judgement), lanes, gateways,
data objects and message flows. Parse time is printed separately; `analyse` is timed alone.
Target: < 50 ms for 1 000 activities, close to linear growth.
"""

from __future__ import annotations

import dataclasses
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import quoteattr

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.bpmn.analysis import analyse  # noqa: E402
from app.bpmn.parse import parse_bpmn  # noqa: E402
from app.bpmn.vocabulary import Vocabulary, load_vocabulary  # noqa: E402

SIZES = (100, 1_000, 10_000)
NAMES = [
    ("task", "Antrag auf Vollständigkeit prüfen"),
    ("userTask", "Antragsdaten in OK.EWO erfassen"),
    ("manualTask", "Bescheid ausdrucken und per Post versenden"),
    ("sendTask", "Eingangsbestätigung per E-Mail senden"),
    ("task", "Gebühr mit der Excel-Tabelle berechnen"),
    ("userTask", "Über den Antrag nach Ermessen entscheiden"),
    ("task", "Rückfragen telefonisch klären"),
    ("serviceTask", "Daten per Schnittstelle an SAP übergeben"),
    ("task", "Papierakte anlegen und weiterleiten"),
    ("userTask", "Vorgang in der E-Akte ablegen"),
    ("task", "Ortsbesichtigung durchführen"),
    ("task", "Daten aus der Excel-Liste in VOIS übertragen"),
    ("receiveTask", "Nachweise per Post empfangen"),
    ("task", "Melderegister abfragen"),
    ("businessRuleTask", "Anspruch nach Satzung prüfen"),
    ("task", "Beratungsgespräch im Bürgerbüro führen"),
    ("userTask", "Bescheinigung aus Vorlage erstellen"),
    ("task", "Brief einscannen"),
]
LANES = ["Sachbearbeitung", "Teamleitung", "Poststelle", "Kasse"]
DATA = ["Antrag (Papier)", "Antragsliste (Excel)", "Fachverfahren OK.EWO", "Unterlagen (E-Mail)"]


def generate(size: int, seed: int = 7) -> bytes:
    """A collaboration with one office pool of `size` activities and a collapsed citizen pool."""
    rng = random.Random(seed)
    nodes: list[str] = ['<startEvent id="S"/>']
    flows: list[str] = []
    lanes: dict[str, list[str]] = {lane: [] for lane in LANES}
    data: list[str] = []
    messages: list[str] = []
    previous = "S"
    for i in range(size):
        kind, name = NAMES[rng.randrange(len(NAMES))]
        task_id = f"T{i}"
        inner = ""
        if rng.random() < 0.2:
            data_id = f"D{i}"
            data.append(f'<dataObjectReference id="{data_id}" name={quoteattr(rng.choice(DATA))}/>')
            inner = (
                f'<property id="P{i}"/><dataInputAssociation id="A{i}">'
                f"<sourceRef>{data_id}</sourceRef><targetRef>P{i}</targetRef>"
                "</dataInputAssociation>"
            )
        nodes.append(f'<{kind} id="{task_id}" name={quoteattr(f"{name} ({i})")}>{inner}</{kind}>')
        lanes[rng.choice(LANES)].append(task_id)
        if i % 10 == 5:
            gateway = f"G{i}"
            nodes.append(f'<exclusiveGateway id="{gateway}"/>')
            flows.append(f'<sequenceFlow id="F{i}a" sourceRef="{previous}" targetRef="{gateway}"/>')
            flows.append(f'<sequenceFlow id="F{i}b" sourceRef="{gateway}" targetRef="{task_id}"/>')
            if i > 20:
                back = f"T{i - rng.randrange(2, 15)}"
                flows.append(f'<sequenceFlow id="F{i}c" sourceRef="{gateway}" targetRef="{back}"/>')
        else:
            flows.append(f'<sequenceFlow id="F{i}" sourceRef="{previous}" targetRef="{task_id}"/>')
        if i % 25 == 0:
            messages.append(
                f'<messageFlow id="M{i}" name="Schreiben (Brief)" sourceRef="Citizen" targetRef="{task_id}"/>'
            )
        previous = task_id
    nodes.append('<endEvent id="E"/>')
    flows.append(f'<sequenceFlow id="Fend" sourceRef="{previous}" targetRef="E"/>')
    lane_xml = "".join(
        f'<lane id="L{n}" name="{lane}">'
        + "".join(f"<flowNodeRef>{ref}</flowNodeRef>" for ref in refs)
        + "</lane>"
        for n, (lane, refs) in enumerate(lanes.items())
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="Defs">'
        '<collaboration id="C"><participant id="Office" name="Bürgeramt" processRef="P"/>'
        '<participant id="Citizen" name="Bürger/in"/>' + "".join(messages) + "</collaboration>"
        f'<process id="P"><laneSet id="LS">{lane_xml}</laneSet>'
        + "".join(nodes + data + flows)
        + "</process></bpmn:definitions>"
    ).encode()


def unseen(vocabulary: Vocabulary) -> Vocabulary:
    """The vocabulary without the readings it keeps from models read before (its matchers and
    the stem cache stay warm): every timed run reads the model as a new one."""
    return dataclasses.replace(vocabulary, _memo={})


def best_of(runs: int, action: object, clock: Callable[[], float] = time.perf_counter) -> float:
    """Fastest of `runs` timings of a zero-argument callable, in seconds."""
    assert callable(action)
    best = float("inf")
    for _ in range(runs):
        start = clock()
        action()
        best = min(best, clock() - start)
    return best


def main() -> int:
    """Time parse and analyse for each size and print growth factors."""
    vocabulary = load_vocabulary()
    analyse(parse_bpmn(generate(50)), vocabulary)  # warm the vocabulary and stem caches
    previous: float | None = None
    previous_size = 0
    # Wall time, and CPU time of this process (stable when other jobs share the machine).
    print(
        f"{'activities':>10} {'bytes':>10} {'parse ms':>10} {'analyse ms':>11} "
        f"{'cpu ms':>8} {'growth (cpu)':>14}"
    )
    for size in SIZES:
        data = generate(size)
        runs = 5 if size <= 1_000 else 2
        parse_s = best_of(runs, lambda data=data: parse_bpmn(data, max_bytes=200 * 1024 * 1024))
        tree = parse_bpmn(data, max_bytes=200 * 1024 * 1024)
        analyse_s = best_of(runs, lambda tree=tree: analyse(tree, unseen(vocabulary)))
        cpu_s = best_of(
            runs, lambda tree=tree: analyse(tree, unseen(vocabulary)), time.process_time
        )
        growth = ""
        if previous:
            growth = f"x{cpu_s / previous:.1f} (size x{size / previous_size:.0f})"
        print(
            f"{size:>10} {len(data):>10} {parse_s * 1000:>10.1f} {analyse_s * 1000:>11.1f} "
            f"{cpu_s * 1000:>8.1f} {growth:>14}"
        )
        previous, previous_size = cpu_s, size
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
