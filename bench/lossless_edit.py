"""Edit every corpus file once in the real modeler and check that the save lost nothing.

For every `.bpmn` file of ../shared/corpus/ (MIWG and labelled): upload it through the real server
(`prozessatlas serve` on a fresh SQLite database), open its modeler page in chromium, change one
label, save through the page's save dialog; then compare the stored versions 1 and 2. Every element
of version 1 must still be in version 2: elements with an id by their id, elements without one by
their tag under the nearest ancestor with an id (counted), split into semantic (BPMN model and
extensions) and DI (BPMNDI, DC, DI). Names (`name` attributes) must be kept too, apart from the
changed label (compared word by word: line breaks may be written differently). Counted apart:
attributes that a kept element lost (not those that only repeated the schema's default) and
elements written under another name of their substitution group. Prints each file that loses
anything and a summary count.

    .venv/bin/python bench/lossless_edit.py [--only SUBSTRING] [--limit N] [--verbose]

Needs `npm run build` in frontend/ and Debian's chromium (/usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2 as httpx
from lxml import etree
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from live import ROOT, launch, live_server, login  # noqa: E402

SHARED = Path(os.environ.get("PROZESSATLAS_SHARED", ROOT.parent / "shared"))
DI_NAMESPACES = {
    "http://www.omg.org/spec/BPMN/20100524/DI",
    "http://www.omg.org/spec/DD/20100524/DC",
    "http://www.omg.org/spec/DD/20100524/DI",
}
SUFFIX = " (geändert)"

# Attribute values of the BPMN 2.0 schema's defaults: bpmn-moddle does not write them, and leaving
# them out means the same.
DEFAULTS = {
    "isForCompensation": "false",
    "isCollection": "false",
    "isUnlimited": "true",
    "startQuantity": "1",
    "completionQuantity": "1",
    "cancelActivity": "true",
    "isInterrupting": "true",
    "parallelMultiple": "false",
    "gatewayDirection": "unspecified",
    "eventGatewayType": "exclusive",
    "instantiate": "false",
    "textFormat": "text/plain",
    "testBefore": "false",
    "isSequential": "false",
    "isClosed": "false",
    "processType": "none",
    "associationDirection": "none",
    "triggeredByEvent": "false",
    "behavior": "all",
    "ordering": "parallel",
    "itemKind": "information",
    "waitForCompletion": "true",
    "implementation": "##unspecified",
}

# Change the label of the first named flow node (or the first flow node, or the process).
CHANGE_LABEL = """suffix => {
    const modeler = window.prozessatlas.modeler;
    const shapes = modeler.get('elementRegistry').filter(e => !e.labelTarget && e.businessObject
        && e.businessObject.$instanceOf && e.businessObject.$instanceOf('bpmn:FlowNode'));
    const element = shapes.find(e => e.businessObject.name) || shapes[0];
    if (!element) { return null; }
    modeler.get('modeling').updateLabel(element, (element.businessObject.name || '') + suffix);
    return element.businessObject.id;
}"""


def parse(xml: bytes) -> etree._ElementTree:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    return etree.ElementTree(etree.fromstring(xml, parser))


@dataclass
class Inventory:
    semantic: collections.Counter[tuple[str, ...]] = field(default_factory=collections.Counter)
    di: collections.Counter[tuple[str, ...]] = field(default_factory=collections.Counter)
    names: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    attributes: dict[str, dict[str, str]] = field(default_factory=dict)


def inventory(tree: etree._ElementTree) -> Inventory:
    result = Inventory()

    def walk(element: etree._Element, owner: str) -> None:
        for child in element:
            if not isinstance(child.tag, str):
                continue
            qname = etree.QName(child)
            ident = child.get("id")
            key = ("id", ident) if ident else ("in", owner, qname.text)
            if ident:
                result.tags[ident] = qname.text
            target = result.di if qname.namespace in DI_NAMESPACES else result.semantic
            target[key] += 1
            if ident and child.get("name") is not None:
                result.names[ident] = child.get("name") or ""
            if ident:
                result.attributes.setdefault(ident, {}).update(child.attrib)
            walk(child, ident or owner)

    root = tree.getroot()
    walk(root, root.get("id") or "definitions")
    return result


def losses(old: bytes, new: bytes, changed: str | None) -> tuple[list[str], list[str]]:
    """(lost elements and names, lost attributes of elements that were kept)"""
    before, after = inventory(parse(old)), inventory(parse(new))
    lost: list[str] = []
    # the same element under another name of its substitution group, e.g. <formalExpression> as
    # <expression xsi:type="tFormalExpression">: written differently, not lost
    attributes = [
        f"{ident} written as {etree.QName(after.tags[ident]).localname}"
        for ident, tag in before.tags.items()
        if ident in after.tags and after.tags[ident] != tag
    ] + [
        f"{ident}/@{attribute}"
        for ident, values in before.attributes.items()
        if ident in after.attributes
        for attribute in sorted(set(values) - set(after.attributes[ident]))
        if DEFAULTS.get(attribute) != values[attribute].strip().lower()
    ]
    for kind, a, b in (
        ("semantic", before.semantic, after.semantic),
        ("DI", before.di, after.di),
    ):
        for key, count in (a - b).items():
            what = (
                f"{before.tags[key[1]]} id={key[1]}" if key[0] == "id" else f"{key[2]} in {key[1]}"
            )
            lost.append(f"{kind}: {what}" + (f" ×{count}" if count > 1 else ""))
    for ident, name in before.names.items():
        if ident == changed:
            continue
        # line breaks may be written differently (CR LF, LF, &#10;); the words must stay
        if " ".join((after.names.get(ident) or "").split()) != " ".join(name.split()):
            lost.append(f"name of {ident}: {name!r} → {after.names.get(ident)!r}")
    return lost, attributes


def corpus_files(only: str | None, limit: int | None) -> list[Path]:
    root = SHARED / "corpus"
    files = sorted(p for p in root.rglob("*") if p.suffix in {".bpmn", ".bpmn2"} and p.is_file())
    if only:
        files = [p for p in files if only in str(p.relative_to(root))]
    return files[:limit] if limit else files


def edit_in_modeler(page: Any, base: str, process_id: int) -> tuple[str | None, str]:
    """Open the modeler, change one label, save; returns (changed element id, page notice)."""
    page.goto(f"{base}/processes/{process_id}/edit")
    page.wait_for_selector("body.pa-modeler-ready, #pa-notice.pa-notice-error", timeout=60_000)
    if not page.locator("body.pa-modeler-ready").count():
        raise RuntimeError(page.locator("#pa-notice").inner_text())
    changed = page.evaluate(CHANGE_LABEL, SUFFIX)
    if changed is None:
        raise RuntimeError("no flow node to relabel")
    page.wait_for_function("() => window.prozessatlas.session.dirty")
    page.wait_for_selector("#pa-save:not([disabled])")
    page.click("#pa-save")
    note = page.locator("#pa-change-note")
    note.fill((note.input_value() + "\nLabel geändert").strip())
    page.click("#pa-save-confirm")
    page.wait_for_function(
        "() => !window.prozessatlas.session.saving && !window.prozessatlas.session.dirty",
        timeout=60_000,
    )
    return changed, page.locator("#pa-notice").inner_text()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", help="only files whose corpus path contains this")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--verbose", action="store_true", help="list every lost element")
    args = parser.parse_args()

    files = corpus_files(args.only, args.limit)
    if not files:
        sys.exit(f"no corpus files under {SHARED / 'corpus'}")
    with live_server() as (base, api):
        run(base, api, files, args.verbose)


def run(base: str, api: httpx.Client, files: list[Path], verbose: bool) -> None:
    office = api.post(
        "/offices", json={"key": "lossless", "name": "Verlustfrei", "kind": "amt"}
    ).json()
    corpus = SHARED / "corpus"
    lossy: list[str] = []
    attribute_lossy: list[str] = []
    skipped: list[str] = []
    repaired = 0
    started = time.monotonic()

    def report(label: str, name: str, items: list[str]) -> None:
        print(f"{label} {name}: {len(items)}")
        for item in items if verbose else items[:3]:
            print(f"    {item}")
        if not verbose and len(items) > 3:
            print(f"    … {len(items) - 3} more")

    with sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context(locale="de-DE", viewport={"width": 1440, "height": 900})
        page = context.new_page()
        login(page, base)
        for number, path in enumerate(files, 1):
            name = str(path.relative_to(corpus))
            created = api.post(
                f"/offices/{office['id']}/processes",
                json={"key": f"datei-{number}", "title": path.stem[:150]},
            )
            created.raise_for_status()
            process_id = created.json()["id"]
            old = path.read_bytes()
            uploaded = api.post(
                f"/processes/{process_id}/versions",
                content=old,
                headers={"Content-Type": "application/xml"},
            )
            if uploaded.status_code >= 400:
                skipped.append(name)
                print(f"SKIPPED {name}: upload refused ({uploaded.status_code})", flush=True)
                continue
            try:
                changed, notice = edit_in_modeler(page, base, process_id)
            except Exception as exc:  # noqa: BLE001 - a bench reports and goes on
                skipped.append(name)
                print(f"SKIPPED {name}: modeler: {str(exc).splitlines()[0]}", flush=True)
                page.close()
                page = context.new_page()
                continue
            new = api.get(f"/processes/{process_id}/versions/2/bpmn")
            if new.status_code != 200:
                skipped.append(name)
                print(f"SKIPPED {name}: not saved: {notice}", flush=True)
                continue
            stored_old = api.get(f"/processes/{process_id}/versions/1/bpmn").content
            note = api.get(f"/processes/{process_id}/versions/2").json().get("change_note") or ""
            if "repar" in note.lower():
                repaired += 1
            lost, attributes = losses(stored_old, new.content, changed)
            if lost:
                lossy.append(name)
                report("LOSES", name, lost)
            if attributes:
                attribute_lossy.append(name)
                report("LOSES ATTRIBUTES OR RENAMES", name, attributes)
            sys.stdout.flush()
        browser.close()
    seconds = time.monotonic() - started

    checked = len(files) - len(skipped)
    print(
        f"\n{len(files)} files, {checked} edited and saved, {len(skipped)} skipped; "
        f"{len(lossy)} lose elements or names, {checked - len(lossy)} keep them all; "
        f"{len(attribute_lossy)} lose attributes of kept elements or rename elements; "
        f"{repaired} saves carried a repair note; {seconds:.0f} s"
    )


if __name__ == "__main__":
    main()
