/**
 * Registers the guest's message box and account panel (`<parley-chat guest>`'s way in, instead
 * of a login). Loaded with the guest's views (components/chat/guest-parts.ts), only by a chat
 * with `guest`: other visitors never fetch it.
 *
 * Plain `customElements.define` calls, so the manifest analyzer reads the tag names from here.
 */
import { ParleyGuestProfile } from './guest-profile.js';
import { ParleyGuestStart } from './guest-start.js';

// Defining a tag twice throws; a page that loads Parley twice keeps the first definition.
if (!customElements.get('parley-guest-start'))
  customElements.define('parley-guest-start', ParleyGuestStart);
if (!customElements.get('parley-guest-profile'))
  customElements.define('parley-guest-profile', ParleyGuestProfile);

declare global {
  interface HTMLElementTagNameMap {
    'parley-guest-start': ParleyGuestStart;
    'parley-guest-profile': ParleyGuestProfile;
  }
}
