/* "Lagre for bruk uten nett" on the patient's crisis plan: on request only, register the
   crisis plan's service worker (scope: this page's path) and store this one page; "Fjern" takes
   the copy and the worker away again. Without service workers the buttons stay hidden. */
(function () {
  "use strict";
  var CACHE = "ettervern-kriseplan-v1";
  var box = document.getElementById("offline");
  if (!box || !("serviceWorker" in navigator) || !("caches" in window)) { return; }
  var page = box.getAttribute("data-page");
  var worker = box.getAttribute("data-worker");
  var status = document.getElementById("offline-status");
  var save = document.getElementById("offline-save");
  var remove = document.getElementById("offline-remove");

  function say(attr) { status.textContent = box.getAttribute(attr); }
  function show(saved) { save.hidden = saved; remove.hidden = !saved; }

  box.hidden = false;
  // Looking must not create the cache: only "save" does.
  caches.has(CACHE).then(function (exists) {
    return exists && caches.open(CACHE).then(function (cache) {
      return cache.match(page, { ignoreVary: true });
    });
  }).then(function (stored) { show(Boolean(stored)); if (stored) { say("data-saved"); } });

  save.addEventListener("click", function () {
    navigator.serviceWorker.register(worker, { scope: page })
      .then(function () { return caches.open(CACHE); })
      .then(function (cache) { return cache.add(page); })
      .then(function () { show(true); say("data-saved"); })
      .catch(function () { say("data-failed"); });
  });

  remove.addEventListener("click", function () {
    caches.delete(CACHE)
      .then(function () { return navigator.serviceWorker.getRegistration(page); })
      .then(function (registration) { return registration ? registration.unregister() : true; })
      .then(function () { show(false); say("data-removed"); })
      .catch(function () { say("data-failed"); });
  });
})();
