// Live "is this name taken?" check beside the sign-up username field.
(function () {
  "use strict";
  var script = document.currentScript;
  var input = document.querySelector("input[data-availability-url]");
  if (!input) return;
  var status = document.getElementById(input.id + "_status");
  if (!status) return;
  var describedBy = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
  if (describedBy.indexOf(status.id) === -1) {
    describedBy.push(status.id);
    input.setAttribute("aria-describedby", describedBy.join(" "));
  }
  var timer = null;
  var controller = null;
  var lastChecked = null;

  function show(state, text) {
    status.textContent = text;
    status.className = "field__status field__status--" + state;
    status.dataset.state = state;
  }

  function check() {
    var value = input.value;
    if (!value.trim()) {
      show("idle", "");
      lastChecked = null;
      return;
    }
    if (value === lastChecked) return;
    lastChecked = value;
    if (controller) controller.abort();
    controller = new AbortController();
    show("checking", script.dataset.checking);
    var url = input.dataset.availabilityUrl + "?username=" + encodeURIComponent(value);
    fetch(url, { headers: { Accept: "application/json" }, signal: controller.signal, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        show(data.status, data.message);
      })
      .catch(function (error) {
        if (error.name === "AbortError") return;
        lastChecked = null;
        show("error", script.dataset.error);
      });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(check, 350);
  });
  input.addEventListener("blur", check);
})();
