/**
 * `<parley-chat>`'s side of search: loading the panel (a chunk of its own, see
 * search-define.ts) the first time it is opened, opening it with the keyboard in its field,
 * and closing it with the keyboard back where it was. Kept small: it is the only part of
 * search in the chat's initial download.
 */
import { nothing } from 'lit';
import type { ReactiveControllerHost } from 'lit';
import type { SearchPanelView } from './search-panel.js';
import { deepActive } from '../shared/focus.js';

type Chunk = typeof import('./search-define.js');

/** Whether the search panel is open, and the ways in and out of it. */
export class SearchDoor {
  /** The panel is open. */
  open = false;
  private chunk: Chunk | undefined;
  /** What had the keyboard before the panel opened (the header's "Search" button). */
  private opener: HTMLElement | null = null;

  constructor(private readonly host: ReactiveControllerHost & { renderRoot: ParentNode }) {}

  /** Opens the panel once its chunk is here, and puts the keyboard in its field. */
  show(): void {
    this.opener = deepActive();
    void import('./search-define.js').then(async (chunk) => {
      this.chunk = chunk;
      this.open = true;
      this.host.requestUpdate();
      await this.host.updateComplete;
      this.host.renderRoot.querySelector('parley-search')?.focus();
    });
  }

  /** Closes it (keeping its query) and gives the keyboard back. */
  close(): void {
    if (!this.open) return;
    this.open = false;
    this.host.requestUpdate();
    this.opener?.focus();
    this.opener = null;
  }

  /** Opens a closed panel, closes an open one (the header's button). */
  toggle(): void {
    if (this.open) this.close();
    else this.show();
  }

  /** The panel, or nothing before it was first opened. */
  render(v: Omit<SearchPanelView, 'open' | 'onClose'>) {
    return this.chunk
      ? this.chunk.searchPanel({ ...v, open: this.open, onClose: () => this.close() })
      : nothing;
  }
}
