'use strict';

/**
 * Prozessatlas' own bpmnlint rules. The rule set of the city's method is `.bpmnlintrc`
 * beside the frontend's package.json; this plugin adds what bpmnlint does not ship.
 */
module.exports = {
  configs: {
    recommended: {
      rules: {
        'prozessatlas/gateway-outputs-labelled': 'warn',
        'prozessatlas/no-dangling-flow': 'error'
      }
    }
  }
};
