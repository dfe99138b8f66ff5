import { createApi, problemText } from './api';
import { createDraftStore } from './drafts';
import { decodeXml, describeCarried, findCarried, mergeCarried, repairForImport } from './lossless';
import { layoutIfNeeded } from './layout';
import { whenIdle } from './idle';
import { exportInSteps } from './export';

// a new diagram starts with one start event, as in Camunda Modeler
var EMPTY_DIAGRAM =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" ' +
  'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" ' +
  'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:pa="urn:prozessatlas:bpmn:1.0" ' +
  'id="Definitions_1" targetNamespace="urn:prozessatlas:process">\n' +
  '  <bpmn:process id="Process_1" isExecutable="false">\n' +
  '    <bpmn:startEvent id="StartEvent_1" />\n' +
  '  </bpmn:process>\n' +
  '  <bpmndi:BPMNDiagram id="BPMNDiagram_1">\n' +
  '    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="Process_1">\n' +
  '      <bpmndi:BPMNShape id="StartEvent_1_di" bpmnElement="StartEvent_1">\n' +
  '        <dc:Bounds x="182" y="162" width="36" height="36" />\n' +
  '      </bpmndi:BPMNShape>\n' +
  '    </bpmndi:BPMNPlane>\n' +
  '  </bpmndi:BPMNDiagram>\n' +
  '</bpmn:definitions>\n';

// after the last edit, in idle time: one export feeds both the draft and the live analysis
var EXPORT_DELAY = 400;

/**
 * The modeler page's logic around bpmn-js: load (server version or restored draft), keep unsaved work in
 * localStorage, save as a new version with a change note and If-Match, show conflicts, XSD errors and
 * live analysis findings. Never overwrites: a stale save gets a dialog, not a retry. Nothing of the
 * stored model is lost (ADR 0010): repairs on opening, what bpmn-js cannot show is carried into every save.
 *
 * @param {Object} modeler bpmn-js Modeler
 * @param {Object} page page data rendered by the server
 * @param {Function} translate
 * @param {Object} ui DOM hooks, see modeler.js
 */
export default function EditorSession(modeler, page, translate, ui) {
  this._modeler = modeler;
  this._page = page;
  this._translate = translate;
  this._ui = ui;
  this._api = createApi(page.csrf, page.lang);
  this._drafts = createDraftStore(page.draftKey || String(page.processId));

  this.etag = page.etag || null;
  this.version = page.version || null;

  // unsaved edits of the user (drafts, the leave warning)
  this.dirty = false;

  // repairs or a layout made on opening: offered for saving, nothing the user would lose
  this.openedWithChanges = false;
  this.saving = false;

  // a new process: nothing stored yet, the diagram starts with one start event
  this.fresh = false;

  // the import report and what bpmn-js could not show (see ./lossless)
  this.report = null;
  this._carried = [];
  this._importNote = '';

  this._exportTimer = null;
  this._exportSeq = 0;
  this._analyseSeq = 0;
  this._xsdMarkers = [];

  var self = this;
  var eventBus = modeler.get('eventBus');

  // what bpmn-moddle read, to tell whether bpmn-js' export would drop something
  eventBus.on('import.parse.complete', function(event) {
    self._parsed = event.elementsById || null;
  });

  eventBus.on('commandStack.changed', function(event) {
    if (event && event.trigger === 'clear') {
      return;
    }
    self._changed();
  });

  window.addEventListener('beforeunload', function(event) {
    if (self.dirty) {
      event.preventDefault();
      event.returnValue = '';
    }
  });
}

