// Sending feedback for every plain POST form: once the form is on its way, its submit button is
// disabled and says "보내는 중…", so a second tap cannot send a post or a comment twice. The button
// comes back after a while in case the answer was a download that left the page as it was, and
// when the page is shown again from the back/forward cache.
(function () {
  "use strict";

  var script = document.currentScript;
  var sendingLabel = (script && script.dataset.sending) || "…";
  var RESTORE_AFTER_MS = 15000;

  function restore(button) {
    if (!button.hasAttribute("data-sending")) return;
    button.disabled = false;
    button.removeAttribute("aria-busy");
    button.removeAttribute("data-sending");
    if (button.dataset.idleLabel !== undefined) {
      button.textContent = button.dataset.idleLabel;
      delete button.dataset.idleLabel;
    }
  }

  function markSending(button) {
    button.setAttribute("data-sending", "");
    button.setAttribute("aria-busy", "true");
    if (!button.querySelector("*")) {
      button.dataset.idleLabel = button.textContent;
      button.textContent = sendingLabel;
    }
    button.disabled = true;
    window.setTimeout(function () { restore(button); }, RESTORE_AFTER_MS);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") return;
    if (form.dataset.enhance || form.hasAttribute("data-no-sending") || form.target === "_blank") return;
    var button = event.submitter || form.querySelector("button[type=submit], button:not([type])");
    if (!button || button.form !== form) return;
    // After every other listener has had its say: a form that a script handles in place (or a
    // confirmation dialog that holds it back) is not being sent.
    window.setTimeout(function () {
      if (!event.defaultPrevented) markSending(button);
    }, 0);
  });

  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("button[data-sending]").forEach(restore);
  });
})();
