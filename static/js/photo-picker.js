// The photo picker of the post, pet and World Cup entry forms ([data-photo-picker]). Each chosen
// photo is kept at once (POST /uploads/, a temporary upload) so the form can come back after an
// error with the photos in place: its thumbnail shows at once from the file itself, a bar shows
// how much of it has gone up, and the row then holds the upload's key. Where a form takes several
// photos, "Choose photos" takes many at a time, rows move earlier and later, come out with a
// button, and a photo without a description gets a gentle reminder as soon as it is chosen (the
// script never holds the form back for it; the server asks once, community.forms.PostForm). Without this script the form sends the files itself
// and the server keeps them.
(function () {
  "use strict";

  if (!window.FormData || !window.XMLHttpRequest) return;

  function part(row, role) {
    return row.querySelector("[data-role=" + role + "]");
  }

  function Picker(picker) {
    var form = picker.closest("form");
    var submits = Array.prototype.slice.call(form.querySelectorAll("button[type=submit]"));
    var labels = picker.dataset;
    var pending = 0;
    var allRows = Array.prototype.slice.call(picker.querySelectorAll("[data-photo-row]"));
    var several = allRows.length > 1;

    function rows() {
      return Array.prototype.slice.call(picker.querySelectorAll("[data-photo-row]"));
    }

    function inUse(row) {
      return row.classList.contains("photo-row--kept") || row.classList.contains("photo-row--sending");
    }

    function free(row) {
      return !inUse(row) && !row.classList.contains("photo-row--removed");
    }

    function fileInput(row) {
      return part(row, "photo-choose").querySelector("input[type=file]");
    }

    function status(row) {
      return row.querySelector(".field__status");
    }

    // Each row's place is where it stands on the page; empty rows wait out of sight.
    function renumber() {
      rows().forEach(function (row, index) {
        var order = part(row, "photo-order");
        if (order) order.querySelector("input").value = index + 1;
        if (several) row.hidden = !inUse(row);
      });
      if (chooser) chooser.hidden = !rows().some(free);
    }

    function swap(a, b) {
      var marker = document.createElement("div");
      a.before(marker);
      b.before(a);
      marker.replaceWith(b);
    }

    function move(row, step) {
      var shown = rows().filter(inUse);
      var other = shown[shown.indexOf(row) + step];
      if (!other) return;
      swap(row, other);
      renumber();
      row.querySelector("[data-move='" + step + "']").focus();
    }

    function busy(change) {
      pending += change;
      submits.forEach(function (button) { button.disabled = pending > 0; });
    }

    function altHint(row) {
      var alt = row.querySelector("input[name^=alt_]");
      var hint = part(row, "alt-hint");
      if (!alt || !hint) return;
      hint.hidden = !inUse(row) || alt.value.trim() !== "";
    }

    function preview(row, src) {
      var box = part(row, "photo-preview");
      var image = box.querySelector("img");
      if (!image) {
        image = document.createElement("img");
        image.alt = "";
        image.width = 96;
        image.height = 96;
        // A file this browser cannot show (HEIC outside Safari) waits for the kept thumbnail.
        image.addEventListener("error", function () {
          if (image.dataset.local) image.hidden = true;
        });
        box.insertBefore(image, box.firstChild);
      }
      if (image.dataset.local) URL.revokeObjectURL(image.src);
      image.dataset.local = src.indexOf("blob:") === 0 ? "1" : "";
      image.hidden = false;
      image.src = src;
      box.hidden = false;
    }

    function progress(row) {
      var box = part(row, "photo-preview");
      var bar = box.querySelector("progress");
      if (!bar) {
        bar = document.createElement("progress");
        bar.max = 100;
        bar.className = "photo-row__progress";
        bar.setAttribute("aria-label", labels.labelKeeping);
        box.appendChild(bar);
      }
      return bar;
    }

    // A photo taken out of the form, or replaced, before the form is sent goes from the server at
    // once instead of waiting for its expiry.
    function discard(key) {
      if (!key || !window.fetch) return;
      var body = new FormData();
      body.append("csrfmiddlewaretoken", form.querySelector("input[name=csrfmiddlewaretoken]").value);
      fetch(labels.uploadUrl + key + "/delete/", { method: "POST", body: body, credentials: "same-origin" });
    }

    function keep(row, data) {
      var upload = row.querySelector("input[name^=upload]");
      if (upload.value && upload.value !== data.key) discard(upload.value);
      upload.value = data.key;
      var existing = row.querySelector("input[name^=existing_]");
      if (existing) existing.value = "";
      preview(row, data.thumb_url);
      // A form with one photo keeps its file input, to choose another instead.
      if (several) part(row, "photo-choose").hidden = true;
      var remove = part(row, "photo-remove");
      if (remove) remove.querySelector("input").checked = false;
      row.classList.add("photo-row--kept");
    }

    // Back to an empty row, at the end, as if nothing had been chosen in it.
    function clear(row) {
      row.classList.remove("photo-row--kept", "photo-row--sending");
      discard(row.querySelector("input[name^=upload]").value);
      row.querySelector("input[name^=upload]").value = "";
      fileInput(row).value = "";
      var alt = row.querySelector("input[name^=alt_]");
      if (alt) alt.value = "";
      var box = part(row, "photo-preview");
      box.hidden = true;
      box.textContent = "";
      part(row, "photo-choose").hidden = false;
      status(row).textContent = "";
      if (several) {
        var all = rows();
        all[all.length - 1].after(row);
      }
      altHint(row);
    }

    function send(row, file) {
      var bar = progress(row);
      bar.value = 0;
      bar.hidden = false;
      preview(row, URL.createObjectURL(file));
      row.classList.add("photo-row--sending");
      status(row).textContent = labels.labelKeeping;
      renumber();
      altHint(row);
      var body = new FormData();
      body.append("photo", file);
      body.append("csrfmiddlewaretoken", form.querySelector("input[name=csrfmiddlewaretoken]").value);
      var request = new XMLHttpRequest();
      request.open("POST", labels.uploadUrl);
      request.setRequestHeader("Accept", "application/json");
      request.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) bar.value = Math.round((event.loaded / event.total) * 100);
      });
      busy(1);
      request.addEventListener("loadend", function () {
        busy(-1);
        bar.hidden = true;
        row.classList.remove("photo-row--sending");
        var data = {};
        try {
          data = JSON.parse(request.responseText);
        } catch (error) {
          data = {};
        }
        if (request.status === 201) {
          keep(row, data);
          fileInput(row).value = "";
          status(row).textContent = labels.labelKept;
        } else if (data.errors || data.detail) {
          // The photo itself was refused (or too many at once): say why; sending it again would not help.
          var reason = (data.errors || [data.detail]).join(" ");
          clear(row);
          (several ? chooserStatus : status(row)).textContent = reason;
        } else {
          // Offline for a moment: a file chosen in the row's own input goes with the form.
          status(row).textContent = labels.labelFailed;
        }
        renumber();
        altHint(row);
      });
      request.send(body);
    }

    var chooser = null;
    var chooserStatus = null;
    var many = null;
    if (several) {
      // Every row comes out of "More photos": the empty ones are hidden until a photo fills them.
      var more = picker.querySelector("details");
      if (more) {
        allRows.forEach(function (row) { more.before(row); });
        more.remove();
      }
      var input = fileInput(allRows[0]);
      chooser = document.createElement("div");
      chooser.className = "photo-picker__choose";
      var label = document.createElement("label");
      label.className = "button button--ghost";
      label.textContent = labels.labelChoose;
      many = document.createElement("input");
      many.type = "file";
      many.multiple = true;
      many.accept = input.accept;
      many.className = "visually-hidden";
      many.dataset.role = "photo-choose-many";
      label.appendChild(many);
      chooserStatus = document.createElement("p");
      chooserStatus.className = "field__status";
      chooserStatus.setAttribute("aria-live", "polite");
      chooser.appendChild(label);
      chooser.appendChild(chooserStatus);
      picker.appendChild(chooser);
      many.addEventListener("change", function () {
        var files = Array.prototype.slice.call(many.files);
        var empty = rows().filter(free);
        chooserStatus.textContent = files.length > empty.length ? labels.labelTooMany : "";
        files.slice(0, empty.length).forEach(function (file, index) { send(empty[index], file); });
        many.value = "";
      });
    }

    allRows.forEach(function (row) {
      var own = fileInput(row);
      own.addEventListener("change", function () {
        if (own.files && own.files[0]) send(row, own.files[0]);
      });
      var alt = row.querySelector("input[name^=alt_]");
      if (alt) {
        var hint = document.createElement("p");
        hint.className = "field__help photo-row__alt-hint";
        hint.dataset.role = "alt-hint";
        hint.textContent = labels.labelAltHint;
        hint.hidden = true;
        alt.closest(".field").appendChild(hint);
        alt.addEventListener("input", function () { altHint(row); });
      }
      var tools = row.querySelector(".photo-row__tools");
      var order = part(row, "photo-order");
      if (order) {
        order.hidden = true;
        [[-1, labels.labelEarlier, "↑"], [1, labels.labelLater, "↓"]].forEach(function (spec) {
          var button = document.createElement("button");
          button.type = "button";
          button.className = "button button--ghost";
          button.dataset.move = String(spec[0]);
          button.setAttribute("aria-label", spec[1]);
          button.title = spec[1];
          button.textContent = spec[2];
          button.addEventListener("click", function () { move(row, spec[0]); });
          tools.appendChild(button);
        });
      }
      if (several && labels.labelRemove) {
        var remove = part(row, "photo-remove");
        if (remove) remove.hidden = true;
        var out = document.createElement("button");
        out.type = "button";
        out.className = "button button--ghost";
        out.dataset.role = "photo-take-out";
        out.textContent = labels.labelRemove;
        out.addEventListener("click", function () {
          var next = rows().filter(inUse)[rows().filter(inUse).indexOf(row) + 1];
          var existing = row.querySelector("input[name^=existing_]");
          if (existing && existing.value && remove) {
            // One of the post's own photos: the row stays (hidden), marked to go when the form is sent.
            remove.querySelector("input").checked = true;
            row.classList.remove("photo-row--kept");
            row.classList.add("photo-row--removed");
            row.hidden = true;
          } else {
            clear(row);
          }
          renumber();
          (next ? next.querySelector("[data-role=photo-take-out]") : many).focus();
        });
        tools.appendChild(out);
      }
      altHint(row);
    });
    renumber();
  }

  document.querySelectorAll("[data-photo-picker]").forEach(function (picker) { new Picker(picker); });
})();
