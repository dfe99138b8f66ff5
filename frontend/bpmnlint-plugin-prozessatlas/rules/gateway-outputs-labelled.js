'use strict';

const { is, isAny } = require('bpmnlint-utils');

/**
 * Every outgoing sequence flow of a splitting exclusive or inclusive gateway carries a label
 * (the answer to the gateway's question), except the default flow.
 *
 * @type { import('bpmnlint/lib/types.js').RuleFactory }
 */
module.exports = function() {

  function check(node, reporter) {
    if (!isAny(node, [ 'bpmn:ExclusiveGateway', 'bpmn:InclusiveGateway', 'bpmn:ComplexGateway' ])) {
      return;
    }

    const outgoing = node.outgoing || [];

    if (outgoing.length < 2) {
      return;
    }

    outgoing.forEach(function(flow) {
      if (!is(flow, 'bpmn:SequenceFlow') || flow === node.default) {
        return;
      }

      if (!(flow.name || '').trim()) {
        reporter.report(flow.id, 'Gateway output is missing a label', [ 'name' ]);
      }
    });
  }

  return { check };
};
