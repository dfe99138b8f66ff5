/**
 * How the findings name the elements they mean: by the element's name, or by its type and id when
 * it has none ("Exklusives Gateway Gateway_1x2"), so that two findings of the same kind can be
 * told apart in the side list.
 */

// English labels of the BPMN types (the keys of the German dictionary in ../i18n/de.js)
var TYPE_LABELS = {
  'bpmn:Task': 'Task',
  'bpmn:UserTask': 'User task',
  'bpmn:ServiceTask': 'Service task',
  'bpmn:SendTask': 'Send task',
  'bpmn:ReceiveTask': 'Receive task',
  'bpmn:ManualTask': 'Manual task',
  'bpmn:BusinessRuleTask': 'Business rule task',
  'bpmn:ScriptTask': 'Script task',
  'bpmn:CallActivity': 'Call activity',
  'bpmn:SubProcess': 'Sub-process',
  'bpmn:AdHocSubProcess': 'Ad-hoc sub-process',
  'bpmn:Transaction': 'Transaction',
  'bpmn:StartEvent': 'Start event',
  'bpmn:EndEvent': 'End event',
  'bpmn:IntermediateCatchEvent': 'Intermediate catch event',
  'bpmn:IntermediateThrowEvent': 'Intermediate throw event',
  'bpmn:BoundaryEvent': 'Boundary event',
  'bpmn:ExclusiveGateway': 'Exclusive gateway',
  'bpmn:ParallelGateway': 'Parallel gateway',
  'bpmn:InclusiveGateway': 'Inclusive gateway',
  'bpmn:ComplexGateway': 'Complex gateway',
  'bpmn:EventBasedGateway': 'Event-based gateway',
  'bpmn:SequenceFlow': 'Sequence flow',
  'bpmn:MessageFlow': 'Message flow',
  'bpmn:DataObjectReference': 'Data object reference',
  'bpmn:DataObject': 'Data object reference',
  'bpmn:DataStoreReference': 'Data store reference',
  'bpmn:Participant': 'Participant',
  'bpmn:Lane': 'Lane'
};

var MAX_NAME = 80;

/**
 * @param {string} type e.g. 'bpmn:UserTask'
 * @return {string} English label, e.g. 'User task'
 */
export function typeLabel(type) {
  if (TYPE_LABELS[type]) {
    return TYPE_LABELS[type];
  }

  // an unlisted type: 'bpmn:SomeThing' -> 'Some thing'
  var words = String(type || '').replace(/^.*:/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : '?';
}

/**
 * The name of an element as one line (names in BPMN files often carry line breaks), shortened.
 *
 * @param {string|undefined} name
 * @return {string}
 */
export function cleanName(name) {
  var text = String(name || '').replace(/\s+/g, ' ').trim();
  return text.length > MAX_NAME ? text.slice(0, MAX_NAME - 1) + '…' : text;
}

/**
 * A function that names an element by its id: its name, else its type and id; the id alone when
 * the element is not on the diagram.
 *
 * @param {Object} elementRegistry
 * @param {Function} translate
 * @return {(id: string) => string}
 */
export function elementNamer(elementRegistry, translate) {
  return function(id) {
    var element = elementRegistry.get(id);
    var businessObject = element && element.businessObject;

    if (!businessObject) {
      return String(id);
    }

    var name = cleanName(businessObject.name);

    return name || translate(typeLabel(businessObject.$type)) + ' ' + id;
  };
}
