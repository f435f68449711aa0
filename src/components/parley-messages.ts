/**
 * The message list: author, time and text of each message, own messages on the right with
 * their delivery state, a separator per day. Text is rendered as text only, never as markup.
 *
 * Up to {@link FULL_RENDER_MAX} messages are rendered in full; longer lists are virtualized
 * with `@lit-labs/virtualizer` (loaded the first time a list gets that long; meanwhile its newest
 * messages are shown in full), so the DOM holds only the rows around the viewport however much
 * history is loaded. Either way the element keeps the reader's place: it follows new
 * messages while the reader is at the bottom (and always after our own), and keeps the first
 * visible message where it was when older messages are prepended.
 *
 * Screen readers hear new messages from others through a separate, visually hidden polite live
 * region ("New message from Ann: hello"), never the list itself: neither the history shown on
 * opening, nor older pages, nor our own messages are read out, in either mode.
 */
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ChatMessage } from '../controllers/message-list.js';
import { fire } from './events.js';
import { messagesStyles } from './parley-messages.styles.js';
import { base } from './theme.styles.js';
import { isDay, messageRow, newestRows, rowKey, toRows, type Row } from './message-rows.js';
import type { Pin } from './virtual-list.js';

/** Lists up to this long are rendered in full; longer ones are virtualized. */
export const FULL_RENDER_MAX = 150;
/** Within this many px of the bottom counts as "at the bottom". */
const BOTTOM_SLACK = 48;
/** Up to this many new messages at once are announced one by one; more are summed up. */
const ANNOUNCE_EACH_MAX = 3;
/** Announced text is cut to about this many characters. */
const ANNOUNCE_TEXT_MAX = 200;
/** Announcements kept in the live region (older ones are removed, silently). */
const ANNOUNCE_KEEP = 3;

/** The parts `<parley-messages>` exposes, for a parent's `exportparts`. */
export const MESSAGES_PARTS =
  'list, message, own, author, time, text, status, day, button, retry, load-older, empty';

const clip = (text: string) =>
  text.length > ANNOUNCE_TEXT_MAX ? `${text.slice(0, ANNOUNCE_TEXT_MAX)}…` : text;

/** What screen readers hear for messages that just arrived (one line each). */
function announcements(news: readonly ChatMessage[]): string[] {
  if (news.length <= ANNOUNCE_EACH_MAX) {
    return news.map((m) => `New message from ${m.from.name}: ${clip(m.text)}`);
  }
  const last = news.at(-1)!;
  return [`${news.length} new messages. The latest, from ${last.from.name}: ${clip(last.text)}`];
}

/** The virtualized rendering, once loaded (one module for every element on the page). */
let virtualList: typeof import('./virtual-list.js') | undefined;
let loadingList: Promise<void> | undefined;

/** Loads the virtualized rendering once; a failed load (offline) is tried again next time. */
function loadVirtualList(): Promise<void> {
  loadingList ??= import('./virtual-list.js').then(
    (module) => void (virtualList = module),
    () => void (loadingList = undefined), // meanwhile lists render in full: slower, still right
  );
  return loadingList;
}

/** What the coming update does to the scroll position. */
type Plan = { to: 'end' } | { to: 'anchor'; id: string; offset: number } | null;

/**
 * @summary Shows the conversation, however long.
 * @fires parley-load-older - The reader asks for older messages (button, or scrolled near the top; once per page).
 * @fires parley-retry - `{ id }`: the reader asks to send a failed message of ours again.
 * @csspart list - The scrolling list of messages (focusable, so the keyboard can scroll it).
 * @csspart message - One message.
 * @csspart own - One of our own messages (with `message`).
 * @csspart author - The author's name in a message ("You" for ours); on others', its `::after` is the author's short fingerprint.
 * @csspart time - The `<time>` of a message.
 * @csspart text - The text of a message.
 * @csspart status - The delivery state of one of our messages.
 * @csspart day - The separator before each day's first message.
 * @csspart button - Every button (Load earlier messages, Retry).
 * @csspart retry - The Retry button of a message that was not delivered.
 * @csspart load-older - The "Load earlier messages" button.
 * @csspart empty - The "No messages yet" line.
 * @cssproperty --parley-bg - Background of the messages of others and of the day separators.
 * @cssproperty --parley-fg - Text colour.
 * @cssproperty --parley-muted - Times and day separators.
 * @cssproperty --parley-own-bg - Background of our own messages.
 * @cssproperty --parley-surface - Background behind the messages.
 * @cssproperty --parley-line - Borders of the messages.
 * @cssproperty --parley-danger - Colour of "not delivered".
 * @cssproperty --parley-ok - Colour of "delivered".
 * @cssproperty --parley-radius - Corners of the messages.
 * @cssproperty --parley-spacing - Padding around the list.
 * @cssproperty --parley-focus - Focus ring.
 */
export class ParleyMessages extends LitElement {
  static override styles = [base, messagesStyles];

