import { Linter } from 'bpmnlint';

import { nextTask, whenIdle } from './idle';

/**
 * Keep bpmn-js-bpmnlint off the critical path of an edit: it lints the whole diagram on every
 * `elements.changed`, in one task. Here an update waits until `delay` ms after the last change
 * and for idle time, and the rules run one per task, so a large diagram never blocks input for
 * the whole rule set at once. A newer update makes a running one give up.
 *
 * @param {Object} linting the `linting` service of bpmn-js-bpmnlint
 * @param {number} [delay]
 */
export function lintInIdleTime(linting, delay) {
  var update = linting.update.bind(linting);
  var timer = null;
  var generation = 0;

  delay = typeof delay === 'number' ? delay : 500;

  linting.update = function() {
    generation++;
    clearTimeout(timer);
    timer = setTimeout(function() { whenIdle(update); }, delay);
  };

  keepUnchangedOverlays(linting);

  linting.lint = async function() {
    var mine = ++generation;
    var definitions = this._bpmnjs.getDefinitions();
    var linter = new Linter(this._linterConfig);
    var rules = await linter.resolveRules(linter.config);
    var reports = {};

    for (var i = 0; i < rules.length; i++) {
      await nextTask();

      // changed meanwhile: the next update lints again
      if (mine !== generation || definitions !== this._bpmnjs.getDefinitions()) {
        return new Promise(function() {});
      }

      var found = linter.applyRule(definitions, rules[i]);
      if (found.length) {
        reports[rules[i].name] = found;
      }
    }

    return reports;
  };
}

/**
 * bpmn-js-bpmnlint removes every lint overlay after each lint and creates them all again (its
 * issues are new objects each time); on a large diagram that is most of the lint's cost. Here
 * only the overlays of elements whose issues changed are replaced. A clear that no new issues
 * follow in the same task (linting switched off, diagram cleared) still removes them all.
 *
 * @param {Object} linting
 */
function keepUnchangedOverlays(linting) {
  var clearOverlays = linting._clearOverlays.bind(linting);
  var shown = Object.create(null);
  var clearPending = false;

  function remove(id) {
    [ id, id + '_plane' ].forEach(function(key) {
      if (linting._overlayIds[key]) {
        linting._overlays.remove(linting._overlayIds[key]);
        delete linting._overlayIds[key];
      }
    });
    delete shown[id];
  }

  function isShown(id) {
    var overlay = linting._overlayIds[id];
    return shown[id] !== undefined && overlay && linting._overlays.get(overlay);
  }

  linting._clearOverlays = function() {
    clearPending = true;
    Promise.resolve().then(function() {
      if (clearPending) {
        clearPending = false;
        shown = Object.create(null);
        clearOverlays();
      }
    });
  };

  linting._createIssues = function(issues) {
    clearPending = false;

    Object.keys(shown).forEach(function(id) {
      if (!issues[id] || JSON.stringify(issues[id]) !== shown[id] || !isShown(id)) {
        remove(id);
      }
    });

    Object.keys(issues).forEach(function(id) {
      if (shown[id] === undefined) {
        linting._createElementIssues(id, issues[id]);
        shown[id] = JSON.stringify(issues[id]);
      }
    });
  };
}
