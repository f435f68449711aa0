/**
 * `components/messages/` — the message list: the element, its rows, the new-messages pill, the
 * reader's place, announcements and the virtualized rendering.
 *
 * The message list: author, time and text of each message, own messages on the right with
 * their delivery state, a separator per day. Text is rendered as text only, never as markup.
 * Consecutive messages of one author (same identity, within 5 minutes, same day) share one
 * header with the author's avatar; a short conversation sits at the bottom, just above the
 * composer; "Beginning of #room" marks the start of history once nothing older is left;
 * very long messages fold behind "Show more".
 *
 * Up to {@link FULL_RENDER_MAX} messages are rendered in full; longer lists are virtualized
 * with `@lit-labs/virtualizer` (loaded the first time a list gets that long; meanwhile its newest
 * messages are shown in full), so the DOM holds only the rows around the viewport however much
 * history is loaded. Either way the element keeps the reader's place: it follows new
 * messages while the reader is at the bottom (and always after our own), and keeps the first
 * visible message where it was when older messages are prepended; above the bottom, a
 * "N new messages" pill counts what arrived below and jumps there.
 *
 * Screen readers hear new messages from others through a separate, visually hidden polite live
 * region ("New message from Ann: hello"), never the list itself: neither the history shown on
 * opening, nor older pages, nor our own messages are read out, in either mode.
 */
