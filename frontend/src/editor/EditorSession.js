import { createApi, problemText } from './api';
import { createDraftStore } from './drafts';

var EMPTY_DIAGRAM =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" ' +
  'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" ' +
  'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:pa="urn:prozessatlas:bpmn:1.0" ' +
  'id="Definitions_1" targetNamespace="urn:prozessatlas:process">\n' +
  '  <bpmn:process id="Process_1" isExecutable="false" />\n' +
  '  <bpmndi:BPMNDiagram id="BPMNDiagram_1">\n' +
  '    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="Process_1" />\n' +
  '  </bpmndi:BPMNDiagram>\n' +
  '</bpmn:definitions>\n';

var DRAFT_DELAY = 300,
    ANALYSE_DELAY = 1200;

/**
 * The modeler page's logic around bpmn-js: load (server version or restored draft), keep unsaved work in
 * localStorage, save as a new version with a change note and If-Match, show conflicts, XSD errors and
 * live analysis findings. Never overwrites: a stale save gets a dialog, not a retry.
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
  this.dirty = false;
  this.saving = false;

  this._draftTimer = null;
  this._analyseTimer = null;
  this._analyseSeq = 0;
  this._xsdMarkers = [];

  var self = this;
  var eventBus = modeler.get('eventBus');

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
      await this._modeler.importXML(draft.xml);
      this.etag = draft.baseEtag || null;
      this.version = draft.baseVersion || null;
      this._ui.baseVersion(this.version);
      this._setDirty(true);
      var outdated = draft.baseVersion && this._page.version && draft.baseVersion !== this._page.version;
      this._ui.notice(outdated
        ? translate('Restored unsaved changes from {time}, based on version {base}; meanwhile version {latest} was saved.', {
          time: this._formatTime(draft.savedAt), base: String(draft.baseVersion), latest: String(this._page.version)
        })
        : translate('Restored unsaved changes from {time}.', { time: this._formatTime(draft.savedAt) }), outdated ? 'warning' : 'info');
      this._finishLoad();
      return;
    } catch (e) {

      // a broken draft must not block the page: fall back to the server version
      this._drafts.clear();
    }
  }

  try {
    if (this._page.bpmnUrl && this.version) {
      var result = await this._api.getText(this._page.bpmnUrl);

      if (!result.ok) {
        throw new Error('HTTP ' + result.status);
      }

      this.etag = result.headers.get('ETag') || this.etag;
      mark('pa-import-start');
      await this._modeler.importXML(result.data);
    } else {
      await this._modeler.importXML(EMPTY_DIAGRAM);
    }
  } catch (e) {
    this._ui.notice(translate('Loading the diagram failed: {detail}', { detail: e.message }), 'error');
    return;
  }

  this._setDirty(false);
  this._finishLoad();
};

EditorSession.prototype._finishLoad = function() {
  var canvas = this._modeler.get('canvas');

  try {
    canvas.zoom('fit-viewport', 'auto');
  } catch (e) {

    // empty diagram
  }

  if (canvas.zoom() > 1.2) {
    canvas.zoom(1);
  }

  this._scheduleAnalysis(0);
  this._ui.loaded();
  mark('pa-rendered');
};

EditorSession.prototype._changed = function() {
  var self = this;

  this._setDirty(true);

  clearTimeout(this._draftTimer);
  this._draftTimer = setTimeout(function() { self.storeDraft(); }, DRAFT_DELAY);

  this._scheduleAnalysis(ANALYSE_DELAY);
};

/**
 * Write the current diagram to localStorage now.
 */
EditorSession.prototype.storeDraft = async function() {
  clearTimeout(this._draftTimer);

  if (!this.dirty) {
    return;
  }

  var result = await this._modeler.saveXML({ format: true });

  // saved in the meantime
  if (!this.dirty) {
    return;
  }

  this._drafts.save({ xml: result.xml, baseEtag: this.etag, baseVersion: this.version });
};

EditorSession.prototype._setDirty = function(dirty) {
  this.dirty = dirty;

  var translate = this._translate;

  this._ui.status(dirty
    ? translate('Unsaved changes')
    : (this.version ? translate('All changes saved') : translate('New diagram, not saved yet')), dirty);
};

