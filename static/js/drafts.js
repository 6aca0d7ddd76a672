// The unfinished post (templates/community/post_form.html): what the member types is saved on the
// server a moment after they stop (PUT /api/drafts/post/), and a draft left from before is offered
// back. While the offer is open nothing is saved, so the old draft is never overwritten unasked.
(function () {
  "use strict";
  var form = document.querySelector("form[data-draft-url]");
  if (!form || !window.fetch) return;
  var url = form.dataset.draftUrl;
  var text = form.querySelector("textarea[name=text]");
  var status = form.querySelector("[data-role=draft-status]");
  var offer = document.querySelector("[data-role=draft-offer]");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var timer = null;
  var saved = text.value;
  var submitted = false;
  var DELAY_MS = 800;

  function request(method, body) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  function offerOpen() {
    return offer && !offer.hidden;
  }

  function save() {
    timer = null;
    var value = text.value;
    if (submitted || offerOpen() || value === saved) return;
    request("PUT", { text: value }).then(function (response) {
      if (!response.ok) return;
      saved = value;
      status.textContent = value.trim() ? form.dataset.labelSaved : "";
    }).catch(function () { /* offline: the next pause tries again */ });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(save, DELAY_MS);
  }

  text.addEventListener("input", function (event) {
    // Mid-composition (Korean IME) the text is not final yet; compositionend brings an input event.
    if (event.isComposing) return;
    later();
  });
  text.addEventListener("compositionend", later);
  form.addEventListener("submit", function () {
    submitted = true;
    clearTimeout(timer);
  });

  if (!offer) return;
  var resume = offer.querySelector("[data-role=draft-resume]");
  var discard = offer.querySelector("[data-role=draft-discard]");
  discard.hidden = false;
  resume.addEventListener("click", function (event) {
    event.preventDefault();
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (draft) {
        text.value = draft.text;
        saved = draft.text;
        offer.hidden = true;
        text.focus();
      })
      .catch(function () { window.location.href = resume.href; });
  });
  discard.addEventListener("click", function () {
    request("DELETE").then(function (response) {
      if (!response.ok) return;
      offer.hidden = true;
      saved = "";
      status.textContent = form.dataset.labelDiscarded;
      text.focus();
      later();
    });
  });
})();
