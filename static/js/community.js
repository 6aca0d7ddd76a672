// Likes, follows, comments and "mark all as read" without leaving the page: the member keeps their
// place (scroll position and focus) and sees the new count at once. Every form also works without
// this script, as a plain POST that comes back to the same page.
(function () {
  "use strict";

  function send(form) {
    // getAttribute: the forms hold an <input name="action">, which shadows the form's .action.
    return fetch(form.getAttribute("action") || window.location.href, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) throw { fallback: true };
      return response.json().then(function (data) {
        if (!response.ok) throw data;
        return data;
      });
    });
  }

  function setAll(selector, text) {
    document.querySelectorAll(selector).forEach(function (element) {
      element.textContent = text;
    });
  }

  function showError(form, data) {
    var box = form.querySelector("[data-role=form-error]");
    if (!box) {
      box = document.createElement("p");
      box.className = "form__errors";
      box.setAttribute("data-role", "form-error");
      box.setAttribute("role", "alert");
      form.appendChild(box);
    }
    var errors = data.errors || {};
    var messages = [];
    Object.keys(errors).forEach(function (field) {
      messages = messages.concat(errors[field]);
    });
    box.textContent = messages.join(" ") || data.error || "";
  }

  function clearError(form) {
    var box = form.querySelector("[data-role=form-error]");
    if (box) box.remove();
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
      if (data.username) {
        setAll('[data-role=follower-count][data-member="' + data.username + '"]', data.follower_count);
      }
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
      if (data.comment_heading) setAll("[data-role=comment-heading]", data.comment_heading);
    },
    read: function (form, data) {
      document.querySelectorAll(".notification--unread").forEach(function (item) {
        item.classList.remove("notification--unread");
        var marker = item.querySelector("[data-role=unread-marker]");
        if (marker) marker.remove();
      });
      if (!data.unread) {
        document.querySelectorAll("[data-role=unread-badge]").forEach(function (badge) {
          badge.remove();
        });
      }
    },
  };

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var kind = form.dataset && form.dataset.enhance;
    if (!kind || !handlers[kind] || !window.fetch || event.defaultPrevented) return;
    event.preventDefault();
    if (form.dataset.busy) return;
    // Busy, not disabled: a disabled button would lose the keyboard focus.
    form.dataset.busy = "true";
    var button = form.querySelector("button[type=submit], button:not([type])");
    if (button) button.setAttribute("aria-busy", "true");
    send(form)
      .then(
        function (data) {
          clearError(form);
          handlers[kind](form, data);
        },
        function (data) {
          // A refusal the server explained stays on the page; anything else is sent as a plain form.
          if (data && (data.errors || data.error)) {
            showError(form, data);
            return;
          }
          HTMLFormElement.prototype.submit.call(form);
        }
      )
      .finally(function () {
        delete form.dataset.busy;
        if (button) button.removeAttribute("aria-busy");
      });
  });
})();
