import { layoutProcess } from 'bpmn-auto-layout';

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
    return { xml: await layoutProcess(xml), laidOut: true };
  } catch (e) {
    return { xml: xml, laidOut: false };
  }
}
