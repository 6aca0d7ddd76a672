// Likes, follows and comments without a page reload. Every form also works without this script.
(function () {
  "use strict";

  function send(form) {
    return fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw data;
        return data;
      });
    });
  }

  var handlers = {
    like: function (form, data) {
      var liked = data.liked;
      form.querySelector("input[name=action]").value = liked ? "unlike" : "like";
      var button = form.querySelector("button");
      button.setAttribute("aria-pressed", liked ? "true" : "false");
      button.querySelector("[aria-hidden]").textContent = liked ? "♥" : "♡";
      form.querySelector("[data-role=like-count]").textContent = data.like_count;
    },
    follow: function (form, data) {
      var following = data.following;
      form.querySelector("input[name=action]").value = following ? "unfollow" : "follow";
      var button = form.querySelector("button");
      button.setAttribute("aria-pressed", following ? "true" : "false");
      button.classList.toggle("button--ghost", following);
      button.textContent = following ? button.dataset.labelUnfollow : button.dataset.labelFollow;
      var count = document.querySelector("[data-role=follower-count]");
      if (count) count.textContent = data.follower_count;
    },
    comment: function (form, data) {
      var parentId = form.querySelector("input[name=parent]");
      var list;
      if (parentId && parentId.value) {
        var parent = document.getElementById("comment-" + parentId.value);
        list = parent.querySelector(".comment-list--replies");
        if (!list) {
          list = document.createElement("ul");
          list.className = "comment-list comment-list--replies";
          parent.appendChild(list);
        }
        var details = form.closest("details");
        if (details) details.open = false;
      } else {
        list = document.querySelector("[data-role=comment-list]");
      }
      var template = document.createElement("template");
      template.innerHTML = data.html.trim();
      list.appendChild(template.content.firstElementChild);
      form.querySelector("textarea").value = "";
    },
  };

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var kind = form.dataset && form.dataset.enhance;
    if (!kind || !handlers[kind] || !window.fetch) return;
    event.preventDefault();
    var button = form.querySelector("button[type=submit], button:not([type])");
    if (button) button.disabled = true;
    send(form)
      .then(function (data) { handlers[kind](form, data); })
      .catch(function () { form.submit(); })
      .finally(function () { if (button) button.disabled = false; });
  });
})();
