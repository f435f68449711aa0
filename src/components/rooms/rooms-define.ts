/**
 * Registers the room list's element. Loaded on its own (a lazy chunk), like the Settings panel
 * (`settings-define.ts`): `<parley-chat>` asks for it once someone is logged in, and the list
 * appears a moment after the chat — it costs nothing in the initial download.
 */
import { ParleyRooms } from './parley-rooms.js';
import './new-room-define.js';

/** The chat's side of the list (drawn with this element): see rooms-view.ts. */
export { roomsList } from './rooms-view.js';

// Defining a tag twice throws; a page that loads Parley twice keeps the first definition.
if (!customElements.get('parley-rooms')) customElements.define('parley-rooms', ParleyRooms);

declare global {
  interface HTMLElementTagNameMap {
    'parley-rooms': ParleyRooms;
  }
}
