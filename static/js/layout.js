// The layout's small helpers: the account menu and the filter sheet close like menus do (outside
// tap, Escape), and "전체 동의" ticks every consent box. Without this script everything still works:
// both are <details> elements and every box can be ticked by itself.
(function () {
  "use strict";

  function closeOnOutsideTap(details) {
    document.addEventListener("click", function (event) {
      if (details.open && !details.contains(event.target)) details.open = false;
    });
  }

  document.querySelectorAll("[data-role=account-menu]").forEach(closeOnOutsideTap);

  document.querySelectorAll("[data-role=filter-sheet]").forEach(function (sheet) {
    var close = sheet.querySelector("[data-role=filter-close]");
    var toggle = sheet.querySelector("summary");
    if (close) {
      close.hidden = false;
      close.addEventListener("click", function () {
        sheet.open = false;
        toggle.focus();
      });
    }
    // The backdrop is the sheet's own ::before: a tap on it lands on the <details> itself.
    sheet.addEventListener("click", function (event) {
      if (event.target === sheet) sheet.open = false;
    });
    sheet.addEventListener("toggle", function () {
      if (sheet.open) {
        var first = sheet.querySelector("form input, form select");
        if (first && window.matchMedia("(max-width: 47.99rem)").matches) first.focus();
      }
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("[data-role=account-menu][open], [data-role=filter-sheet][open]").forEach(function (details) {
      details.open = false;
      details.querySelector("summary").focus();
    });
  });

  document.querySelectorAll("[data-role=consent-all]").forEach(function (all) {
    var group = all.closest("[data-role=consents]");
    var boxes = Array.prototype.slice.call(group.querySelectorAll("input[type=checkbox][data-consent]"));
    function sync() {
      var ticked = boxes.filter(function (box) { return box.checked; }).length;
      all.checked = ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    }
    all.closest("[data-role=consent-all-row]").hidden = false;
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
      sync();
    });
    boxes.forEach(function (box) { box.addEventListener("change", sync); });
    sync();
  });
})();
