/**
 * `components/search/` — the search panel: the element, its results, styles, parts and lazy
 * registration.
 *
 * `<parley-search>`: a "Search" field over this account's history, a choice between this room
 * and all rooms, a status line read out politely, and the messages found, each a button that
 * asks the chat to show the message in its place (`parley-jump`). Results follow the typing
 * (see the search controller). The keyboard walks from the field into the results with the
 * arrows; Escape empties the field, then closes.
 */
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import {
  QUERY_MAX,
  SearchController,
  type SearchScope,
  type SearchSource,
} from '../../controllers/search/search-controller.js';
import { base } from '../shared/theme.styles.js';
import { searchStyles } from './parley-search.styles.js';
import { searchResult } from './search-result.js';

export { SEARCH_PARTS } from './search-parts.js';

/** What `parley-jump` carries from a search result: the message and its room. */
export interface JumpDetail {
  id: string;
  room: string;
}

/**
 * @summary Finds messages in the current room or all rooms, and asks to show one in context.
 * @csspart search-bar - The row holding the field and the close button.
 * @csspart search-field - The "Search" field.
 * @csspart search-clear - The "Clear search" button in the field (while it holds something; Escape does the same).
 * @csspart search-close - The "Close search" button (its visible word is "Close").
 * @csspart search-scope - The "This room" / "All rooms" choice (only with `rooms`).
 * @csspart search-scope-option - One choice's label.
 * @csspart search-status - The status line ("3 results", "Searching…", no match, a failure).
 * @csspart search-results - The list of results.
 * @csspart search-item - One result's list item.
 * @csspart search-result - One result's button.
 * @csspart search-author - The author's name in a result.
 * @csspart search-room - The room's title in a result (all-rooms scope).
 * @csspart search-time - The date and time of a result.
 * @csspart search-excerpt - The text of a result around its first match.
 * @csspart search-mark - A matched run in the excerpt.
 * @csspart search-hint - The line saying how words are matched, while the field is empty.
 * @csspart search-more - "More messages match" under a full list.
 * @fires parley-jump - A result was chosen (`detail`: id, room): show that message in context.
 * @fires parley-search-close - The user closes the search (its button, or Escape in an empty field).
 * @cssproperty --parley-bg - Background of the panel and the field.
 * @cssproperty --parley-fg - Text (and, faintly, a result under the pointer or focused).
 * @cssproperty --parley-muted - The status line, times and rooms.
 * @cssproperty --parley-line - Dividers between results.
 * @cssproperty --parley-field-border - The field's border.
 * @cssproperty --parley-accent - The chosen scope, the matches' highlight and the focus ring.
 * @cssproperty --parley-danger - A failed search.
 */
export class ParleySearch extends LitElement {
  static override styles = [base, searchStyles];

  /** The account whose history is searched; nothing is found without one. */
  @property({ attribute: false }) source: SearchSource | undefined;
  /** The current room, searched in the "This room" scope. */
  @property() room = '';
  /** The current room's title, for the field's placeholder and the results. */
  @property({ attribute: 'room-title' }) roomTitle = '';
  /** The account has more than one room: offer "All rooms". */
  @property({ type: Boolean }) rooms = false;
  /** A room's title, for results from other rooms; their id without it. */
  @property({ attribute: false }) titleOf: ((room: string) => string) | undefined;

  @state() private scope: SearchScope = 'room';
  /** The result that Tab reaches (the others are reached with the arrows). */
  @state() private active = 0;
  /** The field holds something to look for. */
  @state() private typed = false;
  @query('input') private field!: HTMLInputElement;
  private readonly finder = new SearchController(this);

  /** Puts the keyboard in the field (when the panel opens). */
  override focus(options?: FocusOptions): void {
    void this.updateComplete.then(() => this.field.focus(options));
  }

