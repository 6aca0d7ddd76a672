// Share buttons (templates/includes/share.html): the Web Share API where the browser has it (on
// phones KakaoTalk is one of its targets), else the link goes to the clipboard and the live
// region says so. KakaoTalk builds its preview from the page's Open Graph tags.
(function () {
  "use strict";

  function copyByHand(box, url, status, message) {
    var field = box.querySelector("input.share__address");
    if (!field) {
      field = document.createElement("input");
      field.type = "text";
      field.readOnly = true;
      field.className = "share__address";
      field.setAttribute("aria-label", box.dataset.labelCopy);
      box.appendChild(field);
    }
    field.value = url;
    field.focus();
    field.select();
    status.textContent = message;
  }

  function copy(box, url, status) {
    status.textContent = "";
    if (!navigator.clipboard || !navigator.clipboard.writeText) {
      copyByHand(box, url, status, box.dataset.labelCopyFailed);
      return;
    }
    navigator.clipboard.writeText(url).then(
      function () { status.textContent = box.dataset.labelCopied; },
      function () { copyByHand(box, url, status, box.dataset.labelCopyFailed); }
    );
  }

  document.querySelectorAll("[data-share]").forEach(function (box) {
    var button = box.querySelector("[data-role=share-button]");
    var status = box.querySelector("[data-role=share-status]");
    var url = box.dataset.shareUrl;
    var data = { title: box.dataset.shareTitle, url: url };
    var canShare = typeof navigator.share === "function" && (!navigator.canShare || navigator.canShare(data));
    button.textContent = canShare ? box.dataset.labelShare : box.dataset.labelCopy;
    box.hidden = false;
    button.addEventListener("click", function () {
      if (!canShare) {
        copy(box, url, status);
        return;
      }
      navigator.share(data).catch(function (error) {
        // The member closed the share sheet: nothing to do. Anything else: the link, copied.
        if (!error || error.name !== "AbortError") copy(box, url, status);
      });
    });
  });
})();
