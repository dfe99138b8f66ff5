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
