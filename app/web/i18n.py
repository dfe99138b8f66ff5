"""The pages' UI strings, German first, English second; the language comes from `?lang=` or a cookie."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Final
from zoneinfo import ZoneInfo

from fastapi import Request

LANGUAGES: Final = ("de", "en")
LANG_COOKIE: Final = "lang"
DISPLAY_ZONE: Final = ZoneInfo("Europe/Berlin")

Translate = Callable[..., str]

MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # frame
    "app_name": ("Prozessatlas", "Prozessatlas"),
    "skip_to_content": ("Zum Inhalt springen", "Skip to content"),
    "nav_main": ("Hauptnavigation", "Main navigation"),
    "nav_catalogue": ("Katalog", "Catalogue"),
    "nav_new_process": ("Neuer Prozess", "New process"),
    "nav_api": ("API", "API"),
    "language": ("Sprache", "Language"),
    "switch_to_en": ("English", "English"),
    "switch_to_de": ("Deutsch", "Deutsch"),
    "logged_in_as": ("Angemeldet als {name}", "Logged in as {name}"),
    "logout": ("Abmelden", "Log out"),
    "footer": (
        "Prozessatlas – Prozessmodelle der Stadtverwaltung",
        "Prozessatlas – the city's process models",
    ),
    # login
    "login_title": ("Anmelden", "Log in"),
    "login_intro": (
        "Bitte melden Sie sich mit Ihrem Benutzernamen an.",
        "Please log in with your user name.",
    ),
    "username": ("Benutzername", "User name"),
    "password": ("Passwort", "Password"),
    "login_submit": ("Anmelden", "Log in"),
    "login_failed": ("Benutzername oder Passwort ist falsch.", "Wrong user name or password."),
    "csrf_failed": (
        "Das Formular ist abgelaufen. Bitte erneut absenden.",
        "The form has expired. Please submit it again.",
    ),
    "logged_out": ("Sie wurden abgemeldet.", "You have been logged out."),
    # catalogue
    "catalogue_title": ("Prozesskatalog", "Process catalogue"),
    "offices": ("Dienststellen", "Offices"),
    "all_offices": ("Alle Dienststellen", "All offices"),
    "processes": ("Prozesse", "Processes"),
    "no_processes": ("Noch keine Prozesse.", "No processes yet."),
    "no_offices": (
        "Sie haben noch keine Rolle in einer Dienststelle.",
        "You have no role in any office yet.",
    ),
    "col_title": ("Prozess", "Process"),
    "col_office": ("Dienststelle", "Office"),
    "col_status": ("Status", "Status"),
    "col_validity": ("Gültigkeit", "Validity"),
    "col_version": ("Neueste Version", "Latest version"),
    "col_changed": ("Letzte Änderung", "Last change"),
    "col_findings": ("Medienbrüche / Kandidaten", "Media breaks / candidates"),
    "process_count": ("{count} Prozesse", "{count} processes"),
    "pagination": ("Seiten", "Pages"),
    "page_of": ("Seite {page} von {pages}", "Page {page} of {pages}"),
    "page_previous": ("← Vorherige Seite", "← Previous page"),
    "page_next": ("Nächste Seite →", "Next page →"),
    "page_first": ("« Erste Seite", "« First page"),
    "filter_office": ("Nach Dienststelle filtern", "Filter by office"),
    # status
    "status_none": ("ohne Version", "no version"),
    "status_draft": ("Entwurf", "Draft"),
    "status_in_review": ("In Prüfung", "In review"),
    "status_approved": ("Freigegeben", "Approved"),
    "status_changes_requested": ("Änderungen angefordert", "Changes requested"),
    "status_superseded": ("Abgelöst", "Superseded"),
    "xsd_invalid": ("nicht XSD-gültig", "not XSD-valid"),
    "validity_open": ("unbefristet", "open-ended"),
    "validity_none": ("–", "–"),
    # process page
    "process": ("Prozess", "Process"),
    "key": ("Schlüssel", "Key"),
    "office": ("Dienststelle", "Office"),
    "owner": ("Prozessverantwortliche:r", "Process owner"),
    "description": ("Beschreibung", "Description"),
    "none": ("–", "–"),
    "versions": ("Versionen", "Versions"),
    "no_versions": ("Noch keine Version gespeichert.", "No version saved yet."),
    "version": ("Version", "Version"),
    "version_n": ("Version {n}", "Version {n}"),
    "author": ("Autor:in", "Author"),
    "created": ("Erstellt", "Created"),
    "change_note": ("Änderungsnotiz", "Change note"),
    "valid_xsd": ("XSD-gültig", "XSD-valid"),
    "yes": ("ja", "yes"),
    "no": ("nein", "no"),
    "open_modeler": ("Im Modeler bearbeiten", "Edit in the modeler"),
    "open_version": ("Version {n} ansehen", "View version {n}"),
    "latest_version": ("Neueste Version", "Latest version"),
    "download": ("Herunterladen", "Download"),
    "download_bpmn": ("BPMN-Datei (.bpmn)", "BPMN file (.bpmn)"),
    "download_svg": ("Bild (SVG)", "Image (SVG)"),
    "download_png": ("Bild (PNG)", "Image (PNG)"),
    "fit_view": ("Ganzes Diagramm zeigen", "Fit diagram"),
    "diagram": ("Diagramm", "Diagram"),
    "diagram_of": ("Diagramm: {title}, Version {n}", "Diagram: {title}, version {n}"),
    "findings": ("Analyse", "Analysis"),
    "show_overlays": ("Befunde im Diagramm zeigen", "Show findings on the diagram"),
    "xsd_errors": ("XSD-Fehler", "XSD errors"),
    "line_col": ("Zeile {line}, Spalte {column}", "line {line}, column {column}"),
    "element": ("Element", "Element"),
    "back_to_process": ("Zurück zum Prozess", "Back to the process"),
    "media_breaks": ("Medienbrüche", "Media breaks"),
    "candidates": ("Automatisierungskandidaten", "Automation candidates"),
    "automation_share": ("Automatisierungsanteil", "Automation share"),
    # modeler
    "modeler_title": ("Modeler: {title}", "Modeler: {title}"),
    "toolbar": ("Werkzeugleiste", "Toolbar"),
    "save": ("Speichern …", "Save …"),
    "undo": ("Rückgängig", "Undo"),
    "redo": ("Wiederholen", "Redo"),
    "search_diagram": ("Im Diagramm suchen", "Search in diagram"),
    "download_current": ("Aktuellen Stand herunterladen", "Download current state"),
    "properties": ("Eigenschaften", "Properties"),
    "import_file": ("BPMN-Datei öffnen …", "Open BPMN file …"),
    "based_on_version": ("Grundlage: Version", "Based on version"),
    "new_diagram": ("neu", "new"),
    "shortcuts": (
        "Tastenkürzel: Strg+S Speichern, Strg+Z / Strg+Y Rückgängig / Wiederholen, Strg+F Suchen, Entf Löschen, Pfeiltasten Auswahl verschieben.",
        "Shortcuts: Ctrl+S save, Ctrl+Z / Ctrl+Y undo / redo, Ctrl+F search, Del delete, arrow keys move the selection.",
    ),
    "save_dialog_title": ("Neue Version speichern", "Save a new version"),
    "save_dialog_text": (
        "Jedes Speichern legt eine neue, unveränderliche Version an.",
        "Every save creates a new, immutable version.",
    ),
    "change_note_label": ("Was wurde geändert? (Änderungsnotiz)", "What changed? (change note)"),
    "save_confirm": ("Version speichern", "Save version"),
    "cancel": ("Abbrechen", "Cancel"),
    "conflict_title": ("Inzwischen gibt es eine neuere Version", "A newer version exists"),
    "conflict_text": (
        "Ihre Änderungen wurden nicht gespeichert und nichts wurde überschrieben. Version {version} wurde von {author} am {time} gespeichert.",
        "Your changes were not saved and nothing was overwritten. Version {version} was saved by {author} at {time}.",
    ),
    "conflict_kept": (
        "Ihre Änderungen bleiben in diesem Browser erhalten, bis Sie sich entscheiden.",
        "Your changes stay in this browser until you decide.",
    ),
    "conflict_reload": (
        "Neuere Version laden (eigene Änderungen verwerfen)",
        "Load the newer version (discard my changes)",
    ),
    "conflict_save_new": ("Als neuen Prozess speichern", "Save as a new process"),
    "conflict_download": ("Meine Änderungen herunterladen", "Download my changes"),
    # new process
    "new_title": ("Neuen Prozess anlegen", "Create a new process"),
    "new_intro": (
        "Mit leerem Diagramm beginnen oder eine BPMN-Datei (z. B. aus Camunda Modeler, Signavio, ADONIS) hochladen.",
        "Start with an empty diagram or upload a BPMN file (e.g. from Camunda Modeler, Signavio, ADONIS).",
    ),
    "field_title": ("Titel", "Title"),
    "field_key": (
        "Schlüssel (Kleinbuchstaben, Ziffern, Bindestriche)",
        "Key (lower-case letters, digits, hyphens)",
    ),
    "field_description": ("Beschreibung (optional)", "Description (optional)"),
    "field_file": ("BPMN-Datei (optional)", "BPMN file (optional)"),
    "field_note": (
        "Änderungsnotiz zur ersten Version (optional)",
        "Change note for the first version (optional)",
    ),
    "create_empty": ("Anlegen", "Create"),
    "no_modeler_office": (
        "Sie dürfen in keiner Dienststelle modellieren.",
        "You may not model in any office.",
    ),
    "required": ("Pflichtfeld", "required"),
    "uploaded_note": ("Hochgeladen: {filename}", "Uploaded: {filename}"),
    # errors
    "error_title": ("Fehler", "Error"),
    "not_found": ("Nicht gefunden.", "Not found."),
    "forbidden": ("Dafür fehlt Ihnen die Berechtigung.", "You are not allowed to do that."),
}


def lang_of(request: Request) -> str:
    """`?lang=de|en`, else the `lang` cookie, else German."""
    query = request.query_params.get("lang")
    if query in LANGUAGES:
        return query
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in LANGUAGES:
        return cookie
    return "de"


def translator(lang: str) -> Translate:
    """`t(key, **values)`: the message in `lang` with `{name}` placeholders filled in."""
    index = 1 if lang == "en" else 0

    def t(key: str, /, **values: object) -> str:
        entry = MESSAGES.get(key)
        text = entry[index] if entry else key
        return text.format(**values) if values else text

    return t


def format_datetime(value: datetime | None, lang: str) -> str:
    """A timestamp in the city's time zone, German or English style."""
    if value is None:
        return "–"
    local = value.astimezone(DISPLAY_ZONE)
    if lang == "en":
        return local.strftime("%Y-%m-%d %H:%M")
    return local.strftime("%d.%m.%Y %H:%M")
