// Live updates for the Courier console (no inline scripts: the CSP allows scripts from the console only).
// The console sends an SSE event "change" naming the topics that changed ("nodes sessions ..."); when one of them
// is among the page's <body data-live="...">, the page is fetched again and every element marked
// data-live-fragment is swapped for its new version (same id). Without scripts, a <noscript> meta refresh reloads.
(function () {
  'use strict';
  var topics = (document.body.getAttribute('data-live') || '').split(/\s+/).filter(Boolean);
  var state = document.getElementById('live-state');
  function show(text, cls) {
    if (state) { state.textContent = text; state.className = 'live-state ' + cls; }
  }
  if (!topics.length || !window.EventSource || !window.fetch) {
    show('static', 'off');
    return;
  }
  var loading = false;
  var again = false;

  function refresh() {
    if (loading) { again = true; return; }
    loading = true;
    fetch(window.location.href, { headers: { 'X-Requested-With': 'live' }, credentials: 'same-origin' })
      .then(function (response) {
        if (!response.ok || response.redirected) { throw new Error('HTTP ' + response.status); }
        return response.text();
      })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, 'text/html');
        document.querySelectorAll('[data-live-fragment]').forEach(function (element) {
          var replacement = element.id && next.getElementById(element.id);
          if (replacement) { element.replaceWith(document.importNode(replacement, true)); }
        });
        document.body.setAttribute('data-refreshed', String(Date.now()));
      })
      .catch(function () { show('reload failed', 'bad'); })
      .finally(function () {
        loading = false;
        if (again) { again = false; refresh(); }
      });
  }

  var source = new EventSource('/live');
  source.onopen = function () { show('live', 'ok'); };
  source.onerror = function () { show('reconnecting…', 'bad'); };
  source.addEventListener('change', function (event) {
    var changed = String(event.data).split(' ');
    if (changed.some(function (topic) { return topics.indexOf(topic) >= 0; })) { refresh(); }
  });
  window.addEventListener('beforeunload', function () { source.close(); });
})();
