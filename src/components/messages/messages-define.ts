/**
 * Registers the message list. Loaded on its own (a lazy chunk), like the member list
 * (roster-define.ts): `parley` starts loading it right after registering the rest; until it
 * arrives `<parley-chat>` renders `<parley-messages>` as a plain element, which takes its
 * properties with it when it upgrades. Its rows, their formatting and their actions weigh
 * nothing on the first download.
 *
 * One plain `customElements.define` call, so the manifest analyzer reads the tag name from here.
 */
import { ParleyMessages } from './parley-messages.js';

// Defining a tag twice throws; a page that loads Parley twice keeps the first definition.
if (!customElements.get('parley-messages'))
  customElements.define('parley-messages', ParleyMessages);

declare global {
  interface HTMLElementTagNameMap {
    'parley-messages': ParleyMessages;
  }
}