  /** Put back in the page (the controller forgot its results when taken out), it searches again. */
  override connectedCallback(): void {
    super.connectedCallback();
    if (this.field?.value.trim()) this.finder.search(this.field.value, this.scope);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!this.rooms) this.scope = 'room';
    this.finder.room = this.room;
    if (changed.has('source')) {
      this.finder.source = this.source;
      // Another account's results must not stay on screen.
      if (changed.get('source') !== undefined) this.finder.clear();
    }
    const stale =
      (changed.has('source') && changed.get('source') !== undefined) ||
      (changed.has('room') && this.scope === 'room');
    if (stale && this.field?.value.trim()) this.finder.search(this.field.value, this.scope);
  }

  private onInput(): void {
    this.active = 0;
    this.typed = this.field.value.trim() !== '';
    this.finder.search(this.field.value, this.scope);
  }

  private onScope(e: Event): void {
    this.scope = (e.target as HTMLInputElement).value === 'all' ? 'all' : 'room';
    this.active = 0;
    if (this.field.value.trim()) this.finder.search(this.field.value, this.scope);
  }

  private onFieldKey(e: KeyboardEvent): void {
    if (e.key === 'ArrowDown' && this.finder.results.length) {
      e.preventDefault();
      this.moveTo(0);
    } else if (e.key === 'Escape') {
      // Ours, not the browser's (which would clear a search field) nor a dialog's around us.
      e.preventDefault();
      e.stopPropagation();
      if (this.field.value) this.empty();
      else this.close();
    }
  }

  /** Empties the field and the results; the keyboard stays in the field. */
  private empty(): void {
    this.field.value = '';
    this.typed = false;
    this.active = 0;
    this.finder.clear();
    this.field.focus();
  }

  private onResultsKey(e: KeyboardEvent): void {
    const at = Number((e.target as HTMLElement).closest<HTMLElement>('.hit')?.dataset.index);
    if (!Number.isInteger(at)) return;
    const last = this.finder.results.length - 1;
    const to: Record<string, number> = {
      ArrowDown: Math.min(at + 1, last),
      ArrowUp: at - 1,
      Home: 0,
      End: last,
    };
    const next = to[e.key];
    if (e.key === 'Escape' || next === -1) {
      e.preventDefault();
      e.stopPropagation();
      this.field.focus();
    } else if (next !== undefined) {
      e.preventDefault();
      this.moveTo(next);
    }
  }

  private moveTo(i: number): void {
    this.active = i;
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLElement>(`.hit[data-index="${i}"]`)?.focus(),
    );
  }

  private onResultsClick(e: Event): void {
    const button = (e.target as HTMLElement).closest<HTMLElement>('.hit');
    const hit = this.finder.results[Number(button?.dataset.index)];
    if (!button || !hit) return;
    this.active = Number(button.dataset.index);
    this.emit('parley-jump', { id: hit.id, room: hit.room });
  }

  private close(): void {
    this.emit('parley-search-close', {});
  }

  /** Fires one of the panel's events: bubbling and composed, like every view's (shared/events.ts). */
  private emit(type: 'parley-jump' | 'parley-search-close', detail: object): void {
    this.dispatchEvent(
      new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable: true }),
    );
  }

  /** The status line's words. */
  private status(): string {
    const f = this.finder;
    if (!this.typed) return '';
    if (f.error) return f.error;
    if (f.busy && (f.slow || !f.query)) return 'Searching…';
    if (!f.query) return '';
    const n = f.results.length;
    if (n === 0) return `No messages match “${f.query}”`;
    if (f.more) return `${n}+ results`;
    return n === 1 ? '1 result' : `${n} results`;
  }

  private renderScope() {
    if (!this.rooms) return nothing;
    const option = (value: SearchScope, label: string) =>
      html`<label part="search-scope-option"
        ><input
          type="radio"
          name="scope"
          .value=${value}
          .checked=${this.scope === value}
          @change=${this.onScope}
        /><span>${label}</span></label
      >`;
    return html`<div class="scope" part="search-scope" role="radiogroup" aria-label="Where">
      ${option('room', 'This room')} ${option('all', 'All rooms')}
    </div>`;
  }

  override render() {
    const f = this.finder;
    const all = f.scope === 'all';
    const where = (room: string) =>
      !all
        ? undefined
        : room === this.room
          ? this.roomTitle || room
          : (this.titleOf?.(room) ?? room);
    const placeholder =
      this.scope === 'all' ? 'Search all rooms' : `Search #${this.roomTitle || this.room}`;
    const active = Math.min(this.active, Math.max(0, f.results.length - 1));
    return html`
      <div class="bar" part="search-bar">
        <div class="field">
          <svg class="glass" viewBox="0 0 16 16" aria-hidden="true">
            <circle cx="7" cy="7" r="4.6" />
            <path d="M10.4 10.4 14 14" />
          </svg>
          <input
            type="search"
            part="search-field"
            aria-label="Search"
            aria-controls="results"
            placeholder=${placeholder}
            maxlength=${QUERY_MAX}
            autocomplete="off"
            spellcheck="false"
            enterkeyhint="search"
            @input=${this.onInput}
            @keydown=${this.onFieldKey}
          />
          ${
            this.typed
              ? html`<button
                  type="button"
                  class="clear"
                  part="search-clear"
                  aria-label="Clear search"
                  title="Clear search"
                  tabindex="-1"
                  @click=${this.empty}
                >
                  <svg viewBox="0 0 16 16" aria-hidden="true">
                    <path d="M5.5 5.5l5 5M10.5 5.5l-5 5" />
                  </svg>
                </button>`
              : nothing
          }
        </div>
        <button
          type="button"
          class="close"
          part="search-close"
          aria-label="Close search"
          @click=${this.close}
        >
          Close
        </button>
      </div>
      <div class="under">
        ${this.renderScope()}
        <p
          class="status ${f.error ? 'error' : ''}"
          part="search-status"
          role="status"
          aria-live="polite"
        >
          ${this.status()}
        </p>
      </div>
      <ul
        id="results"
        class=${f.busy ? 'busy' : ''}
        part="search-results"
        aria-label="Search results"
        aria-busy=${f.busy ? 'true' : 'false'}
        ?hidden=${f.results.length === 0}
        @click=${this.onResultsClick}
        @keydown=${this.onResultsKey}
      >
        ${repeat(
          f.results,
          (h) => h.id,
          (h, i) =>
            searchResult(h, { where: where(h.room), tabIndex: i === active ? 0 : -1, index: i }),
        )}
      </ul>
      ${
        this.typed
          ? nothing
          : html`<p class="hint" part="search-hint">
              Words are found in any case and with or without accents; the start of a word is
              enough.
            </p>`
      }
      ${
        f.more && f.results.length
          ? html`<p class="more" part="search-more">
              More messages match: add a word to narrow it.
            </p>`
          : nothing
      }
    `;
  }
}
