/** Entry of the app page: registers the elements and, in the built app, the service worker. */
import './define.js';

// `?inbox=SITE`: the page is that help desk's inbox — `<parley-inbox>` in the chat's place.
const inbox = new URLSearchParams(location.search).get('inbox');
const chat = document.querySelector('parley-chat');
if (inbox && chat) {
  const box = document.createElement('parley-inbox');
  for (const { name, value } of chat.attributes) box.setAttribute(name, value);
  box.setAttribute('support', inbox);
  chat.replaceWith(box);
}

// The service worker keeps the app available offline (not in dev: it would fight live reload).
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js').catch((err: unknown) => {
    console.warn('parley: offline support unavailable —', err);
  });
}
