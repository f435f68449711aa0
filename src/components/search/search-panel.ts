/**
 * `<parley-search>` as `<parley-chat>` renders it, bound to what the chat knows: in the
 * panel's chunk (search-define.ts), so the chat's initial download holds only the door
 * (search-door.ts).
 */
import { html } from 'lit';
import type { SearchSource } from '../../controllers/search/search-controller.js';
import type { JumpDetail } from './parley-search.js';
import { SEARCH_PARTS } from './search-parts.js';

/** What the panel shows, and whom it tells. */
export interface SearchPanelView {
  /** The logged-in account (its database and owner id); undefined when nobody is. */
  source: SearchSource | undefined;
  /** The current room's id and title. */
  room: string;
  roomTitle: string;
  /** The account has more than one room: offer "All rooms". */
  rooms: boolean;
  /** A room's title, for results from other rooms. */
  titleOf: (room: string) => string;
  open: boolean;
  /** A result was chosen: show message `id` of `room` in context. */
  onJump: (jump: JumpDetail) => void;
  onClose: () => void;
}

/** The panel; hidden rather than removed when closed, so it keeps its query for next time. */
export function searchPanel(v: SearchPanelView) {
  return html`<parley-search
    id="search"
    part="search"
    exportparts=${SEARCH_PARTS}
    ?hidden=${!v.open}
    .source=${v.source}
    .room=${v.room}
    .roomTitle=${v.roomTitle}
    ?rooms=${v.rooms}
    .titleOf=${v.titleOf}
    @parley-jump=${(e: CustomEvent<JumpDetail>) => v.onJump(e.detail)}
    @parley-search-close=${v.onClose}
  ></parley-search>`;
}
