"""Copy the OMG BPMN 2.0 XSDs from the installed npm package into bpmn_schemas/, checksum-verified."""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "frontend" / "node_modules" / "bpmn-moddle" / "resources" / "bpmn" / "xsd"
TARGET = ROOT / "bpmn_schemas"


def main() -> int:
    pinned = {
        name: digest
        for digest, name in (
            line.split()
            for line in (TARGET / "SHA256SUMS").read_text().splitlines()
            if line.strip()
        )
    }
    for name, digest in sorted(pinned.items()):
        source = SOURCE / name
        if not source.is_file():
            print(f"missing {source}: run `npm ci` in frontend/ first", file=sys.stderr)
            return 1
        actual = hashlib.sha256(source.read_bytes()).hexdigest()
        if actual != digest:
            print(f"checksum mismatch for {name}: {actual} != {digest}", file=sys.stderr)
            return 1
        shutil.copyfile(source, TARGET / name)
    print(f"installed {len(pinned)} BPMN schemas into {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
