import { layoutProcess } from 'bpmn-auto-layout';

var BPMN_NS = 'http://www.omg.org/spec/BPMN/20100524/MODEL';

var DRAWN = /<(?:[\w.-]+:)?BPMN(?:Shape|Edge)[\s/>]/;
var FLOW_NODE = /<(?:[\w.-]+:)?(?:task|userTask|serviceTask|sendTask|receiveTask|manualTask|scriptTask|businessRuleTask|callActivity|subProcess|startEvent|endEvent|intermediateCatchEvent|intermediateThrowEvent|exclusiveGateway|parallelGateway|inclusiveGateway|eventBasedGateway|complexGateway)[\s/>]/;

/**
 * Whether the XML has diagram information (BPMN DI shapes or edges) to draw.
 *
 * @param {string} xml
 * @return {boolean}
 */
export function hasDiagram(xml) {
  return DRAWN.test(xml);
}

/**
 * Lay out a model without diagram information (exports of engines and older tools) with
 * bpmn-auto-layout; a model with DI comes back unchanged. For the modeler and the viewer pages.
 *
 * Only the first process of a collaboration is laid out, sub-processes collapsed; groups, text
 * annotations, associations and message flows get no layout (bpmn-auto-layout's limits).
 *
 * @param {string} xml
 * @return {Promise<{ xml: string, laidOut: boolean }>}
 */
export async function layoutIfNeeded(xml) {
  if (hasDiagram(xml) || !FLOW_NODE.test(xml)) {
    return { xml: xml, laidOut: false };
  }

  try {
    return { xml: await layoutProcess(withFlowReferences(xml)), laidOut: true };
  } catch (e) {
    return { xml: xml, laidOut: false };
  }
}

/**
 * bpmn-auto-layout follows a node's `incoming` / `outgoing`, which many exports leave out (they
 * repeat the flows' `sourceRef` / `targetRef`, so adding them changes no meaning).
 *
 * @param {string} xml
 * @return {string}
 */
function withFlowReferences(xml) {
  var doc = new DOMParser().parseFromString(xml, 'application/xml');

  if (doc.getElementsByTagName('parsererror').length) {
    return xml;
  }

  var byId = Object.create(null);
  var all = doc.getElementsByTagNameNS(BPMN_NS, '*');
  for (var i = 0; i < all.length; i++) {
    if (all[i].getAttribute('id')) {
      byId[all[i].getAttribute('id')] = all[i];
    }
  }

  var added = 0;
  var flows = doc.getElementsByTagNameNS(BPMN_NS, 'sequenceFlow');

  for (var j = 0; j < flows.length; j++) {
    var id = flows[j].getAttribute('id');
    added += reference(byId[flows[j].getAttribute('sourceRef')], 'outgoing', id);
    added += reference(byId[flows[j].getAttribute('targetRef')], 'incoming', id);
  }

  return added ? new XMLSerializer().serializeToString(doc) : xml;
}

function reference(node, kind, id) {
  if (!node || !id) {
    return 0;
  }

  var children = Array.prototype.filter.call(node.childNodes, function(child) { return child.nodeType === 1; });

  if (children.some(function(child) { return child.localName === kind && child.textContent.trim() === id; })) {
    return 0;
  }

  // after documentation, extensionElements, incoming (and outgoing): the schema's order
  var before = [ 'documentation', 'extensionElements', 'incoming' ].concat(kind === 'outgoing' ? [ 'outgoing' ] : []);
  var anchor = null;
  children.forEach(function(child) {
    if (before.indexOf(child.localName) !== -1) {
      anchor = child;
    }
  });

  var element = node.ownerDocument.createElementNS(BPMN_NS, (node.prefix ? node.prefix + ':' : '') + kind);
  element.textContent = id;
  node.insertBefore(element, anchor ? anchor.nextSibling : node.firstChild);
  return 1;
}
