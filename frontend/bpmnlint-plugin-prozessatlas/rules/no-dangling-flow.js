'use strict';

const { isAny } = require('bpmnlint-utils');

/**
 * A sequence or message flow must connect a source and a target.
 *
 * @type { import('bpmnlint/lib/types.js').RuleFactory }
 */
module.exports = function() {

  function check(node, reporter) {
    if (!isAny(node, [ 'bpmn:SequenceFlow', 'bpmn:MessageFlow' ])) {
      return;
    }

    if (!node.sourceRef) {
      reporter.report(node.id, 'Flow has no source');
    }

    if (!node.targetRef) {
      reporter.report(node.id, 'Flow has no target');
    }
  }

  return { check };
};
