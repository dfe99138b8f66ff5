"""The pages' UI strings, German first, English second; the language comes from `?lang=` or a cookie."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Final
from zoneinfo import ZoneInfo

from fastapi import Request

from app.config import settings

LANGUAGES: Final = ("de", "en")
LANG_COOKIE: Final = "lang"

Translate = Callable[..., str]

MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # frame
    "app_name": ("Prozessatlas", "Prozessatlas"),
    "skip_to_content": ("Zum Inhalt springen", "Skip to content"),
    "nav_main": ("Hauptnavigation", "Main navigation"),
    "nav_catalogue": ("Katalog", "Catalogue"),
    "nav_new_process": ("Neuer Prozess", "New process"),
    "nav_glossary": ("Glossar", "Glossary"),
    "search_catalogue": ("Prozesskatalog durchsuchen", "Search the process catalogue"),
    "search_button": ("Suchen", "Search"),
    "search_suggestions": ("Vorschläge", "Suggestions"),
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
    "zoom_controls": ("Ansicht vergrößern oder verkleinern", "Zoom"),
    "zoom_in": ("Vergrößern", "Zoom in"),
    "zoom_out": ("Verkleinern", "Zoom out"),
    "diagram": ("Diagramm", "Diagram"),
    "diagram_of": ("Diagramm: {title}, Version {n}", "Diagram: {title}, version {n}"),
    "findings": ("Analyse", "Analysis"),
    "show_overlays": ("Befunde im Diagramm zeigen", "Show findings on the diagram"),
    "xsd_errors": ("XSD-Fehler", "XSD errors"),
    "line_col": ("Zeile {line}, Spalte {column}", "line {line}, column {column}"),
    "line_n": ("Zeile {line}", "line {line}"),
    "original_text": ("Originaltext des Prüfprogramms", "Original text of the validator"),
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
    "new_process_unsaved": ("neuer Prozess, noch nicht gespeichert", "new process, not saved yet"),
    "import_report": ("Beim Öffnen", "On opening"),
    "conflict_copy_title": ("Titel des neuen Prozesses", "Title of the new process"),
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
    # process page: metadata and archive
    "manage_process": ("Prozess verwalten", "Manage the process"),
    "edit_metadata": ("Angaben bearbeiten", "Edit details"),
    "field_owner": ("Prozessverantwortliche:r (Benutzername)", "Process owner (user name)"),
    "field_owner_hint": ("Leer lassen für niemanden.", "Leave empty for nobody."),
    "field_leika_key": ("LeiKa-Schlüssel", "LeiKa key"),
    "field_leika_hint": (
        "Leistungsschlüssel aus dem Leistungskatalog, 8 bis 20 Ziffern.",
        "Service key from the German service catalogue (LeiKa), 8 to 20 digits.",
    ),
    "field_tags": ("Schlagwörter", "Tags"),
    "field_tags_hint": ("Durch Kommas getrennt.", "Separated by commas."),
    "save_metadata": ("Angaben speichern", "Save details"),
    "metadata_saved": ("Die Angaben wurden gespeichert.", "The details have been saved."),
    "metadata_invalid": (
        "Bitte prüfen Sie diese Angaben",
        "Please check these details",
    ),
    "archive_process": ("Archivieren", "Archive"),
    "archived_title": ("Archivierte Prozesse", "Archived processes"),
    "show_archived": ("Archivierte Prozesse anzeigen", "Show archived processes"),
    "show_current": ("Zurück zu den aktuellen Prozessen", "Back to the current processes"),
    "archive_hint": (
        "Blendet den Prozess im Katalog aus. Versionen und Verlauf bleiben erhalten.",
        "Hides the process from the catalogue. Versions and history are kept.",
    ),
    "restore_process": ("Wiederherstellen", "Restore"),
    "restore_hint": (
        "Zeigt den Prozess wieder im Katalog.",
        "Shows the process in the catalogue again.",
    ),
    "archived_notice": (
        "Dieser Prozess ist seit {at} archiviert und wird im Katalog nicht angezeigt.",
        "This process has been archived since {at} and is not shown in the catalogue.",
    ),
    "no_modeler_office": (
        "Sie dürfen in keiner Dienststelle modellieren.",
        "You may not model in any office.",
    ),
    "required": ("Pflichtfeld", "required"),
    "uploaded_note": ("Hochgeladen: {filename}", "Uploaded: {filename}"),
    # accounts: "Meine Zugänge" and the administration of users (app/web/account.py)
    "nav_account": ("Meine Zugänge", "My access"),
    "nav_admin": ("Benutzerverwaltung", "User administration"),
    "account_title": ("Meine Zugänge", "My access"),
    "account_intro": (
        "Angemeldet als {name}. Hier verwalten Sie Ihre API-Tokens, Sitzungen und Ihr Passwort.",
        "Logged in as {name}. Manage your API tokens, sessions and password here.",
    ),
    "tokens_title": ("API-Tokens", "API tokens"),
    "tokens_intro": (
        "Tokens erlauben Skripten den Zugriff auf die REST-API mit Ihren Rechten. Jedes Token läuft ab.",
        "Tokens let scripts use the REST API with your rights. Every token expires.",
    ),
    "no_tokens": ("Sie haben keine gültigen Tokens.", "You have no valid tokens."),
    "token_name": ("Name", "Name"),
    "token_days": ("Gültig für Tage (höchstens {max})", "Valid for days (at most {max})"),
    "token_new": ("Neues Token", "New token"),
    "token_create": ("Token erzeugen", "Create token"),
    "token_created": (
        "Das Token wurde erzeugt. Kopieren Sie es jetzt: es wird nur dieses eine Mal angezeigt.",
        "The token was created. Copy it now: it is shown only this once.",
    ),
    "token_value": ("Ihr neues Token", "Your new token"),
    "token_revoked": ("Das Token wurde widerrufen.", "The token was revoked."),
    "revoke": ("Widerrufen", "Revoke"),
    "revoke_token_named": ("Token „{name}“ widerrufen", "Revoke token '{name}'"),
    "expires": ("Läuft ab", "Expires"),
    "never": ("nie", "never"),
    "actions": ("Aktionen", "Actions"),
    "sessions_title": ("Angemeldete Browser", "Logged-in browsers"),
    "session_since": ("Angemeldet seit", "Logged in since"),
    "session_seen": ("Zuletzt aktiv", "Last active"),
    "session_client": ("Adresse und Browser", "Address and browser"),
    "this_session": ("dieser Browser", "this browser"),
    "session_end": ("Abmelden", "Log out"),
    "session_ended": ("Die Sitzung wurde beendet.", "The session was ended."),
    "password_change": ("Passwort ändern", "Change password"),
    "password_rules": (
        "Mindestens 12 Zeichen, keine Sonderzeichenregeln; häufige oder bekannt gewordene Passwörter werden abgelehnt. Eine Passphrase aus mehreren Wörtern ist gut.",
        "At least 12 characters, no rules about special characters; common or leaked passwords are refused. A passphrase of several words is good.",
    ),
    "password_change_ends": (
        "Danach sind alle Sitzungen und API-Tokens des Kontos beendet.",
        "Afterwards every session and API token of the account has ended.",
    ),
    "password_current": ("Bisheriges Passwort", "Current password"),
    "password_new": ("Neues Passwort", "New password"),
    "password_repeat": ("Neues Passwort wiederholen", "Repeat the new password"),
    "passwords_differ": (
        "Die beiden neuen Passwörter stimmen nicht überein.",
        "The two new passwords differ.",
    ),
    "password_changed": (
        "Das Passwort wurde geändert; alle anderen Sitzungen und alle Tokens sind beendet.",
        "The password was changed; every other session and every token has ended.",
    ),
    "admin_users_title": ("Benutzerverwaltung", "User administration"),
    "user_count": ("{count} Benutzer:innen", "{count} users"),
    "display_name": ("Anzeigename", "Display name"),
    "user_admin": ("Administrator:in", "Administrator"),
    "user_state": ("Status", "Status"),
    "user_active": ("aktiv", "active"),
    "user_inactive": ("deaktiviert", "deactivated"),
    "user_new": ("Neue:r Benutzer:in", "New user"),
    "user_create": ("Anlegen", "Create"),
    "user_created": ("Das Konto wurde angelegt.", "The account was created."),
    "password_initial": ("Erstes Passwort", "Initial password"),
    "bad_username": (
        "Der Benutzername darf Buchstaben, Ziffern und . _ @ - enthalten (höchstens 80 Zeichen).",
        "The user name may contain letters, digits and . _ @ - (at most 80 characters).",
    ),
    "user_activate": ("Konto aktivieren", "Activate account"),
    "user_deactivate": ("Konto deaktivieren", "Deactivate account"),
    "user_activated": ("Das Konto ist aktiv.", "The account is active."),
    "user_deactivated": (
        "Das Konto ist deaktiviert; seine Sitzungen und Tokens sind beendet.",
        "The account is deactivated; its sessions and tokens have ended.",
    ),
    "user_lock": ("Anmeldesperre", "Login lock"),
    "locked_until": ("gesperrt bis {time}", "locked until {time}"),
    "not_locked": ("keine", "none"),
    "user_unlock": ("Sperre aufheben", "Lift the lock"),
    "user_unlocked": ("Die Anmeldesperre ist aufgehoben.", "The login lock was lifted."),
    "roles_title": ("Rollen in Dienststellen", "Roles in offices"),
    "no_roles": ("Noch keine Rolle.", "No role yet."),
    "role": ("Rolle", "Role"),
    "role_reader": ("Lesen", "Reader"),
    "role_modeler": ("Modellieren", "Modeler"),
    "role_owner": ("Prozessverantwortung", "Owner"),
    "role_admin": ("Verwaltung der Dienststelle", "Office admin"),
    "role_grant": ("Rolle vergeben", "Grant role"),
    "role_granted": ("Die Rolle wurde vergeben.", "The role was granted."),
    "role_revoke_named": ("Rolle in {office} entziehen", "Revoke the role in {office}"),
    "role_revoked": ("Die Rolle wurde entzogen.", "The role was revoked."),
    "password_reset_title": ("Passwort neu setzen", "Reset password"),
    "password_reset": ("Passwort setzen", "Set password"),
    "access_title": ("Zugänge", "Access"),
    "access_counts": (
        "{tokens} gültige Tokens, {sessions} angemeldete Browser.",
        "{tokens} valid tokens, {sessions} logged-in browsers.",
    ),
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


def translator(lang: str, messages: Mapping[str, tuple[str, str]] | None = None) -> Translate:
    """`t(key, **values)`: the message in `lang` with `{name}` placeholders filled in, from
    `messages` (German, English) — the pages' shared table unless a page brings its own."""
    table = MESSAGES if messages is None else messages
    index = 1 if lang == "en" else 0

    def t(key: str, /, **values: object) -> str:
        entry = table.get(key)
        text = entry[index] if entry else key
        return text.format(**values) if values else text

    return t


def format_datetime(value: datetime | None, lang: str, *, zone: bool = False) -> str:
    """A timestamp in the city's time zone (`PROZESSATLAS_TIME_ZONE`), German or English style;
    `zone` appends the zone's abbreviation (MEZ/CET …) where it matters."""
    if value is None:
        return "–"
    local = value.astimezone(ZoneInfo(settings.time_zone))
    text = local.strftime("%Y-%m-%d %H:%M" if lang == "en" else "%d.%m.%Y %H:%M")
    if zone:
        abbreviation = local.tzname() or settings.time_zone
        if lang == "de":
            abbreviation = {"CET": "MEZ", "CEST": "MESZ"}.get(abbreviation, abbreviation)
        text += f" {abbreviation}"
    return text
