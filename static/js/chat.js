// The chat room, live: a WebSocket to /ws/chat/<room>/ with reconnects, and the HTTP API as
// the fallback while the socket is down. Every message carries a client id made here, so a
// message sent twice (socket, then HTTP after a drop) is stored once.
// Member text only ever goes into the page through textContent (links are built as elements).
(function () {
  "use strict";

  // The composer's character counter, on every page of a room: text over the limit is refused
  // here before it is sent (the server refuses it too, and never cuts it).
  var counterForm = document.querySelector("[data-role=composer]");
  var counterBox = counterForm && counterForm.querySelector("textarea[data-max-length]");
  var counter = document.querySelector("[data-role=chat-counter]");
  if (counterBox && counter) {
    var maxLength = Number(counterBox.dataset.maxLength);
    var countEl = counter.querySelector("[data-role=chat-count]");
    var counterStrings = JSON.parse(document.getElementById("chat-strings").textContent);
    var lengthOf = function (text) {
      return Array.from(text.normalize ? text.normalize("NFC").trim() : text.trim()).length;
    };
    var errorBox = document.querySelector("[data-role=chat-error]");
    var updateCounter = function () {
      var length = lengthOf(counterBox.value);
      var over = length > maxLength;
      countEl.textContent = String(length);
      counter.dataset.over = over ? "true" : "false";
      if (over) counterBox.setAttribute("aria-invalid", "true");
      else counterBox.removeAttribute("aria-invalid");
      return length;
    };
    counter.hidden = false;
    updateCounter();
    counterBox.addEventListener("input", updateCounter);
    counterForm.addEventListener("submit", function (event) {
      var length = updateCounter();
      if (length <= maxLength) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      if (errorBox) {
        errorBox.textContent = counterStrings.tooLong.replace("%(now)s", length.toLocaleString("en-US"));
        errorBox.hidden = false;
      }
      counterBox.focus();
    });
  }

  var root = document.querySelector("[data-role=chat]");
  if (!root || !window.WebSocket || !window.fetch || root.dataset.latest !== "true") return;
  // Tells the server that this browser marks messages read as they come into view (below), so
  // that opening a room no longer marks everything in it read (chat.views.LIVE_COOKIE).
  document.cookie = "chat_live=1; path=/chat/; max-age=31536000; SameSite=Lax" +
    (window.location.protocol === "https:" ? "; Secure" : "");

  var strings = JSON.parse(document.getElementById("chat-strings").textContent);
  var userId = Number(root.dataset.userId);
  var list = root.querySelector("[data-role=messages]");
  var log = root.querySelector("[data-role=log]");
  var statusEl = root.querySelector("[data-role=chat-status]");
  var errorEl = root.querySelector("[data-role=chat-error]");
  var composer = root.querySelector("[data-role=composer]");
  var textarea = composer && composer.querySelector("textarea");
  var csrf = root.dataset.csrf;
  var STOP_CODES = { 4401: "unauthenticated", 4403: "removed", 4410: "closed" };
  var MAX_DELAY = 10000;
  // An attempt with no history by then (a server stuck mid-handshake) is dropped and retried.
  var CONNECT_TIMEOUT = 10000;

  var socket = null;
  var live = false; // the socket is open and its history has arrived
  var stopped = false;
  var attempts = 0;
  var everConnected = false;
  var reconnectTimer = null;
  var syncedId = 0; // the newest message id received in order from the server
  var pending = new Map(); // client id → {clientId, text, li, via, timer}
  var readTimer = null;
  // Read receipts: member id → the last message id they have read (those this member may see).
  var reads = {};
  var sentRead = 0; // the highest id this page has told the server it read
  var onScreen = new Set(); // ids of others' messages now on screen
  var firstUnread = Number(root.dataset.firstUnread) || 0;
  var typists = new Map(); // member id → {name, timer}
  var typingEl = root.querySelector("[data-role=typing]");
  var lastTypingSent = 0;
  var TYPING_EVERY = 3000; // ms between typing frames while the member writes
  var TYPING_SHOWN = 5000; // ms a typing notice stays without a new frame
  var loadingOlder = false;

  // ---------------------------------------------------------------- rendering

  function messageItems() {
    return list.querySelectorAll("li[data-message-id]");
  }

  function maxId() {
    var items = messageItems();
    return items.length ? Number(items[items.length - 1].dataset.messageId) : 0;
  }

  function formatTime(iso) {
    var date = new Date(iso);
    if (isNaN(date)) return "";
    return date.toLocaleTimeString(document.documentElement.lang || undefined, {
      hour: "numeric",
      minute: "2-digit",
      hour12: true,
      timeZone: "Asia/Seoul",
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function deleteForm(messageId, text) {
    var form = el("form", "chat-message__delete");
    form.method = "post";
    form.action = root.dataset.deleteUrl.replace("/0/", "/" + messageId + "/");
    form.dataset.role = "delete";
    form.dataset.confirm = strings.deleteQuestion;
    form.dataset.confirmYes = strings.deleteConfirm;
    form.dataset.confirmDetail = strings.deleteDetail;
    var token = el("input");
    token.type = "hidden";
    token.name = "csrfmiddlewaretoken";
    token.value = csrf;
    var button = el("button", "link-button", strings.delete);
    button.type = "submit";
    // Which message, for screen readers (as the server renders it).
    button.appendChild(el("span", "visually-hidden", ": " + (text.length > 40 ? text.slice(0, 39) + "…" : text)));
    form.appendChild(token);
    form.appendChild(button);
    return form;
  }

  // Text with its http(s) addresses as links (as the server's chat_text filter renders them).
  var URL_RE = /https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/gi;

  function textWithLinks(className, text) {
    var node = el("p", className);
    var position = 0;
    text.replace(URL_RE, function (url, offset) {
      node.appendChild(document.createTextNode(text.slice(position, offset)));
      var link = el("a", null, url);
      link.href = url;
      link.rel = "noopener nofollow ugc";
      link.target = "_blank";
      node.appendChild(link);
      position = offset + url.length;
      return url;
    });
    node.appendChild(document.createTextNode(text.slice(position)));
    return node;
  }

  function fillItem(li, message) {
    var mine = message.sender && message.sender.id === userId;
    li.className = "chat-message" + (mine ? " chat-message--mine" : "") + (message.deleted ? " chat-message--deleted" : "");
    li.id = "message-" + message.id;
    li.dataset.messageId = String(message.id);
    li.dataset.clientId = message.client_id;
    li.dataset.senderId = String(message.sender.id);
    li.textContent = "";
    var meta = el("p", "chat-message__meta");
    meta.appendChild(el("span", "chat-message__sender", message.sender.display_name));
    meta.appendChild(document.createTextNode(" "));
    var time = el("time", null, formatTime(message.created_at));
    time.setAttribute("datetime", message.created_at);
    meta.appendChild(time);
    li.appendChild(meta);
    if (!mine && seenObserver) seenObserver.observe(li);
    if (message.deleted) {
      li.appendChild(el("p", "chat-message__text chat-message__text--deleted", strings.deleted));
    } else {
      li.appendChild(textWithLinks("chat-message__text", message.text));
      if (mine) li.appendChild(deleteForm(message.id, message.text));
    }
  }

  function markDeleted(li) {
    if (li.classList.contains("chat-message--deleted")) return;
    li.classList.add("chat-message--deleted");
    var text = li.querySelector(".chat-message__text");
    if (text) {
      text.textContent = strings.deleted;
      text.classList.add("chat-message__text--deleted");
    }
    var form = li.querySelector("[data-role=delete]");
    if (form) form.remove();
  }

  // ---------------------------------------------------------------- read receipts, days, divider

  function unreadBy(li) {
    if (li.classList.contains("chat-message--deleted")) return 0;
    var id = Number(li.dataset.messageId);
    var sender = li.dataset.senderId;
    var count = 0;
    Object.keys(reads).forEach(function (memberId) {
      if (memberId !== sender && reads[memberId] < id) count++;
    });
    return count;
  }

  // The number next to each message: how many members (but its sender) have not read it yet.
  function renderCounts() {
    Array.prototype.forEach.call(messageItems(), function (li) {
      var count = unreadBy(li);
      var mark = li.querySelector("[data-role=unread]");
      if (!count) {
        if (mark) mark.remove();
        return;
      }
      if (!mark) {
        mark = el("span", "chat-message__unread");
        mark.dataset.role = "unread";
        var meta = li.querySelector(".chat-message__meta");
        meta.appendChild(document.createTextNode(" "));
        meta.appendChild(mark);
      }
      mark.textContent = String(count);
      mark.title = strings.unread.replace("%(count)s", String(count));
    });
  }

  function dayOf(li) {
    var time = li.querySelector("time[datetime]");
    var date = time && new Date(time.getAttribute("datetime"));
    if (!date || isNaN(date)) return null;
    return {
      key: date.toLocaleDateString("en-CA", { timeZone: "Asia/Seoul" }),
      label: date.toLocaleDateString(document.documentElement.lang || undefined, {
        weekday: "long", year: "numeric", month: "long", day: "numeric", timeZone: "Asia/Seoul",
      }),
    };
  }

  // The day before each day's first message and "Read up to here" before the first message the
  // member had not read when the page opened (where the server put them, redone as messages arrive).
  function decorate() {
    Array.prototype.forEach.call(list.querySelectorAll("[data-role=day], [data-role=unread-divider]"), function (node) {
      node.remove();
    });
    var previous = null;
    Array.prototype.forEach.call(messageItems(), function (li) {
      var day = dayOf(li);
      if (day && day.key !== previous) {
        var separator = el("li", "chat-day");
        separator.dataset.role = "day";
        var time = el("time", null, day.label);
        time.setAttribute("datetime", day.key);
        separator.appendChild(time);
        list.insertBefore(separator, li);
        previous = day.key;
      }
      if (firstUnread && Number(li.dataset.messageId) === firstUnread) {
        var divider = el("li", "chat-divider", strings.readUpTo);
        divider.dataset.role = "unread-divider";
        list.insertBefore(divider, li);
      }
    });
  }

  // A message counts as read once at least half of it (or half the screen) is on screen while
  // the tab is visible.
  var seenObserver = window.IntersectionObserver
    ? new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          var id = Number(entry.target.dataset.messageId);
          var rootHeight = entry.rootBounds ? entry.rootBounds.height : window.innerHeight;
          var seen = entry.isIntersecting &&
            (entry.intersectionRatio >= 0.5 || entry.intersectionRect.height >= rootHeight / 2);
          if (seen) onScreen.add(id);
          else onScreen.delete(id);
        });
        considerRead();
      }, { threshold: [0, 0.5, 1] })
    : null;

  function considerRead() {
    if (document.visibilityState !== "visible" || !live || !seenObserver) return;
    var newest = 0;
    onScreen.forEach(function (id) { if (id > newest) newest = id; });
    if (newest <= sentRead) return;
    clearTimeout(readTimer);
    readTimer = setTimeout(function () {
      if (!live || !socket || socket.readyState !== WebSocket.OPEN || newest <= sentRead) return;
      sentRead = newest;
      socket.send(JSON.stringify({ type: "read", message_id: newest }));
      reads[userId] = Math.max(reads[userId] || 0, newest);
      renderCounts();
    }, 300);
  }

  // ---------------------------------------------------------------- typing

  function renderTypists() {
    if (!typingEl) return;
    var names = [];
    typists.forEach(function (typist) { names.push(typist.name); });
    typingEl.textContent = names.length ? strings.typing.replace("%(name)s", names.join(", ")) : "";
  }

  function typistGone(memberId) {
    var typist = typists.get(memberId);
    if (!typist) return;
    clearTimeout(typist.timer);
    typists.delete(memberId);
    renderTypists();
  }

  function nearBottom() {
    return log.scrollHeight - log.scrollTop - log.clientHeight < 80;
  }

  function scrollToBottom() {
    log.scrollTop = log.scrollHeight;
  }

  // Puts a message from the server in its place (by id), once; replaces its pending copy.
  function upsert(message) {
    var existing = list.querySelector('li[data-message-id="' + Number(message.id) + '"]');
    if (existing) {
      if (message.deleted) markDeleted(existing);
      return false;
    }
    var entry = message.sender.id === userId ? pending.get(message.client_id) : null;
    if (entry) {
      clearTimeout(entry.timer);
      pending.delete(message.client_id);
      entry.li.remove();
    }
    var li = el("li");
    fillItem(li, message);
    var items = messageItems();
    var before = null;
    for (var i = items.length - 1; i >= 0; i--) {
      if (Number(items[i].dataset.messageId) < message.id) break;
      before = items[i];
    }
    if (before) {
      list.insertBefore(li, before);
    } else {
      var firstPending = list.querySelector("li.chat-message--pending");
      list.insertBefore(li, firstPending);
    }
    var empty = root.querySelector("[data-role=empty]");
    if (empty) empty.remove();
    return true;
  }

  function merge(messages, options) {
    var stick = nearBottom();
    var added = 0;
    messages.forEach(function (message) {
      if (upsert(message)) added++;
    });
    if (options && options.synced && messages.length) {
      syncedId = Math.max(syncedId, messages[messages.length - 1].id);
    }
    if (added) decorate();
    renderCounts();
    if (stick || (options && options.scroll)) scrollToBottom();
    return added;
  }

  // ---------------------------------------------------------------- status and errors

  function setState(state) {
    statusEl.hidden = false;
    statusEl.dataset.state = state;
    statusEl.textContent = strings[state] || "";
    root.dataset.connection = state;
  }

  function showError(text) {
    if (!errorEl) return;
    errorEl.textContent = text || strings.failed;
    errorEl.hidden = false;
  }

  function clearError() {
    if (!errorEl) return;
    errorEl.textContent = "";
    errorEl.hidden = true;
  }

  function stop(reason) {
    stopped = true;
    live = false;
    setState(reason);
    if (reason !== "unauthenticated" && composer) {
      composer.hidden = true;
    }
  }

  // ---------------------------------------------------------------- sending

  function newClientId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function renderPending(entry) {
    var li = el("li", "chat-message chat-message--mine chat-message--pending");
    li.dataset.clientId = entry.clientId;
    var meta = el("p", "chat-message__meta");
    meta.appendChild(el("span", "chat-message__sender", root.dataset.myName));
    meta.appendChild(document.createTextNode(" "));
    entry.statusNode = el("span", "chat-message__state", strings.sending);
    meta.appendChild(entry.statusNode);
    li.appendChild(meta);
    li.appendChild(el("p", "chat-message__text", entry.text));
    list.appendChild(li);
    entry.li = li;
    var empty = root.querySelector("[data-role=empty]");
    if (empty) empty.remove();
    scrollToBottom();
  }

  function giveUp(entry, detail) {
    clearTimeout(entry.timer);
    pending.delete(entry.clientId);
    entry.li.remove();
    if (textarea && !textarea.value) {
      textarea.value = entry.text;
      textarea.dispatchEvent(new Event("input"));
    }
    showError(detail);
  }

  function retryLater(entry, seconds, text) {
    entry.via = null;
    entry.statusNode.textContent = text || strings.retrying;
    clearTimeout(entry.timer);
    entry.timer = setTimeout(function () { dispatch(entry); }, Math.max(1, seconds) * 1000);
  }

  function dispatch(entry) {
    if (!pending.has(entry.clientId)) return;
    clearTimeout(entry.timer);
    if (live && socket && socket.readyState === WebSocket.OPEN) {
      entry.via = "socket";
      socket.send(JSON.stringify({ type: "message", client_id: entry.clientId, text: entry.text }));
      // No answer in time: the socket is probably gone; the HTTP fallback takes over.
      entry.timer = setTimeout(function () {
        if (pending.has(entry.clientId) && entry.via === "socket") postOverHttp(entry);
      }, 8000);
    } else {
      postOverHttp(entry);
    }
  }

  function postOverHttp(entry) {
    entry.via = "http";
    fetch(root.dataset.apiMessages, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ client_id: entry.clientId, text: entry.text }),
    })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (response.ok) {
            clearError();
            merge([data], { scroll: true });
          } else if (response.status === 429) {
            showError(data.detail || strings.tooFast);
            retryLater(entry, Number(response.headers.get("Retry-After")) || data.retry_after || 2, strings.tooFast);
          } else if (response.status >= 500) {
            retryLater(entry, 3);
          } else {
            var detail = data.detail || (data.text && data.text.join(" ")) || strings.failed;
            giveUp(entry, detail);
          }
        });
      })
      .catch(function () {
        retryLater(entry, 3);
      });
  }

  function flushPending() {
    pending.forEach(function (entry) {
      if (entry.via !== "http") dispatch(entry);
    });
  }

  if (composer) {
    composer.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = textarea.value;
      if (!text.trim()) {
        textarea.focus();
        return;
      }
      clearError();
      var entry = { clientId: newClientId(), text: text, via: null, timer: null };
      pending.set(entry.clientId, entry);
      renderPending(entry);
      textarea.value = "";
      textarea.dispatchEvent(new Event("input"));
      textarea.focus();
      dispatch(entry);
    });
    textarea.addEventListener("input", function () {
      var now = Date.now();
      if (!textarea.value.trim() || now - lastTypingSent < TYPING_EVERY) return;
      if (live && socket && socket.readyState === WebSocket.OPEN) {
        lastTypingSent = now;
        socket.send(JSON.stringify({ type: "typing" }));
      }
    });
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        composer.requestSubmit ? composer.requestSubmit() : composer.dispatchEvent(new Event("submit", { cancelable: true }));
      }
    });
  }

  // ---------------------------------------------------------------- deleting and older messages

  root.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.role !== "delete") return;
    event.preventDefault();
    var li = form.closest("li[data-message-id]");
    var id = Number(li.dataset.messageId);
    if (live && socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: "delete", message_id: id }));
      return;
    }
    fetch(root.dataset.apiMessage.replace("/0/", "/" + id + "/"), {
      method: "DELETE",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf },
    }).then(function (response) {
      if (response.ok) markDeleted(li);
      else showError(strings.failed);
    }, function () { showError(strings.failed); });
  });

  function olderLoaded(messages, hasMore) {
    loadingOlder = false;
    var link = root.querySelector("[data-role=load-older]");
    // What was on screen stays where it was: the log grows above it by exactly what was added.
    var height = log.scrollHeight;
    var top = log.scrollTop;
    merge(messages);
    log.scrollTop = top + log.scrollHeight - height;
    if (!link) return;
    if (hasMore && messages.length) {
      link.href = "?before=" + messages[0].id;
    } else {
      var note = el("span", "chat__beginning", strings.noOlder);
      note.dataset.role = "beginning";
      link.replaceWith(note);
    }
  }

  function loadOlder() {
    var first = messageItems()[0];
    if (!first || loadingOlder) return;
    loadingOlder = true;
    var before = Number(first.dataset.messageId);
    if (live && socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: "load_older", before: before }));
      return;
    }
    fetch(root.dataset.apiMessages + "?before=" + before, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response); })
      .then(function (data) { olderLoaded(data.results, data.has_more); }, function () {
        loadingOlder = false;
        showError(strings.failed);
      });
  }

  root.addEventListener("click", function (event) {
    var link = event.target.closest("[data-role=load-older]");
    if (!link) return;
    event.preventDefault();
    loadOlder();
  });

  // Scrolling up near the top loads the page before it (the link stays for keyboards).
  log.addEventListener("scroll", function () {
    if (log.scrollTop < 120 && root.querySelector("[data-role=load-older]")) loadOlder();
  }, { passive: true });

  // ---------------------------------------------------------------- read marker

  document.addEventListener("visibilitychange", considerRead);

  // ---------------------------------------------------------------- the socket

  // Where to catch up from after a reconnect: a few messages before the newest one received in
  // order, because messages can commit slightly out of id order.
  function catchUpFrom() {
    var ids = Array.prototype.map.call(messageItems(), function (li) { return Number(li.dataset.messageId); })
      .filter(function (id) { return id <= syncedId; });
    return ids.length ? Math.max(0, ids[Math.max(0, ids.length - 10)] - 1) : 0;
  }

  var handlers = {
    history: function (frame) {
      // The page (or the last connection) may be more than 50 messages behind: ask for what came
      // after the newest message received in order, and merge (by id, so nothing doubles).
      var resumeFrom = syncedId > 0 ? catchUpFrom() : null;
      reads = {};
      Object.keys(frame.reads || {}).forEach(function (memberId) { reads[memberId] = frame.reads[memberId]; });
      sentRead = Math.max(sentRead, reads[userId] || 0);
      merge(frame.messages, { synced: resumeFrom === null, scroll: !everConnected });
      live = true;
      attempts = 0;
      everConnected = true;
      setState("connected");
      if (frame.closed) {
        stop("closed");
        return;
      }
      if (resumeFrom !== null) socket.send(JSON.stringify({ type: "load_newer", after: resumeFrom }));
      flushPending();
      considerRead();
    },
    newer: function (frame) {
      merge(frame.messages, { synced: true });
      if (frame.has_more && frame.messages.length) {
        socket.send(JSON.stringify({ type: "load_newer", after: frame.messages[frame.messages.length - 1].id }));
      }
    },
    older: function (frame) {
      olderLoaded(frame.messages, frame.has_more);
    },
    message: function (frame) {
      typistGone(String(frame.message.sender.id));
      merge([frame.message], { synced: true });
    },
    read: function (frame) {
      var memberId = String(frame.member_id);
      reads[memberId] = Math.max(reads[memberId] || 0, frame.last_read_id);
      renderCounts();
    },
    reads: function (frame) {
      reads = {};
      Object.keys(frame.reads || {}).forEach(function (memberId) { reads[memberId] = frame.reads[memberId]; });
      renderCounts();
    },
    left: function (frame) {
      delete reads[String(frame.member_id)];
      typistGone(String(frame.member_id));
      renderCounts();
    },
    typing: function (frame) {
      var memberId = String(frame.member_id);
      var typist = typists.get(memberId) || { name: frame.display_name };
      clearTimeout(typist.timer);
      typist.timer = setTimeout(function () { typistGone(memberId); }, TYPING_SHOWN);
      typists.set(memberId, typist);
      renderTypists();
    },
    ack: function (frame) {
      clearError();
      merge([frame.message], { scroll: true });
    },
    deleted: function (frame) {
      var li = list.querySelector('li[data-message-id="' + Number(frame.message_id) + '"]');
      if (li) markDeleted(li);
    },
    error: function (frame) {
      if (frame.frame === "typing") return; // the notice is a courtesy: nothing to tell the member
      var entry = frame.client_id ? pending.get(frame.client_id) : null;
      if (frame.code === "rate_limited") {
        showError(frame.detail || strings.tooFast);
        if (entry) retryLater(entry, frame.retry_after || 2, strings.tooFast);
      } else if (frame.code === "unavailable" && entry) {
        retryLater(entry, 3);
      } else if (entry) {
        giveUp(entry, frame.detail);
      } else {
        showError(frame.detail);
      }
    },
    removed: function () { stop("removed"); },
    closed: function () { stop("closed"); },
  };

  function connect() {
    reconnectTimer = null;
    if (stopped) return;
    setState(everConnected ? "reconnecting" : "connecting");
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var ws = new WebSocket(scheme + window.location.host + root.dataset.wsPath);
    socket = ws;
    ws.onmessage = function (event) {
      var frame;
      try {
        frame = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      var handler = handlers[frame.type];
      if (handler && ws === socket) handler(frame);
    };
    ws.onclose = function (event) {
      dropped(ws, event.code);
    };
    var watchdog = setTimeout(function () {
      if (ws !== socket || live) return;
      dropped(ws, 0);
      ws.close();
    }, CONNECT_TIMEOUT);
    ws.addEventListener("close", function () { clearTimeout(watchdog); });
  }

  function dropped(ws, code) {
    if (ws !== socket) return;
    socket = null;
    live = false;
    if (STOP_CODES[code]) {
      stop(STOP_CODES[code]);
      return;
    }
    setState("reconnecting");
    // Whatever went out on the socket without an answer goes again over HTTP (same client id).
    pending.forEach(function (entry) {
      if (entry.via === "socket") postOverHttp(entry);
    });
    scheduleReconnect();
  }

  function scheduleReconnect() {
    if (stopped || reconnectTimer) return;
    var delay = Math.min(MAX_DELAY, 500 * Math.pow(2, attempts));
    attempts++;
    delay = delay * (0.8 + Math.random() * 0.4);
    reconnectTimer = setTimeout(connect, delay);
  }

  window.addEventListener("online", function () {
    if (!socket && !stopped) {
      clearTimeout(reconnectTimer);
      reconnectTimer = null;
      attempts = 0;
      connect();
    }
  });

  syncedId = maxId();
  if (seenObserver) {
    Array.prototype.forEach.call(messageItems(), function (li) {
      if (Number(li.dataset.senderId) !== userId) seenObserver.observe(li);
    });
  }
  scrollToBottom();
  connect();
})();
