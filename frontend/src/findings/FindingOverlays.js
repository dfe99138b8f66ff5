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

  // element id -> { node, root, signature } of the badge stacks in the document
  this._drawn = new Map();
  this._redrawPending = false;

  var self = this;

  // elements are re-created on import: draw again
  eventBus.on('import.done', function() {
    self._markers = [];
    self._removeBadges();
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
  this._stacks = [];
  this._removeBadges();
  this._syncMarkers([]);
};

/**
 * Make the markers on the diagram the given ones, touching only those that differ: every
 * marker added or removed is a class change plus an event that other modules answer (the
 * bendpoints of a flow, for example), so re-marking a thousand unchanged elements after each
 * analysis would block the page for a long while.
 *
 * @param {Array<Array>} wanted [ element, marker ] pairs
 */
FindingOverlays.prototype._syncMarkers = function(wanted) {
  var canvas = this._canvas,
      registry = this._elementRegistry;

  var keep = new Map();
  wanted.forEach(function(entry) {
    keep.set(entry[0].id + '\u0000' + entry[1], entry);
  });

  this._markers.forEach(function(entry) {
    var kept = keep.get(entry[0].id + '\u0000' + entry[1]);
    if (kept && kept[0] === entry[0]) {
      return;
    }
    if (registry.get(entry[0].id) !== entry[0]) {

      // element gone (its graphics, with the marker, went with it)
      return;
    }
    try {
      canvas.removeMarker(entry[0], entry[1]);
    } catch (e) {

      // element gone
    }
  });

  // an element removed and restored (undo) has new graphics without the marker: ask the canvas
  keep.forEach(function(entry) {
    if (!canvas.hasMarker(entry[0], entry[1])) {
      canvas.addMarker(entry[0], entry[1]);
    }
  });

  this._markers = Array.from(keep.values());
};

FindingOverlays.prototype._draw = function() {
  var analysis = this._analysis;

  if (!analysis || !this._visible) {
    this.clear();
    return;
  }

  var registry = this._elementRegistry,
      translate = this._translate;

  // element id -> { element, badges: { key -> badge } } in the order of the findings
  var stacks = new Map();

  // [ element, marker ] pairs, applied at the end (only the differences)
  var marks = [];

  function mark(element, marker) {
    marks.push([ element, marker ]);
  }

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
      mark(element, marker);

      // mark the flows between the elements involved, too
      (element.outgoing || []).forEach(function(connection) {
        if (elements.indexOf(connection.target) !== -1) {
          mark(connection, marker);
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

    mark(element, CANDIDATE_MARKER);

    if (!element.waypoints) {
      addBadge(element, 'pa-badge pa-badge-candidate pa-kind-' + safeClass(candidate.kind),
        translate(kindLabel(candidate.kind)), 'candidate', index);
    }
  });

  this._syncMarkers(marks);

  if (!stacks.size) {
    this._stacks = [];
    this._removeBadges();
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
  this._drawn = new Map();
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

/**
 * Place every stack again (pure geometry) and change in the document only the stacks whose
 * place or content changed: after an edit or a new analysis most stacks stay as they are.
 */
FindingOverlays.prototype._drawBadges = function() {
  var registry = this._elementRegistry,
      translate = this._translate,
      planes = this._planes,
      drawn = this._drawn,
      layer = this._canvas.getLayer(LAYER);

  // elements deleted meanwhile lose their badges until the next analysis
  var stacks = this._stacks.filter(function(stack) {
    return registry.get(stack.element.id) === stack.element;
  });

  var now = new Map(),
      added = false;

  placeBadges(registry, stacks, {
    collapsed: function(count) { return translate('{count} findings', { count: String(count) }); }
  }).forEach(function(placed) {
    var id = placed.element.id,
        signature = stackSignature(placed),
        before = drawn.get(id);

    if (before && before.signature === signature) {
      drawn.delete(id);
      now.set(id, before);
      return;
    }

    var plane = planes.get(placed.root);
    if (!plane) {
      plane = svg('g', { 'class': 'pa-findings-plane', 'data-root': placed.root });
      planes.set(placed.root, plane);
      added = true;
    }

    var node = stackNode(placed);
    if (before) {
      drawn.delete(id);
      if (before.root === placed.root) {
        before.node.replaceWith(node);
      } else {
        before.node.remove();
        plane.appendChild(node);
      }
    } else {
      plane.appendChild(node);
    }
    now.set(id, { node: node, root: placed.root, signature: signature });
  });

  // the stacks not placed any more
  drawn.forEach(function(entry) { entry.node.remove(); });
  this._drawn = now;

  planes.forEach(function(plane, root) {
    if (!plane.firstChild) {
      plane.remove();
      planes.delete(root);
    }
  });

  if (added) {
    this._showPlane();
    planes.forEach(function(plane) {
      if (!plane.parentNode) {
        layer.appendChild(plane);
      }
    });
  }
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

function stackSignature(placed) {
  return [ placed.root, placed.x, placed.y ].concat(placed.badges.map(function(badge) {
    return [ badge.className, badge.type, badge.indices.join(' '), badge.width, badge.text ].join('\u0001');
  })).join('\u0000');
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
