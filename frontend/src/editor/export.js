import { nextTask } from './idle';

var ROOT_START = /<([\w.-]+:)?definitions\b(?:[^>"']|"[^"]*"|'[^']*')*>/;
var NAMESPACE = /\sxmlns(?::[\w.-]+)?\s*=\s*("[^"]*"|'[^']*')/g;

/**
 * The diagram's XML in two tasks instead of one: the model (processes, collaborations, …) and
 * its diagram information are serialized apart and joined, so a draft or a live analysis of a
 * large model never blocks input for a whole export. The result is the same XML as
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

  var second = (await moddle.toXML(diagram)).xml;

  return join(first, second) || (await modeler.saveXML()).xml;
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
