import FindingOverlays from './FindingOverlays';

/**
 * Overlays for the analysis findings (media breaks, automation candidates) of issue 5.
 */
export default {
  __init__: [ 'findingOverlays' ],
  findingOverlays: [ 'type', FindingOverlays ]
};

export { renderFindingsList } from './FindingsList';

/**
 * The pages' ready signal, for tests and bench/browser_open.py: the diagram is drawn and its
 * findings are shown (or their failure is). Sets `data-state="ready"` on the canvas container
 * (`#pa-canvas`) and the performance mark `pa-ready`, once.
 *
 * @param {HTMLElement|null} node
 */
export function markReady(node) {
  if (!node || node.getAttribute('data-state') === 'ready') {
    return;
  }
  node.setAttribute('data-state', 'ready');
  if (typeof performance !== 'undefined' && performance.mark) {
    performance.mark('pa-ready');
  }
}

export { elementNamer } from './labels';
