// Packs .bpmnlintrc into an ES module (config + bundled rules) that bpmn-js-bpmnlint runs in the browser.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const compileConfig = require('bpmnlint/lib/support/compile-config');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const config = JSON.parse(await readFile(path.join(root, '.bpmnlintrc'), 'utf8'));
const code = await compileConfig(config);

await mkdir(path.join(root, 'src', 'generated'), { recursive: true });
await writeFile(path.join(root, 'src', 'generated', 'bpmnlint-config.js'), code);
console.log('packed .bpmnlintrc -> src/generated/bpmnlint-config.js');
