// intikhab — the public pages' live refresh: polls /live (the counting progress, never
// cached) every 20 seconds and updates the figures in place; when a result is declared
// (the declared results' generation changes) the page reloads to show it.  Plain
// JavaScript from 'self' (no build step, no inline script); without it the page is whole.
"use strict";
(function () {
  var box = document.getElementById("live");
  if (!box || !window.fetch) { return; }
  var url = box.dataset.url;
  var seen = null;
  function apply(body) {
    ["communal", "regional"].forEach(function (vote) {
      var cells = body[vote] || {};
      Object.keys(cells).forEach(function (key) {
        var c = cells[key];
        var name = vote + ":" + key;
        document.querySelectorAll("[data-live]").forEach(function (el) {
          if (el.dataset.live === name) { el.textContent = c.text; }
        });
        document.querySelectorAll("[data-live-bar]").forEach(function (el) {
          if (el.dataset.liveBar === name) { el.max = c.stations || 1; el.value = c.counted; }
        });
      });
    });
    if (body.updated) {
      document.querySelectorAll("[data-live-time]").forEach(function (el) {
        if (el.getAttribute("datetime") !== body.updated) {
          el.setAttribute("datetime", body.updated);
          el.textContent = body.updated_text || body.updated;
        }
      });
    }
    if (seen !== null && seen !== body.generation) { window.location.reload(); }
    seen = body.generation;
  }
  function poll() {
    fetch(url, {credentials: "same-origin", cache: "no-store"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) { if (body) { apply(body); } })
      .catch(function () { /* offline: the figures stay as printed */ });
  }
  poll();
  setInterval(poll, 20000);
  window.addEventListener("focus", poll);  // back to the tab: fresh figures at once
})();
