/**
 * What the conversation says besides the messages, in a chunk of its own (loaded right after
 * the message list first renders; see `parley-messages.ts`): quiet lines between the rows —
 * that the room is end-to-end encrypted, or public, and where encryption changed; who joined
 * and left; that a newcomer's history was shared by the members; that an author is not the
 * person of that name we talked to before — and the flags of single messages ("Not
 * encrypted", "Only in this browser's tabs", who cannot read one of ours). A message no key
 * of ours opens, and a room's own notes, are one quiet line each, never a chat bubble.
 *
 * Pure functions of what the element is given, so the lines are the same however often the
 * list is drawn; none of them is stored, and none counts as a message (unread, announced).
 */
import { css, html } from 'lit';
/** What screen readers hear of new messages (see message-announce.ts). */
export { announce } from './message-announce.js';
/** The "3 new messages ↓" pill (only ever shown for news, which comes after this chunk). */
export { newMessagesPill } from './new-messages-pill.js';
import type { FileActions } from '../../controllers/files/file-state.js';
import type { PresenceLine } from '../../controllers/presence/comings.js';
import type { AuthorMark } from '../../controllers/presence/roster.js';
import { toRows, type LineRow, type Row, type RowFlag, type Shown } from './message-rows.js';
import { isLate } from '../../controllers/room/late.js';

/** A join or a leave (see the presence controller). */
export type { PresenceLine };

/** What the lines are made from, besides the messages (all but `begin` and `self` optional). */
export interface TimelineContext {
  /** The beginning marker's title; undefined while older messages can be loaded. */
  begin: string | undefined;
  /** The room has a key of ours: its messages are sealed end-to-end. */
  encrypted?: boolean;
  /** `public` (anyone who knows its name reads it) or `private`. */
  kind?: string;
  /** Our identity id. */
  self: string;
  /**
   * What is marked on authors' messages (identity id → mark): Verified, or a name met before
   * with another key, looking like another's here, or mixing scripts (contacts controller).
   */
  authors?: ReadonlyMap<string, AuthorMark>;
  /** Joins and leaves seen here, oldest first. */
  events?: readonly PresenceLine[];
  /**
   * We are a newcomer to this public room: messages from others older than this time (ms)
   * came from the members' history.
   */
  sharedBefore?: number | undefined;
}

/** Lines and flags of a conversation. */
export interface Timeline {
  rows: Row[];
  /** Flag and delivery words of single messages, by id. */
  flags: Map<string, RowFlag>;
}

/** The line of a message no key of ours opens. */
export const UNREADABLE = "Can't read this message yet — you need the room's key";
/** The first line of an encrypted room. */
export const E2E_LINE = 'Messages in this room are end-to-end encrypted';
/** The first line of a public room. */
export const PUBLIC_LINE = "Anyone who knows this room's name can join and read its history";
/** A newcomer's history. */
export const SHARED_LINE = "This room's history was shared with you by the members here";

/** "Bob", "Bob and Carol", "Bob, Carol and Dan". */
function names(list: readonly string[]): string {
  return list.length < 3
    ? list.join(' and ')
    : `${list.slice(0, -1).join(', ')} and ${list.at(-1)!}`;
}

/** What our message's readers told us, instead of plain "delivered". */
export function cantReadText(who: readonly string[]): string {
  return `${names(who)} can't read this — they don't have the room key`;
}

/** The lines that open a room's history in an empty room, above "No messages yet". */
export function intro(ctx: Pick<TimelineContext, 'encrypted' | 'kind'>) {
  const words = introLines(ctx).map((t) => html`<p class="line" part="line">${t}</p>`);
  return html`<div class="empty-lines">${words}</div>`;
}

/** The lines that open a room's history (also shown in an empty room). */
export function introLines(ctx: Pick<TimelineContext, 'encrypted' | 'kind'>): string[] {
  return [...(ctx.encrypted ? [E2E_LINE] : []), ...(ctx.kind === 'public' ? [PUBLIC_LINE] : [])];
}

/** How a message travelled: clear, or sealed with one key (its id). */
const sealOf = (m: Shown) => (m.sealed || m.unreadable ? `k:${m.kid ?? ''}` : 'clear');

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayAndClock = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/**
 * What a message that came live well after the time it is dated says: both times ("Dated
 * 14:02 · arrived 14:31"; with the day when they differ), so words slipped in among old
 * ones are seen as new (see `late.ts`).
 */
export function lateText(ts: number, arrived: number): string {
  const sameDay = new Date(ts).toDateString() === new Date(arrived).toDateString();
  const format = sameDay ? clock : dayAndClock;
  return `Dated ${format.format(ts)} · arrived ${format.format(arrived)}`;
}