EditorSession.prototype.load = async function() {
  mark('pa-load-start');

  var draft = this._drafts.load();
  var translate = this._translate;

  if (draft) {
    try {
      await this._open(draft.xml);
      this._importNote = draft.importNote || this._importNote;
      this.etag = draft.baseEtag || null;
      this.version = draft.baseVersion || null;
      this._ui.baseVersion(this.version);
      this._setDirty(true);
      var outdated = draft.baseVersion && this._page.version && draft.baseVersion !== this._page.version;
      this._ui.notice(outdated
        ? translate('Restored unsaved changes from {time}, based on version {base}; meanwhile version {latest} was saved.', {
          time: this._formatTime(draft.savedAt, true), base: String(draft.baseVersion), latest: String(this._page.version)
        })
        : translate('Restored unsaved changes from {time}.', { time: this._formatTime(draft.savedAt, true) }), outdated ? 'warning' : 'info');
      this._finishLoad();
      return;
    } catch (e) {

      // a broken draft must not block the page: fall back to the server version
      this._drafts.clear();
    }
  }

  try {
    if (this._page.bpmnUrl && this.version) {
      var result = await this._api.getBytes(this._page.bpmnUrl);

      if (!result.ok) {
        throw new Error('HTTP ' + result.status);
      }

      this.etag = result.headers.get('ETag') || this.etag;

      // the stored version's analysis is on the server already: fetch it during the import
      // instead of sending the whole model to /analyse once it is drawn
      this._storedAnalysis = this._page.analysisUrl ? this._api.get(this._page.analysisUrl) : null;
      mark('pa-import-start');
      await this._open(decodeXml(result.data));
    } else {
      this.fresh = true;
      await this._open(EMPTY_DIAGRAM);
    }
  } catch (e) {
    this._ui.notice(translate('Loading the diagram failed: {detail}', { detail: e.message }), 'error');
    return;
  }

  this._setDirty(false);
  this._finishLoad();
};

/**
 * Import `xml` losslessly: repair, lay out a model without DI, import, and find what bpmn-js'
 * export would drop (only when there is a sign of it: import warnings, DI that was not drawn).
 *
 * @param {string} xml
 * @return {Promise<Object>} the import report
 */
EditorSession.prototype._open = async function(xml) {
  var repaired = repairForImport(xml);
  var laid = await layoutIfNeeded(repaired.xml);
  var result = await this._modeler.importXML(laid.xml);
  var warnings = result.warnings || [];

  this._carried = [];

  if (warnings.length || repaired.repairs.length || laid.laidOut || this._exportWouldDrop(repaired.xml)) {
    var exported = (await this._modeler.saveXML({ format: false })).xml;
    this._carried = findCarried(repaired.xml, exported);
  }

  this.report = {
    repairs: repaired.repairs,
    laidOut: laid.laidOut,
    carried: describeCarried(this._carried),
    warnings: warnings.map(function(warning) { return String(warning.message || warning).split('\n')[0]; })
  };
  this.openedWithChanges = repaired.repairs.length > 0 || laid.laidOut;
  this._importNote = this._proposedNote(this.report);
  this._ui.importReport(this.report);
  return this.report;
};

/**
 * Cheap signs that bpmn-js' export would drop part of `xml` (the full comparison costs an export
 * and two parses): bpmn-moddle read fewer ids than the text has (unparsable or duplicate
 * elements), or DI that bpmn-js did not draw and will not write again (shapes and edges of the
 * drawn planes, planes no diagram holds).
 *
 * @param {string} xml
 * @return {boolean}
 */
