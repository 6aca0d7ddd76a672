// The post form's photos: each chosen photo is kept at once (POST /uploads/, a temporary upload),
// so the form can come back after an error with the photos in place; rows move earlier and later
// with buttons. Without this script the form sends the files itself and the server keeps them.
(function () {
  "use strict";

  var picker = document.querySelector("[data-photo-picker]");
  if (!picker || !window.fetch || !window.FormData) return;
  var form = picker.closest("form");
  var submit = form.querySelector("button[type=submit]");
  var pending = 0;

  function rows() {
    return Array.prototype.slice.call(picker.querySelectorAll("[data-photo-row]"));
  }

  function part(row, role) {
    return row.querySelector("[data-role=" + role + "]");
  }

  // Each row's place is where it stands on the page.
  function renumber() {
    rows().forEach(function (row, index) {
      part(row, "photo-order").querySelector("input").value = index + 1;
    });
  }

  function swap(a, b) {
    var marker = document.createElement("div");
    a.before(marker);
    b.before(a);
    marker.replaceWith(b);
  }

  function move(row, step) {
    var all = rows();
    var other = all[all.indexOf(row) + step];
    if (!other) return;
    swap(row, other);
    renumber();
    row.querySelector("[data-move='" + step + "']").focus();
  }

  function keep(row, data) {
    row.querySelector("input[name^=upload_]").value = data.key;
    var existing = row.querySelector("input[name^=existing_]");
    if (existing) existing.value = "";
    var preview = part(row, "photo-preview");
    var image = preview.querySelector("img");
    if (!image) {
      image = document.createElement("img");
      image.alt = "";
      image.width = 96;
      image.height = 96;
      preview.appendChild(image);
    }
    image.src = data.thumb_url;
    preview.hidden = false;
    part(row, "photo-choose").hidden = true;
    part(row, "photo-remove").hidden = false;
    part(row, "photo-remove").querySelector("input").checked = false;
    row.classList.add("photo-row--kept");
  }

  function busy(change) {
    pending += change;
    if (submit) submit.disabled = pending > 0;
  }

  function choose(row, input) {
    var file = input.files && input.files[0];
    if (!file) return;
    var status = row.querySelector(".field__status");
    status.textContent = picker.dataset.labelKeeping;
    var body = new FormData();
    body.append("photo", file);
    body.append("csrfmiddlewaretoken", form.querySelector("input[name=csrfmiddlewaretoken]").value);
    busy(1);
    fetch(picker.dataset.uploadUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(
          function (data) { return { ok: response.ok, data: data }; },
          function () { return { ok: false, data: {} }; }
        );
      })
      .then(function (result) {
        if (result.ok) {
          keep(row, result.data);
          input.value = "";
          status.textContent = picker.dataset.labelKept;
        } else if (result.data.errors || result.data.detail) {
          // The photo itself was refused (or too many at once): say why; sending it again would not help.
          input.value = "";
          status.textContent = (result.data.errors || [result.data.detail]).join(" ");
        } else {
          status.textContent = picker.dataset.labelFailed;
        }
      })
      .catch(function () {
        // Offline for a moment: the file stays in its input and goes with the form.
        status.textContent = picker.dataset.labelFailed;
      })
      .finally(function () { busy(-1); });
  }

  rows().forEach(function (row) {
    part(row, "photo-order").hidden = true;
    var tools = part(row, "photo-order").parentNode;
    [[-1, picker.dataset.labelEarlier, "↑"], [1, picker.dataset.labelLater, "↓"]].forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button--ghost";
      button.dataset.move = String(spec[0]);
      button.setAttribute("aria-label", spec[1]);
      button.title = spec[1];
      button.textContent = spec[2];
      button.addEventListener("click", function () { move(row, spec[0]); });
      tools.insertBefore(button, part(row, "photo-remove"));
    });
    var input = part(row, "photo-choose").querySelector("input[type=file]");
    input.addEventListener("change", function () { choose(row, input); });
  });
  renumber();
})();
