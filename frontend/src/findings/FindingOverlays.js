import { BADGE, placeBadges } from './placement';

var LAYER = 'pa-findings',
    SVG_NS = 'http://www.w3.org/2000/svg';

var BREAK_MARKER = 'pa-media-break',
    BREAK_HIGH_MARKER = 'pa-media-break-high',
    CANDIDATE_MARKER = 'pa-candidate';

// Focusing a finding: the elements fill the view at most up to this zoom, and never below the
// smallest zoom at which their names are still readable (11 px text at 0.8 is about 9 px).
var MAX_FOCUS_ZOOM = 1.5,
    MIN_READABLE_ZOOM = 0.8,
    FOCUS_FILL = 0.8;

/**
 * Shows analysis findings on the diagram: media breaks mark the elements and flows involved,
 * and every element with findings gets one stack of badges (one badge per kind of finding, with
 * a count), placed next to the element where it covers no label, no shape and no other stack.
 *
 * The badges are SVG in a layer of the canvas, one group per plane (the process, each collapsed
 * sub-process), in diagram coordinates: they move and scale with the diagram at no cost, and
 * thousands of them are a few DOM nodes each, not one positioned HTML overlay each.
 *
 * @param {Object} eventBus
 * @param {Object} elementRegistry
 * @param {Object} canvas
 * @param {Object} selection
 * @param {Function} translate
 */
export default function FindingOverlays(eventBus, elementRegistry, canvas, selection, translate) {
  this._eventBus = eventBus;
  this._elementRegistry = elementRegistry;
  this._canvas = canvas;
  this._selection = selection;
  this._translate = translate;

  this._analysis = null;
  this._visible = true;
  this._markers = [];
  this._stacks = [];
  this._planes = new Map();
  this._redrawPending = false;

  var self = this;

  // elements are re-created on import: draw again
  eventBus.on('import.done', function() {
    self._markers = [];
    self._draw();
  });

  // only the badges of the plane on show
  eventBus.on('root.set', function() {
    self._showPlane();
  });

  // in the modeler: badges follow their elements when these move, until the next analysis
  eventBus.on('elements.changed', function() {
    self._redrawBadgesSoon();
  });
}

FindingOverlays.$inject = [ 'eventBus', 'elementRegistry', 'canvas', 'selection', 'translate' ];

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
 * Select the given elements and zoom so that they fill the view at a readable scale: up to
 * MAX_FOCUS_ZOOM for small groups, never below MIN_READABLE_ZOOM. Elements too far apart for
 * that are centred on the first of them.
 *
 * @param {string[]} ids
 */
FindingOverlays.prototype.focus = function(ids) {
  var registry = this._elementRegistry,
      canvas = this._canvas;

  var elements = ids.map(function(id) { return registry.get(id); }).filter(Boolean);

  if (!elements.length) {
    return;
  }

  // an element inside a collapsed sub-process is drawn on that sub-process' own plane
  var root = canvas.findRoot(elements[0]);
  if (root && root !== canvas.getRootElement()) {
    canvas.setRootElement(root);
  }

  this._selection.select(elements);

  var outer = canvas.viewbox().outer;
  var box = boundingBox(elements);

  var zoom = Math.min(outer.width * FOCUS_FILL / box.width, outer.height * FOCUS_FILL / box.height);
  zoom = Math.max(MIN_READABLE_ZOOM, Math.min(MAX_FOCUS_ZOOM, zoom));

  if (box.width * zoom > outer.width || box.height * zoom > outer.height) {
    box = boundingBox([ elements.find(function(e) { return !e.waypoints; }) || elements[0] ]);
  }

  var width = outer.width / zoom,
      height = outer.height / zoom;

  canvas.viewbox({
    x: box.x + box.width / 2 - width / 2,
    y: box.y + box.height / 2 - height / 2,
    width: width,
    height: height
  });
};

