// Asks before a destructive form goes (deleting, cancelling, leaving): a form with
// data-confirm="question" (and data-confirm-yes, data-confirm-detail) opens a modal <dialog>;
// "Cancel" (or Esc) keeps everything as it was and gives focus back to the button pressed.
// Confirming sends the form with confirm=yes, through any other script that handles it.
// Without this script the server asks on a page of its own (core/confirm.py).
(function () {
  "use strict";

  var template = document.getElementById("confirm-dialog-template");
  if (!template || typeof HTMLDialogElement === "undefined") return;

  var dialog = null;

  function ensureDialog() {
    if (!dialog) {
      dialog = template.content.firstElementChild.cloneNode(true);
      document.body.appendChild(dialog);
    }
    return dialog;
  }

  function markConfirmed(form) {
    var field = form.querySelector("input[name=confirm]");
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = "confirm";
      form.appendChild(field);
    }
    field.value = "yes";
  }

  function ask(form, submitter) {
    var box = ensureDialog();
    box.querySelector(".confirm-dialog__title").textContent = form.dataset.confirm;
    var detail = box.querySelector(".confirm-dialog__detail");
    detail.textContent = form.dataset.confirmDetail || "";
    detail.hidden = !form.dataset.confirmDetail;
    box.querySelector("[data-role=confirm-yes]").textContent = form.dataset.confirmYes || form.dataset.confirm;
    box.returnValue = "";
    box.onclose = function () {
      box.onclose = null;
      if (box.returnValue === "confirm" && form.isConnected) {
        markConfirmed(form);
        form.dataset.confirmed = "true";
        if (form.requestSubmit) {
          form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
        } else {
          form.submit();
        }
      } else if (submitter && submitter.isConnected) {
        submitter.focus();
      }
    };
    box.showModal();
    box.querySelector("[data-role=confirm-no]").focus();
  }

  // The capture phase: before any other script acts on the form.
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!form.dataset || !form.dataset.confirm) return;
      if (form.dataset.confirmed === "true") {
        delete form.dataset.confirmed;
        return;
      }
      event.preventDefault();
      event.stopImmediatePropagation();
      ask(form, event.submitter || form.querySelector("button[type=submit], button:not([type])"));
    },
    true
  );
})();
