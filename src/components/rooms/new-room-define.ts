/**
 * Registers the "New room" form's element. Loaded on its own (a lazy chunk) as soon as
 * `<parley-chat>` starts, for its top bar; the room list's chunk registers it too. Until it
 * arrives the top bar holds `<parley-new-room>` as a plain, empty element.
 *
 * One plain `customElements.define` call, so the manifest analyzer reads the tag name from here.
 */
import { ParleyNewRoom } from './parley-new-room.js';

// Defining a tag twice throws; a page that loads Parley twice keeps the first definition.
if (!customElements.get('parley-new-room')) customElements.define('parley-new-room', ParleyNewRoom);

declare global {
  interface HTMLElementTagNameMap {
    'parley-new-room': ParleyNewRoom;
  }
}