/** The flag and delivery words of one message, if any. */
function flagOf(m: Shown, ctx: TimelineContext): RowFlag | undefined {
  const mark = m.from.id !== ctx.self ? ctx.authors?.get(m.from.id) : undefined;
  const warn = mark?.flag;
  // An outsider's key behind the room's reads like the room's own unless said: a warning.
  const outsider = m.otherKey ? "Sealed with an invite link's key, not this room's" : undefined;
  const words = [
    ...(warn ? [warn] : []),
    ...(m.inClear ? ['Not encrypted'] : []),
    ...(outsider ? [outsider] : []),
    ...(m.local === 'tabs' ? ["Only in this browser's tabs"] : []),
    ...(m.from.id !== ctx.self && isLate(m) ? [lateText(m.ts, m.arrived!)] : []),
  ];
  const status = m.cantRead?.length ? cantReadText(m.cantRead) : undefined;
  if (!words.length && !status && !mark?.verified) return undefined;
  return {
    ...(words.length ? { flag: words.join(' · ') } : {}),
    ...(warn || outsider ? { warn: true } : {}),
    ...(mark?.verified ? { verified: true } : {}),
    ...(status ? { status } : {}),
  };
}

/**
 * The rows of a conversation with its lines, and the flags of its messages. Encryption is
 * followed message by message: a line where it turns on or off, and where a key not seen
 * before in the list starts sealing them.
 */
export function timeline(messages: readonly Shown[], ctx: TimelineContext): Timeline {
  const flags = new Map<string, RowFlag>();
  const rows: Row[] = [];
  const line = (text: string, key: string, look = ''): LineRow => ({ line: text, key, look });
  const events = ctx.events ?? [];
  let e = 0;
  let seal: string | undefined;
  const kids = new Set<string>();
  const warned = new Set<string>();
  let shared = false;
  for (const row of toRows(messages, ctx.begin)) {
    if (!('id' in row)) {
      rows.push(row);
      if (!('day' in row)) introLines(ctx).forEach((t, i) => rows.push(line(t, `intro:${i}`)));
      continue;
    }
    const m = row as Shown;
    for (; e < events.length && events[e]!.ts <= m.ts; e++) {
      rows.push(line(events[e]!.text, `presence:${events[e]!.key}`));
    }
    const theirs = m.from.id !== ctx.self;
    if (!shared && theirs && ctx.sharedBefore !== undefined && m.ts < ctx.sharedBefore) {
      shared = true;
      rows.push(line(SHARED_LINE, 'shared:'));
    }
    if (m.note !== undefined) {
      // A room's own message: its note as a line, or nothing when it has nothing to say.
      if (m.note) rows.push(line(m.note, m.id));
      continue;
    }
    const now = sealOf(m);
    if (seal !== undefined && now !== seal) {
      const changed =
        now === 'clear'
          ? 'Not encrypted from here on'
          : seal === 'clear'
            ? 'End-to-end encrypted from here on'
            : kids.has(now)
              ? undefined
              : "The room's key changed here";
      if (changed) rows.push(line(changed, `seal:${m.id}`));
    }
    seal = now;
    if (now !== 'clear') kids.add(now);
    const mark = theirs ? ctx.authors?.get(m.from.id) : undefined;
    const warning = mark?.line;
    if (warning !== undefined && !warned.has(m.from.id)) {
      warned.add(m.from.id);
      rows.push(line(warning, `impostor:${m.id}`, 'warn'));
    }
    if (m.unreadable) {
      rows.push(line(UNREADABLE, m.id));
      continue;
    }
    const flag = flagOf(m, ctx);
    if (flag) flags.set(m.id, flag);
    rows.push(m);
  }
  for (; e < events.length; e++) rows.push(line(events[e]!.text, `presence:${events[e]!.key}`));
  return { rows, flags };
}

/**
 * The messages of others that arrived in `messages` since `old`: those after its newest, and
 * those that came live dated well before their arrival (sorted in among older ones: see
 * `late.ts`). None when the list was replaced (another room, a reload), and none for pages
 * prepended or our own (`self`). Into an empty list, only those written since it was emptied
 * (not the history shown on opening): `fresh.since`, kept by the list, is when it was last
 * emptied or replaced.
 */
export function arrivals(
  messages: readonly Shown[],
  old: readonly Shown[],
  self: string,
  fresh: { since: number },
): Shown[] {
  // A message no key opens and a room's note are lines, not news.
  const theirs = (m: Shown) => m.from.id !== self && !m.unreadable && m.note === undefined;
  if (messages.length === 0) {
    fresh.since = Date.now();
    return [];
  }
  if (old.length === 0) {
    return messages.filter((m) => (m.ts >= fresh.since || arrivedSince(m, fresh)) && theirs(m));
  }
  const newest = old.at(-1)!.id;
  let i = messages.length - 1;
  while (i >= 0 && messages[i]!.id !== newest) i--;
  if (i < 0) {
    fresh.since = Date.now();
    return [];
  }
  return [...lateAmong(messages, i, old).filter(theirs), ...messages.slice(i + 1).filter(theirs)];
}

/** Whether `m` came live, late, since the list was last emptied. */
const arrivedSince = (m: Shown, fresh: { since: number }) => isLate(m) && m.arrived! >= fresh.since;

/**
 * The late messages among the first `end` of `messages` that `old` did not hold: one pass,
 * and the ids of `old` read only when a late one is there (rare).
 */
