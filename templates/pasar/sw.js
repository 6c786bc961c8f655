{% load static %}// Pasar Bahagia service worker: an offline page, nothing else.
// Pages always come from the network (prices and stock are never cached);
// when the network fails, the offline page is shown. Only that page and its
// content-hashed styles and logo are kept.
const OFFLINE_URL = "{% url 'offline' %}";
const ASSETS = [
  OFFLINE_URL,
  "{% static 'css/bootstrap.purged.css' %}",
  "{% static 'css/pasar.css' %}",
  "{% static 'img/logo.svg' %}",
];
const CACHE = `pasar-offline-${ASSETS.join("|")}`;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      // Without cookies: the cached page is the same for everybody.
      .then((cache) => cache.addAll(ASSETS.map((url) => new Request(url, { credentials: "omit" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE_URL)));
    return;
  }
  const url = new URL(request.url);
  if (request.method === "GET" && url.origin === self.location.origin && ASSETS.includes(url.pathname)) {
    // The offline page's own files; their names change with their content.
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
  // Everything else: the browser's normal handling.
});
