/**
 * Registers the login box. Loaded on its own (a lazy chunk), like the Settings panel
 * (settings-define.ts): `parley` starts loading it right after registering the rest. Until it
 * arrives `<parley-chat>` renders `<parley-login>` as a plain element, which takes its
 * attributes (`open`, `inline`, `busy`, `error`, `reason`) with it when it upgrades.
 *
 * One plain `customElements.define` call, so the manifest analyzer reads the tag name from here.
 */
import { ParleyLogin } from './parley-login.js';

// Defining a tag twice throws; a page that loads Parley twice keeps the first definition.
if (!customElements.get('parley-login')) customElements.define('parley-login', ParleyLogin);

declare global {
  interface HTMLElementTagNameMap {
    'parley-login': ParleyLogin;
  }
}
