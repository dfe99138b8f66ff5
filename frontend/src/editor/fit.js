/**
 * Fit the diagram into the part of the canvas the palette leaves free, at most at 100 %.
 *
 * @param {Object} canvas diagram-js canvas
 * @param {number} [margin] px around the diagram
 */
export function fitBesidePalette(canvas, margin) {
  margin = typeof margin === 'number' ? margin : 24;

  var container = canvas.getContainer();
  var palette = container.querySelector('.djs-palette');
  var left = palette ? palette.offsetLeft + palette.offsetWidth : 0;
  var viewbox = canvas.viewbox();
  var inner = viewbox.inner, outer = viewbox.outer;

  if (!outer.width || !outer.height) {
    return;
  }

  var width = Math.max(outer.width - left - 2 * margin, 50),
      height = Math.max(outer.height - 2 * margin, 50);

  var scale = inner.width && inner.height ? Math.min(width / inner.width, height / inner.height, 1) : 1;

  // centred in the free part; a small or empty diagram sits at its top left
  var offsetX = left + margin + Math.max(0, (width - inner.width * scale) / 2),
      offsetY = margin + Math.max(0, (height - inner.height * scale) / 2);

  if (!inner.width || !inner.height || scale === 1) {
    offsetX = left + margin;
    offsetY = margin;
  }

  canvas.viewbox({
    x: inner.x - offsetX / scale,
    y: inner.y - offsetY / scale,
    width: outer.width / scale,
    height: outer.height / scale
  });
}
