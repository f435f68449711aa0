/**
 * `<parley-search>` as `<parley-chat>` renders it, bound to the chat's state: in the panel's
 * chunk, so the chat's initial download holds only the door (chat/search-door.ts).
 */
import { html } from 'lit';
import type { SearchSource } from '../../controllers/search/search-controller.js';
import { SEARCH_PARTS } from './search-parts.js';

/** What the panel shows and whom it tells. */
export interface SearchPanelView {
  source: SearchSource;
  room: string;
  title: string;
  rooms: boolean;
  titleOf: (room: string) => string;
  open: boolean;
  /** A result was chosen: message `id` of `room`. */
  onJump: (id: string, room: string) => void;
  onClose: () => void;
}

/** The panel: hidden while closed, so its query and results wait for the next opening. */
export function searchPanel(v: SearchPanelView) {
  return html`<parley-search
    class="search-panel"
    part="search"
    exportparts=${SEARCH_PARTS}
    .titleOf=${v.titleOf}
    ?hidden=${!v.open}
    .source=${v.source}
    .room=${v.room}
    .roomTitle=${v.title}
    .rooms=${v.rooms}
    @parley-jump=${(e: CustomEvent<{ id: string; room: string }>) => {
      e.stopPropagation();
      v.onJump(e.detail.id, e.detail.room);
    }}
    @parley-search-close=${v.onClose}
  ></parley-search>`;
}
