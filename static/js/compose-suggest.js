// @mentions and #hashtags completed as the member writes a post or comment (textarea[data-compose]),
// following the ARIA combobox pattern: ArrowDown/ArrowUp move through the list, Enter or Tab takes
// the highlighted suggestion, Escape closes it. Nothing is asked while a Korean syllable is still
// being composed (compositionstart … compositionend): the word is not final until then. The server
// limits how often it answers (RATE_LIMITS["compose_suggest"]), so the script waits for a pause.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.fetch) return;
  var url = script.dataset.url;
  var listLabel = script.dataset.label;
  var DELAY_MS = 200;
  // The @handle or #tag that ends right before the caret: a sign at the start or after a space.
  var WORD_AT_CARET = /(^|\s)([@#][^\s@#]+)$/;
  var counter = 0;

  function enhance(box) {
    counter += 1;
    var list = document.createElement("ul");
    list.id = "compose-suggestions-" + counter;
    list.className = "compose-suggest";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", listLabel);
    list.hidden = true;
    box.insertAdjacentElement("afterend", list);
    box.parentElement.classList.add("compose-suggest__field");
    box.setAttribute("role", "combobox");
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-expanded", "false");
    box.setAttribute("aria-controls", list.id);

    var composing = false;
    var timer = null;
    var controller = null;
    var items = [];
    var active = -1;
    var word = null; // {start, end, text} of the word being completed

    function close() {
      clearTimeout(timer);
      if (controller) controller.abort();
      controller = null;
      list.hidden = true;
      list.textContent = "";
      items = [];
      active = -1;
      box.setAttribute("aria-expanded", "false");
      box.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (option, i) { option.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) {
        box.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        box.removeAttribute("aria-activedescendant");
      }
    }

    function pick(index) {
      var item = items[index];
      if (!item || !word) return close();
      var before = box.value.slice(0, word.start);
      var after = box.value.slice(word.end);
      var inserted = item.insert + (after.charAt(0) === " " ? "" : " ");
      box.value = before + inserted + after;
      var caret = before.length + inserted.length;
      box.setSelectionRange(caret, caret);
      close();
      // Other scripts (the draft's autosave) hear about the change as if it were typed.
      box.dispatchEvent(new Event("input", { bubbles: true }));
    }

    // The bottom of the caret's line, in the field's coordinates: a copy of the box (same font,
    // padding and wrapping) holds the text up to the caret, and a marker after it gives the line.
    var MIRRORED = ["boxSizing", "width", "paddingTop", "paddingRight", "paddingBottom", "paddingLeft",
      "borderTopWidth", "borderRightWidth", "borderBottomWidth", "borderLeftWidth", "fontFamily",
      "fontSize", "fontWeight", "fontStyle", "letterSpacing", "lineHeight", "textTransform",
      "wordSpacing", "tabSize", "whiteSpace", "wordBreak", "overflowWrap"];

    function caretLineBottom() {
      var style = window.getComputedStyle(box);
      var mirror = document.createElement("div");
      MIRRORED.forEach(function (name) { mirror.style[name] = style[name]; });
      mirror.style.position = "absolute";
      mirror.style.top = "0";
      mirror.style.left = "0";
      mirror.style.visibility = "hidden";
      mirror.style.borderStyle = "solid";
      mirror.textContent = box.value.slice(0, box.selectionStart);
      var marker = document.createElement("span");
      marker.textContent = "\u200b";
      mirror.appendChild(marker);
      box.parentElement.appendChild(mirror);
      var bottom = parseFloat(style.borderTopWidth) + marker.offsetTop + marker.offsetHeight - box.scrollTop;
      mirror.remove();
      // Within the box: a caret scrolled out of view puts the list at the box's edge.
      return box.offsetTop + Math.max(0, Math.min(bottom, box.offsetHeight));
    }

    function place() {
      list.style.top = caretLineBottom() + "px";
    }

    function render(suggestions) {
      list.textContent = "";
      items = suggestions;
      active = -1;
      if (!suggestions.length) return close();
      suggestions.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = list.id + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var label = document.createElement("span");
        label.textContent = item.label;
        var detail = document.createElement("span");
        detail.className = "compose-suggest__detail";
        detail.textContent = item.detail;
        option.appendChild(label);
        option.appendChild(detail);
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus (and the caret) in the box
          pick(i);
        });
        list.appendChild(option);
      });
      place();
      list.hidden = false;
      box.setAttribute("aria-expanded", "true");
      box.removeAttribute("aria-activedescendant");
    }

    function wordAtCaret() {
      if (box.selectionStart !== box.selectionEnd) return null;
      var end = box.selectionStart;
      var match = WORD_AT_CARET.exec(box.value.slice(0, end));
      if (!match) return null;
      return { start: end - match[2].length, end: end, text: match[2] };
    }

    function ask() {
      timer = null;
      if (composing) return;
      word = wordAtCaret();
      if (!word) return close();
      if (controller) controller.abort();
      controller = new AbortController();
      var asked = word.text;
      fetch(url + "?q=" + encodeURIComponent(asked), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: controller.signal,
      })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) {
          var now = wordAtCaret();
          if (!composing && now && now.text === asked) render(data.suggestions);
        })
        .catch(function () { /* aborted by a newer word, or offline: nothing to show */ });
    }

    function later() {
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY_MS);
    }

    box.addEventListener("compositionstart", function () {
      composing = true;
      clearTimeout(timer);
    });
    box.addEventListener("compositionend", function () {
      composing = false;
      later();
    });
    box.addEventListener("input", function (event) {
      if (composing || event.isComposing) return;
      later();
    });
    box.addEventListener("keydown", function (event) {
      if (list.hidden || event.isComposing || composing) return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight(Math.min(active + 1, items.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(Math.max(active - 1, -1));
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
        event.preventDefault();
        pick(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        close();
      }
    });
    box.addEventListener("blur", close);
  }

  // Boxes are enhanced when first focused, so reply boxes of comments added in place work too.
  document.addEventListener("focusin", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("textarea[data-compose]") || box.dataset.composeReady) return;
    box.dataset.composeReady = "true";
    enhance(box);
  });
})();
