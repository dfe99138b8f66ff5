import { nextTask } from './idle';

var ROOT_START = /<([\w.-]+:)?definitions\b(?:[^>"']|"[^"]*"|'[^']*')*>/;
var NAMESPACE = /\sxmlns(?::[\w.-]+)?\s*=\s*("[^"]*"|'[^']*')/g;
var PLANE_START = /<([\w.-]+:)?BPMNPlane\b(?:[^>"']|"[^"]*"|'[^']*')*>/;

// shapes and edges per task when a large plane is written in pieces
var DI_PER_TASK = 400;

/**
 * The diagram's XML in several tasks instead of one: the model (processes, collaborations, …)
 * and its diagram information are serialized apart, a large plane in pieces of DI_PER_TASK
 * shapes and edges, and joined, so a draft or a live analysis of a large model never blocks
 * input for a whole export. The result is the same XML as
 * `saveXML()` (up to the order of the root's namespace declarations); saving a version still
 * uses `saveXML` itself.
 *
 * Resolves to null when the diagram changed in between (the next export follows the change).
 *
 * @param {Object} modeler bpmn-js Modeler
 * @return {Promise<string|null>}
 */
export async function exportInSteps(modeler) {
  var definitions = modeler.getDefinitions();
  var moddle = modeler.get('moddle');
  var commandStack = modeler.get('commandStack');
  var before = commandStack._stackIdx;

  // what saveXML does first: DI in drawing order, DI of removed elements out (BpmnDiOrdering)
  modeler.get('eventBus').fire('saveXML.start', { definitions: definitions });

  var model = moddle.create('bpmn:Definitions');
  var diagram = moddle.create('bpmn:Definitions');

  definitions.$descriptor.properties.forEach(function(property) {
    if (property.name === 'diagrams' || !Object.prototype.hasOwnProperty.call(definitions, property.name)) {
      return;
    }
    model.set(property.name, definitions.get(property.name));
  });
  Object.assign(model.$attrs, definitions.$attrs);
  Object.assign(diagram.$attrs, definitions.$attrs);
  diagram.set('id', definitions.get('id'));
  diagram.set('diagrams', definitions.get('diagrams'));

  var first = (await moddle.toXML(model)).xml;

  await nextTask();

  if (commandStack._stackIdx !== before || modeler.getDefinitions() !== definitions) {
    return null;
  }

  var diagrams = definitions.get('diagrams');
  var plane = diagrams.length === 1 && diagrams[0].plane;
  var second;

  if (plane && plane.get('planeElement').length > DI_PER_TASK) {
    second = await planeInPieces(moddle, definitions, diagrams[0], plane, function() {
      return commandStack._stackIdx === before && modeler.getDefinitions() === definitions;
    });
    if (second === undefined) {
      return null;
    }
  }

  second = second || (await moddle.toXML(diagram)).xml;

  return join(first, second) || (await modeler.saveXML()).xml;
}

function copyOf(moddle, element, overrides) {
  var copy = moddle.create(element.$type);
  element.$descriptor.properties.forEach(function(property) {
    if (Object.prototype.hasOwnProperty.call(element, property.name) && !(property.name in overrides)) {
      copy.set(property.name, element.get(property.name));
    }
  });
  Object.keys(overrides).forEach(function(name) { copy.set(name, overrides[name]); });
  Object.assign(copy.$attrs, element.$attrs);
  return copy;
}

/**
 * The diagram part written piece by piece: each piece is the whole diagram with a slice of the
 * plane's shapes and edges; the slices' contents are joined into the first piece.
 * Resolves to undefined when `unchanged()` says the diagram changed in between, to null when the
 * pieces cannot be joined (then one export of the whole diagram part follows).
 */
async function planeInPieces(moddle, definitions, diagram, plane, unchanged) {
  var elements = plane.get('planeElement');
  var pieces = [];

  for (var start = 0; start < elements.length; start += DI_PER_TASK) {
    if (start) {
      await nextTask();
      if (!unchanged()) {
        return undefined;
      }
    }

    var planePiece = copyOf(moddle, plane, { planeElement: elements.slice(start, start + DI_PER_TASK) });
    var holder = moddle.create('bpmn:Definitions');
    Object.assign(holder.$attrs, definitions.$attrs);
    holder.set('id', definitions.get('id'));
    holder.set('diagrams', [ copyOf(moddle, diagram, { plane: planePiece }) ]);
    pieces.push((await moddle.toXML(holder)).xml);
  }

  var inner = pieces.map(function(piece) {
    var head = PLANE_START.exec(piece);
    var end = head && piece.lastIndexOf('</' + (head[1] || '') + 'BPMNPlane>');
    return head && end > head.index ? { start: head.index + head[0].length, end: end } : null;
  });

  if (inner.some(function(range) { return !range; })) {
    return null;
  }

  var joined = pieces[0].slice(0, inner[0].end) + pieces.slice(1).map(function(piece, index) {
    return piece.slice(inner[index + 1].start, inner[index + 1].end);
  }).join('') + pieces[0].slice(inner[0].end);

  // every piece declares the namespaces it uses (edges need di:, shapes only dc:)
  var root = ROOT_START.exec(joined);
  if (!root) {
    return null;
  }
  var declared = root[0].match(NAMESPACE) || [];
  pieces.slice(1).forEach(function(piece) {
    var head = ROOT_START.exec(piece);
    (head && head[0].match(NAMESPACE) || []).forEach(function(declaration) {
      if (declared.indexOf(declaration) === -1) {
        declared.push(declaration);
        joined = joined.slice(0, root.index + root[0].length - 1) + declaration + joined.slice(root.index + root[0].length - 1);
        root = ROOT_START.exec(joined);
      }
    });
  });

  return joined;
}

function join(model, diagram) {
  var head = ROOT_START.exec(model), tail = ROOT_START.exec(diagram);

  if (!head || !tail) {
    return null;
  }

  var start = head[0], prefix = head[1] || '';
  var close = '</' + prefix + 'definitions>';
  var body;

  if (/\/>$/.test(start)) {
    start = start.slice(0, -2) + '>';
    body = '';
  } else {
    var end = model.lastIndexOf(close);
    if (end === -1) {
      return null;
    }
    body = model.slice(head.index + head[0].length, end);
  }

  if (/\/>$/.test(tail[0])) {
    return model;
  }

  var diagramEnd = diagram.lastIndexOf('</' + (tail[1] || '') + 'definitions>');
  if (diagramEnd === -1) {
    return null;
  }

  var declared = start.match(NAMESPACE) || [];
  var missing = (tail[0].match(NAMESPACE) || []).filter(function(declaration) {
    return declared.indexOf(declaration) === -1;
  });

  start = start.slice(0, -1) + missing.join('') + '>';

  return model.slice(0, head.index) + start + body + diagram.slice(tail.index + tail[0].length, diagramEnd) + close;
}
