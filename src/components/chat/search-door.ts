/**
 * `<parley-chat>`'s side of the "Search" panel: loading the element (a chunk of its own, see
 * search-define.ts) the first time it is opened, opening and closing it, and showing a chosen
 * result in its room. Kept small: it is in the chat's initial download.
 */
import { nothing, type ReactiveControllerHost } from 'lit';
import type { SearchSource } from '../../controllers/search/search-controller.js';

/** What the panel searches and how a result is shown. */
export interface SearchSources {
  /** The account's database and id, when someone is logged in. */
  source: () => SearchSource | undefined;
  /** The room on screen, its title, and whether the account has other rooms. */
  room: () => { room: string; title: string; rooms: boolean };
  /** The title of any room of the account (results of "All rooms" name theirs). */
  titleOf: (room: string) => string;
  /** Shows message `id` of `room` in context. */
  show: (id: string, room: string) => void;
}

/** Whether the "Search" panel is open, and the ways in and out of it. */
export class SearchDoor {
  /** The panel is open. */
  open = false;
  private chunk: typeof import('../search/search-define.js') | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly sources: SearchSources,
  ) {}

  /** Opens the panel (once its chunk is here) and puts the focus in its field. */
  show(): void {
    void import('../search/search-define.js').then(async (chunk) => {
      this.chunk = chunk;
      if (!this.host.isConnected) return;
      this.open = true;
      this.host.requestUpdate();
      await this.host.updateComplete;
      this.host.shadowRoot?.querySelector<HTMLElement>('parley-search')?.focus();
    });
  }

  /** Closes it, and gives the focus back to the button that opened it. */
  close(): void {
    if (!this.open) return;
    this.open = false;
    this.host.requestUpdate();
    // The header's magnifier, or (narrow: it is an item of the menu) the menu's button.
    void this.host.updateComplete.then(() => {
      const root = this.host.shadowRoot;
      const shown = [
        ...(root?.querySelectorAll<HTMLElement>('.search-button, .menu-toggle') ?? []),
      ];
      shown.find((b) => b.offsetParent !== null)?.focus();
    });
  }

  /**
   * The panel, or nothing before it was first opened: once made it stays (hidden while
   * closed), so the query and its results are still there when it opens again.
   */
  render() {
    const source = this.sources.source();
    if (!this.chunk || !source) return nothing;
    return this.chunk.searchPanel({
      source,
      ...this.sources.room(),
      titleOf: this.sources.titleOf,
      open: this.open,
      onJump: (id, room) => {
        this.open = false;
        this.host.requestUpdate();
        this.sources.show(id, room);
      },
      onClose: () => this.close(),
    });
  }
}
