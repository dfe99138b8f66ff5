// Unit tests of the city's bpmnlint rule set (node --test; run by `npm test`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

import { BpmnModdle } from 'bpmn-moddle';

const require = createRequire(import.meta.url);
const { Linter } = require('bpmnlint');
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver');

const config = JSON.parse(await readFile(new URL('../.bpmnlintrc', import.meta.url), 'utf8'));

function diagram(body) {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="urn:t">
  <bpmn:process id="P" isExecutable="false">${body}</bpmn:process>
</bpmn:definitions>`;
}

async function lint(xml) {
  const { rootElement } = await new BpmnModdle().fromXML(xml);

  // as bpmn-js keeps them: flows listed in their nodes' incoming / outgoing
  for (const process of rootElement.rootElements) {
    for (const flow of process.flowElements || []) {
      if (flow.$type === 'bpmn:SequenceFlow') {
        if (flow.sourceRef) { flow.sourceRef.get('outgoing').push(flow); }
        if (flow.targetRef) { flow.targetRef.get('incoming').push(flow); }
      }
    }
  }
  const linter = new Linter({ config, resolver: new NodeResolver() });
  const results = await linter.lint(rootElement);
  const found = [];
  for (const [ rule, reports ] of Object.entries(results)) {
    for (const report of reports) {
      found.push({ rule, id: report.id, message: report.message, category: report.category });
    }
  }
  return found;
}

const CLEAN = `
  <bpmn:startEvent id="Start" name="Antrag eingegangen" />
  <bpmn:task id="Check" name="Antrag prüfen" />
  <bpmn:exclusiveGateway id="Ok" name="Vollständig?" />
  <bpmn:task id="Approve" name="Bescheid erstellen" />
  <bpmn:task id="Ask" name="Unterlagen nachfordern" />
  <bpmn:exclusiveGateway id="Join" />
  <bpmn:endEvent id="End" name="Erledigt" />
  <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Check" />
  <bpmn:sequenceFlow id="F2" sourceRef="Check" targetRef="Ok" />
  <bpmn:sequenceFlow id="F3" name="ja" sourceRef="Ok" targetRef="Approve" />
  <bpmn:sequenceFlow id="F4" name="nein" sourceRef="Ok" targetRef="Ask" />
  <bpmn:sequenceFlow id="F5" sourceRef="Approve" targetRef="Join" />
  <bpmn:sequenceFlow id="F6" sourceRef="Ask" targetRef="Join" />
  <bpmn:sequenceFlow id="F7" sourceRef="Join" targetRef="End" />`;

test('a model following the conventions has no findings', async () => {
  assert.deepEqual(await lint(diagram(CLEAN)), []);
});

test('unlabelled gateway outputs are reported on the flows', async () => {
  const found = await lint(diagram(CLEAN.replace(' name="nein"', '')));
  assert.deepEqual(found.map(f => [ f.rule, f.id, f.category ]), [
    [ 'prozessatlas/gateway-outputs-labelled', 'F4', 'warn' ]
  ]);
});

test('the default flow of a gateway needs no label', async () => {
  const xml = diagram(CLEAN.replace('<bpmn:exclusiveGateway id="Ok" name="Vollständig?" />',
    '<bpmn:exclusiveGateway id="Ok" name="Vollständig?" default="F4" />').replace(' name="nein"', ''));
  assert.deepEqual(await lint(xml), []);
});

test('unlabelled tasks, missing start and end events and implicit splits are reported', async () => {
  const found = await lint(diagram(`
    <bpmn:task id="A" />
    <bpmn:task id="B" name="B" />
    <bpmn:task id="C" name="C" />
    <bpmn:sequenceFlow id="F1" sourceRef="A" targetRef="B" />
    <bpmn:sequenceFlow id="F2" sourceRef="A" targetRef="C" />`));
  const rules = new Set(found.map(f => f.rule));
  for (const rule of [ 'label-required', 'start-event-required', 'end-event-required', 'no-implicit-split' ]) {
    assert.ok(rules.has(rule), `${rule} missing in ${JSON.stringify(found)}`);
  }
  assert.ok(found.some(f => f.rule === 'label-required' && f.id === 'A'));
});

test('a flow without target is an error', async () => {
  const found = await lint(diagram(`
    <bpmn:startEvent id="Start" name="S" />
    <bpmn:sequenceFlow id="Dangling" sourceRef="Start" />`));
  assert.ok(found.some(f => f.rule === 'prozessatlas/no-dangling-flow' && f.id === 'Dangling' && f.category === 'error'));
});
