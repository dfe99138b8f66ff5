"""Interchange: import BPMN files, folders and zip archives; export processes with a manifest.

An export is `manifest.json` plus `processes/<office>/<process>/v<n>.bpmn`; importing it gives back
the offices, processes and versions with byte-identical files, numbers, authors and times
(`restoring`). Anything else is a set of plain BPMN files, each of which becomes a new process
(`files`), checked in worker processes (`checking`) as they are read from a folder or an archive
(`sources`). One bad file never stops the others; the report says what became of each file.
"""

from app.services.transfer.exporting import export
from app.services.transfer.importing import import_path
from app.services.transfer.manifest import FORMAT, FORMAT_VERSION, MANIFEST, Manifest
from app.services.transfer.report import Outcome, Report, ReportEntry, print_report

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "MANIFEST",
    "Manifest",
    "Outcome",
    "Report",
    "ReportEntry",
    "export",
    "import_path",
    "print_report",
]
