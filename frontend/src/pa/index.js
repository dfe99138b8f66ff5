import PaPropertiesProvider from './PaPropertiesProvider';
import SystemSuggestions from './SystemSuggestions';

/**
 * Properties-panel group for the Prozessatlas extension attributes `pa:medium` and `pa:system`.
 * Needs the moddle extension (`moddleExtensions: { pa: paDescriptor }`).
 */
export default {
  __init__: [ 'paPropertiesProvider', 'systemSuggestions' ],
  paPropertiesProvider: [ 'type', PaPropertiesProvider ],
  systemSuggestions: [ 'type', SystemSuggestions ]
};

export { default as paDescriptor } from './pa.json';
export { MEDIA } from './PaPropertiesProvider';