import { adoptStyles, html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { repeat } from 'lit/directives/repeat.js';
import { guard } from 'lit/directives/guard.js';
import type { FileActions } from '../../controllers/files/file-state.js';
import type { ChatMessage } from '../../controllers/room/message-list.js';
import type { TimelineContext } from './timeline.js';

/** What a list's owner tells it for the lines (see `ParleyMessages.context`). */
export type LinesInput = Partial<Omit<TimelineContext, 'begin' | 'self'>>;
/** Whether two line inputs differ in any value. */
const differs = (a: LinesInput, b: LinesInput = {}) =>
  (Object.keys({ ...a, ...b }) as Array<keyof LinesInput>).some((k) => a[k] !== b[k]);
import { avatarStyles } from '../shared/avatar.js';
import { fire } from '../shared/events.js';
import { atBottom, firstVisible } from './list-place.js';
import {
  continuing,
  isMessage,
  messageRow,
  newestRows,
  rowKey,
  toRows,
  type Row,
  type RowState,
} from './message-rows.js';
import { messagesStyles } from './parley-messages.styles.js';
import { extrasStyles } from './message-extras.styles.js';
import { formatStyles } from './format/format.styles.js';
import { RowActions } from './message-actions.js';
import { placeHighlight, toPlace } from './highlight.js';
import { lines, loadLines, loadVirtualList, virtualList } from './list-chunks.js';
import { base } from '../shared/theme.styles.js';
import type { Pin } from './virtual-list.js';

/** Lists up to this long are rendered in full; longer ones are virtualized. */
export const FULL_RENDER_MAX = 150;

/** The parts `<parley-messages>` exposes, for a parent's `exportparts`. */
export { MESSAGES_PARTS } from './messages-parts.js';

/** What the coming update does to the scroll position. */
type Plan =
  | { to: 'end' }
  | { to: 'anchor'; id: string; offset: number }
  | { to: 'highlight'; id: string }
  | null;

/**
 * @summary Shows the conversation, however long.
 * @fires parley-load-older - The reader asks for older messages (button, or scrolled near the top; once per page).
 * @fires parley-retry - `{ id }`: the reader asks to send a failed message of ours again.
 * @fires parley-react - `{ id, emoji, on }`: add or take back our reaction (a chip, or the picker).
 * @fires parley-delete - `{ id }`: delete our message (the reader confirmed): others see "message deleted".
 * @fires parley-compose - `{ mode, id, text, name, excerpt }`: Reply or Edit; the owner hands it to the composer.
 * @fires parley-jump - `{ id }`: a reply's quote asks to show the message it answers.
 * @csspart list - The scrolling list of messages (focusable, so the keyboard can scroll it).
 * @csspart message - One message.
 * @csspart own - One of our own messages (with `message`).
 * @csspart group - The first message of a group, the one showing the author and time (with `message`); the others of the group show the name to screen readers only, and their time on hover or focus.
 * @csspart avatar - The initial on the author's colour, in the first message of someone else's group (decorative).
 * @csspart author - The author's name in a message ("You" for ours); on others', its `::after` is the author's short fingerprint.
 * @csspart time - The `<time>` of a message.
 * @csspart text - The text of a message.
 * @csspart status - The delivery state of one of our messages.
 * @csspart day - The separator before each day's first message.
 * @csspart beginning - The "Beginning of #room" marker before the first message, once nothing older is left.
 * @csspart line - A quiet line between messages: the room is end-to-end encrypted (or public), encryption changed, someone joined or left, history was shared, a message no key of ours opens, a room's note; a warning about an author's identity (also with the class `warn`).
 * @csspart flag - A message's flag under its header: "Not encrypted", "Only in this browser's tabs", "⚠ Not the Alice you talked to before", "⚠ Looks like Alice's name — another person".
 * @csspart verified - "✓ Verified" after the name of an author whose safety code the user compared.
 * @csspart button - Every button (Load earlier messages, Retry, Show more, the new-messages pill).
 * @csspart retry - The Retry button of a message that was not delivered.
 * @csspart show-more - The "Show more" / "Show less" button of a very long message (`aria-expanded`).
 * @csspart load-older - The "Load earlier messages" button.
 * @csspart new-pill - The "N new messages ↓" button, shown while scrolled up when messages arrive below.
 * @csspart empty - The "No messages yet" line.
 * @csspart highlight - The message shown in context after a jump (with `message`): outlined for a moment, focused.
 * @csspart quote - A reply's quote of the message it answers (a button: it shows that message).
 * @csspart reactions - The line under a message's text with its reactions and "edited".
 * @csspart reaction - A reaction's chip (with `button`; a toggle, `aria-pressed` when it is ours).
 * @csspart edited - The "edited" mark of an edited message (its title says when).
 * @csspart actions - The "Message actions" toolbar, shown in the hovered or focused message only.
 * @csspart action - A button of that toolbar (Reply, React, Edit, Delete; with `button`).
 * @csspart picker - The emoji picker "React" opens.
 * @csspart confirm - The question "Delete" asks first.
 * @csspart file - A file message's card (`<parley-file>`): name, size and type, an image's preview, progress, Download.
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
  static override styles = [base, avatarStyles, messagesStyles, extrasStyles, formatStyles];

  /** Messages, oldest first. */
  @property({ attribute: false }) messages: readonly ChatMessage[] = [];
  /** Our account id, to tell our messages apart. */
  @property() self = '';
  /** Whether older messages can be loaded. */
  @property({ type: Boolean }) more = false;
  /** The room's title for "Beginning of #…" (default: the messages' room name). */
  @property({ attribute: 'room-title' }) roomTitle = '';
  /**
   * What the quiet lines between messages are made of (see timeline.ts): `encrypted` (the room's
   * first line says so, and where that changed), `kind` (`public`: its first line says anyone
   * who knows its name reads it), `authors` (identity id → mark: Verified, or a name met before
   * with another key, like another's here, or mixing scripts), `events` (joins and leaves, oldest first), `sharedBefore` (a
   * newcomer to a public room: others' messages older than this came from the members). A new
   * object with the same values changes nothing.
   */
  @property({ attribute: false, hasChanged: differs }) context: LinesInput = {};
  /** The files API, for file messages' rows (undefined while it loads). */
  @property({ attribute: false }) files: FileActions | undefined;
  /**
   * A message to show in context (after a jump): once it is in `messages`, the list scrolls
   * to it, marks it (part `highlight`, fading) and focuses it, and stays there.
   */
  @property({ attribute: false }) highlight: string | undefined;
  /** The highlighted message the list last went to (it goes there once per request). */
  private placed: string | undefined;
  /** The one toolbar of message actions (see message-actions.ts). */
  private readonly actions = new RowActions(this);

  /** Messages from others that arrived below while the reader was scrolled up. */
  @state() private unseen = 0;
  private rows: Row[] = [];
  /** Which messages continue a group, which long ones are unfolded (kept across renders). */
  private readonly rowState: RowState = {
    cont: new Set(),
    open: new Set<string>(),
    // "Show more" is styled by the lines' chunk, and folds with it.
    toggle: (id) => lines?.toggleFold(this, this.rowState.open as Set<string>, id),
    actions: (row) => this.actions.render(row, this.self),
  };
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
  private readonly fresh = { since: Date.now() };
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
      // A jump that made the list long goes to its message again, in the virtualized list.
      if (this.relist && this.highlight === this.placed) this.placed = undefined;
      if (this.relist) this.requestUpdate();
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // The lines come in a chunk of their own: once there, their styles are taken and the list
    // is drawn again, with them.
    this.lining = loadLines().then((m) => {
      this.lining = undefined;
      adoptStyles(this.renderRoot as ShadowRoot, [...ParleyMessages.elementStyles, m.styles]);
      this.relist = true;
      this.requestUpdate();
    });
  }

  /** The lines' chunk being loaded for this list. */
  private lining: Promise<void> | undefined;

  /** Also waits for a virtualizer or the lines being loaded and the render that follows. */
  protected override async getUpdateComplete(): Promise<boolean> {
    let done = await super.getUpdateComplete();
    while (this.loading || this.lining) {
      await (this.loading ?? this.lining);
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
   * Infinite scroll: near the top, with more to load, ask once for this page. At the bottom,
   * the new messages are seen: the pill goes.
   */
  private readonly onScroll = (): void => {
    const list = this.list!;
    if (this.unseen && atBottom(list)) this.unseen = 0;
    const first = this.messages[0]?.id;
    if (!this.more || first === undefined || first === this.askedAt) return;
    if (list.scrollTop < Math.max(200, list.clientHeight)) this.loadOlder();
  };

  /** The pill: to the newest message, the focus on the list (the pill goes away). */
  private readonly jump = (): void => {
    const list = this.list;
    this.unseen = 0;
    if (!list) return;
    list.focus({ preventScroll: true });
    list.scrollTop = list.scrollHeight;
    if (this.virtual) this.follow(); // rows below may still be estimated
  };

  /** Follows the bottom of a virtualized list while it settles (made with the virtualizer). */
  private follower: import('./virtual-list.js').Follower | undefined;
  private readonly takeOver = () => this.follower?.stop();
  /** Goes on to the newest message of a virtualized list, following it while rows settle. */
  private follow(): void {
    (this.follower ??= new virtualList!.Follower(() => this.list)).follow();
  }

  /** The title of the beginning marker, or undefined while older messages can be loaded. */
  private get begin(): string | undefined {
    return this.more ? undefined : this.roomTitle || this.messages[0]?.room || '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.rowState.files = this.files;
    this.rowState.fileRow = lines?.fileRow;
    this.rowState.highlight = this.highlight;
    if (!this.highlight) this.placed = undefined;
    // A message asked for and now here: go to it (whatever else changed).
    const goTo = toPlace(this.highlight, this.placed, this.messages);
    if (goTo) this.relist = true;
    const relabel = changed.has('more') || changed.has('roomTitle') || changed.has('context');
    if (!changed.has('messages') && !this.relist && !relabel) return;
    const old = changed.has('messages') ? (changed.get('messages') ?? []) : this.messages;
    this.relist = false;
    // Only a change of messages brings news (a new line, the virtualizer loading, do not).
    // (The lines' chunk tells them; it is loaded before anything new can arrive.)
    this.news = changed.has('messages')
      ? (lines?.arrivals(this.messages, old, this.self, this.fresh) ?? [])
      : [];
    const oldRows = this.rows;
    const drawn = lines?.timeline(this.messages, {
      ...this.context,
      begin: this.begin,
      self: this.self,
    });
    this.rows = drawn?.rows ?? toRows(this.messages, this.begin);
    this.rowState.flags = drawn?.flags;
    this.rowState.cont = continuing(this.rows);
    const newest = this.messages.at(-1);
    const oldNewest = old.at(-1);
    const reset = !oldNewest || !this.messages.some((m) => m.id === oldNewest.id);
    const ownArrived = newest?.id !== oldNewest?.id && newest?.from.id === this.self;
    const list = this.list;
    const bottom = !list || atBottom(list);
    // Decide before rendering: follow new messages only if the reader was at the bottom.
    const anchor = reset || bottom || ownArrived ? undefined : firstVisible(list!);
    this.plan = goTo
      ? { to: 'highlight', id: goTo }
      : anchor
        ? { to: 'anchor', ...anchor }
        : { to: 'end' };
    this.unseen = anchor || goTo ? this.unseen + this.news.length : 0;
    this.pin = undefined;
    if (goTo) {
      this.placed = goTo;
      this.follower?.stop(); // no snapping back to the newest message
    }
    if (this.messages.length > FULL_RENDER_MAX) this.needVirtual();
    if (!this.virtual) return;
    const planned = virtualList!.planPin(this.rows, oldRows, anchor, !this.shownVirtual);
    if (planned.moved) this.generation++; // rows moved: new keys, measured again
    this.pin = planned.pin;
    const at = goTo ? this.rows.findIndex((r) => 'id' in r && r.id === goTo) : -1;
    // A third of the way down the view: the reader sees what came before it too.
    if (at >= 0) this.pin = { index: at, block: 'start', pinOffset: (list?.clientHeight ?? 0) / 3 };
  }

  protected override updated(): void {
    const plan = this.plan;
    this.plan = null;
    const news = this.news;
    this.news = [];
    lines?.announce(this.live, news); // loaded before anything new can arrive
    this.pin = undefined; // handed over: the virtualizer keeps it until the reader scrolls
    this.shownVirtual = this.virtual;
    const list = this.list;
    if (!plan || !list) return;
    if (plan.to === 'highlight') {
      const id = plan.id;
      return placeHighlight(list, id, this.virtual, () => this.highlight === id);
    }
    if (plan.to === 'end') {
      if (this.virtual) this.follow();
      else list.scrollTop = list.scrollHeight;
      return;
    }
    // Virtual, the virtualizer pinned the anchor; else the lines' chunk puts it back (an
    // anchor means the reader scrolled up: the chunk came long before).
    if (!this.virtual) lines?.keepPlace(list, plan.id, plan.offset);
  }

  /** Keys on the list: the reader takes over from following, and the rows' keys. */
  private readonly keydown = (e: KeyboardEvent): void => {
    if (this.virtual) this.takeOver();
    this.actions.keydown(e);
  };

  private readonly retry = (id: string) => fire(this, 'parley-retry', { id });

  /**
   * A row, re-made only when what it shows changed: a new message re-renders its own row (and
   * the one it joins), not the hundred and more above it — `guard` hands Lit `noChange` for
   * the rest. What a message row shows depends on these alone (see `messageRow`): the row as
   * the list folds it (a new object on any change), whose it is, its group, its fold, its
   * flag, the files, the highlight and the toolbar of the one row that shows it. (The
   * virtualized list renders only the rows around the viewport: there `renderRow` does.)
   */
  private readonly guardedRow = (row: Row) => {
    const state = this.rowState;
    if (!isMessage(row)) return this.renderRow(row);
    const { id } = row;
    const deps = [
      row,
      this.self,
      state.cont.has(id),
      state.open.has(id),
      state.flags?.get(id),
      state.files,
      state.fileRow,
      state.highlight === id,
      state.actions?.(row),
    ];
    return guard(deps, () => this.renderRow(row));
  };

  private readonly renderRow = (row: Row) => messageRow(row, this.self, this.retry, this.rowState);

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
        @keydown=${this.keydown}
        @pointerdown=${takeOver}
        @pointerover=${this.actions.over}
        @pointerleave=${this.actions.leave}
        @focusin=${this.actions.focusIn}
        @focusout=${this.actions.focusOut}
      >
        ${
          virtual
            ? virtual.virtualRows({
                items: this.rows,
                key: this.virtualKey,
                render: this.renderRow,
                pin: this.pin,
              })
            : repeat(newestRows(this.rows, FULL_RENDER_MAX), rowKey, this.guardedRow)
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
    const empty = html`${lines?.intro(this.context)}
      <p class="empty" part="empty">No messages yet. Say hello!</p>`;
    // The live region stays the same element for the element's life, so screen readers keep it.
    return html`${this.more ? older : nothing}${this.messages.length ? this.renderList() : empty}
      ${lines?.newMessagesPill(this.unseen, this.jump)}
      <div class="live visually-hidden" aria-live="polite"></div>`;
  }
}
