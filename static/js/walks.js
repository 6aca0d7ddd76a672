// The walk form's rich-text editor (django-prose-editor) takes its name and help from the
// description field's own label and help text, so screen readers announce it like the
// other fields. The toolbar's icon buttons are named by their label alone: the icon's ligature
// text ("format_list_bulleted") is hidden from screen readers.
(function () {
  "use strict";

  function describe(textarea) {
    var wrapper = textarea.closest(".prose-editor");
    var editable = wrapper && wrapper.querySelector("[contenteditable]");
    var label = document.querySelector('label[for="' + textarea.id + '"]');
    if (!editable || !label || editable.hasAttribute("aria-labelledby")) {
      return;
    }
    label.id = label.id || textarea.id + "_label";
    editable.setAttribute("aria-labelledby", label.id);
    editable.setAttribute("aria-multiline", "true");
    var described = textarea.getAttribute("aria-describedby");
    if (described) {
      editable.setAttribute("aria-describedby", described);
    }
    if (textarea.getAttribute("aria-invalid")) {
      editable.setAttribute("aria-invalid", textarea.getAttribute("aria-invalid"));
    }
    // Clicking the label moves the focus into the editor, as it would into a textarea.
    label.addEventListener("click", function (event) {
      event.preventDefault();
      editable.focus();
    });
  }

  function quietIcons(root) {
    root.querySelectorAll(".prose-menubar__button.material-icons").forEach(function (button) {
      var name = button.getAttribute("aria-label") || button.title;
      if (!name || button.firstElementChild) {
        return;
      }
      var icon = document.createElement("span");
      icon.setAttribute("aria-hidden", "true");
      icon.textContent = button.textContent;
      button.textContent = "";
      button.appendChild(icon);
      button.setAttribute("aria-label", name);
    });
  }

  // The editor builds its toolbar when it likes: quiet the icons as they arrive.
  quietIcons(document);
  new MutationObserver(function (mutations) {
    if (mutations.some(function (mutation) { return mutation.addedNodes.length; })) {
      quietIcons(document);
    }
  }).observe(document.body, { childList: true, subtree: true });

  // Editors made before this script ran, and those made after.
  document.querySelectorAll(".prose-editor > textarea").forEach(describe);
  document.addEventListener("prose-editor:ready", function (event) {
    describe(event.detail.textarea);
  });
})();
