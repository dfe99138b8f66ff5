// Unit tests of the finding badges' placement and of how findings name elements (node --test).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { BADGE, intersects, obstacleOf, placeBadges } from '../src/findings/placement.js';
import { cleanName, elementNamer, typeLabel } from '../src/findings/labels.js';

// 7 px per character: the tests do not depend on a font
const options = { measure: (text) => text.length * 7, collapsed: (count) => `${count} findings` };

function registry(elements) {
  return {
    getAll: () => elements,
    get: (id) => elements.find((e) => e.id === id)
  };
}

const root = { id: 'Process_1' };

function shape(id, x, y, width, height, type = 'bpmn:Task', extra = {}) {
  return { id, x, y, width, height, parent: root, businessObject: { $type: type, name: extra.name }, ...extra };
}

function label(target, x, y, width, height) {
  const element = { id: target.id + '_label', type: 'label', x, y, width, height, parent: root, labelTarget: target, businessObject: target.businessObject };
  target.label = element;
  return element;
}

function stack(element, ...texts) {
  return { element, badges: texts.map((text) => ({ text, type: 'break', className: 'pa-badge', indices: [ 0 ] })) };
}

function boxOf(placed) {
  return { x: placed.x, y: placed.y, width: placed.width, height: placed.height };
}

test('a stack goes above its task, off the shape, badges one below the other', () => {
  const task = shape('Task_1', 100, 100, 100, 80);
  const [ placed ] = placeBadges(registry([ root, task ]), [ stack(task, 'Medienbruch (a)', 'Abfrage') ], options);

  assert.equal(placed.root, 'Process_1');
  assert.equal(placed.x, 100);
  assert.equal(placed.height, 2 * BADGE.height + BADGE.gap);
  assert.equal(placed.y, 100 - placed.height - BADGE.clearance);
  assert.equal(placed.width, 'Medienbruch (a)'.length * 7 + 2 * BADGE.padding + 2);
  assert.deepEqual(placed.badges.map((b) => b.width), [ placed.width, 'Abfrage'.length * 7 + 2 * BADGE.padding + 2 ]);
  assert.ok(!intersects(boxOf(placed), task));
});

test('stacks of neighbours and labels above do not overlap: the next free spot is taken', () => {
  const a = shape('Task_A', 100, 100, 100, 80);
  const b = shape('Task_B', 230, 100, 100, 80);
  const event = shape('Event_1', 250, 20, 36, 36, 'bpmn:StartEvent');
  const eventLabel = label(event, 230, 60, 80, 14); // between the event and Task_B
  const elements = [ root, a, b, event, eventLabel ];

  const placed = placeBadges(registry(elements), [
    stack(a, 'Dokumenterstellung ×2'),
    stack(b, 'Medienbruch (a)')
  ], options);

  const boxes = placed.map(boxOf);
  assert.ok(!intersects(boxes[0], boxes[1]));
  for (const placedBox of boxes) {
    for (const element of elements.slice(1)) {
      assert.ok(!intersects(placedBox, element), `${JSON.stringify(placedBox)} on ${element.id}`);
    }
  }
  // Task_A's wide badge reaches over Task_B's top edge, so Task_B's goes elsewhere
  assert.notEqual(placed[1].y, 100 - BADGE.height - BADGE.clearance);
});

test('an element with no room for its stack shows one badge with the count', () => {
  const task = shape('Task_1', 100, 100, 100, 80);

  // every spot around the task is taken by other shapes, except a small one above
  const blockers = [
    shape('Above', 40, 0, 260, 60), shape('Right', 203, 40, 200, 200),
    shape('Left', -200, 40, 297, 200), shape('Below', 40, 183, 260, 100)
  ];
  const crowded = stack(task, 'Medienbruch (a) ×2', 'Abfrage', 'Benachrichtigung');
  crowded.badges[0].count = 2;
  const [ placed ] = placeBadges(registry([ root, task, ...blockers ]), [ crowded ], options);

  assert.equal(placed.badges.length, 1);
  assert.equal(placed.badges[0].text, '4 findings');
  assert.deepEqual(placed.badges[0].indices, [ 0, 0, 0 ]);
});

test('pools, lanes and expanded sub-processes block only the band with their name', () => {
  assert.deepEqual(obstacleOf(shape('P', 0, 0, 600, 200, 'bpmn:Participant', { di: {} })), { x: 0, y: 0, width: 30, height: 200 });
  assert.deepEqual(obstacleOf(shape('L', 0, 0, 200, 600, 'bpmn:Lane', { di: { isHorizontal: false } })), { x: 0, y: 0, width: 200, height: 30 });
  assert.deepEqual(obstacleOf(shape('S', 10, 10, 400, 200, 'bpmn:SubProcess', { di: { isExpanded: true } })), { x: 10, y: 10, width: 400, height: 30 });
  assert.equal(obstacleOf(shape('G', 0, 0, 100, 100, 'bpmn:Group')), null);
  assert.equal(obstacleOf(root), null);
  assert.equal(obstacleOf({ id: 'F', parent: root, waypoints: [] }), null);
});

test('badges on different planes do not push each other away', () => {
  const planeRoot = { id: 'Sub_plane' };
  const inner = { ...shape('Inner', 100, 100, 100, 80), parent: planeRoot };
  const outer = shape('Outer', 100, 100, 100, 80);
  const placed = placeBadges(registry([ root, planeRoot, inner, outer ]), [ stack(outer, 'A'), stack(inner, 'B') ], options);
  assert.deepEqual(placed.map((p) => [ p.root, p.x, p.y ]), [
    [ 'Process_1', placed[0].x, placed[0].y ], [ 'Sub_plane', placed[0].x, placed[0].y ]
  ]);
});

test('elements are named by their name, else by type and id', () => {
  const elements = [
    shape('Task_1', 0, 0, 1, 1, 'bpmn:UserTask', { name: 'Antrag\n  prüfen ' }),
    shape('Gateway_1', 0, 0, 1, 1, 'bpmn:ExclusiveGateway'),
    shape('Odd_1', 0, 0, 1, 1, 'bpmn:SomeNewThing')
  ];
  const german = { 'Exclusive gateway': 'Exklusives Gateway' };
  const name = elementNamer(registry(elements), (text) => german[text] || text);

  assert.equal(name('Task_1'), 'Antrag prüfen');
  assert.equal(name('Gateway_1'), 'Exklusives Gateway Gateway_1');
  assert.equal(name('Odd_1'), 'Some new thing Odd_1');
  assert.equal(name('Missing_1'), 'Missing_1');
  assert.equal(typeLabel('bpmn:MessageFlow'), 'Message flow');
  assert.equal(cleanName('x'.repeat(100)).length, 80);
});
