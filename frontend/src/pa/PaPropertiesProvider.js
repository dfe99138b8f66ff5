import { h } from '@bpmn-io/properties-panel/preact';
import { SelectEntry, TextFieldEntry, isSelectEntryEdited, isTextFieldEntryEdited } from '@bpmn-io/properties-panel';
import { useService } from 'bpmn-js-properties-panel';
import { getBusinessObject, isAny } from 'bpmn-js/lib/util/ModelUtil';

import { MEDIA } from './media';

export { MEDIA };

var CARRIER_TYPES = [
  'bpmn:FlowNode',
  'bpmn:DataObjectReference',
  'bpmn:DataStoreReference',
  'bpmn:MessageFlow'
];

var LOW_PRIORITY = 500;

/**
 * Adds the group "Medium and IT system" to the properties panel of every element that can carry a medium.
 *
 * @param {Object} propertiesPanel
 * @param {Function} translate
 */
export default function PaPropertiesProvider(propertiesPanel, translate) {
  this._translate = translate;
  propertiesPanel.registerProvider(LOW_PRIORITY, this);
}

PaPropertiesProvider.$inject = [ 'propertiesPanel', 'translate' ];

PaPropertiesProvider.prototype.getGroups = function(element) {
  var translate = this._translate;

  return function(groups) {
    if (!isAny(element, CARRIER_TYPES) || element.type === 'label') {
      return groups;
    }

    var group = {
      id: 'prozessatlas',
      label: translate('Medium and IT system'),
      entries: [
        { id: 'pa-medium', element: element, component: MediumEntry, isEdited: isSelectEntryEdited },
        { id: 'pa-system', element: element, component: SystemEntry, isEdited: isTextFieldEntryEdited }
      ]
    };

    // right after "General"
    var generalIndex = groups.findIndex(function(g) { return g.id === 'general'; });
    groups.splice(generalIndex + 1, 0, group);

    return groups;
  };
};

function MediumEntry(props) {
  var element = props.element,
      id = props.id;

  var modeling = useService('modeling'),
      translate = useService('translate'),
      debounce = useService('debounceInput');

  return h(SelectEntry, {
    element: element,
    id: id,
    label: translate('Medium (pa:medium)'),
    getValue: function() {
      return getBusinessObject(element).get('pa:medium') || '';
    },
    setValue: function(value) {
      modeling.updateProperties(element, { 'pa:medium': value || undefined });
    },
    getOptions: function() {
      return [ { value: '', label: translate('(not set)') } ].concat(MEDIA.map(function(entry) {
        return { value: entry[0], label: translate(entry[1]) };
      }));
    },
    debounce: debounce
  });
}

function SystemEntry(props) {
  var element = props.element,
      id = props.id;

  var modeling = useService('modeling'),
      translate = useService('translate'),
      debounce = useService('debounceInput'),
      suggestions = useService('systemSuggestions');

  return h(TextFieldEntry, {
    element: element,
    id: id,
    label: translate('IT system (pa:system)'),
    description: translate('Name of the specialist application; suggestions come from the catalogue.'),
    getValue: function() {
      return getBusinessObject(element).get('pa:system') || '';
    },
    setValue: function(value) {
      var trimmed = (value || '').trim();
      modeling.updateProperties(element, { 'pa:system': trimmed || undefined });
      if (trimmed) {
        suggestions.addName(trimmed);
      }
    },
    onFocus: function(event) {
      if (event && event.target) {
        event.target.setAttribute('list', suggestions.getListId());
        event.target.setAttribute('autocomplete', 'off');
      }
    },
    debounce: debounce
  });
}
