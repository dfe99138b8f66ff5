import FindingOverlays from './FindingOverlays';

/**
 * Overlays for the analysis findings (media breaks, automation candidates) of issue 5.
 */
export default {
  __init__: [ 'findingOverlays' ],
  findingOverlays: [ 'type', FindingOverlays ]
};

export { renderFindingsList } from './FindingsList';
