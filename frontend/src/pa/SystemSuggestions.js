/**
 * Keeps a `<datalist>` of IT system names already used in the catalogue, for the `pa:system` field.
 * The names come from `config.systemSuggestions.url` (GET, JSON list of strings or of {name}).
 *
 * @param {Object} config
 */
export default function SystemSuggestions(config) {
  this._listId = 'pa-system-suggestions';
  this._names = [];
  this._datalist = null;

  var url = config && config.url;

  if (url && typeof fetch === 'function') {
    var self = this;

    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function(response) { return response.ok ? response.json() : []; })
      .then(function(data) { self.setNames(normalize(data)); })
      .catch(function() { /* suggestions are optional */ });
  }
}

SystemSuggestions.$inject = [ 'config.systemSuggestions' ];

SystemSuggestions.prototype.getListId = function() {
  return this._listId;
};

SystemSuggestions.prototype.getNames = function() {
  return this._names.slice();
};

/**
 * @param {string[]} names
 */
SystemSuggestions.prototype.setNames = function(names) {
  this._names = names.slice().sort(function(a, b) { return a.localeCompare(b, 'de'); });
  this._render();
};

SystemSuggestions.prototype.addName = function(name) {
  if (name && this._names.indexOf(name) === -1) {
    this.setNames(this._names.concat([ name ]));
  }
};

SystemSuggestions.prototype._render = function() {
  if (typeof document === 'undefined') {
    return;
  }

  if (!this._datalist) {
    this._datalist = document.getElementById(this._listId);
  }

  if (!this._datalist) {
    this._datalist = document.createElement('datalist');
    this._datalist.id = this._listId;
    document.body.appendChild(this._datalist);
  }

  var list = this._datalist;

  while (list.firstChild) {
    list.removeChild(list.firstChild);
  }

  this._names.forEach(function(name) {
    var option = document.createElement('option');
    option.value = name;
    list.appendChild(option);
  });
};

function normalize(data) {
  var items = Array.isArray(data) ? data : (data && (data.items || data.systems)) || [];

  return items.map(function(item) {
    return typeof item === 'string' ? item : (item && item.name) || '';
  }).filter(Boolean);
}
