/**
 * The modeler's "On opening" section: what was repaired or laid out when the diagram was opened,
 * and which elements the modeler cannot show (they are kept unchanged in every save).
 *
 * @param {HTMLElement} section the section (hidden while there is nothing to say)
 * @param {Object} report EditorSession.report
 * @param {Function} translate
 */
export function renderImportReport(section, report, translate) {
  var body = section.querySelector('.pa-import-report-body');

  while (body.firstChild) {
    body.removeChild(body.firstChild);
  }

  function paragraph(text) {
    var node = document.createElement('p');
    node.textContent = text;
    body.appendChild(node);
    return node;
  }

  function list(items) {
    var node = document.createElement('ul');
    items.forEach(function(text) {
      var item = document.createElement('li');
      item.textContent = text;
      node.appendChild(item);
    });
    body.appendChild(node);
  }

  if (report.laidOut) {
    paragraph(translate('The model had no diagram information and was laid out automatically. Saving stores the layout as a new version.'));
  }

  if (report.repairs.length) {
    paragraph(translate('Repaired so that the modeler can show it:'));
    list(report.repairs.map(function(repair) {
      if (repair.kind === 'references') {
        return translate('{count} references written with a namespace prefix (“bpmn2:Task_1”) now point at their elements.', { count: repair.reference });
      }
      if (repair.kind === 'plane') {
        return translate('Diagram {id}: pointed at the whole file, now shows {reference}.', { id: repair.id, reference: repair.reference });
      }
      return translate('Data object {name}: shown through a new data object reference {reference}; its associations now point at the reference.', {
        name: repair.name ? '„' + repair.name + '“ (' + repair.id + ')' : repair.id, reference: repair.reference
      });
    }));
  }

  if (report.carried.length) {
    paragraph(translate('The modeler cannot show these elements. They are kept unchanged in every save:'));
    list(report.carried.map(function(item) {
      return item.di ? translate('diagram information {text}', { text: item.text }) : item.text;
    }));
  }

  section.hidden = !(report.laidOut || report.repairs.length || report.carried.length);
}

/**
 * One sentence for the notice bar, or '' when opening changed and hid nothing.
 *
 * @param {Object} report
 * @param {Function} translate
 * @return {string}
 */
export function importSummary(report, translate) {
  var parts = [];

  if (report.laidOut) {
    parts.push(translate('The model had no diagram information: it was laid out automatically.'));
  }
  if (report.repairs.length) {
    parts.push(report.repairs.length === 1
      ? translate('One repair was made on opening.')
      : translate('{count} repairs were made on opening.', { count: String(report.repairs.length) }));
  }
  if (report.carried.length) {
    parts.push(report.carried.length === 1
      ? translate('One element cannot be shown; it is kept unchanged when saving.')
      : translate('{count} elements cannot be shown; they are kept unchanged when saving.', { count: String(report.carried.length) }));
  }

  return parts.length ? parts.join(' ') + ' ' + translate('Details in the side panel under “On opening”.') : '';
}
