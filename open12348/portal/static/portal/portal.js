/* 掌上12348: the only script of the portal. Every page works without it.
 * - An element with data-poll-url and data-version (a question waiting for its answer) asks the
 *   server every 20 seconds whether the question changed, and reloads the page when it did.
 * - After a form comes back with errors, focus moves to the list of errors, so that screen
 *   readers announce it and keyboard users start there.
 */
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  var poll = document.querySelector("[data-poll-url][data-version]");
  if (!poll || !window.fetch) { return; }
  var url = poll.getAttribute("data-poll-url");
  var version = poll.getAttribute("data-version");
  var tries = 0;
  function check() {
    if (document.hidden) { return; }
    tries += 1;
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && String(data.version) !== version) { window.location.reload(); }
      })
      .catch(function () { /* a slow or lost connection: try again next time */ });
  }
  var interval = parseInt(poll.getAttribute("data-poll-seconds") || "20", 10) * 1000;
  var timer = window.setInterval(function () {
    // Stop after an hour: someone who left the page open does not need to keep asking.
    if (tries > 180) { window.clearInterval(timer); return; }
    check();
  }, interval);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { check(); } });
})();
