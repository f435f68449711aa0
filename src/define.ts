/**
 * The package's main entry (`parley`, built as `dist/lib/parley.js`): registers every Parley
 * element under its `parley-*` tag name and exports the public API, so one
 * `<script type="module" src=".../parley.js">` makes `<parley-chat>` work. The app page
 * imports it too (src/main.ts). Code that wants the classes without registering them imports
 * `parley/elements` (src/index.ts) instead.
 *
 * One plain `customElements.define` call per element, so the manifest analyzer reads each tag
 * name from here by itself (the Settings panel's, the login box's, the member list's and the
 * message list's come in chunks of their own, from src/components/settings/settings-define.ts,
 * login/login-define.ts, roster/roster-define.ts and messages/messages-define.ts, in the order
 * src/components/shared/load-order.ts sets).
 */
import { loadLoginBox, loadMessages, loadRoster } from './components/chat/chat-body.js';
import {
  firstViewShown,
  loadAfterSettled,
  orderLoads,
  roomSettled,
} from './internal/load-order.js';
import { ParleyChat } from './components/chat/parley-chat.js';
import { ParleyInbox } from './components/chat/parley-inbox.js';
import { ParleyComposer } from './components/composer/parley-composer.js';

/**
 * The public API, as `parley/elements` exports it. Kept out of the manifest (`@ignore`), which
 * documents the elements, each from its own module; the API's types are in parley.d.ts.
 * @ignore
 */
export * from './api.js';

// Defining a tag twice throws; a page that loads Parley twice keeps the first definition.
if (!customElements.get('parley-chat')) customElements.define('parley-chat', ParleyChat);
if (!customElements.get('parley-inbox')) customElements.define('parley-inbox', ParleyInbox);
if (!customElements.get('parley-composer'))
  customElements.define('parley-composer', ParleyComposer);
orderLoads();
// The login box first: with its code here the first view can be drawn. Each chat's core waits
// for that, its session and a painted frame, and for a visitor not logged in until they turn to
// the chat (see parley-chat.ts, chat-intent.ts); it brings the message and member lists; the Settings panel waits for the room to be live (see chat-settings.ts), or
// for someone to open it.
void loadLoginBox().then(firstViewShown);
// Registered once the room is live and the page idle, whatever asked first.
// (The panel's chunk is asked for by name: chat-settings.ts is part of the chat's core.)
void loadAfterSettled(() =>
  Promise.all([loadMessages(), loadRoster(), import('./components/settings/settings-define.js')]),
);
// A page using the elements without a chat has no one to reach those stages: once it is loaded
// and idle, it reaches them itself, so every element is registered there too.
void new Promise((loaded) =>
  document.readyState === 'complete' ? loaded(0) : addEventListener('load', loaded, { once: true }),
).then(() => {
  if (!document.querySelector('parley-chat, parley-inbox')) roomSettled();
});

declare global {
  interface HTMLElementTagNameMap {
    'parley-chat': ParleyChat;
    'parley-inbox': ParleyInbox;
    'parley-composer': ParleyComposer;
  }
}