/**
 * Save the diagram as a new version.
 *
 * @param {string} note change note
 * @return {Promise<boolean>} saved
 */
EditorSession.prototype.save = async function(note) {
  var translate = this._translate;

  if (this.saving) {
    return false;
  }

  this.saving = true;
  this._ui.status(translate('Saving …'), true);

  try {
    var xml = (await this._modeler.saveXML({ format: true })).xml;

    var headers = {};

    if (note) {
      headers['X-Change-Note'] = encodeURIComponent(note);
    }

    if (this.etag) {
      headers['If-Match'] = this.etag;
    }

    var result = await this._api.postXml(this._page.versionsUrl, xml, headers);

    if (result.status === 409 || result.status === 412) {
      this._setDirty(true);
      await this.storeDraft();
      this._ui.conflict(result.data || {}, xml, note);
      return false;
    }

    if (!result.ok) {
      this._setDirty(true);
      this._ui.notice(translate('Saving failed: {detail}', { detail: problemText(result) }), 'error');
      return false;
    }

    var data = result.data || {};

    this.etag = result.headers.get('ETag') || data.etag || this.etag;
    this.version = data.number || data.version || (this.version || 0) + 1;

    this._drafts.clear();
    this._setDirty(false);
    this._ui.saved(data, this.version);
    this.showXsdErrors(data);
    return true;
  } finally {
    this.saving = false;
  }
};

/**
 * After a conflict: store the current diagram as a new process in the same office.
 *
 * @param {string} note
 */
EditorSession.prototype.saveAsNewProcess = async function(note) {
  var translate = this._translate,
      page = this._page;

  var stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);

  var created = await this._api.postJson(page.officeProcessesUrl, {
    title: (page.processTitle || 'Prozess') + ' (' + translate('copy') + ' ' + stamp + ')',
    key: ((page.processKey || 'prozess') + '-' + translate('copy') + '-' + stamp).toLowerCase()
  });

  if (!created.ok) {
    this._ui.notice(translate('Saving failed: {detail}', { detail: problemText(created) }), 'error');
    return false;
  }

  var id = created.data.id;
  var xml = (await this._modeler.saveXML({ format: true })).xml;
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
    var result = await this._modeler.importXML(xml);
    this._modeler.get('canvas').zoom('fit-viewport', 'auto');
    this._setDirty(true);
    await this.storeDraft();
    this._scheduleAnalysis(0);
    this._ui.notice(translate('File imported: save to store it as a new version.') +
      (result.warnings && result.warnings.length ? ' ' + translate('{count} import warnings.', { count: String(result.warnings.length) }) : ''), 'info');
    return true;
  } catch (e) {
    this._ui.notice(translate('Loading the diagram failed: {detail}', { detail: e.message }), 'error');
    return false;
  }
};

EditorSession.prototype.getXML = async function() {
  return (await this._modeler.saveXML({ format: true })).xml;
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

EditorSession.prototype._scheduleAnalysis = function(delay) {
  var self = this;

  if (!this._page.analyseUrl) {
    return;
  }

  clearTimeout(this._analyseTimer);
  this._analyseTimer = setTimeout(function() { self.analyse(); }, delay);
};

/**
 * Run the live analysis of the current diagram (stores nothing on the server).
 */
EditorSession.prototype.analyse = async function() {
  var seq = ++this._analyseSeq;

  var xml;

  try {
    xml = (await this._modeler.saveXML()).xml;
  } catch (e) {
    return;
  }

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

  if (result.ok) {
    this._modeler.get('findingOverlays').setFindings(result.data);
  } else {
    this._ui.analysisFailed(problemText(result));
  }
};

EditorSession.prototype._formatTime = function(iso) {
  return formatTime(iso, this._page.lang);
};

function mark(name) {
  if (typeof performance !== 'undefined' && performance.mark) {
    performance.mark(name);
  }
}

/**
 * @param {string} iso
 * @param {string} lang
 */
export function formatTime(iso, lang) {
  if (!iso) {
    return '';
  }

  var date = new Date(iso);

  if (isNaN(date.getTime())) {
    return String(iso);
  }

  return date.toLocaleString(lang === 'en' ? 'en-GB' : 'de-DE', { dateStyle: 'medium', timeStyle: 'short' });
}
