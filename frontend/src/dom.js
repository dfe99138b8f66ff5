/**
 * Small DOM helpers shared by the viewer and the modeler pages.
 */

export function $(id) {
  return document.getElementById(id);
}

/**
 * Offer `content` (a Blob, or text of the given type) as a file download.
 */
export function download(filename, content, type) {
  var blob = content instanceof Blob ? content : new Blob([ content ], { type: type });
  var url = URL.createObjectURL(blob);
  var link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(function() { URL.revokeObjectURL(url); }, 1000);
}
