// The installable app: registers the service worker (/sw.js), shows "홈 화면에 추가" where the
// browser offers installing (beforeinstallprompt, Chrome on Android) and hides the iOS
// instructions once Petrasche runs from the home screen. On the notification settings page it
// turns push on or off for this device. Without this script the site works as before.
(function () {
  "use strict";

  var standalone = window.matchMedia("(display-mode: standalone)").matches || window.navigator.standalone === true;
  var install = document.querySelector("[data-role=install]");
  if (install && standalone) install.hidden = true;

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
  }

  var button = document.querySelector("[data-role=install-button]");
  var deferred = null;
  window.addEventListener("beforeinstallprompt", function (event) {
    event.preventDefault();
    deferred = event;
    if (button) button.hidden = false;
  });
  if (button) {
    button.addEventListener("click", function () {
      if (!deferred) return;
      deferred.prompt();
      deferred.userChoice.finally(function () {
        deferred = null;
        button.hidden = true;
      });
    });
  }
  window.addEventListener("appinstalled", function () {
    if (install) install.hidden = true;
  });

  // ---------------------------------------------------------------- push on this device
  var panel = document.querySelector("[data-role=push-panel]");
  if (!panel) return;
  var toggle = panel.querySelector("[data-role=push-toggle]");
  var status = panel.querySelector("[data-role=push-status]");
  var supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  if (!supported || !toggle) {
    if (status) status.textContent = panel.dataset.unsupported;
    return;
  }

  function csrf() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function keyBytes(base64url) {
    var text = atob(base64url.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((base64url.length + 3) % 4));
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes;
  }

  function show(subscribed) {
    toggle.hidden = false;
    toggle.textContent = subscribed ? panel.dataset.turnOff : panel.dataset.turnOn;
    toggle.dataset.subscribed = subscribed ? "true" : "false";
    status.textContent = subscribed ? panel.dataset.on : panel.dataset.off;
  }

  function subscribe(registration) {
    return Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") throw new Error(panel.dataset.denied);
      return registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(panel.dataset.publicKey)
      });
    }).then(function (subscription) {
      return fetch(panel.dataset.api, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify(subscription.toJSON())
      }).then(function (response) {
        if (!response.ok) {
          subscription.unsubscribe();
          throw new Error(panel.dataset.failed);
        }
        window.location.reload();
      });
    });
  }

  function markThisDevice(subscription) {
    document.querySelectorAll("[data-role=push-devices] li[data-endpoint]").forEach(function (item) {
      var mark = item.querySelector("[data-role=this-device]");
      if (mark) mark.hidden = !subscription || item.dataset.endpoint !== subscription.endpoint;
    });
  }

  navigator.serviceWorker.ready.then(function (registration) {
    registration.pushManager.getSubscription().then(function (subscription) {
      show(Boolean(subscription));
      markThisDevice(subscription);
      toggle.addEventListener("click", function () {
        toggle.disabled = true;
        var done = function () { toggle.disabled = false; };
        registration.pushManager.getSubscription().then(function (current) {
          if (current) {
            return current.unsubscribe().then(function () {
              show(false);
              markThisDevice(null);
            });
          }
          return subscribe(registration);
        }).catch(function (error) {
          status.textContent = error.message || panel.dataset.failed;
        }).then(done, done);
      });
    });
  });
})();
