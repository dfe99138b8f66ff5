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
 * @param {(id: string) => string} [options.labelOf] display name of an element (see elementNamer)
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

  // one click handler for all cards (a large model has thousands)
  var targets = [];
  container.onclick = function(event) {
    var button = event.target.closest && event.target.closest('button[data-finding-target]');
    if (button && container.contains(button)) {
      options.onSelect(targets[Number(button.getAttribute('data-finding-target'))] || []);
    }
  };

  function card(className, index, ids) {
    var button = el('button', className);
    button.type = 'button';
    button.setAttribute('data-finding-index', String(index));
    button.setAttribute('data-finding-target', String(targets.length));
    targets.push(ids);
    return button;
  }

  function breakCard(finding, index) {
    var ids = finding.elements || [];
    var explanation = finding.explanation && (finding.explanation[lang] || finding.explanation.de);

    var button = card('pa-finding pa-finding-break pa-severity-' + (finding.severity || 'medium'), index, ids);
    button.appendChild(el('span', 'pa-finding-tag',
      translate('Rule {rule}', { rule: finding.rule || '?' }) + ' · ' +
      translate(finding.severity === 'high' ? 'high' : 'medium')));
    button.appendChild(el('span', 'pa-finding-elements', ids.map(labelOf).join(' → ')));
    if (explanation) {
      button.appendChild(el('span', 'pa-finding-text', explanation));
    }
    if (finding.media && finding.media.length) {
      button.appendChild(el('span', 'pa-finding-media', finding.media.map(function(medium) {
        return translate(mediumLabel(medium));
      }).join(' → ')));
    }
    return button;
  }

  function candidateCard(candidate, index) {
    var button = card('pa-finding pa-finding-candidate', index, [ candidate.element ]);
    button.appendChild(el('span', 'pa-finding-tag',
      translate(kindLabel(candidate.kind)) + ' · ' + Math.round((candidate.score || 0) * 100) + ' %'));
    button.appendChild(el('span', 'pa-finding-elements', labelOf(candidate.element)));

    var suggestion = candidate.suggestion && (candidate.suggestion[lang] || candidate.suggestion.de);
    if (suggestion) {
      button.appendChild(el('span', 'pa-finding-suggestion', suggestion));
    }
    return button;
  }

  section(container, translate('Media breaks'), breaks, breakCard, translate);
  section(container, translate('Automation candidates'), candidates, candidateCard, translate);

  if (!breaks.length && !candidates.length) {
    container.appendChild(el('p', 'pa-findings-empty', translate('No findings.')));
  }
}

// Cards shown at first per section; a large model has thousands, which nobody reads in a row and
// which would cost the page a second to lay out. The rest follow on request.
export var FIRST_CARDS = 100;

function section(container, title, items, render, translate) {
  if (!items.length) {
    return;
  }

  container.appendChild(el('h3', null, title));
  var list = el('ul', 'pa-findings-list');

  function add(from, to) {
    var fragment = document.createDocumentFragment();
    for (var index = from; index < to; index++) {
      var item = el('li');
      item.appendChild(render(items[index], index));
      fragment.appendChild(item);
    }
    list.appendChild(fragment);
  }

  add(0, Math.min(items.length, FIRST_CARDS));
  container.appendChild(list);

  if (items.length > FIRST_CARDS) {
    var more = el('button', 'button button-secondary pa-findings-more',
      translate('Show {count} more', { count: String(items.length - FIRST_CARDS) }));
    more.type = 'button';
    more.addEventListener('click', function() {
      add(FIRST_CARDS, items.length);
      more.remove();
      list.children[FIRST_CARDS].querySelector('button').focus();
    });
    container.appendChild(more);
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
