/**
 * Registers the login box, and the guest's message box and account panel (`<parley-chat
 * guest>`'s way in, instead of a login). Loaded on its own (a lazy chunk), like the Settings panel
 * (settings-define.ts): `parley` starts loading it right after registering the rest. Until it
 * arrives `<parley-chat>` renders `<parley-login>` as a plain element, which takes its
 * attributes (`open`, `inline`, `busy`, `error`, `reason`) with it when it upgrades.
 *
 * Plain `customElements.define` calls, so the manifest analyzer reads the tag names from here.
 */
import { ParleyGuestProfile } from './guest-profile.js';
import { ParleyGuestStart } from './guest-start.js';
import { ParleyLogin } from './parley-login.js';

// Defining a tag twice throws; a page that loads Parley twice keeps the first definition.
if (!customElements.get('parley-login')) customElements.define('parley-login', ParleyLogin);
if (!customElements.get('parley-guest-start'))
  customElements.define('parley-guest-start', ParleyGuestStart);
if (!customElements.get('parley-guest-profile'))
  customElements.define('parley-guest-profile', ParleyGuestProfile);

declare global {
  interface HTMLElementTagNameMap {
    'parley-login': ParleyLogin;
    'parley-guest-start': ParleyGuestStart;
    'parley-guest-profile': ParleyGuestProfile;
  }
}
