/**
 * Where the finding badges go: one stack per element, next to it, covering no label, no shape
 * and no other stack. Pure geometry in diagram coordinates (the badges are drawn in the diagram's
 * SVG); no DOM reads, so placing thousands of badges causes no layout.
 */

export var BADGE = {
  height: 16,
  gap: 2,
  padding: 6,
  clearance: 3,
  font: '600 11px system-ui, sans-serif'
};

var CELL = 128;

// the band of a pool, lane or expanded sub-process that holds its name
var BAND = 30;

/**
 * A spatial hash of boxes per root (the main diagram and each collapsed sub-process' plane).
 */
function Grid() {
  this._cells = new Map();
}

Grid.prototype._each = function(root, box, fn) {
  var x0 = Math.floor(box.x / CELL), x1 = Math.floor((box.x + box.width) / CELL),
      y0 = Math.floor(box.y / CELL), y1 = Math.floor((box.y + box.height) / CELL);

  for (var cx = x0; cx <= x1; cx++) {
    for (var cy = y0; cy <= y1; cy++) {
      if (fn(root + ' ' + cx + ' ' + cy) === true) {
        return true;
      }
    }
  }
  return false;
};

Grid.prototype.add = function(root, box) {
  var cells = this._cells;
  this._each(root, box, function(key) {
    var list = cells.get(key);
    if (list) {
      list.push(box);
    } else {
      cells.set(key, [ box ]);
    }
  });
};

Grid.prototype.hits = function(root, box) {
  var cells = this._cells;
  return this._each(root, box, function(key) {
    var list = cells.get(key);
    return !!list && list.some(function(other) { return intersects(box, other); });
  });
};

export function intersects(a, b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function rootOf(element, roots) {
  var parent = element.parent;
  if (!parent) {
    return element.id;
  }
  var known = roots.get(parent);
  if (known === undefined) {
    known = rootOf(parent, roots);
    roots.set(parent, known);
  }
  return known;
}

/**
 * What of an element a badge must not cover: its label, or the whole shape when the name is
 * written inside it (tasks, events' symbols, gateways' diamonds, annotations).
 */
export function obstacleOf(element) {
  if (!element.parent || element.waypoints || !(element.width > 0) || !(element.height > 0)) {
    return null;
  }

  var type = element.businessObject && element.businessObject.$type,
      di = element.di || {};

  if (element.type === 'label') {
    return box(element);
  }

  if (type === 'bpmn:Group') {
    return null; // only its frame; its name is an external label
  }

  if (type === 'bpmn:Participant' || type === 'bpmn:Lane') {
    return di.isHorizontal === false
      ? { x: element.x, y: element.y, width: element.width, height: BAND }
      : { x: element.x, y: element.y, width: BAND, height: element.height };
  }

  if (di.isExpanded && /SubProcess|Transaction/.test(type || '')) {
    return { x: element.x, y: element.y, width: element.width, height: BAND };
  }

  return box(element);
}

function box(element) {
  return { x: element.x, y: element.y, width: element.width, height: element.height };
}

var measureContext = null;
var widths = new Map();

/**
 * Width of a badge text in px (canvas text metrics: no layout), cached per text.
 */
export function textWidth(text) {
  var known = widths.get(text);
  if (known !== undefined) {
    return known;
  }
  if (!measureContext) {
    measureContext = document.createElement('canvas').getContext('2d');
    measureContext.font = BADGE.font;
  }
  var width = Math.ceil(measureContext.measureText(text).width);
  widths.set(text, width);
  return width;
}

function sized(badges, measure) {
  var list = badges.map(function(badge) {
    return Object.assign({}, badge, { width: measure(badge.text) + 2 * BADGE.padding + 2 });
  });
  return {
    badges: list,
    width: Math.max.apply(null, list.map(function(b) { return b.width; })),
    height: list.length * BADGE.height + (list.length - 1) * BADGE.gap
  };
}

function candidates(element, width, height) {
  var c = BADGE.clearance,
      x = element.x, y = element.y, w = element.width, h = element.height,
      step = BADGE.height + BADGE.gap;

  var spots = [
    [ x, y - height - c ], // above, left-aligned
    [ x + w - width, y - height - c ], // above, right-aligned
    [ x + w + c, y ], // right
    [ x - width - c, y ], // left
    [ x, y + h + c ] // below
  ];

  // below an external label (events, gateways, data objects)
  if (element.label && element.label.height) {
    spots.push([ x, element.label.y + element.label.height + c ]);
  }

  spots.push([ x, y - height - c - step ], [ x + w + c, y - height - c ], [ x - width - c, y - height - c ]);

  return spots.map(function(spot) {
    return { x: spot[0], y: spot[1], width: width, height: height };
  });
}

/**
 * Place one stack of badges per element.
 *
 * @param {Object} registry the element registry (getAll)
 * @param {Array<{element: Object, badges: Array<{text: string}>}>} stacks
 * @param {Object} options
 * @param {(count: number) => string} options.collapsed text of one badge standing for `count`
 *   findings, for an element with no room for its stack
 * @param {(text: string) => number} [options.measure] text width in px
 *
 * @return {Array<Object>} per stack: element, root (id of its plane), x/y (top left, diagram
 *   coordinates), width, height, badges (each with its width)
 */
export function placeBadges(registry, stacks, options) {
  var measure = options.measure || textWidth,
      grid = new Grid(),
      roots = new Map();

  registry.getAll().forEach(function(element) {
    var obstacle = obstacleOf(element);
    if (obstacle) {
      grid.add(rootOf(element, roots), obstacle);
    }
  });

  return stacks.map(function(stack) {
    var element = stack.element,
        root = rootOf(element, roots);

    var layout = sized(stack.badges, measure);
    var spot = free(grid, root, candidates(element, layout.width, layout.height));

    if (!spot && stack.badges.length > 1) {
      layout = sized([ collapse(stack.badges, options.collapsed) ], measure);
      spot = free(grid, root, candidates(element, layout.width, layout.height));
    }

    // no free spot at all (a crowded corner): above the element, as close as it gets
    spot = spot || candidates(element, layout.width, layout.height)[0];
    grid.add(root, spot);

    return {
      element: element,
      root: root,
      x: spot.x,
      y: spot.y,
      width: layout.width,
      height: layout.height,
      badges: layout.badges
    };
  });
}

function free(grid, root, spots) {
  return spots.find(function(spot) { return !grid.hits(root, spot); }) || null;
}

function collapse(badges, text) {
  var count = 0,
      indices = [];

  badges.forEach(function(badge) {
    count += badge.count || 1;
    indices = indices.concat(badge.indices || []);
  });

  // a stack with a media break keeps the media break's colour
  var lead = badges.find(function(badge) { return badge.type === 'break'; }) || badges[0];

  return {
    className: lead.className + ' pa-badge-collapsed',
    type: lead.type,
    count: count,
    indices: indices,
    text: text(count)
  };
}
