/* The crisis plan's service worker. Its scope is the crisis plan page's own path, so it sees
   nothing else of the site. It never stores anything by itself: the page puts its copy in the
   cache when the patient asks ("Lagre for bruk uten nett"), and removes it on request.
   Online, the page always comes from the server (and the stored copy is refreshed if there is
   one); offline, the stored copy is shown. */
"use strict";

var CACHE = "ettervern-kriseplan-v1";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var scope = new URL(self.registration.scope);
  var url = new URL(request.url);
  if (request.method !== "GET" || request.mode !== "navigate" ||
      url.origin !== scope.origin || url.pathname !== scope.pathname) {
    return;  // not the crisis plan page: the browser fetches it as usual
  }
  event.respondWith(caches.open(CACHE).then(function (cache) {
    return fetch(request).then(function (response) {
      if (response.ok && !response.redirected) {
        return cache.match(scope.pathname, { ignoreVary: true }).then(function (stored) {
          if (stored) { cache.put(scope.pathname, response.clone()); }
          return response;
        });
      }
      return response;
    }).catch(function () {
      return cache.match(scope.pathname, { ignoreVary: true }).then(function (stored) {
        return stored || Response.error();
      });
    });
  }));
});
