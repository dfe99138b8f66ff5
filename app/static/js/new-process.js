// "Neuer Prozess": suggest a key from the title (lower-case, umlauts spelled out) until the key
// is edited by hand. A file, not an inline script, so the page keeps its CSP.
(function () {
  'use strict';
  var title = document.getElementById('title');
  var key = document.getElementById('key');
  if (!title || !key) { return; }
  var touched = !!key.value;
  key.addEventListener('input', function () { touched = true; });
  title.addEventListener('input', function () {
    if (touched) { return; }
    key.value = title.value.toLowerCase().replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss')
      .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64);
  });
})();
