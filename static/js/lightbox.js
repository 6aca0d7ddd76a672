// A post's photos open in PhotoSwipe (static/vendor/photoswipe-5.4.4): swipe, arrows, pinch and
// wheel zoom, the photo's description as its caption. Each photo is a link to its full size, which
// is what happens without this script. The lightbox is a step in the browser's history, so the back
// button closes it instead of leaving the page.
(function () {
  "use strict";

  var gallery = document.querySelector("[data-lightbox]");
  if (!gallery || !window.PhotoSwipeLightbox || !window.PhotoSwipe) return;
  var gettext = window.gettext || function (text) { return text; };
  var STATE = "petrasche-lightbox";
  // No zooming in and out for members who asked for less motion; keys work from the first moment.
  var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  var lightbox = new window.PhotoSwipeLightbox({
    gallery: gallery,
    children: "a[data-pswp-width]",
    pswpModule: window.PhotoSwipe,
    closeTitle: gettext("Close"),
    zoomTitle: gettext("Zoom"),
    arrowPrevTitle: gettext("Previous"),
    arrowNextTitle: gettext("Next"),
    errorMsg: gettext("The photo could not be loaded."),
    indexIndicatorSep: " / ",
    bgOpacity: 0.92,
    showHideAnimationType: still ? "none" : "zoom",
    zoomAnimationDuration: still ? 0 : 333,
  });

  lightbox.on("uiRegister", function () {
    lightbox.pswp.ui.registerElement({
      name: "caption",
      order: 9,
      isButton: false,
      appendTo: "root",
      onInit: function (element, pswp) {
        element.setAttribute("aria-live", "polite");
        pswp.on("change", function () {
          var alt = (pswp.currSlide.data.alt || "").trim();
          element.textContent = alt;
          element.hidden = !alt;
        });
      },
    });
  });

  // Opening adds a history entry; going back closes. Closing another way (Escape, the button, a
  // swipe) takes that entry back out, so the page's own history is as it was.
  var closedByBack = false;
  lightbox.on("afterInit", function () {
    closedByBack = false;
    history.pushState({ lightbox: STATE }, "");
  });
  window.addEventListener("popstate", function () {
    var pswp = lightbox.pswp;
    if (!pswp) return;
    closedByBack = true;
    // PhotoSwipe ignores close() while it is still opening: back pressed that soon waits for it.
    if (pswp.opener.isOpen) pswp.close();
    else pswp.on("openingAnimationEnd", function () { pswp.close(); });
  });
  lightbox.on("close", function () {
    if (!closedByBack && history.state && history.state.lightbox === STATE) history.back();
  });

  lightbox.init();
})();
