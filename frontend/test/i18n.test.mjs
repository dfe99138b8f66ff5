// The German dictionary covers what the properties panel shows in its header (node --test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

import de from '../src/i18n/de.js';

// The panel's header label is translate(concrete type with spaces), e.g. "Timer Start Event";
// the concrete types are the keys of its icon table.
async function headerLabels() {
  const source = await readFile(new URL('../node_modules/bpmn-js-properties-panel/dist/index.esm.js', import.meta.url), 'utf8');
  const start = source.indexOf('iconsByType = {');
  assert.ok(start > 0, 'the panel no longer has its icon table: check getTypeLabel');
  const table = source.slice(start, source.indexOf('};', start));
  const types = [ ...table.matchAll(/'?([A-Za-z]+)'?:/g) ].map(match => match[1]);
  return types.map(type => type.replace(/(\B[A-Z])/g, ' $1').replace(/(\bNon Interrupting)/g, '($1)'));
}

test('every properties panel header type has a German label', async () => {
  const labels = await headerLabels();
  assert.ok(labels.length > 80, `only ${labels.length} types found`);
  const missing = labels.filter(label => !de[label]);
  assert.deepEqual(missing, []);
});

test('German header labels read as German', () => {
  assert.equal(de['Process'], 'Prozess');
  assert.equal(de['Collaboration'], 'Kollaboration');
  assert.equal(de['Message Start Event'], 'Nachrichten-Startereignis');
  assert.equal(de['Conditional Start Event (Non Interrupting)'], 'Bedingtes Startereignis (nicht unterbrechend)');
  assert.equal(de['Timer Boundary Event (Non Interrupting)'], 'Zeit-Randereignis (nicht unterbrechend)');
});
