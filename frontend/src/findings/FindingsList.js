import { kindLabel } from './FindingOverlays';
import { mediumLabel } from '../pa/media';

/**
 * Render the side list of findings into `container` (DOM nodes only, text via textContent).
 *
 * @param {HTMLElement} container
 * @param {Object|null} analysis
 * @param {Object} options
 * @param {string} options.lang 'de' | 'en'
 * @param {Function} options.translate
 * @param {(ids: string[]) => void} options.onSelect
 * @param {(id: string) => string} [options.labelOf] display name of an element
 */
export function renderFindingsList(container, analysis, options) {
  var translate = options.translate,
      lang = options.lang === 'en' ? 'en' : 'de',
      labelOf = options.labelOf || function(id) { return id; };

  while (container.firstChild) {
    container.removeChild(container.firstChild);
  }

  if (!analysis) {
    container.appendChild(el('p', 'pa-findings-empty', translate('No analysis available.')));
    return;
  }

  var breaks = analysis.media_breaks || [],
      candidates = analysis.automation_candidates || [];

  var summary = el('p', 'pa-findings-summary',
    translate('{breaks} media breaks, {candidates} automation candidates', {
      breaks: String(breaks.length),
      candidates: String(candidates.length)
    }) + (typeof analysis.automation_share === 'number'
      ? ' · ' + translate('automation share {share} %', { share: String(Math.round(analysis.automation_share * 100)) })
      : ''));
  container.appendChild(summary);

  if (breaks.length) {
    container.appendChild(el('h3', null, translate('Media breaks')));
    var list = el('ul', 'pa-findings-list');

    breaks.forEach(function(finding, index) {
      var text = (finding.explanation && (finding.explanation[lang] || finding.explanation.de)) ||
        (finding.elements || []).map(labelOf).join(' → ');

      var button = el('button', 'pa-finding pa-finding-break pa-severity-' + (finding.severity || 'medium'));
      button.type = 'button';
      button.setAttribute('data-finding-index', String(index));
      button.appendChild(el('span', 'pa-finding-tag',
        translate('Rule {rule}', { rule: finding.rule || '?' }) + ' · ' +
        translate(finding.severity === 'high' ? 'high' : 'medium')));
      button.appendChild(el('span', 'pa-finding-text', text));
      if (finding.media && finding.media.length) {
        button.appendChild(el('span', 'pa-finding-media', finding.media.map(function(medium) {
          return translate(mediumLabel(medium));
        }).join(' → ')));
      }
      button.addEventListener('click', function() {
        options.onSelect(finding.elements || []);
      });

      var item = el('li');
      item.appendChild(button);
      list.appendChild(item);
    });

    container.appendChild(list);
  }

  if (candidates.length) {
    container.appendChild(el('h3', null, translate('Automation candidates')));
    var candidateList = el('ul', 'pa-findings-list');

    candidates.forEach(function(candidate, index) {
      var button = el('button', 'pa-finding pa-finding-candidate');
      button.type = 'button';
      button.setAttribute('data-finding-index', String(index));
      button.appendChild(el('span', 'pa-finding-tag',
        translate(kindLabel(candidate.kind)) + ' · ' + Math.round((candidate.score || 0) * 100) + ' %'));
      button.appendChild(el('span', 'pa-finding-text', labelOf(candidate.element)));

      var suggestion = candidate.suggestion && (candidate.suggestion[lang] || candidate.suggestion.de);
      if (suggestion) {
        button.appendChild(el('span', 'pa-finding-suggestion', suggestion));
      }

      button.addEventListener('click', function() {
        options.onSelect([ candidate.element ]);
      });

      var item = el('li');
      item.appendChild(button);
      candidateList.appendChild(item);
    });

    container.appendChild(candidateList);
  }

  if (!breaks.length && !candidates.length) {
    container.appendChild(el('p', 'pa-findings-empty', translate('No findings.')));
  }
}

function el(tag, className, text) {
  var node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}
