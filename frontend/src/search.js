/**
 * The search box in the header and on /search: suggestions while typing (the ARIA 1.2 combobox
 * pattern: arrow keys move through them, Enter picks, Escape closes), and on /search a ticked
 * facet applies at once (keyboard focus stays on it across the reload). Without this script
 * both forms work as plain GET forms.
 */

var DELAY_MS = 150;
var MIN_CHARS = 2;
var LIMIT = 8;
var FOCUS_KEY = 'pa-search-focus';

var KIND_LABELS = {
  de: { title: 'Prozess', system: 'IT-System', role: 'Rolle' },
  en: { title: 'Process', system: 'IT system', role: 'Role' }
};

function language() {
  return document.documentElement.lang === 'en' ? 'en' : 'de';
}

function combobox(input) {
  var list = document.getElementById(input.getAttribute('aria-controls'));
  var form = input.form;
  var timer = null;
  var controller = null;
  var items = [];
  var active = -1;
  var labels = KIND_LABELS[language()];

  if (!list || !form) {
    return;
  }

  function close() {
    list.hidden = true;
    list.textContent = '';
    items = [];
    active = -1;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  }

  function setActive(index) {
    var options = list.children;
    if (active >= 0 && options[active]) {
      options[active].setAttribute('aria-selected', 'false');
    }
    active = index;
    if (active >= 0 && options[active]) {
      options[active].setAttribute('aria-selected', 'true');
      input.setAttribute('aria-activedescendant', options[active].id);
      if (options[active].scrollIntoView) {
        options[active].scrollIntoView({ block: 'nearest' });
      }
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  function pick(index) {
    var item = items[index];
    if (!item) {
      return;
    }
    input.value = item.text;
    close();
    if (form.requestSubmit) {
      form.requestSubmit();
    } else {
      form.submit();
    }
  }

  function show(found) {
    list.textContent = '';
    items = found;
    active = -1;
    if (!found.length) {
      close();
      return;
    }
    found.forEach(function(item, index) {
      var option = document.createElement('li');
      option.id = list.id + '-' + index;
      option.setAttribute('role', 'option');
      option.setAttribute('aria-selected', 'false');
      option.className = 'suggestion';
      var text = document.createElement('span');
      text.textContent = item.text;
      var kind = document.createElement('span');
      kind.className = 'suggestion-kind';
      kind.textContent = labels[item.kind] || item.kind;
      option.appendChild(text);
      option.appendChild(document.createTextNode(' '));
      option.appendChild(kind);

      // the input keeps the focus; a click picks
      option.addEventListener('mousedown', function(event) { event.preventDefault(); });
      option.addEventListener('click', function() { pick(index); });
      list.appendChild(option);
    });
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  }

  function load() {
    var text = input.value.trim();
    if (controller) {
      controller.abort();
    }
    if (text.length < MIN_CHARS) {
      close();
      return;
    }
    controller = new AbortController();
    var url = '/api/v1/search/suggest?' + new URLSearchParams({ q: text, limit: String(LIMIT) });
    fetch(url, { credentials: 'same-origin', signal: controller.signal, headers: { Accept: 'application/json' } })
      .then(function(response) { return response.ok ? response.json() : { items: [] }; })
      .then(function(data) {
        if (document.activeElement === input && input.value.trim() === text) {
          show(data.items || []);
        }
      })
      .catch(function() {

        // aborted by newer typing, or no network: no suggestions, the form still works
      });
  }

  input.addEventListener('input', function() {
    clearTimeout(timer);
    timer = setTimeout(load, DELAY_MS);
  });

  input.addEventListener('keydown', function(event) {
    var open = !list.hidden && items.length > 0;
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      if (!open) {
        load();
      } else {
        setActive(active + 1 < items.length ? active + 1 : 0);
      }
    } else if (event.key === 'ArrowUp') {
      if (open) {
        event.preventDefault();
        setActive(active > 0 ? active - 1 : items.length - 1);
      }
    } else if (event.key === 'Enter') {
      if (open && active >= 0) {
        event.preventDefault();
        pick(active);
      }
    } else if (event.key === 'Escape') {
      if (open) {
        event.preventDefault();
        close();
      }
    }
  });

  input.addEventListener('blur', function() {
    clearTimeout(timer);
    close();
  });
}

/**
 * A facet applies when it is ticked; the reloaded page puts the focus back on that box.
 */
function facets(form) {
  form.addEventListener('change', function(event) {
    var target = event.target;
    if (!target || !target.id) {
      return;
    }
    try {
      sessionStorage.setItem(FOCUS_KEY, target.id);
    } catch (e) {

      // storage disabled: the filter applies all the same
    }
    if (form.requestSubmit) {
      form.requestSubmit();
    } else {
      form.submit();
    }
  });

  var id = null;
  try {
    id = sessionStorage.getItem(FOCUS_KEY);
    sessionStorage.removeItem(FOCUS_KEY);
  } catch (e) {
    id = null;
  }
  var node = id && document.getElementById(id);
  if (node) {
    node.focus();
  }
}

function start() {
  Array.prototype.forEach.call(document.querySelectorAll('input[data-suggest]'), combobox);
  var form = document.getElementById('search-facets');
  if (form) {
    facets(form);
  }
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', start);
} else {
  start();
}