FindingOverlays.prototype.clear = function() {
  var canvas = this._canvas;

  this._stacks = [];
  this._removeBadges();

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

  // element id -> { element, badges: { key -> badge } } in the order of the findings
  var stacks = new Map();

  function addBadge(element, className, text, type, index) {
    var stack = stacks.get(element.id);
    if (!stack) {
      stack = { element: element, badges: new Map() };
      stacks.set(element.id, stack);
    }
    var key = className + '\u0000' + text;
    var badge = stack.badges.get(key);
    if (badge) {
      badge.count += 1;
      badge.indices.push(index);
    } else {
      stack.badges.set(key, { className: className, text: text, type: type, count: 1, indices: [ index ] });
    }
  }

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

    // the badge goes to the first shape of the finding
    var anchor = elements.find(function(element) { return !element.waypoints; });

    if (anchor) {
      addBadge(anchor, 'pa-badge pa-badge-break pa-badge-' + safeClass(finding.severity || 'medium'),
        translate('Media break') + ' (' + (finding.rule || '?') + ')', 'break', index);
    }
  });

  (analysis.automation_candidates || []).forEach(function(candidate, index) {
    var element = registry.get(candidate.element);

    if (!element) {
      return;
    }

    self._mark(element, CANDIDATE_MARKER);

    if (!element.waypoints) {
      addBadge(element, 'pa-badge pa-badge-candidate pa-kind-' + safeClass(candidate.kind),
        translate(kindLabel(candidate.kind)), 'candidate', index);
    }
  });

  if (!stacks.size) {
    return;
  }

  this._stacks = Array.from(stacks.values()).map(function(stack) {
    return {
      element: stack.element,
      badges: Array.from(stack.badges.values()).map(function(badge) {
        return {
          className: badge.className,
          type: badge.type,
          count: badge.count,
          indices: badge.indices,
          text: badge.count > 1 ? badge.text + ' ×' + badge.count : badge.text
        };
      })
    };
  });

  this._drawBadges();
};

FindingOverlays.prototype._removeBadges = function() {
  this._planes.forEach(function(group) { group.remove(); });
  this._planes = new Map();
};

FindingOverlays.prototype._redrawBadgesSoon = function() {
  var self = this;

  if (this._redrawPending || !this._stacks.length) {
    return;
  }
  this._redrawPending = true;
  requestAnimationFrame(function() {
    self._redrawPending = false;
    self._drawBadges();
  });
};

FindingOverlays.prototype._drawBadges = function() {
  this._removeBadges();

  var registry = this._elementRegistry,
      translate = this._translate,
      planes = this._planes,
      layer = this._canvas.getLayer(LAYER);

  // elements deleted meanwhile lose their badges until the next analysis
  var stacks = this._stacks.filter(function(stack) {
    return registry.get(stack.element.id) === stack.element;
  });

  placeBadges(registry, stacks, {
    collapsed: function(count) { return translate('{count} findings', { count: String(count) }); }
  }).forEach(function(placed) {
    var plane = planes.get(placed.root);
    if (!plane) {
      plane = svg('g', { 'class': 'pa-findings-plane', 'data-root': placed.root });
      planes.set(placed.root, plane);
    }
    plane.appendChild(stackNode(placed));
  });

  // into the document in one go
  this._showPlane();
  planes.forEach(function(plane) { layer.appendChild(plane); });
};

FindingOverlays.prototype._showPlane = function() {
  var root = this._canvas.getRootElement();

  this._planes.forEach(function(group, id) {
    group.setAttribute('display', root && root.id === id ? 'inline' : 'none');
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

function svg(tag, attributes) {
  var node = document.createElementNS(SVG_NS, tag);
  Object.keys(attributes).forEach(function(name) {
    node.setAttribute(name, attributes[name]);
  });
  return node;
}

function stackNode(placed) {
  var stack = svg('g', {
    'class': 'pa-badges',
    'data-element-id': placed.element.id,
    transform: 'translate(' + placed.x + ' ' + placed.y + ')'
  });

  placed.badges.forEach(function(badge, index) {
    var group = svg('g', {
      'class': badge.className,
      transform: 'translate(0 ' + index * (BADGE.height + BADGE.gap) + ')',
      'data-finding-type': badge.type,
      'data-finding-index': badge.indices.join(' ')
    });

    group.appendChild(svg('rect', { width: badge.width, height: BADGE.height, rx: BADGE.height / 2 }));

    var text = svg('text', { x: BADGE.padding, y: BADGE.height / 2 });
    text.textContent = badge.text;
    group.appendChild(text);

    stack.appendChild(group);
  });

  return stack;
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

    // an external label (events, gateways, data) belongs to what has to be readable
    if (element.label && element.label.width) {
      points = points.concat([
        { x: element.label.x, y: element.label.y },
        { x: element.label.x + element.label.width, y: element.label.y + element.label.height }
      ]);
    }

    points.forEach(function(p) {
      minX = Math.min(minX, p.x);
      minY = Math.min(minY, p.y);
      maxX = Math.max(maxX, p.x);
      maxY = Math.max(maxY, p.y);
    });
  });

  return { x: minX, y: minY, width: Math.max(1, maxX - minX), height: Math.max(1, maxY - minY) };
}
