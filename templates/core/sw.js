{% autoescape off %}// Petrasche's service worker (served from /sw.js by core/public.py, so its scope is the whole
// site). It keeps our static files and the offline page, shows push notifications and opens
// their page when tapped. It never answers for the admin, the API, sockets or members' pages
// (NEVER below): those always go to the network as if it were not here, and nothing a member
// sees of their own is ever cached.
"use strict";

var CACHE = "petrasche-{{ version }}";
var OFFLINE_URL = {{ offline_url }};
var PRECACHE = {{ precache }};
var NEVER = {{ never }};
var STATIC_PREFIX = {{ static_prefix }};

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return cache.addAll(PRECACHE.map(function (url) {
        return new Request(url, { credentials: "omit", cache: "reload" });
      }));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) {
        return key.indexOf("petrasche-") === 0 && key !== CACHE;
      }).map(function (key) { return caches.delete(key); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function never(path) {
  return NEVER.some(function (prefix) { return path === prefix || path.indexOf(prefix) === 0; });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || never(url.pathname)) return;
  if (url.pathname.indexOf(STATIC_PREFIX) === 0) {
    // Static files: from the cache when there, else the network (and kept: their names change
    // with their content).
    event.respondWith(
      caches.open(CACHE).then(function (cache) {
        return cache.match(request).then(function (hit) {
          return hit || fetch(request).then(function (response) {
            if (response.ok) cache.put(request, response.clone());
            return response;
          });
        });
      })
    );
    return;
  }
  if (request.mode === "navigate") {
    // Public pages: always the network; the offline page only when there is none. Nothing kept.
    event.respondWith(
      fetch(request).catch(function () {
        return caches.open(CACHE).then(function (cache) { return cache.match(OFFLINE_URL); });
      })
    );
  }
});

self.addEventListener("push", function (event) {
  var data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = {};
  }
  event.waitUntil(
    self.registration.showNotification(data.title || "Petrasche", {
      body: data.body || "",
      tag: data.tag || "petrasche",
      renotify: Boolean(data.tag),
      icon: {{ icon }},
      badge: {{ badge }},
      lang: {{ language }},
      data: { url: data.url || "/" }
    })
  );
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin);
  if (target.origin !== self.location.origin) target = new URL("/", self.location.origin);
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
      for (var i = 0; i < windows.length; i++) {
        if (windows[i].url === target.href && "focus" in windows[i]) return windows[i].focus();
      }
      return self.clients.openWindow(target.href);
    })
  );
});
{% endautoescape %}
