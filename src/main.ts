/** Entry of the app page: registers the elements and, in the built app, the service worker. */
import './define.js';

// The service worker keeps the app available offline (not in dev: it would fight live reload).
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js').catch((err: unknown) => {
    console.warn('parley: offline support unavailable —', err);
  });
}
