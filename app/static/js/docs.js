// Starts Swagger UI on /docs from the page's JSON block, so the page runs no inline script (CSP).
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('docs-config').textContent);
  window.ui = window.SwaggerUIBundle({
    url: config.openapiUrl,
    dom_id: '#swagger-ui',
    layout: 'BaseLayout',
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    presets: [window.SwaggerUIBundle.presets.apis, window.SwaggerUIBundle.SwaggerUIStandalonePreset]
  });
})();
