import Modeler from 'bpmn-js/lib/Modeler';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule } from 'bpmn-js-properties-panel';
import MinimapModule from 'diagram-js-minimap';
import LintModule from 'bpmn-js-bpmnlint';

import lintConfig from './generated/bpmnlint-config';
import paModule, { paDescriptor } from './pa';
import findingsModule, { elementNamer, markReady, renderFindingsList } from './findings';
import { createTranslate, translateModule } from './i18n';
import { $, download } from './dom';
import EditorSession, { formatTime } from './editor/EditorSession';
import { decodeXml } from './editor/lossless';
import { fitBesidePalette } from './editor/fit';
import { lintInIdleTime } from './editor/lint';
import { importSummary, renderImportReport } from './editor/report';

import './modeler.css';

function readPageData() {
  var node = $('pa-page-data');
  return node ? JSON.parse(node.textContent) : {};
}

function openDialog(dialog) {
  if (typeof dialog.showModal === 'function') {
    dialog.showModal();
  } else {
    dialog.setAttribute('open', '');
  }
}

function closeDialog(dialog) {
  if (typeof dialog.close === 'function') {
    dialog.close();
  } else {
    dialog.removeAttribute('open');
  }
}

export function start() {
  var page = readPageData();
  var lang = page.lang === 'en' ? 'en' : 'de';
  var translate = createTranslate(lang);

  var modeler = new Modeler({
    container: '#pa-canvas',
    propertiesPanel: { parent: '#pa-properties' },
    linting: { bpmnlint: lintConfig, active: true },
    minimap: { open: false },
    systemSuggestions: { url: page.systemsUrl },
    additionalModules: [
      BpmnPropertiesPanelModule,
      BpmnPropertiesProviderModule,
      paModule,
      MinimapModule,
      LintModule,
      findingsModule,
      translateModule(lang)
    ],
    moddleExtensions: { pa: paDescriptor }
  });

  var statusNode = $('pa-status'),
      noticeNode = $('pa-notice'),
      findingsNode = $('pa-findings-list'),
      xsdNode = $('pa-xsd-errors'),
      xsdList = $('pa-xsd-error-list'),
      saveDialog = $('pa-save-dialog'),
      conflictDialog = $('pa-conflict-dialog');

  var elementRegistry = modeler.get('elementRegistry'),
      findingOverlays = modeler.get('findingOverlays'),
      linting = modeler.get('linting'),
      canvasNode = $('pa-canvas');

  lintInIdleTime(linting);

  var labelOf = elementNamer(elementRegistry, translate);

  var pendingConflict = null;

  var ui = {
    status: function(text, dirty) {
      if (statusNode) {
        statusNode.textContent = text;
        statusNode.classList.toggle('pa-dirty', !!dirty);
      }
    },
    notice: function(text, kind) {
      if (noticeNode) {
        noticeNode.textContent = text;
        noticeNode.className = 'pa-notice pa-notice-' + (kind || 'info');
        noticeNode.hidden = !text;
      }
    },
    baseVersion: function(version) {
      var baseNode = $('pa-base');
      if (baseNode && version) {
        baseNode.textContent = translate('based on version') + ' ';
        var versionNode = document.createElement('span');
        versionNode.id = 'pa-current-version';
        versionNode.textContent = String(version);
        baseNode.appendChild(versionNode);
      }
    },
    canSave: function(enabled) {
      var button = $('pa-save');
      if (button) {
        button.disabled = !enabled;
      }
    },
    fit: function() {
      fitBesidePalette(modeler.get('canvas'));
    },
    edited: function() {

      // a new diagram shows lint hints only once there is something to lint
      if (canvasNode.classList.contains('pa-lint-pending')) {
        canvasNode.classList.remove('pa-lint-pending');
        linting.toggle(true);
      }
    },
    importReport: function(report) {
      var section = $('pa-import-report');
      if (section) {
        renderImportReport(section, report, translate);
      }
      var summary = importSummary(report, translate);
      if (summary) {
        ui.notice(summary, report.carried.length ? 'warning' : 'info');
      }
    },
    loaded: function() {
      if (session.fresh) {
        canvasNode.classList.add('pa-lint-pending');
        linting.toggle(false);
      }
      document.body.classList.add('pa-modeler-ready');
    },
    saved: function(data, version) {
      var errors = (data && data.errors) || [];
      ui.notice(data && data.xsd_valid === false
        ? translate('Saved as version {version}, but the model is not XSD-valid ({count} errors).', { version: String(version), count: String(errors.length) })
        : translate('Saved as version {version}.', { version: String(version) }), data && data.xsd_valid === false ? 'warning' : 'success');
      ui.baseVersion(version);
    },
    conflict: function(problem, xml, note) {
      pendingConflict = { problem: problem, note: note };
      $('pa-conflict-version').textContent = String(problem.current_version || '?');
      $('pa-conflict-author').textContent = problem.author || translate('unknown');
      $('pa-conflict-time').textContent = formatTime(problem.created_at, lang, page.timeZone, { timeZoneName: 'short' }) || translate('unknown');
      $('pa-copy-title').value = session.copyTitle();
      openDialog(conflictDialog);
    },
    xsdErrors: function(errors) {
      if (!xsdNode) {
        return;
      }
      while (xsdList.firstChild) {
        xsdList.removeChild(xsdList.firstChild);
      }
      errors.forEach(function(error) {
        var item = document.createElement('li');
        var button = document.createElement('button');
        button.type = 'button';
        button.className = 'pa-xsd-error';
        button.textContent = (error.line ? translate('line {line}', { line: String(error.line) }) + ': ' : '') +
          ((lang === 'en' ? error.message_en : error.message_de) || error.message || '') +
          (error.element_id ? ' [' + error.element_id + ']' : '');
        if (error.original) {
          button.title = error.original;
        }
        if (error.element_id) {
          button.addEventListener('click', function() { findingOverlays.focus([ error.element_id ]); });
        } else {
          button.disabled = true;
        }
        item.appendChild(button);
        xsdList.appendChild(item);
      });
      xsdNode.hidden = !errors.length;
    },
    analysisFailed: function(detail) {
      if (findingsNode) {
        findingsNode.textContent = translate('Analysis failed: {detail}', { detail: detail });
      }
      markReady($('pa-canvas'));
    }
  };

  var session = new EditorSession(modeler, page, translate, ui);

  modeler.get('eventBus').on('findings.changed', function(event) {

    // the list in a task of its own, after the overlays
    setTimeout(function() {
      if (findingsNode) {
        renderFindingsList(findingsNode, event.analysis, {
          lang: lang,
          translate: translate,
          labelOf: labelOf,
          onSelect: function(ids) { findingOverlays.focus(ids); }
        });
      }
      markReady($('pa-canvas'));
    }, 0);
  });

  // toolbar

  function bind(id, handler) {
    var node = $(id);
    if (node) {
      node.addEventListener('click', handler);
    }
  }

  function askSave() {
    if (!session.canSave()) {
      return;
    }
    $('pa-change-note').value = session.proposedNote();
    openDialog(saveDialog);
    $('pa-change-note').focus();
  }

  bind('pa-save', askSave);
  bind('pa-undo', function() { modeler.get('commandStack').undo(); });
  bind('pa-redo', function() { modeler.get('commandStack').redo(); });
  bind('pa-search', function() {

    // after this click has bubbled: the search pad closes on outside clicks
    setTimeout(function() { modeler.get('editorActions').trigger('find'); }, 0);
  });
  bind('pa-download-bpmn', async function() {
    download((page.filename || 'prozess') + '.bpmn', await session.getXML(), 'application/xml');
  });
  bind('pa-fit', function() { ui.fit(); });

  var fileInput = $('pa-import-file');
  if (fileInput) {
    fileInput.addEventListener('change', function() {
      var file = fileInput.files && fileInput.files[0];
      if (file) {
        file.arrayBuffer().then(function(buffer) {
          return session.importFile(decodeXml(buffer));
        }).finally(function() { fileInput.value = ''; });
      }
    });
  }

  var toggle = $('pa-toggle-findings');
  if (toggle) {
    toggle.addEventListener('change', function() { findingOverlays.toggle(toggle.checked); });
  }

  document.addEventListener('keydown', function(event) {
    if ((event.ctrlKey || event.metaKey) && (event.key === 's' || event.key === 'S')) {
      event.preventDefault();
      askSave();
    }
  });

  // save dialog

  $('pa-save-form').addEventListener('submit', async function(event) {
    event.preventDefault();
    var note = $('pa-change-note').value.trim();
    closeDialog(saveDialog);
    await session.save(note);
  });
  bind('pa-save-cancel', function() { closeDialog(saveDialog); });

  // conflict dialog

  bind('pa-conflict-reload', function() {
    closeDialog(conflictDialog);
    session.reloadLatest();
  });
  bind('pa-conflict-save-new', async function() {
    closeDialog(conflictDialog);
    await session.saveAsNewProcess(pendingConflict ? pendingConflict.note : '', $('pa-copy-title').value);
  });
  bind('pa-conflict-download', async function() {
    download((page.filename || 'prozess') + '-lokal.bpmn', await session.getXML(), 'application/xml');
  });
  bind('pa-conflict-cancel', function() { closeDialog(conflictDialog); });

  window.prozessatlas = { modeler: modeler, session: session };

  return session.load().then(function() {

    // the XSD errors of the version this diagram is based on
    if (page.baseErrors && page.baseErrors.length) {
      session.showXsdErrors({ xsd_valid: false, errors: page.baseErrors });
    }
  });
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', start);
} else {
  start();
}
