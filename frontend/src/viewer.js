import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';

import paDescriptor from './pa/pa.json';
import findingsModule, { elementNamer, markReady, renderFindingsList } from './findings';
import { createTranslate, translateModule } from './i18n';
import { $, download } from './dom';
import { layoutIfNeeded } from './editor/layout';

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

/**
 * The canvas takes the window's height below the site header: the header's height goes into a
 * CSS variable (it wraps on narrow windows), and the diagram is told when the size changes.
 */
function fitToWindow(canvas) {
  var header = document.querySelector('.site-header');

  function update() {
    document.documentElement.style.setProperty('--pa-header-height', (header ? header.offsetHeight : 0) + 'px');
  }

  update();
  window.addEventListener('resize', function() {
    update();
    canvas.resized();
  });
}

function bindZoom(viewer) {
  var canvas = viewer.get('canvas'),
      zoomScroll = viewer.get('zoomScroll');

  function bind(id, handler) {
    var node = $(id);
    if (node) {
      node.addEventListener('click', handler);
    }
  }

  bind('pa-zoom-in', function() { zoomScroll.stepZoom(1); });
  bind('pa-zoom-out', function() { zoomScroll.stepZoom(-1); });
  bind('pa-fit', function() { canvas.zoom('fit-viewport', 'auto'); });
}

/**
 * Fetch the model and its analysis at once (both are requested by the page's preload links, so
 * they are usually on their way before this script runs).
 */
function fetchText(url) {
  return fetch(url, { credentials: 'same-origin' }).then(function(response) {
    if (!response.ok) {
      throw new Error('HTTP ' + response.status);
    }
    return response.text();
  });
}

function fetchAnalysis(url) {
  return fetch(url, { credentials: 'same-origin' }).then(function(response) {
    if (response.ok) {
      return response.json().then(function(data) { return { ok: true, data: data }; });
    }
    return { ok: response.status === 404, data: null, detail: 'HTTP ' + response.status };
  }).catch(function(e) {

    // no network, or a body that is not JSON: the diagram is shown all the same
    return { ok: false, data: null, detail: e.message };
  });
}

export async function start() {
  var dataNode = $('pa-page-data');
  var page = dataNode ? JSON.parse(dataNode.textContent) : {};
  var lang = page.lang === 'en' ? 'en' : 'de';
  var translate = createTranslate(lang);

  var xmlRequest = fetchText(page.bpmnUrl);
  var analysisRequest = page.analysisUrl ? fetchAnalysis(page.analysisUrl) : null;

  // no unhandled rejection while the viewer is being set up; awaited below
  xmlRequest.catch(function() {});

  var canvasNode = $('pa-canvas');
  canvasNode.setAttribute('data-state', 'loading');

  var viewer = new NavigatedViewer({
    container: canvasNode,
    additionalModules: [ findingsModule, translateModule(lang) ],
    moddleExtensions: { pa: paDescriptor }
  });

  window.prozessatlas = { viewer: viewer };

  var findingOverlays = viewer.get('findingOverlays'),
      labelOf = elementNamer(viewer.get('elementRegistry'), translate),
      findingsNode = $('pa-findings-list'),
      noticeNode = $('pa-notice');

  function notice(text, kind) {
    if (noticeNode) {
      noticeNode.textContent = text;
      noticeNode.hidden = !text;
      noticeNode.className = 'message ' + (kind === 'info' ? 'message-info' : 'message-error');
      noticeNode.setAttribute('role', kind === 'info' ? 'status' : 'alert');
    }
  }

  viewer.get('eventBus').on('findings.changed', function(event) {
    if (!findingsNode) {
      return;
    }
    renderFindingsList(findingsNode, event.analysis, {
      lang: lang,
      translate: translate,
      labelOf: labelOf,
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

  fitToWindow(viewer.get('canvas'));
  bindZoom(viewer);

  // The import runs without yielding to the browser: a response that arrived meanwhile would
  // be read only after it, and waiting for it then would render the diagram once without and
  // once more with its findings. The analysis is small and arrives first.
  var analysis = analysisRequest ? (await analysisRequest) : null;

  try {
    // a model without diagram information (engine exports) is laid out here, not stored
    var laid = await layoutIfNeeded(await xmlRequest);
    performance.mark('pa-import-start');
    await viewer.importXML(laid.xml);
    if (laid.laidOut) {
      notice(translate('The model had no diagram information: it was laid out automatically. Saving it in the modeler stores the layout as a new version.'), 'info');
    }
    performance.mark('pa-imported');
    viewer.get('canvas').zoom('fit-viewport', 'auto');
    markErrors(viewer, page.errorElements || []);
    document.body.classList.add('pa-viewer-ready');
  } catch (e) {
    notice(translate('Loading the diagram failed: {detail}', { detail: e.message }));
    canvasNode.setAttribute('data-state', 'error');
    return;
  }

  if (analysis) {
    if (analysis.ok) {
      findingOverlays.setFindings(analysis.data);
      performance.mark('pa-findings-shown');
    } else if (findingsNode) {
      findingsNode.textContent = translate('Analysis failed: {detail}', { detail: analysis.detail });
    }
  }

  // `?element=<id>` (a search hit, a glossary use): select, centre and zoom to that element
  var elementId = new URLSearchParams(window.location.search).get('element');
  if (elementId) {
    findingOverlays.focus([ elementId ]);
  }

  markReady(canvasNode);
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', start);
} else {
  start();
}