EditorSession.prototype._exportWouldDrop = function(xml) {
  var parsed = this._parsed || {};
  var ids = Object.keys(parsed);
  var written = (xml.match(/\sid\s*=\s*["']/g) || []).length;

  if (written !== ids.length) {
    return true;
  }

  var definitions = this._modeler.getDefinitions();
  var diagrams = (definitions && definitions.diagrams) || [];
  var planes = new Set(diagrams.map(function(diagram) { return diagram.plane; }));
  var drawnPlanes = new Set(this._modeler.get('canvas').getRootElements().map(function(root) { return root.di; }));
  var drawn = new Set(this._modeler.get('elementRegistry').getAll().map(function(element) { return element.di; }));

  return ids.some(function(id) {
    var element = parsed[id];
    var type = element && element.$type;

    if (type === 'bpmndi:BPMNShape' || type === 'bpmndi:BPMNEdge') {
      return !drawn.has(element) && (drawnPlanes.has(element.$parent) || !planes.has(element.$parent));
    }
    if (type === 'bpmndi:BPMNPlane') {
      return !planes.has(element);
    }
    if (type === 'bpmndi:BPMNDiagram') {
      return diagrams.indexOf(element) === -1;
    }
    return false;
  });
};

EditorSession.prototype._proposedNote = function(report) {
  var translate = this._translate;
  var lines = report.repairs.map(function(repair) {
    if (repair.kind === 'references') {
      return translate('Repaired on opening: {count} references written with a namespace prefix now point at their elements.', { count: repair.reference });
    }
    if (repair.kind === 'plane') {
      return translate('Repaired on opening: diagram {id} now shows {reference} (it pointed at the whole file).', { id: repair.id, reference: repair.reference });
    }
    return translate('Repaired on opening: data object {name} is shown through a data object reference ({reference}).', {
      name: repair.name ? '„' + repair.name + '“ (' + repair.id + ')' : repair.id, reference: repair.reference
    });
  });

  if (report.laidOut) {
    lines.push(translate('Laid out automatically (the model had no diagram information).'));
  }

  if (report.carried.length) {
    lines.push(translate('{count} elements that the modeler cannot show were kept unchanged.', { count: String(report.carried.length) }));
  }

  return lines.join('\n');
};

/**
 * The change note proposed for the next save: what was repaired or laid out on opening.
 *
 * @return {string}
 */
EditorSession.prototype.proposedNote = function() {
  return this._importNote;
};

EditorSession.prototype._finishLoad = function() {
  var stored = this._storedAnalysis;

  this._storedAnalysis = null;
  this._ui.fit();

  // what is drawn is the stored version unchanged: its stored analysis is the live one
  if (stored && !this.dirty && !this.openedWithChanges) {
    this._showStoredAnalysis(stored);
  } else {
    this._analyseSoon(0);
  }
  this._ui.loaded();
  mark('pa-rendered');
};

EditorSession.prototype._showStoredAnalysis = async function(pending) {
  var seq = ++this._analyseSeq;
  var result;

  try {
    result = await pending;
  } catch (e) {
    result = null;
  }

  if (seq !== this._analyseSeq) {
    return;
  }

  if (result && result.ok) {
    this._showFindings(result, true);
  } else {
    this._analyseSoon(0);
  }
};

EditorSession.prototype._changed = function() {
  this._setDirty(true);
  this._ui.edited();
  this._analyseSoon(EXPORT_DELAY);
};

/**
 * Export the diagram once, in idle time, `delay` ms after the last change: the draft and the
 * live analysis both use that export.
 *
 * @param {number} delay
 */
EditorSession.prototype._analyseSoon = function(delay) {
  var self = this;

  clearTimeout(this._exportTimer);
  this._exportTimer = setTimeout(function() {
    whenIdle(function() { self._exportAndAnalyse(); });
  }, delay);
};

EditorSession.prototype._exportAndAnalyse = async function() {
  var seq = ++this._exportSeq;
  var xml;

  try {
    xml = await exportInSteps(this._modeler);
  } catch (e) {
    return;
  }

  // changed meanwhile: the export after that change follows
  if (xml === null || seq !== this._exportSeq) {
    return;
  }

  if (this.dirty) {
    this._saveDraft(this._carried.length ? mergeCarried(xml, this._carried) : xml);
  }

  this._analyse(xml);
};

EditorSession.prototype._saveDraft = function(xml) {
  this._drafts.save({
    xml: xml, baseEtag: this.etag, baseVersion: this.version, importNote: this._importNote
  });
};

/**
 * Write the current diagram to localStorage now.
 */
EditorSession.prototype.storeDraft = async function() {
  if (!this.dirty) {
    return;
  }

  var xml = await this.getXML();

  // saved in the meantime
  if (!this.dirty) {
    return;
  }

  this._saveDraft(xml);
};

/**
 * Whether saving is offered: there are edits, or changes made on opening, or nothing was ever
 * saved; never while a save runs. (The API itself accepts identical bytes as a new version.)
 *
 * @return {boolean}
 */
EditorSession.prototype.canSave = function() {
  return !this.saving && (this.dirty || this.openedWithChanges || !this.version);
};

EditorSession.prototype._setDirty = function(dirty) {
  this.dirty = dirty;
  this._updateStatus();
};

EditorSession.prototype._updateStatus = function() {
  var translate = this._translate;
  var text;

  if (this.saving) {
    text = translate('Saving …');
  } else if (this.dirty) {
    text = translate('Unsaved changes');
  } else if (!this.version) {
    text = translate('New process, not saved yet');
  } else if (this.openedWithChanges) {
    text = this.report && this.report.laidOut
      ? translate('Laid out automatically, not saved yet')
      : translate('Repaired on opening, not saved yet');
  } else {
    text = translate('All changes saved');
  }

  this._ui.status(text, this.dirty || this.saving || this.openedWithChanges);
  this._ui.canSave(this.canSave());
};

/**
 * Save the diagram as a new version.
 *
 * @param {string} note change note
 * @return {Promise<boolean>} saved
 */
EditorSession.prototype.save = async function(note) {
  var translate = this._translate;

  if (!this.canSave()) {
    return false;
  }

  this.saving = true;
  this._updateStatus();

  try {
    var xml;

    try {
      xml = await this.getXML();
    } catch (e) {

      // bpmn-js cannot write some models (elements in no namespace): say so, keep the edits
      this._ui.notice(translate('Saving failed: {detail}', {
        detail: translate('the modeler cannot write this model ({reason}); the stored versions are unchanged.', { reason: e.message })
      }), 'error');
      return false;
    }

    var headers = {};

    if (note) {
      headers['X-Change-Note'] = encodeURIComponent(note);
    }

    if (this.etag) {
      headers['If-Match'] = this.etag;
    }

    var result = await this._api.postXml(this._page.versionsUrl, xml, headers);

    if (result.status === 409 || result.status === 412) {
      this.saving = false;
      this._setDirty(true);
      await this.storeDraft();
      this._ui.conflict(result.data || {}, xml, note);
      return false;
    }

    if (!result.ok) {
      this.saving = false;
      this._setDirty(true);
      this._ui.notice(translate('Saving failed: {detail}', { detail: problemText(result) }), 'error');
      return false;
    }

    var data = result.data || {};

    this.etag = result.headers.get('ETag') || data.etag || this.etag;
    this.version = data.number || data.version || (this.version || 0) + 1;
    this.openedWithChanges = false;
    this._importNote = '';

    this._drafts.clear();
    this.saving = false;
    this._setDirty(false);
    this._ui.saved(data, this.version);
    this.showXsdErrors(data);
    return true;
  } finally {
    if (this.saving) {
      this.saving = false;
      this._updateStatus();
    }
  }
};

/**
 * The proposed title of a copy: "Title (Kopie vom 07.12.2026, 23:07)" in the city's time zone.
 *
 * @param {Date} [now]
 * @return {string}
 */
EditorSession.prototype.copyTitle = function(now) {
  var when = formatTime((now || new Date()).toISOString(), this._page.lang, this._page.timeZone, { dateStyle: 'medium' });
  return (this._page.processTitle || this._translate('Process')) + ' (' + this._translate('copy of {time}', { time: when }) + ')';
};

/**
 * After a conflict: store the current diagram as a new process in the same office.
 *
 * @param {string} note
 * @param {string} [title] defaults to `copyTitle()`
 */
EditorSession.prototype.saveAsNewProcess = async function(note, title) {
  var translate = this._translate,
      page = this._page;

  var stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);

  var created = await this._api.postJson(page.officeProcessesUrl, {
    title: (title || '').trim() || this.copyTitle(),
    key: ((page.processKey || 'prozess') + '-kopie-' + stamp).toLowerCase()
  });

  if (!created.ok) {
    this._ui.notice(translate('Saving failed: {detail}', { detail: problemText(created) }), 'error');
    return false;
  }

  var id = created.data.id;
  var xml = await this.getXML();
  var headers = note ? { 'X-Change-Note': encodeURIComponent(note) } : {};

  var saved = await this._api.postXml(page.apiBase + '/processes/' + id + '/versions', xml, headers);

  if (!saved.ok) {
    this._ui.notice(translate('Saving failed: {detail}', { detail: problemText(saved) }), 'error');
    return false;
  }

  this._drafts.clear();
  this._setDirty(false);
  this._ui.notice(translate('Saved as new process.'), 'success');
  window.location.assign(page.editUrlTemplate.replace('{id}', encodeURIComponent(id)));
  return true;
};

/**
 * After a conflict: drop local changes and load the newest version from the server.
 */
EditorSession.prototype.reloadLatest = async function() {
  this._drafts.clear();
  this._setDirty(false);
  window.location.reload();
};

/**
 * Replace the diagram with a local BPMN file (kept as unsaved changes until saved as a new version).
 *
 * @param {string} xml
 * @return {Promise<boolean>} imported
 */
EditorSession.prototype.importFile = async function(xml) {
  var translate = this._translate;

  try {
    var report = await this._open(xml);
    this._ui.fit();
    this._setDirty(true);
    await this.storeDraft();
    this._analyseSoon(0);
    this._ui.notice(translate('File imported: save to store it as a new version.') +
      (report.warnings.length ? ' ' + translate('{count} import warnings.', { count: String(report.warnings.length) }) : ''), 'info');
    return true;
  } catch (e) {
    this._ui.notice(translate('Loading the diagram failed: {detail}', { detail: e.message }), 'error');
    return false;
  }
};

/**
 * The diagram as it would be saved: bpmn-js' export with everything carried over.
 *
 * @return {Promise<string>}
 */
EditorSession.prototype.getXML = async function() {
  var xml = (await this._modeler.saveXML({ format: true })).xml;
  return this._carried.length ? mergeCarried(xml, this._carried) : xml;
};

/**
 * Show the XSD errors of a saved version, pointing at the elements where the server could tell.
 *
 * @param {Object} data version metadata
 */
EditorSession.prototype.showXsdErrors = function(data) {
  var canvas = this._modeler.get('canvas'),
      registry = this._modeler.get('elementRegistry');

  this._xsdMarkers.forEach(function(element) {
    canvas.removeMarker(element, 'pa-xsd-error');
  });
  this._xsdMarkers = [];

  var errors = (data && data.errors) || [];
  var self = this;

  errors.forEach(function(error) {
    var element = error.element_id && registry.get(error.element_id);
    if (element) {
      canvas.addMarker(element, 'pa-xsd-error');
      self._xsdMarkers.push(element);
    }
  });

  this._ui.xsdErrors(data && data.xsd_valid === false ? errors : []);
};

/**
 * Run the live analysis of the current diagram now (stores nothing on the server).
 */
EditorSession.prototype.analyse = async function() {
  var xml;

  try {
    xml = (await this._modeler.saveXML()).xml;
  } catch (e) {
    return;
  }

  return this._analyse(xml);
};

EditorSession.prototype._analyse = async function(xml) {
  if (!this._page.analyseUrl) {
    return;
  }

  var seq = ++this._analyseSeq;
  var result;

  try {
    result = await this._api.postXml(this._page.analyseUrl, xml);
  } catch (e) {
    result = { ok: false, status: 0, data: { title: e.message } };
  }

  // a newer run was started meanwhile
  if (seq !== this._analyseSeq) {
    return;
  }

  this._showFindings(result);
};

/**
 * Draw the findings of an analysis response (`now`: at once, as on opening, not in idle time).
 */
EditorSession.prototype._showFindings = function(result, now) {
  if (result.ok) {
    var findings = this._modeler.get('findingOverlays');
    var text = JSON.stringify(result.data);

    // most edits change no finding: drawing them again would only cost time
    if (text === this._lastFindings) {
      return;
    }
    this._lastFindings = text;

    // drawing the overlays is the page's own work: not in the middle of input
    if (now) {
      findings.setFindings(result.data);
    } else {
      whenIdle(function() { findings.setFindings(result.data); }, 500);
    }
  } else {
    this._lastFindings = null;
    this._ui.analysisFailed(problemText(result));
  }
};

EditorSession.prototype._formatTime = function(iso, withZone) {
  return formatTime(iso, this._page.lang, this._page.timeZone, withZone ? { timeZoneName: 'short' } : null);
};

function mark(name) {
  if (typeof performance !== 'undefined' && performance.mark) {
    performance.mark(name);
  }
}

/**
 * A date and time for people, in the city's time zone (the server's `PROZESSATLAS_TIME_ZONE`).
 *
 * @param {string} iso
 * @param {string} lang
 * @param {string} [timeZone] IANA name, e.g. Europe/Berlin; the browser's when missing or unknown
 * @param {Object} [extra] more Intl.DateTimeFormat options, e.g. { timeZoneName: 'short' }
 * @return {string}
 */
export function formatTime(iso, lang, timeZone, extra) {
  if (!iso) {
    return '';
  }

  var date = new Date(iso);

  if (isNaN(date.getTime())) {
    return String(iso);
  }

  var locale = lang === 'en' ? 'en-GB' : 'de-DE';
  var options = Object.assign({ dateStyle: 'medium', timeStyle: 'short' }, extra || {});

  if (options.timeZoneName) {

    // dateStyle/timeStyle cannot be combined with timeZoneName
    options = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', timeZoneName: options.timeZoneName };
  }

  try {
    return new Intl.DateTimeFormat(locale, Object.assign({}, options, timeZone ? { timeZone: timeZone } : {})).format(date);
  } catch (e) {
    return new Intl.DateTimeFormat(locale, options).format(date);
  }
}
