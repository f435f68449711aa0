/**
 * Registers the Settings panel's elements. Loaded on its own (a lazy chunk): `parley` starts
 * loading it right after registering the rest, and `<parley-chat>` waits for it before it
 * opens the panel, so the panel costs nothing in the initial download.
 *
 * One plain `customElements.define` call per element, so the manifest analyzer reads each tag
 * name from here by itself.
 */
import { ParleySettings } from './parley-settings.js';
import { ParleyIdentityCard } from './settings-identity.js';
import { ParleyIdentityPort } from './settings-identity-port.js';
import { ParleyRoomLock } from './settings-room-lock.js';
import { ParleySettingsHistory } from './settings-history.js';

/** What `<parley-chat>` slots into the panel: it comes with the panel, in this chunk. */
export { SlottedParts } from './settings-slotted.js';

// Defining a tag twice throws; a page that loads Parley twice keeps the first definition.
if (!customElements.get('parley-settings'))
  customElements.define('parley-settings', ParleySettings);
if (!customElements.get('parley-room-lock'))
  customElements.define('parley-room-lock', ParleyRoomLock);
if (!customElements.get('parley-identity-card'))
  customElements.define('parley-identity-card', ParleyIdentityCard);
if (!customElements.get('parley-identity-port'))
  customElements.define('parley-identity-port', ParleyIdentityPort);
if (!customElements.get('parley-settings-history'))
  customElements.define('parley-settings-history', ParleySettingsHistory);

declare global {
  interface HTMLElementTagNameMap {
    'parley-settings': ParleySettings;
    'parley-room-lock': ParleyRoomLock;
    'parley-identity-card': ParleyIdentityCard;
    'parley-identity-port': ParleyIdentityPort;
    'parley-settings-history': ParleySettingsHistory;
  }
}
