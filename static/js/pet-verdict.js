// The owner's pet page: while the photo check is pending, ask /pets/<id>/verdict/ every 1.5 s
// and show the verdict in place (the region is aria-live) once it is in. No reload needed; the
// page without this script simply shows the state it was rendered with.
(function () {
  "use strict";

  var INTERVAL_MS = 1500;
  var SLOW_INTERVAL_MS = 10000; // after a few minutes (e.g. the worker is down), ask less often
  var SLOW_AFTER_MS = 3 * 60 * 1000;

  function watch(region) {
    var check = region.querySelector("[data-poll-url]");
    if (!check) return;
    var url = check.getAttribute("data-poll-url");
    var started = Date.now();

    function later() {
      var wait = Date.now() - started > SLOW_AFTER_MS ? SLOW_INTERVAL_MS : INTERVAL_MS;
      window.setTimeout(poll, wait);
    }

    function show(html) {
      var template = document.createElement("template");
      template.innerHTML = html.trim();
      region.replaceChildren(template.content);
    }

    function poll() {
      fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
        .then(function (response) {
          // Not ours any more, or logged out (sent to the login page): stop asking.
          if (response.redirected || (response.status >= 400 && response.status < 500)) return null;
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        })
        .then(function (data) {
          if (!data) return;
          if (data.status === "pending") {
            later();
          } else {
            show(data.html);
          }
        })
        .catch(later); // a network blip or a server restart: keep asking
    }

    later();
  }

  document.querySelectorAll("[data-role=photo-check-region]").forEach(watch);
})();
