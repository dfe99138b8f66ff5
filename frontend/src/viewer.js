import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';

import paDescriptor from './pa/pa.json';
import findingsModule, { markReady, renderFindingsList } from './findings';
import { createTranslate, translateModule } from './i18n';
import { $, download } from './dom';

import './viewer.css';

/**
 * Render an SVG string into a PNG blob (2× for projectors).
 */
function svgToPng(svg) {
  return new Promise(function(resolve, reject) {
    var image = new Image();
    var svgUrl = URL.createObjectURL(new Blob([ svg ], { type: 'image/svg+xml' }));

    image.onload = function() {
      var scale = 2;
      var canvas = document.createElement('canvas');
      canvas.width = Math.max(1, Math.ceil(image.width * scale));
      canvas.height = Math.max(1, Math.ceil(image.height * scale));
      var context = canvas.getContext('2d');
      context.fillStyle = '#fff';
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      URL.revokeObjectURL(svgUrl);
      canvas.toBlob(function(blob) { blob ? resolve(blob) : reject(new Error('PNG')); }, 'image/png');
    };
    image.onerror = function() {
      URL.revokeObjectURL(svgUrl);
      reject(new Error('SVG'));
    };
    image.src = svgUrl;
  });
}

/**
 * Mark the elements the XSD errors point at; their buttons in the error list select and centre them.
 */
function markErrors(viewer, ids) {
  var canvas = viewer.get('canvas'),
      registry = viewer.get('elementRegistry'),
      findingOverlays = viewer.get('findingOverlays');

  ids.forEach(function(id) {
    if (registry.get(id)) {
      canvas.addMarker(id, 'pa-xsd-error');
    }
  });

  Array.prototype.forEach.call(document.querySelectorAll('[data-focus-element]'), function(button) {
    button.addEventListener('click', function() {
      findingOverlays.focus([ button.getAttribute('data-focus-element') ]);
      var canvasNode = document.getElementById('pa-canvas');
      if (canvasNode && canvasNode.scrollIntoView) {
        canvasNode.scrollIntoView({ block: 'nearest' });
      }
    });
  });
}

export async function start() {
  var dataNode = $('pa-page-data');
  var page = dataNode ? JSON.parse(dataNode.textContent) : {};
  var lang = page.lang === 'en' ? 'en' : 'de';
  var translate = createTranslate(lang);

  var viewer = new NavigatedViewer({
    container: '#pa-canvas',
    additionalModules: [ findingsModule, translateModule(lang) ],
    moddleExtensions: { pa: paDescriptor }
  });

  window.prozessatlas = { viewer: viewer };

  var findingOverlays = viewer.get('findingOverlays'),
      elementRegistry = viewer.get('elementRegistry'),
      findingsNode = $('pa-findings-list'),
      noticeNode = $('pa-notice');

  function notice(text) {
    if (noticeNode) {
      noticeNode.textContent = text;
      noticeNode.hidden = !text;
    }
  }

  viewer.get('eventBus').on('findings.changed', function(event) {
    if (!findingsNode) {
      return;
    }
    renderFindingsList(findingsNode, event.analysis, {
      lang: lang,
      translate: translate,
      labelOf: function(id) {
        var element = elementRegistry.get(id);
        var name = element && element.businessObject && element.businessObject.name;
        return name ? name + ' (' + id + ')' : id;
      },
      onSelect: function(ids) { findingOverlays.focus(ids); }
    });
  });

  var toggle = $('pa-toggle-findings');
  if (toggle) {
    toggle.addEventListener('change', function() { findingOverlays.toggle(toggle.checked); });
  }

  var filename = page.filename || 'prozess';

  var svgButton = $('pa-download-svg');
  if (svgButton) {
    svgButton.addEventListener('click', async function() {
      var svg = (await viewer.saveSVG()).svg;
      download(filename + '.svg', new Blob([ svg ], { type: 'image/svg+xml' }));
    });
  }

  var pngButton = $('pa-download-png');
  if (pngButton) {
    pngButton.addEventListener('click', async function() {
      var svg = (await viewer.saveSVG()).svg;
      download(filename + '.png', await svgToPng(svg));
    });
  }

  var fit = $('pa-fit');
  if (fit) {
    fit.addEventListener('click', function() { viewer.get('canvas').zoom('fit-viewport', 'auto'); });
  }

  try {
    var response = await fetch(page.bpmnUrl, { credentials: 'same-origin' });
    if (!response.ok) {
      throw new Error('HTTP ' + response.status);
    }
    var xml = await response.text();
    performance.mark('pa-import-start');
    await viewer.importXML(xml);
    performance.mark('pa-imported');
    viewer.get('canvas').zoom('fit-viewport', 'auto');
    markErrors(viewer, page.errorElements || []);
    document.body.classList.add('pa-viewer-ready');
  } catch (e) {
    notice(translate('Loading the diagram failed: {detail}', { detail: e.message }));
    return;
  }

  function ready() { markReady($('pa-canvas')); }

  if (!page.analysisUrl) { ready(); }
  if (page.analysisUrl) {
    try {
      var analysis = await fetch(page.analysisUrl, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
      if (analysis.ok) {
        findingOverlays.setFindings(await analysis.json());
      } else if (analysis.status === 404) {
        findingOverlays.setFindings(null);
      } else if (findingsNode) {
        findingsNode.textContent = translate('Analysis failed: {detail}', { detail: 'HTTP ' + analysis.status });
      }
    } catch (e) {
      if (findingsNode) {
        findingsNode.textContent = translate('Analysis failed: {detail}', { detail: e.message });
      }
    }
    ready();
  }
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', start);
} else {
  start();
}
