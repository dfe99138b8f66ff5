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
 * The pages' ready signal, for tests and bench/browser_open.py: the diagram and its findings (or
 * their failure) are on the screen. Sets `data-state="ready"` on the canvas container
 * (`#pa-canvas`) and the performance mark `pa-ready`, once, after the next frame has been
 * rendered (a timeout queued from an animation frame runs after that frame's layout and paint).
 *
 * @param {HTMLElement|null} node
 */
var pending = new WeakSet();

export function markReady(node) {
  if (!node || pending.has(node)) {
    return;
  }
  pending.add(node);
  requestAnimationFrame(function() {
    setTimeout(function() {
      node.setAttribute('data-state', 'ready');
      if (typeof performance !== 'undefined' && performance.mark) {
        performance.mark('pa-ready');
      }
    }, 0);
  });
}

export { elementNamer } from './labels';
