/** Entry of the app page: registers the elements and, in the built app, the service worker. */
import './define.js';

// `?inbox=SITE`: the page is that help desk's inbox (its room list, the visitors' conversations).
const inbox = new URLSearchParams(location.search).get('inbox');
if (inbox) document.querySelector('parley-chat')?.setAttribute('inbox', inbox);

// The service worker keeps the app available offline (not in dev: it would fight live reload).
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js').catch((err: unknown) => {
    console.warn('parley: offline support unavailable —', err);
  });
}