  /** Messages, oldest first. */
  @property({ attribute: false }) messages: readonly ChatMessage[] = [];
  /** Our account id, to tell our messages apart. */
  @property() self = '';
  /** Whether older messages can be loaded. */
  @property({ type: Boolean }) more = false;

  private rows: Row[] = [];
  private plan: Plan = null;
  /** Pin handed to the virtualizer with the coming render (virtual mode only). */
  private pin: (Pin & { pinOffset: number }) | undefined;
  /** Oldest message id when we last asked for older ones: one request per page. */
  private askedAt: string | undefined;
  /**
   * Part of virtual rows' keys, bumped when rows move to other indices: the virtualizer caches
   * sizes by index and measures only new or resized rows; new keys make moved rows measured.
   */
  private generation = 0;
  private readonly virtualKey = (row: Row) => `${rowKey(row)}/${this.generation}`;
  /** When the list was last emptied or replaced: later messages arriving into it are news. */
  private since = Date.now();
  /** Messages of others that arrived with the coming update, to announce. */
  private news: readonly ChatMessage[] = [];

  /** Whether the list is virtualized (longer than {@link FULL_RENDER_MAX}, virtualizer loaded). */
  get virtual(): boolean {
    return this.messages.length > FULL_RENDER_MAX && virtualList !== undefined;
  }
  /** Whether the last render was virtualized: a new virtualizer needs a pin to start from. */
  private shownVirtual = false;
  /** The coming update switches to the virtualized list (plans the scroll as for new messages). */
  private relist = false;
  /** The virtualizer being loaded for this list. */
  private loading: Promise<void> | undefined;

  /** Loads the virtualizer for a long list, then renders again, virtualized. */
  private needVirtual(): void {
    if (virtualList || this.loading) return;
    this.loading = loadVirtualList().then(() => {
      this.loading = undefined;
      // Planned like a change of messages, so the switch keeps the reader's place.
      this.relist = virtualList !== undefined && this.messages.length > FULL_RENDER_MAX;
      if (this.relist) this.requestUpdate();
    });
  }

  /** Also waits for a virtualizer being loaded and the render that follows it. */
  protected override async getUpdateComplete(): Promise<boolean> {
    let done = await super.getUpdateComplete();
    while (this.loading) {
      await this.loading;
      done = (await super.getUpdateComplete()) && done;
    }
    return done;
  }

  /** The scrolling list (absent while there are no messages). */
  private get list(): HTMLOListElement | null {
    return this.renderRoot?.querySelector('ol') ?? null;
  }

  private loadOlder(): void {
    this.askedAt = this.messages[0]?.id;
    fire(this, 'parley-load-older', {});
  }

  /** The visually hidden live region that announces new messages. */
  private get live(): HTMLElement | null {
    return this.renderRoot?.querySelector('.live') ?? null;
  }

  /**
   * The messages of others that arrived since `old`: those after its newest. None when the
   * list was replaced (another room, a reload), and none for pages prepended or our own. Into an
   * empty list, only those written since it was emptied (not the history shown on opening).
   */
  private arrivals(old: readonly ChatMessage[]): ChatMessage[] {
    const theirs = (m: ChatMessage) => m.from.id !== this.self;
    if (this.messages.length === 0) {
      this.since = Date.now();
      return [];
    }
    if (old.length === 0) return this.messages.filter((m) => m.ts >= this.since && theirs(m));
    const newest = old.at(-1)!.id;
    let i = this.messages.length - 1;
    while (i >= 0 && this.messages[i]!.id !== newest) i--;
    if (i < 0) {
      this.since = Date.now();
      return [];
    }
    return this.messages.slice(i + 1).filter(theirs);
  }

  /** Adds the announcements of the messages that just arrived to the live region. */
  private announce(news: readonly ChatMessage[]): void {
    const live = this.live;
    if (!live || news.length === 0) return;
    for (const line of announcements(news)) {
      const p = document.createElement('p');
      p.textContent = line;
      live.append(p);
    }
    while (live.childElementCount > ANNOUNCE_KEEP) live.firstElementChild!.remove();
  }

  /** Infinite scroll: near the top, with more to load, ask once for this page. */
  private readonly onScroll = (): void => {
    const first = this.messages[0]?.id;
    if (!this.more || first === undefined || first === this.askedAt) return;
    const list = this.list!;
    if (list.scrollTop < Math.max(200, list.clientHeight)) this.loadOlder();
  };

  /**
   * Virtual mode, going to the newest: the `end` pin gets there with estimated sizes, and the
   * layout can settle a few px short once rows are measured. So scroll to the very bottom on
   * the next frames until it holds for two (at most 10), unless the reader takes over.
   */
  private follow(): void {
    const idle = this.followFrames <= 0;
    this.followFrames = 10;
    if (idle) requestAnimationFrame(() => this.followStep(0));
  }
  private followStep(calm: number): void {
    const list = this.list;
    if (!list || this.followFrames-- <= 0) return;
    const gap = list.scrollHeight - list.scrollTop - list.clientHeight;
    if (gap > 1) list.scrollTop = list.scrollHeight;
    else if (calm === 1) return void (this.followFrames = 0);
    requestAnimationFrame(() => this.followStep(gap > 1 ? 0 : calm + 1));
  }
  private followFrames = 0;
  private readonly takeOver = () => (this.followFrames = 0);

