/**
 * The media a `pa:medium` attribute can name (ANALYSIS.md, section 1), with English labels that the
 * translate service turns into German.
 */
export var MEDIA = [
  [ 'paper', 'Paper' ],
  [ 'fax', 'Fax' ],
  [ 'phone', 'Phone' ],
  [ 'in_person', 'In person' ],
  [ 'email', 'E-mail' ],
  [ 'office_file', 'Office file (Excel, Word, PDF)' ],
  [ 'it_system', 'IT system (specialist application)' ]
];

var SHORT = {
  paper: 'Paper',
  fax: 'Fax',
  phone: 'Phone',
  in_person: 'In person',
  email: 'E-mail',
  office_file: 'Office file',
  it_system: 'IT system',
  unknown: 'unknown'
};

/**
 * A short, translatable label of a medium.
 *
 * @param {string} medium
 * @return {string}
 */
export function mediumLabel(medium) {
  return SHORT[medium] || medium || '?';
}
