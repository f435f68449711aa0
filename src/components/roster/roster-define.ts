/**
 * Registers the member list. Loaded on its own (a lazy chunk), like the login box
 * (login-define.ts): `parley` starts loading it right after registering the rest; until it
 * arrives `<parley-chat>` renders `<parley-roster>` as a plain element, which takes its
 * `members` with it when it upgrades.
 *
 * One plain `customElements.define` call, so the manifest analyzer reads the tag name from here.
 */
import { ParleyRoster } from './parley-roster.js';

// Defining a tag twice throws; a page that loads Parley twice keeps the first definition.
if (!customElements.get('parley-roster')) customElements.define('parley-roster', ParleyRoster);

declare global {
  interface HTMLElementTagNameMap {
    'parley-roster': ParleyRoster;
  }
}
