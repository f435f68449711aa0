/**
 * The package's main entry (`parley`, built as `dist/lib/parley.js`): registers every Parley
 * element under its `parley-*` tag name and exports the public API, so one
 * `<script type="module" src=".../parley.js">` makes `<parley-chat>` work. The app page
 * imports it too (src/main.ts). Code that wants the classes without registering them imports
 * `parley/elements` (src/index.ts) instead.
 *
 * One plain `customElements.define` call per element, so the manifest analyzer reads each tag
 * name from here by itself (the Settings panel's and the login box's, loaded at once but in
 * chunks of their own, from src/components/settings/settings-define.ts, login/login-define.ts,
 * roster/roster-define.ts and messages/messages-define.ts).
 */
import { loadLoginBox, loadMessages, loadRoster } from './components/chat/chat-body.js';
import { loadSettingsPanel } from './components/chat/chat-settings.js';
import { ParleyChat } from './components/chat/parley-chat.js';
import { ParleyComposer } from './components/composer/parley-composer.js';

/**
 * The public API, as `parley/elements` exports it. Kept out of the manifest (`@ignore`), which
 * documents the elements, each from its own module; the API's types are in parley.d.ts.
 * @ignore
 */
export * from './api.js';

// Defining a tag twice throws; a page that loads Parley twice keeps the first definition.
if (!customElements.get('parley-chat')) customElements.define('parley-chat', ParleyChat);
if (!customElements.get('parley-composer'))
  customElements.define('parley-composer', ParleyComposer);
// The message list, the Settings panel's elements, the login box and the member list come in
// chunks of their own (see messages-define.ts, settings-define.ts, login-define.ts and
// roster-define.ts); the message list first, since a returning visitor sees it at once.
void loadMessages();
void loadSettingsPanel();
void loadLoginBox();
void loadRoster();

declare global {
  interface HTMLElementTagNameMap {
    'parley-chat': ParleyChat;
    'parley-composer': ParleyComposer;
  }
}
