import de from './de';

var DICTIONARIES = { de: de };

/**
 * @param {string} template
 * @param {Object} [replacements]
 * @param {Object} dictionary
 *
 * @return {string}
 */
function translateWith(dictionary, template, replacements) {
  replacements = replacements || {};

  var text = (dictionary && dictionary[template]) || template;

  return text.replace(/{([^}]+)}/g, function(_, key) {
    return key in replacements ? replacements[key] : '{' + key + '}';
  });
}

/**
 * A translate function for the given language ('de' or 'en'); English is the identity.
 *
 * @param {string} lang
 * @return {(template: string, replacements?: Object) => string}
 */
export function createTranslate(lang) {
  var dictionary = DICTIONARIES[lang] || null;

  return function translate(template, replacements) {
    return translateWith(dictionary, template, replacements);
  };
}

/**
 * A bpmn-js module replacing the default `translate` service.
 *
 * @param {string} lang
 */
export function translateModule(lang) {
  return {
    translate: [ 'value', createTranslate(lang) ]
  };
}
