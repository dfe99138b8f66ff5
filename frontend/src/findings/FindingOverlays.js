var OVERLAY_TYPE = 'pa-finding';

var BREAK_MARKER = 'pa-media-break',
    BREAK_HIGH_MARKER = 'pa-media-break-high',
    CANDIDATE_MARKER = 'pa-candidate';

/**
 * Shows analysis findings on the diagram: media breaks mark the elements and flows involved,
 * automation candidates get a badge with their kind.
 *
 * @param {Object} eventBus
 * @param {Object} overlays
 * @param {Object} elementRegistry
 * @param {Object} canvas
 * @param {Object} selection
 * @param {Function} translate
 */
export default function FindingOverlays(eventBus, overlays, elementRegistry, canvas, selection, translate) {
  this._eventBus = eventBus;
  this._overlays = overlays;
  this._elementRegistry = elementRegistry;
  this._canvas = canvas;
  this._selection = selection;
  this._translate = translate;

  this._analysis = null;
  this._visible = true;
  this._markers = [];

  var self = this;

  // elements are re-created on import: draw again
  eventBus.on('import.done', function() {
    self._markers = [];
    self._draw();
  });
}

FindingOverlays.$inject = [ 'eventBus', 'overlays', 'elementRegistry', 'canvas', 'selection', 'translate' ];

/**
 * @param {Object|null} analysis the JSON of the analysis endpoint
 */
FindingOverlays.prototype.setFindings = function(analysis) {
  this._analysis = analysis;
  this._draw();
  this._eventBus.fire('findings.changed', { analysis: analysis });
};

FindingOverlays.prototype.getFindings = function() {
  return this._analysis;
};

FindingOverlays.prototype.isVisible = function() {
  return this._visible;
};

/**
 * @param {boolean} [visible] toggles when omitted
 */
FindingOverlays.prototype.toggle = function(visible) {
  this._visible = typeof visible === 'boolean' ? visible : !this._visible;
  this._draw();
  this._eventBus.fire('findings.toggle', { visible: this._visible });
  return this._visible;
};

/**
 * Select the given elements and move the view so that they are in the centre.
 *
 * @param {string[]} ids
 */
FindingOverlays.prototype.focus = function(ids) {
  var registry = this._elementRegistry;

  var elements = ids.map(function(id) { return registry.get(id); }).filter(Boolean);

  if (!elements.length) {
    return;
  }

  this._selection.select(elements);

  var box = boundingBox(elements),
      viewbox = this._canvas.viewbox();

  var zoom = viewbox.scale || 1,
      width = viewbox.outer.width / zoom,
      height = viewbox.outer.height / zoom;

  // zoom out when the elements do not fit
  if (box.width > width * 0.9 || box.height > height * 0.9) {
    zoom = Math.max(0.2, Math.min(viewbox.outer.width / (box.width * 1.2), viewbox.outer.height / (box.height * 1.2)));
    width = viewbox.outer.width / zoom;
    height = viewbox.outer.height / zoom;
  }

  this._canvas.viewbox({
    x: box.x + box.width / 2 - width / 2,
    y: box.y + box.height / 2 - height / 2,
    width: width,
    height: height
  });
};

FindingOverlays.prototype.clear = function() {
  var canvas = this._canvas;

  this._overlays.remove({ type: OVERLAY_TYPE });

  this._markers.forEach(function(entry) {
    try {
      canvas.removeMarker(entry[0], entry[1]);
    } catch (e) {

      // element gone
    }
  });

  this._markers = [];
};

FindingOverlays.prototype._mark = function(element, marker) {
  this._canvas.addMarker(element, marker);
  this._markers.push([ element, marker ]);
};

FindingOverlays.prototype._draw = function() {
  this.clear();

  var analysis = this._analysis;

  if (!analysis || !this._visible) {
    return;
  }

  var self = this,
      registry = this._elementRegistry,
      translate = this._translate;

  (analysis.media_breaks || []).forEach(function(finding, index) {
    var marker = finding.severity === 'high' ? BREAK_HIGH_MARKER : BREAK_MARKER;

    var elements = (finding.elements || []).map(function(id) { return registry.get(id); }).filter(Boolean);

    elements.forEach(function(element) {
      self._mark(element, marker);

      // mark the flows between the elements involved, too
      (element.outgoing || []).forEach(function(connection) {
        if (elements.indexOf(connection.target) !== -1) {
          self._mark(connection, marker);
        }
      });
    });

    // one badge on the first shape of the finding
    var anchor = elements.find(function(element) { return !element.waypoints; }) || elements[0];

    if (anchor && !anchor.waypoints) {
      self._overlays.add(anchor, OVERLAY_TYPE, {
        position: { top: -14, left: -10 },
        html: badge('pa-badge pa-badge-break pa-badge-' + (finding.severity || 'medium'),
          translate('Media break') + ' (' + (finding.rule || '?') + ')', index, 'break')
      });
    }
  });

  (analysis.automation_candidates || []).forEach(function(candidate, index) {
    var element = registry.get(candidate.element);

    if (!element) {
      return;
    }

    self._mark(element, CANDIDATE_MARKER);

    self._overlays.add(element, OVERLAY_TYPE, {
      position: { bottom: -6, right: 10 },
      html: badge('pa-badge pa-badge-candidate pa-kind-' + safeClass(candidate.kind),
        translate(kindLabel(candidate.kind)), index, 'candidate')
    });
  });
};

/**
 * @param {string} kind
 * @return {string}
 */
export function kindLabel(kind) {
  return {
    data_transfer: 'Data transfer',
    rule_check: 'Rule check',
    notification: 'Notification',
    document_generation: 'Document generation',
    filing: 'Filing',
    lookup: 'Lookup',
    online_intake: 'Online intake'
  }[kind] || kind || '?';
}

function badge(className, text, index, type) {
  var element = document.createElement('div');
  element.className = className;
  element.textContent = text;
  element.setAttribute('data-finding-type', type);
  element.setAttribute('data-finding-index', String(index));
  return element;
}

function safeClass(value) {
  return String(value || 'unknown').replace(/[^a-z0-9_-]/gi, '');
}

function boundingBox(elements) {
  var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;

  elements.forEach(function(element) {
    var points = element.waypoints || [
      { x: element.x, y: element.y },
      { x: element.x + element.width, y: element.y + element.height }
    ];

    points.forEach(function(p) {
      minX = Math.min(minX, p.x);
      minY = Math.min(minY, p.y);
      maxX = Math.max(maxX, p.x);
      maxY = Math.max(maxY, p.y);
    });
  });

  return { x: minX, y: minY, width: Math.max(1, maxX - minX), height: Math.max(1, maxY - minY) };
}
