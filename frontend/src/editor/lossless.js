/**
 * Nothing of a stored model is lost in the modeler (ADR 0010).
 *
 * - `decodeXml` reads the bytes in the encoding the XML declaration names (ISO-8859-1 exports).
 * - `repairForImport` repairs what bpmn-js cannot draw where the meaning is unambiguous: a data
 *   object drawn by its own DI shape gets a data object reference that the shape and the data
 *   associations then point at.
 * - `findCarried` compares the imported XML with bpmn-js' first export of it: every element and
 *   attribute that the export dropped (not drawn, unparsable for bpmn-moddle, unresolved
 *   references) is remembered, and `mergeCarried` puts it back, untouched, into every later export.
 *
 * Pure functions on strings and DOM documents (DOMParser / XMLSerializer), no bpmn-js.
 */

export var BPMN_NS = 'http://www.omg.org/spec/BPMN/20100524/MODEL';
export var BPMNDI_NS = 'http://www.omg.org/spec/BPMN/20100524/DI';

var XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
var DI_NAMESPACES = [ BPMNDI_NS, 'http://www.omg.org/spec/DD/20100524/DC', 'http://www.omg.org/spec/DD/20100524/DI' ];

/**
 * Decode an XML file's bytes: BOM first, then the encoding of the XML declaration, else UTF-8.
 * The declaration is rewritten to UTF-8, which the returned string now is.
 *
 * @param {ArrayBuffer} buffer
 * @return {string}
 */