  /** The first message at least partly in view, and its top's distance from the list's. */
  private firstVisible(list: HTMLElement): { id: string; offset: number } | undefined {
    const top = list.getBoundingClientRect().top;
    for (const li of list.querySelectorAll<HTMLElement>('li.msg')) {
      const box = li.getBoundingClientRect();
      if (box.bottom > top) return { id: li.dataset['id']!, offset: box.top - top };
    }
    return undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('messages') && !this.relist) return;
    const old = changed.get('messages') ?? (this.relist ? this.messages : []);
    this.relist = false;
    this.news = this.arrivals(old);
    const oldRows = this.rows;
    this.rows = toRows(this.messages);
    const newest = this.messages.at(-1);
    const oldNewest = old.at(-1);
    const reset = !oldNewest || !this.messages.some((m) => m.id === oldNewest.id);
    const ownArrived = newest?.id !== oldNewest?.id && newest?.from.id === this.self;
    const list = this.list;
    const atBottom = !list || list.scrollHeight - list.scrollTop - list.clientHeight < BOTTOM_SLACK;
    // Decide before rendering: follow new messages only if the reader was at the bottom.
    const anchor = reset || atBottom || ownArrived ? undefined : this.firstVisible(list!);
    this.plan = anchor ? { to: 'anchor', ...anchor } : { to: 'end' };
    this.pin = undefined;
    if (this.messages.length > FULL_RENDER_MAX) this.needVirtual();
    if (!this.virtual) return;
    const last = oldRows.at(-1);
    const kept = last && rowKey(this.rows[oldRows.length - 1] ?? last) === rowKey(last);
    if (!kept || this.rows.length < oldRows.length) this.generation++; // not just appended
    if (!anchor) {
      this.pin = { index: this.rows.length - 1, block: 'end', pinOffset: 0 };
      return;
    }
    // The virtualizer keeps rows by index: pin the anchor only if rows were added above it.
    const index = this.rows.findIndex((r) => !isDay(r) && r.id === anchor.id);
    const before = oldRows.findIndex((r) => !isDay(r) && r.id === anchor.id);
    const fresh = !this.shownVirtual; // a new virtualizer: it needs a pin
    if (index >= 0 && (index !== before || fresh)) {
      this.pin = { index, block: 'start', pinOffset: anchor.offset };
    }
  }

  protected override updated(): void {
    const plan = this.plan;
    this.plan = null;
    const news = this.news;
    this.news = [];
    this.announce(news);
    this.pin = undefined; // handed over: the virtualizer keeps it until the reader scrolls
    this.shownVirtual = this.virtual;
    const list = this.list;
    if (!plan || !list) return;
    if (plan.to === 'end') {
      if (this.virtual) this.follow();
      else list.scrollTop = list.scrollHeight;
      return;
    }
    if (this.virtual) return; // the virtualizer pinned the anchor
    const li = list.querySelector(`li.msg[data-id="${CSS.escape(plan.id)}"]`);
    if (li) {
      const offset = li.getBoundingClientRect().top - list.getBoundingClientRect().top;
      list.scrollTop += offset - plan.offset;
    }
  }

  private readonly renderRow = (row: Row) =>
    messageRow(row, this.self, (id) => fire(this, 'parley-retry', { id }));

  private renderList() {
    const virtual = this.virtual ? virtualList : undefined;
    // The virtualized list is its own scroller; a reader's wheel, keys or pointer take over.
    const takeOver = virtual ? this.takeOver : nothing;
    const mode = virtual ? 'virtual' : 'full';
    // Keyed: a list that becomes virtual gets a fresh <ol>, never one full of plain rows.
    return keyed(
      mode,
      html`<ol
        class=${mode}
        part="list"
        aria-label="Messages"
        tabindex="0"
        @scroll=${this.onScroll}
        @wheel=${takeOver}
        @keydown=${takeOver}
        @pointerdown=${takeOver}
      >
        ${
          virtual
            ? virtual.virtualRows({
                items: this.rows,
                key: this.virtualKey,
                render: this.renderRow,
                pin: this.pin,
              })
            : repeat(newestRows(this.rows, FULL_RENDER_MAX), rowKey, this.renderRow)
        }
      </ol>`,
    );
  }

  override render() {
    const older = html`<div class="older">
      <button part="button load-older" @click=${() => this.loadOlder()}>
        Load earlier messages
      </button>
    </div>`;
    const empty = html`<p class="empty" part="empty">No messages yet. Say hello!</p>`;
    // The live region stays the same element for the element's life, so screen readers keep it.
    return html`${this.more ? older : nothing}${this.messages.length ? this.renderList() : empty}
      <div class="live visually-hidden" aria-live="polite"></div>`;
  }
}
