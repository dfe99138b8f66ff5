"""Quality of the analysis against the labelled corpus (ANALYSIS.md section 4).

    python bench/analysis_quality.py [path/to/corpus/labelled]

Prints media-break precision / recall (overall and per rule), candidate precision / recall / F1,
kind accuracy over matched candidates, and every miss and false hit. Always exits 0.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.bpmn.analysis import Analysis, analyse  # noqa: E402
from app.bpmn.graph import build_graph  # noqa: E402
from app.bpmn.parse import parse_bpmn  # noqa: E402

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "labelled"


@dataclass
class Tally:
    """Counts of one model or of the whole corpus."""

    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    cand_tp: int = 0
    cand_fp: int = 0
    cand_fn: int = 0
    kind_ok: int = 0
    lines: list[str] = field(default_factory=list)


def ratio(a: int, b: int) -> float:
    """a / b, 1.0 when b is 0."""
    return a / b if b else 1.0


def compare(
    path: Path, analysis: Analysis, labels: dict[str, Any], names: dict[str, str], tally: Tally
) -> None:
    """Add one model's matches, misses and false hits to the tally."""
    expected = {(b["rule"], frozenset(b["elements"])) for b in labels["media_breaks"]}
    found = {(b.rule, frozenset(b.elements)) for b in analysis.media_breaks}
    for rule, elements in sorted(found | expected, key=lambda x: (x[0], sorted(x[1]))):
        key = (rule, elements)
        label = ", ".join(f"{e} «{names.get(e, '')}»" for e in sorted(elements))
        if key in found and key in expected:
            tally.tp[rule] += 1
        elif key in found:
            tally.fp[rule] += 1
            tally.lines.append(f"  FALSE break {path.name} {rule}: {label}")
        else:
            tally.fn[rule] += 1
            tally.lines.append(f"  MISSED break {path.name} {rule}: {label}")
    want = {c["element"]: c["kind"] for c in labels["automation_candidates"]}
    got = {c.element: c.kind for c in analysis.candidates}
    for element in sorted(set(want) | set(got)):
        name = names.get(element, "")
        if element in want and element in got:
            tally.cand_tp += 1
            if want[element] == got[element]:
                tally.kind_ok += 1
            else:
                tally.lines.append(
                    f"  KIND {path.name} {element} «{name}»: {got[element]} (label {want[element]})"
                )
        elif element in got:
            tally.cand_fp += 1
            tally.lines.append(f"  FALSE candidate {path.name} {element} «{name}»: {got[element]}")
        else:
            tally.cand_fn += 1
            tally.lines.append(
                f"  MISSED candidate {path.name} {element} «{name}»: {want[element]}"
            )


def main(argv: list[str]) -> int:
    """Run the corpus and print the numbers."""
    corpus = Path(argv[1]) if len(argv) > 1 else DEFAULT_CORPUS
    tally = Tally()
    files = sorted(corpus.glob("*.bpmn"))
    for path in files:
        labels_path = path.with_name(path.stem + ".labels.json")
        if not labels_path.exists():
            continue
        tree = parse_bpmn(path.read_bytes())
        graph = build_graph(tree)
        names = {n.id: n.name for n in graph.nodes.values()}
        names.update({d.id: d.name for d in graph.data.values()})
        names.update({m.id: m.name for m in graph.message_flows})
        compare(path, analyse(tree), json.loads(labels_path.read_text("utf-8")), names, tally)
    print(f"corpus: {corpus} ({len(files)} models)")
    tp, fp, fn = sum(tally.tp.values()), sum(tally.fp.values()), sum(tally.fn.values())
    print(
        f"media breaks: P={ratio(tp, tp + fp):.3f} R={ratio(tp, tp + fn):.3f} (tp {tp}, fp {fp}, fn {fn})"
    )
    for rule in "abcd":
        t, f, n = tally.tp[rule], tally.fp[rule], tally.fn[rule]
        print(
            f"  rule {rule}: P={ratio(t, t + f):.3f} R={ratio(t, t + n):.3f} (tp {t}, fp {f}, fn {n})"
        )
    p = ratio(tally.cand_tp, tally.cand_tp + tally.cand_fp)
    r = ratio(tally.cand_tp, tally.cand_tp + tally.cand_fn)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(
        f"candidates: P={p:.3f} R={r:.3f} F1={f1:.3f} "
        f"(tp {tally.cand_tp}, fp {tally.cand_fp}, fn {tally.cand_fn})"
    )
    print(
        f"kind accuracy: {ratio(tally.kind_ok, tally.cand_tp):.3f} ({tally.kind_ok}/{tally.cand_tp})"
    )
    print("details:")
    for line in tally.lines:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