export function decodeXml(buffer) {
  var bytes = new Uint8Array(buffer);
  var label = 'utf-8';

  if (bytes[0] === 0xFF && bytes[1] === 0xFE) {
    label = 'utf-16le';
  } else if (bytes[0] === 0xFE && bytes[1] === 0xFF) {
    label = 'utf-16be';
  } else if (!(bytes[0] === 0xEF && bytes[1] === 0xBB && bytes[2] === 0xBF)) {
    var head = String.fromCharCode.apply(null, bytes.subarray(0, 200));
    var match = /^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head);
    if (match) {
      label = match[1];
    }
  }

  var text;

  try {
    text = new TextDecoder(label).decode(bytes);
  } catch (e) {
    text = new TextDecoder('utf-8').decode(bytes);
  }

  return text.replace(/^(\s*<\?xml[^>]*encoding\s*=\s*)(["'])[^"']*\2/, '$1$2UTF-8$2');
}

function parse(xml) {
  var doc = new DOMParser().parseFromString(xml, 'application/xml');
  return doc.getElementsByTagName('parsererror').length ? null : doc;
}

function serialize(doc, like) {
  var text = new XMLSerializer().serializeToString(doc);

  // Chromium keeps the document's XML declaration, other engines drop it
  if (/^<\?xml/.test(text) || !/^\s*<\?xml/.test(like)) {
    return text;
  }

  return '<?xml version="1.0" encoding="UTF-8"?>\n' + text;
}

function elementsWithId(doc) {
  var byId = Object.create(null);
  var all = doc.getElementsByTagName('*');
  for (var i = 0; i < all.length; i++) {
    var id = all[i].getAttribute('id');
    if (id && !byId[id]) {
      byId[id] = all[i];
    }
  }
  return byId;
}

function childElements(node) {
  var result = [];
  for (var child = node.firstElementChild; child; child = child.nextElementSibling) {
    result.push(child);
  }
  return result;
}

function uniqueId(base, byId) {
  var id = base, n = 2;
  while (byId[id]) {
    id = base + '_' + n++;
  }
  return id;
}

/**
 * Repair, before bpmn-js imports it, what it cannot draw but whose meaning is unambiguous.
 *
 * A `bpmn:dataObject` drawn directly by one DI shape (bpmn-js draws only references) gets a
 * `bpmn:dataObjectReference` beside it (same name); the shape and every association or data
 * association of the data object then point at the reference. A data object with several shapes
 * is left alone (which shape would an association mean?); `findCarried` keeps it.
 *
 * @param {string} xml
 * @return {{ xml: string, repairs: Array<{ kind: string, id: string, name: string, reference: string }> }}
 */
export function repairForImport(xml) {
  var definitionsId = /<(?:[\w.-]+:)?definitions\b[^>]*?\sid\s*=\s*["']([^"']+)["']/.exec(xml);
  var planeOnDefinitions = definitionsId && new RegExp('bpmnElement\\s*=\\s*["\']' + escapeRegExp(definitionsId[1]) + '["\']').test(xml);

  if (!planeOnDefinitions && !PREFIXED_REFERENCE.test(xml) && !/<(?:[\w.-]+:)?dataObject[\s/>]/.test(xml)) {
    return { xml: xml, repairs: [] };
  }

  var doc = parse(xml);

  if (!doc) {
    return { xml: xml, repairs: [] };
  }

  var byId = elementsWithId(doc);
  var repairs = repairPrefixedReferences(doc, byId).concat(repairPlanes(doc));
  var shapes = doc.getElementsByTagNameNS(BPMNDI_NS, 'BPMNShape');
  var shapesOf = Object.create(null);

  for (var i = 0; i < shapes.length; i++) {
    var target = shapes[i].getAttribute('bpmnElement');
    (shapesOf[target] = shapesOf[target] || []).push(shapes[i]);
  }

  var dataObjects = Array.prototype.slice.call(doc.getElementsByTagNameNS(BPMN_NS, 'dataObject'));

  dataObjects.forEach(function(dataObject) {
    var id = dataObject.getAttribute('id');
    var drawn = id && shapesOf[id];

    if (!drawn || drawn.length !== 1) {
      return;
    }

    var referenceId = uniqueId(id + '_ref', byId);
    var reference = doc.createElementNS(BPMN_NS, (dataObject.prefix ? dataObject.prefix + ':' : '') + 'dataObjectReference');
    reference.setAttribute('id', referenceId);
    reference.setAttribute('dataObjectRef', id);
    if (dataObject.hasAttribute('name')) {
      reference.setAttribute('name', dataObject.getAttribute('name'));
    }
    dataObject.parentNode.insertBefore(reference, dataObject.nextSibling);
    byId[referenceId] = reference;

    drawn[0].setAttribute('bpmnElement', referenceId);
    repoint(doc, id, referenceId);

    repairs.push({ kind: 'dataObjectReference', id: id, name: dataObject.getAttribute('name') || '', reference: referenceId });
  });

  return repairs.length ? { xml: serialize(doc, xml), repairs: repairs } : { xml: xml, repairs: [] };
}

// references written as QNames with a prefix ("bpmn2:_Vsep4R89"), which bpmn-moddle cannot resolve
var REFERENCE_ATTRIBUTES = [
  'bpmnElement', 'sourceRef', 'targetRef', 'attachedToRef', 'default', 'processRef', 'dataObjectRef',
  'dataStoreRef', 'calledElement', 'messageRef', 'errorRef', 'signalRef', 'escalationRef', 'itemSubjectRef',
  'structureRef', 'evaluatesToTypeRef', 'operationRef', 'categoryValueRef', 'sourceElement', 'targetElement',
  'labelStyle'
];
var REFERENCE_ELEMENTS = [ 'incoming', 'outgoing', 'flowNodeRef', 'sourceRef', 'targetRef', 'dataInputRefs', 'dataOutputRefs' ];
var PREFIXED_REFERENCE = new RegExp(
  '\\s(?:' + REFERENCE_ATTRIBUTES.join('|') + ')\\s*=\\s*["\'][\\w.-]+:[\\w.-]+["\']|' +
  '<(?:[\\w.-]+:)?(?:' + REFERENCE_ELEMENTS.join('|') + ')>\\s*[\\w.-]+:[\\w.-]+\\s*<'
);

/**
 * A reference "prefix:id" whose id exists (ids never contain a colon) means that element:
 * resolve it, so that bpmn-js can draw and connect it.
 */
function repairPrefixedReferences(doc, byId) {
  var count = 0;

  function resolved(value) {
    var match = /^\s*[\w.-]+:([\w.-]+)\s*$/.exec(value || '');
    return match && byId[match[1]] && !byId[value.trim()] ? match[1] : null;
  }

  var all = doc.getElementsByTagName('*');
  for (var i = 0; i < all.length; i++) {
    var element = all[i];

    REFERENCE_ATTRIBUTES.forEach(function(name) {
      var local = element.hasAttribute(name) && resolved(element.getAttribute(name));
      if (local) {
        element.setAttribute(name, local);
        count++;
      }
    });

    if (element.namespaceURI === BPMN_NS && REFERENCE_ELEMENTS.indexOf(element.localName) !== -1 && !element.firstElementChild) {
      var local = resolved(element.textContent);
      if (local) {
        element.textContent = local;
        count++;
      }
    }
  }

  return count ? [ { kind: 'references', id: '', name: '', reference: String(count) } ] : [];
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A diagram plane that points at the definitions themselves (Modelio) shows nothing in bpmn-js;
 * with exactly one collaboration, or else exactly one process, it can only mean that one.
 */
function repairPlanes(doc) {
  var root = doc.documentElement;
  var rootId = root.getAttribute('id');
  var collaborations = doc.getElementsByTagNameNS(BPMN_NS, 'collaboration');
  var processes = doc.getElementsByTagNameNS(BPMN_NS, 'process');
  var target = collaborations.length === 1 ? collaborations[0] : (!collaborations.length && processes.length === 1 ? processes[0] : null);
  var planes = doc.getElementsByTagNameNS(BPMNDI_NS, 'BPMNPlane');
  var repairs = [];

  for (var i = 0; rootId && target && target.getAttribute('id') && i < planes.length; i++) {
    if (planes[i].getAttribute('bpmnElement') === rootId) {
      planes[i].setAttribute('bpmnElement', target.getAttribute('id'));
      repairs.push({ kind: 'plane', id: planes[i].getAttribute('id') || '', name: target.getAttribute('name') || '', reference: target.getAttribute('id') });
    }
  }

  return repairs;
}

function repoint(doc, from, to) {
  var associations = doc.getElementsByTagNameNS(BPMN_NS, 'association');
  for (var i = 0; i < associations.length; i++) {
    [ 'sourceRef', 'targetRef' ].forEach(function(attribute) {
      if (associations[i].getAttribute(attribute) === from) {
        associations[i].setAttribute(attribute, to);
      }
    });
  }

  [ 'dataInputAssociation', 'dataOutputAssociation' ].forEach(function(kind) {
    var found = doc.getElementsByTagNameNS(BPMN_NS, kind);
    for (var j = 0; j < found.length; j++) {
      childElements(found[j]).forEach(function(child) {
        if ((child.localName === 'sourceRef' || child.localName === 'targetRef') && child.textContent.trim() === from) {
          child.textContent = to;
        }
      });
    }
  });
}

/**
 * What bpmn-js' export of an unchanged import dropped.
 *
 * Elements are matched by id, elements without id by their tag among their parent's children
 * (in order). A dropped element is kept whole with where it stood: its parent and its following
 * and preceding siblings with ids. Attributes that the export dropped from an element it kept are
 * kept too (unresolved references such as `structureRef="java:java.lang.Boolean"`).
 *
 * @param {string} original the XML bpmn-js imported
 * @param {string} exported bpmn-js' export right after the import
 * @return {Array<Object>} carried items for `mergeCarried` and `describeCarried`
 */
export function findCarried(original, exported) {
  var before = parse(original), after = parse(exported);

  if (!before || !after) {
    return [];
  }

  var afterById = elementsWithId(after);
  var matched = new Set();
  var carried = [];
  var exportedIds = new Set(Object.keys(afterById));

  function locate(node) {

    // nearest ancestor with an id in the export, then the tag path (with indexes) below it
    var path = [];
    while (node && node.nodeType === 1 && !node.getAttribute('id') && node !== after.documentElement) {
      var index = 0;
      for (var sibling = node.previousElementSibling; sibling; sibling = sibling.previousElementSibling) {
        if (sibling.namespaceURI === node.namespaceURI && sibling.localName === node.localName) {
          index++;
        }
      }
      path.unshift([ node.namespaceURI, node.localName, index ]);
      node = node.parentNode;
    }
    return { id: node && node !== after.documentElement ? node.getAttribute('id') : null, path: path };
  }

  function siblingIds(node, direction) {
    var ids = [];
    for (var sibling = node[direction]; sibling; sibling = sibling[direction]) {
      var id = sibling.getAttribute('id');
      if (id) {
        ids.push(id);
      }
    }
    return ids;
  }

  function carry(node, exportParent) {
    var position = 0;
    for (var sibling = node.previousElementSibling; sibling; sibling = sibling.previousElementSibling) {
      position++;
    }
    carried.push({
      node: node,
      parent: locate(exportParent),
      next: siblingIds(node, 'nextElementSibling'),
      previous: siblingIds(node, 'previousElementSibling'),
      position: position,
      duplicate: !!(node.getAttribute('id') && exportedIds.has(node.getAttribute('id'))),
      references: referencesOf(node).filter(function(id) { return exportedIds.has(id); })
    });
  }

  function compareAttributes(node, counterpart) {
    var lost = [];
    for (var i = 0; i < node.attributes.length; i++) {
      var attribute = node.attributes[i];
      if (attribute.namespaceURI === XMLNS_NS || attribute.name === 'xmlns') {
        continue;
      }
      if (!counterpart.hasAttributeNS(attribute.namespaceURI, attribute.localName)) {
        lost.push({ namespace: attribute.namespaceURI, name: attribute.name, value: attribute.value });
      }
    }
    if (lost.length && counterpart.getAttribute('id')) {
      carried.push({ attributesOf: counterpart.getAttribute('id'), attributes: lost });
    }
  }

  function compare(node, counterpart) {
    var used = new Set();

    childElements(node).forEach(function(child) {
      var id = child.getAttribute('id');
      var match = null;

      if (id) {
        match = afterById[id] && !matched.has(afterById[id]) ? afterById[id] : null;
      } else {
        match = childElements(counterpart).find(function(candidate) {
          return !used.has(candidate) && !candidate.getAttribute('id') &&
            candidate.namespaceURI === child.namespaceURI && candidate.localName === child.localName;
        }) || null;
      }

      if (!match) {
        carry(child, counterpart);
        return;
      }

      used.add(match);
      matched.add(match);
      compareAttributes(child, match);
      compare(child, match);
    });
  }

  compare(before.documentElement, after.documentElement);
  return carried;
}

function referencesOf(node) {
  var ids = [];
  [ 'bpmnElement', 'sourceRef', 'targetRef', 'attachedToRef', 'dataObjectRef', 'processRef' ].forEach(function(name) {
    if (node.getAttribute(name)) {
      ids.push(node.getAttribute(name));
    }
  });
  return ids;
}

function find(doc, byId, locator) {
  var node = locator.id === null ? doc.documentElement : byId[locator.id];

  for (var i = 0; node && i < locator.path.length; i++) {
    var step = locator.path[i], index = step[2];
    node = childElements(node).filter(function(child) {
      return !child.getAttribute('id') && child.namespaceURI === step[0] && child.localName === step[1];
    })[index] || null;
  }

  return node;
}

/**
 * Put the carried elements and attributes back into an export.
 *
 * An element goes back under its parent, before the first of its former following siblings that
 * is still there (else after the last former preceding one, else at its former position). It is
 * left out when the user removed what it belongs to: its parent, or an element it refers to
 * (`bpmnElement`, `sourceRef`, …) that was in the first export.
 *
 * @param {string} xml bpmn-js export
 * @param {Array<Object>} carried from `findCarried`
 * @return {string}
 */
export function mergeCarried(xml, carried) {
  if (!carried || !carried.length) {
    return xml;
  }

  var doc = parse(xml);

  if (!doc) {
    return xml;
  }

  var byId = elementsWithId(doc);

  carried.forEach(function(item) {
    if (item.attributesOf) {
      var element = byId[item.attributesOf];
      if (element) {
        item.attributes.forEach(function(attribute) {
          if (!element.hasAttributeNS(attribute.namespace, attribute.name.split(':').pop())) {
            element.setAttributeNS(attribute.namespace, attribute.name, attribute.value);
          }
        });
      }
      return;
    }

    var parent = find(doc, byId, item.parent);
    var id = item.node.getAttribute('id');

    if (!parent || (id && byId[id] && !item.duplicate) || item.references.some(function(ref) { return !byId[ref]; })) {
      return;
    }

    var copy = doc.importNode(item.node, true);
    var anchor = firstPresent(item.next, byId, parent);

    if (anchor) {
      parent.insertBefore(copy, anchor);
    } else {
      var after = firstPresent(item.previous, byId, parent);
      if (after) {
        parent.insertBefore(copy, after.nextSibling);
      } else {
        parent.insertBefore(copy, childElements(parent)[item.position] || null);
      }
    }

    if (id) {
      byId[id] = copy;
    }
  });

  return serialize(doc, xml);
}

function firstPresent(ids, byId, parent) {
  for (var i = 0; i < ids.length; i++) {
    var node = byId[ids[i]];
    if (node && node.parentNode === parent) {
      return node;
    }
  }
  return null;
}

/**
 * Short descriptions of the carried elements for the page: "BPMNShape DataObject_1", "laneSet
 * Pool 2_laneSet (Lane 1, Lane 2)" …
 *
 * @param {Array<Object>} carried
 * @return {Array<{ id: string, text: string, di: boolean }>}
 */
export function describeCarried(carried) {
  var byId = null;

  function named(node) {
    var id = node.getAttribute('id') || '';
    var name = node.getAttribute('name');
    return node.localName + (name ? ' „' + name + '“' : '') + (id ? (name ? ' (' + id + ')' : ' ' + id) : '');
  }

  return carried.filter(function(item) { return item.node; }).map(function(item) {
    var node = item.node;
    var di = DI_NAMESPACES.indexOf(node.namespaceURI) !== -1;

    if (!di) {
      return { id: node.getAttribute('id') || '', text: named(node), di: false };
    }

    // DI: say what it draws, e.g. "BPMNShape of dataObject „Akte“ (DataObject_Akte)"
    byId = byId || elementsWithId(node.ownerDocument);
    var target = node.getAttribute('bpmnElement');
    var drawn = target && byId[target];
    return {
      id: target || '',
      text: node.localName + (drawn ? ' → ' + named(drawn) : (target ? ' → ' + target : ' ' + (node.getAttribute('id') || ''))),
      di: true
    };
  });
}
