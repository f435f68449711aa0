/**
 * Parley's service worker: keeps the app itself (page, scripts, styles) in the browser so the
 * chat opens with no network — messages written then wait in the IndexedDB outbox. The build
 * (vite.config.ts) replaces PRECACHE with the list of built files. Relay traffic is never
 * touched.
 */
const PRECACHE = self.__PARLEY_PRECACHE__;
const CACHE = `parley-app-${PRECACHE.version}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.files))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/socket.io/') || url.pathname === '/healthz') return;
  if (request.mode === 'navigate') {
    // The page: fresh when the server answers, the cached copy when it does not.
    event.respondWith(
      fetch(request).catch(() =>
        caches.match('/').then((hit) => hit ?? new Response('offline', { status: 503 })),
      ),
    );
    return;
  }
  if (url.pathname.startsWith('/assets/')) {
    // Hashed names never change: the cache is always right.
    event.respondWith(caches.match(request).then((hit) => hit ?? fetch(request)));
  }
});
