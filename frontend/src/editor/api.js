/**
 * Small fetch helpers for the REST API with the browser's session cookie.
 * Unsafe methods send the session's CSRF token in `X-CSRF-Token`.
 */

/**
 * @param {string} csrf
 * @param {string} [lang] language of problem messages ('de' | 'en')
 */
export function createApi(csrf, lang) {

  function request(method, url, options) {
    options = options || {};

    var headers = Object.assign({
      Accept: 'application/json, application/problem+json',
      'Accept-Language': lang === 'en' ? 'en' : 'de'
    }, options.headers || {});

    if (method !== 'GET' && method !== 'HEAD') {
      headers['X-CSRF-Token'] = csrf;
    }

    return fetch(url, {
      method: method,
      credentials: 'same-origin',
      headers: headers,
      body: options.body
    }).then(function(response) {
      var type = response.headers.get('Content-Type') || '';

      var body = type.indexOf('json') !== -1
        ? response.json().catch(function() { return null; })
        : response.text();

      return body.then(function(data) {
        return { ok: response.ok, status: response.status, headers: response.headers, data: data };
      });
    });
  }

  return {
    get: function(url) {
      return request('GET', url);
    },
    getBytes: function(url) {
      return fetch(url, { credentials: 'same-origin' }).then(function(response) {
        return response.arrayBuffer().then(function(buffer) {
          return { ok: response.ok, status: response.status, headers: response.headers, data: buffer };
        });
      });
    },
    getText: function(url) {
      return fetch(url, { credentials: 'same-origin' }).then(function(response) {
        return response.text().then(function(text) {
          return { ok: response.ok, status: response.status, headers: response.headers, data: text };
        });
      });
    },
    postJson: function(url, json) {
      return request('POST', url, { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(json) });
    },
    postXml: function(url, xml, headers) {
      return request('POST', url, {
        headers: Object.assign({ 'Content-Type': 'application/xml' }, headers || {}),
        body: xml
      });
    }
  };
}

/**
 * A readable message from a problem-details body (or anything else).
 *
 * @param {Object} result
 * @return {string}
 */
export function problemText(result) {
  var data = result && result.data;

  if (data && typeof data === 'object') {
    return [ data.title, data.detail ].filter(Boolean).join(': ') || ('HTTP ' + result.status);
  }

  return 'HTTP ' + (result ? result.status : '?');
}
