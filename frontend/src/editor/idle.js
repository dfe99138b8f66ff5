/**
 * Run `fn` when the browser is idle (at the latest after `timeout` ms), so that work after an
 * edit (draft, export for the live analysis, lint) does not delay the next input.
 *
 * @param {Function} fn
 * @param {number} [timeout]
 */
export function whenIdle(fn, timeout) {
  if (typeof window.requestIdleCallback === 'function') {
    window.requestIdleCallback(function() { fn(); }, { timeout: timeout || 2000 });
  } else {
    setTimeout(fn, 50);
  }
}

/**
 * A promise that resolves in a later task, so that long work split into steps lets input and
 * rendering in between.
 *
 * @return {Promise<void>}
 */
export function nextTask() {
  return new Promise(function(resolve) { setTimeout(resolve, 0); });
}