function lateAmong(messages: readonly Shown[], end: number, old: readonly Shown[]): Shown[] {
  const late: Shown[] = [];
  for (let j = 0; j < end; j++) if (isLate(messages[j]!)) late.push(messages[j]!);
  if (late.length === 0) return late;
  const had = new Set(old.map((m) => m.id));
  return late.filter((m) => !had.has(m.id));
}

let fileChunk: Promise<unknown> | undefined;

/**
 * A file message's `<parley-file>` after the row's `flag` (its text, the caption, stays the
 * row's own): the element is registered by a chunk of its own, loaded the first time one is
 * shown (again next time if that failed).
 */
export function fileRow(row: Shown, flag: unknown, files: FileActions | undefined) {
  fileChunk ??= import('./file-define.js').catch(() => (fileChunk = undefined));
  return html`${flag}<parley-file part="file" .message=${row} .files=${files}></parley-file>`;
}

/** What {@link toggleFold} needs of the list. */
interface FoldingList {
  requestUpdate(): void;
  readonly updateComplete: Promise<boolean>;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/**
 * Unfolds or folds long message `id` of `list` (`open`: the unfolded ones); folding keeps the
 * message's top, and its "Show less", in view.
 */
export function toggleFold(list: FoldingList, open: Set<string>, id: string): void {
  const folding = open.delete(id);
  if (!folding) open.add(id);
  list.requestUpdate();
  if (!folding) return;
  void list.updateComplete.then(() => {
    const ol = list.renderRoot.querySelector('ol');
    if (ol) keepPlace(ol, id, 0, true);
  });
}

/**
 * Scrolls `ol` so message `id`'s top is `offset` px below the list's top, where the reader
 * had it (older messages were put above it, or newer ones below); with `up`, only if it is
 * above that now.
 */
export function keepPlace(ol: Element, id: string, offset: number, up = false): void {
  const li = ol.querySelector(`li.msg[data-id="${CSS.escape(id)}"]`);
  if (!li) return;
  const moved = li.getBoundingClientRect().top - ol.getBoundingClientRect().top - offset;
  if (!up || moved < 0) ol.scrollTop += moved;
}

/**
 * The lines' and flags' looks, adopted by the element once this chunk is loaded (they cost
 * nothing in the first download). A line is quiet and centred; a warning is not quiet. Also
 * what a list needs only later: the virtualized list's rows (placed by the virtualizer, left
 * and right by these), a folded long message (its first 15 lines fading out above "Show
 * more"), Retry, the new-messages pill; a file message (its card spans the bubble, and a
 * file sent without a caption has no empty text line under it); our messages' states (waiting
 * is normal, muted; only one not delivered is an alarm); a kind of message this version cannot
 * show (one muted line); the narrowest bubbles, nearly the whole width.
 */
export const styles = css`
  .msg:focus-visible {
    outline-offset: 1px;
  }
  @container (max-width: 20rem) {
    .msg {
      max-width: 94%;
    }
  }
  .text.unknown {
    color: var(--_muted);
    font-style: italic;
  }
  .status.saving,
  .status.queued {
    color: var(--_muted);
    font-style: italic;
  }
  .status.failed {
    color: var(--_danger);
  }
  .status.delivered {
    color: var(--_ok);
  }
  .text:empty {
    display: none;
  }
  .line {
    margin-inline: auto;
    max-width: 90%;
    text-align: center;
    font-size: 0.8rem;
    color: var(--_muted);
  }
  .line.warn {
    color: var(--_danger);
    font-weight: 650;
  }
  .flag {
    font-size: 0.72rem;
    font-weight: 600;
    color: var(--_danger);
  }
  .status.cant {
    color: var(--_danger);
    white-space: normal;
  }
  .msg.warn {
    border: 2px dashed var(--_danger);
  }
  .verified {
    font-size: 0.72rem;
    font-weight: 600;
    color: var(--_ok);
    white-space: nowrap;
  }
  .empty-lines {
    display: grid;
    gap: 0.3rem;
    padding-top: 1rem;
  }
  .virtual > .day,
  .virtual > .begin {
    left: 0;
    right: 0;
  }
  .virtual > .msg {
    left: var(--_space);
  }
  .virtual > .msg.own {
    left: auto;
    right: var(--_space);
  }
  .text.folded {
    max-height: calc(1.4em * 15);
    overflow: hidden;
    mask-image: linear-gradient(#000 75%, transparent);
  }
  .more {
    align-self: start;
    margin-top: 0.3rem;
    font-size: 0.8rem;
    padding: 0.15em 0.7em;
  }
  .retry {
    font-size: 0.72rem;
    padding: 0.05em 0.6em;
  }
  .pill {
    position: absolute;
    bottom: 0.75rem;
    left: 50%;
    transform: translateX(-50%);
    border-radius: 999px;
    font-size: 0.85rem;
    font-weight: 600;
    box-shadow: 0 2px 8px rgb(0 0 0 / 0.25);
  }
`;
