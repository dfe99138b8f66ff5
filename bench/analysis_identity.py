"""Whether a change keeps the analysis identical: one digest per model, saved and compared.

    .venv/bin/python bench/analysis_identity.py --save before.json     # before the change
    .venv/bin/python bench/analysis_identity.py --compare before.json  # after it

Reads every .bpmn/.xml file under ../shared/corpus (when present) and tests/data, analyses it with
the default vocabulary and prints how many files were read, how many differ, and which.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.bpmn.analysis import analyse  # noqa: E402
from app.bpmn.parse import UnsafeOrInvalidXml, parse_bpmn  # noqa: E402
from app.bpmn.vocabulary import load_vocabulary  # noqa: E402

FOLDERS = (ROOT.parent / "shared" / "corpus", ROOT / "tests" / "data")
SUFFIXES = {".bpmn", ".bpmn2", ".xml"}


def digests() -> dict[str, str]:
    vocabulary = load_vocabulary()
    found: dict[str, str] = {}
    for folder in FOLDERS:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() not in SUFFIXES or not path.is_file():
                continue
            try:
                tree = parse_bpmn(path.read_bytes())
            except UnsafeOrInvalidXml:
                continue
            result = analyse(tree, vocabulary).as_dict()
            text = json.dumps(result, sort_keys=True, ensure_ascii=False)
            found[str(path.relative_to(folder.parent))] = hashlib.sha256(text.encode()).hexdigest()
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path)
    group.add_argument("--compare", type=Path)
    args = parser.parse_args()
    now = digests()
    if args.save:
        args.save.write_text(json.dumps(now, indent=1, sort_keys=True))
        print(f"{len(now)} models analysed, digests saved to {args.save}")
        return 0
    before: dict[str, str] = json.loads(args.compare.read_text())
    differ = sorted(
        name for name in before.keys() | now.keys() if before.get(name) != now.get(name)
    )
    print(f"{len(now)} models analysed, {len(differ)} differ from {args.compare}")
    for name in differ:
        print(f"  {name}")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
