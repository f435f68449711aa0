/**
 * The rows of the message list: messages with a day separator before each day's first (and
 * the "Beginning of #room" marker before all, once nothing older is left), how messages group
 * under one header, and how each row is rendered. Text is always set as text, never markup.
 */
import { html, nothing } from 'lit';
import type { FileActions } from '../../controllers/files/file-state.js';
import type { ChatMessage } from '../../controllers/room/message-list.js';
import { colourOf, initialOf } from '../shared/avatar.js';
import { DELETED, foot, hasFoot, replyQuote } from './message-extras.js';
import { messageText } from './message-text.js';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full' });

/** A day separator: local midnight of the day, in ms. */
export type DayRow = { day: number };
/** The marker at the start of history: the room's title. */
export type BeginRow = { begin: string };
/**
 * A message as the list may be given it: what views are told beyond the text (see the room
 * controller's `ChatMessage`) — no key of ours opens it, it is a room's note, who could not
 * read ours, the key that sealed it, written while only this browser's tabs were used.
 */
export type Shown = ChatMessage & {
  unreadable?: true;
  note?: string;
  cantRead?: string[];
  kid?: string;
  local?: 'tabs';
};
/** A quiet line between messages (see timeline.ts); `look` `warn` is not quiet. */
export type LineRow = { line: string; key: string; look: string };
/** A row of the list: a message, a day separator, the beginning marker or a line. */
export type Row = ChatMessage | DayRow | BeginRow | LineRow;
/** Whether the row is a day separator. */
export const isDay = (row: Row): row is DayRow => 'day' in row;
/** Whether the row is a message. */
export const isMessage = (row: Row): row is ChatMessage => 'id' in row;
/** A row's key: the message id, the day, or `begin:` for the marker. */
export const rowKey = (row: Row) =>
  isMessage(row) ? row.id : isDay(row) ? `day:${row.day}` : 'key' in row ? row.key : 'begin:';

/** Messages of one author less than this far apart (same day) share one header. */
export const GROUP_MS = 5 * 60_000;

/**
 * Messages (oldest first) with a separator before each day's first; one `Date` per day. With
 * `begin` (the room's title), the beginning marker comes first.
 */
export function toRows(messages: readonly ChatMessage[], begin?: string): Row[] {
  const rows: Row[] = begin === undefined ? [] : [{ begin }];
  let [start, end] = [Infinity, -Infinity];
  for (const m of messages) {
    if (m.ts < start || m.ts >= end) {
      const d = new Date(m.ts);
      start = d.setHours(0, 0, 0, 0);
      end = d.setDate(d.getDate() + 1);
      rows.push({ day: start });
    }
    rows.push(m);
  }
  return rows;
}

/**
 * The rows of the newest `count` messages, headed by the separator of the first one's day: a
 * long list shown in full for a moment (while the virtualizer loads) stays short.
 */
export function newestRows(rows: readonly Row[], count: number): readonly Row[] {
  let i = rows.length;
  for (let n = 0; i > 0 && n < count;) if (isMessage(rows[--i]!)) n++;
  // The separator right before (and the marker, when every message is kept) comes along.
  while (i > 0 && !isMessage(rows[i - 1]!)) i--;
  if (i === 0 || isDay(rows[i]!)) return rows.slice(i);
  let day = i;
  while (day > 0 && !isDay(rows[day]!)) day--;
  return [rows[day]!, ...rows.slice(i)];
}

/**
 * The ids of the messages that continue a group: same author (by identity id, never by name)
 * as the message before, at most {@link GROUP_MS} later, with no day separator between.
 */
export function continuing(rows: readonly Row[]): Set<string> {
  const ids = new Set<string>();
  let prev: ChatMessage | undefined;
  for (const row of rows) {
    if (!isMessage(row)) prev = undefined;
    else {
      if (prev && prev.from.id === row.from.id && row.ts - prev.ts <= GROUP_MS) ids.add(row.id);
      prev = row;
    }
  }
  return ids;
}

/** Longer texts (in lines, wrapped ones counted at about 60 characters, or in characters) fold. */
const FOLD_LINES = 25;
const FOLD_CHARS = 2000;
const LINE_CHARS = 60;

/** Whether a text is long enough to show folded, behind "Show more". */
export function isLong(text: string): boolean {
  if (text.length > FOLD_CHARS) return true;
  let lines = 0;
  for (const line of text.split('\n')) {
    lines += Math.max(1, Math.ceil(line.length / LINE_CHARS));
    if (lines > FOLD_LINES) return true;
  }
  return false;
}

/** What timeline.ts says of one message: a flag under its header, words instead of its state. */
export type RowFlag = { flag?: string; warn?: true; status?: string; verified?: true };

/** The delivery state shown next to our own messages (empty: nothing shown). */
function statusText({ status, ackedBy }: ChatMessage): string {
  const n = ackedBy?.length ?? 0;
  if (status === 'delivered') return n > 1 ? `delivered to ${n}` : 'delivered';
  const words = {
    saving: 'saving…',
    queued: 'queued',
    sent: 'sent',
    // The keeper holds it: whoever is away gets it when they are back.
    kept: 'kept for when they’re back',
    failed: 'not delivered',
  };
  return status === 'received' ? '' : words[status];
}

/**
 * What the author's fingerprint (shown after the name by CSS, from `data-fp`, so a row costs
 * no extra node; the first half of the safety code, see roster.ts) is for: two people who give
 * the same name are told apart here too. Only a verified author's rows get a node more (the
 * Verified mark, from timeline.ts's flags).
 */
const FP_TITLE = "The author's fingerprint: compare it with the member list";

/**
 * A time as the row shows it: ISO for `datetime`, long for the title, short on screen. A time
 * no `Date` can hold (from an older version or a hostile peer) reads as unknown, never throws.
 */
function timeTexts(ts: number): [string, string, string] {
  const when = new Date(ts);
  if (Number.isNaN(when.getTime())) return ['', 'unknown time', '--:--'];
  return [when.toISOString(), when.toLocaleString(), timeFormat.format(when)];
}

/** What a message row needs to know about its group and folding. */
export interface RowState {
  /** Ids of the messages that continue a group (see {@link continuing}). */
  cont: ReadonlySet<string>;
  /** Ids of the long messages the reader unfolded. */
  open: ReadonlySet<string>;
  /** Folds or unfolds a long message. */
  toggle: (id: string) => void;
  /** Flags of single messages, by id (see timeline.ts). */
  flags?: ReadonlyMap<string, RowFlag>;
  /** The files API for file messages' rows (undefined while it loads). */
  files?: FileActions | undefined;
  /**
   * A file message's card after `flag` (timeline.ts's `fileRow`, once the lines' chunk is
   * here): its text, the caption, stays the row's own.
   */
  fileRow?: (row: ChatMessage, flag: unknown, files: FileActions | undefined) => unknown;
  /** The toolbar of the one row that shows it (see message-actions.ts), else nothing. */
  actions?: (row: ChatMessage) => unknown;
  /** The message being shown in context (after a jump): its row gets the part `highlight`. */
  highlight?: string | undefined;
}
const UNGROUPED: RowState = { cont: new Set(), open: new Set(), toggle: () => {} };

/**
 * One row of the list; `retry` is called with the id of a failed message of ours.
 *
 * Rows are lean, since the DOM budget counts every node: no whitespace between tags, and
 * texts set as `textContent` (always text, never markup), one text node each; a message's
 * text is formatted (links, Markdown) only when it has any (message-text.ts). A message that
 * continues a group keeps its name for screen readers only (visually hidden), and its time
 * shows beside it on hover or focus: each message still reads "who, when, what". Every row
 * is focusable (not a tab stop) so a tap or a click shows its time too. The name, time and
 * state sit in one header node (`.head`): laid out apart from the text, a new row costs a
 * third of the layout it did (see parley-messages.styles.ts).
 */
export function messageRow(row: Row, self: string, retry: (id: string) => void, state = UNGROUPED) {
  if (isDay(row)) {
    const day = Number.isNaN(row.day) ? 'Unknown day' : dayFormat.format(row.day);
    return html`<li class="day" part="day" .textContent=${day}></li>`;
  }
  if ('line' in row)
    return html`<li class="line ${row.look}" part="line" .textContent=${row.line}></li>`;
  if (!isMessage(row)) {
    const name = `Beginning of #${row.begin.replace(/^#+/, '')}`;
    return html`<li class="begin" part="beginning" .textContent=${name}></li>`;
  }
  const [iso, title, hhmm] = timeTexts(row.ts);
  const { id, deleted } = row;
  const text = deleted ? DELETED : row.text;
  const plain = !!(deleted || row.unknown); // words about the message, never formatted
  const cont = state.cont.has(id);
  const f = state.flags?.get(id);
  const [li, author] = cont ? ['msg cont', 'author visually-hidden'] : ['msg', 'author'];
  const flagged = f?.flag
    ? html`<span class="flag" part="flag" .textContent=${f.flag}></span>`
    : nothing;
  // A file goes under the flag, in the same place of the template: other rows keep their nodes.
  const filed = row.file && state.fileRow ? state.fileRow(row, flagged, state.files) : flagged;
  // A reply's quote goes there too, right above the text (a plain row has no node for it).
  const flag = row.replyTo && !deleted ? html`${filed}${replyQuote(row)}` : filed;
  const open = state.open.has(id);
  // A kind of message this version cannot show is one quiet line, never folded; so is a
  // deleted one.
  const folded = deleted
    ? 'text deleted'
    : row.unknown
      ? 'text unknown'
      : isLong(text) && !open
        ? 'text folded'
        : 'text';
  // prettier-ignore
  const showMore = open || folded === 'text folded'
    ? html`<button class="more" part="button show-more" aria-expanded=${open} @click=${() => state.toggle(id)} .textContent=${open ? 'Show less' : 'Show more'}></button>`
    : nothing;
  // After the text, in one place of the template: Show more, reactions and "edited", and the
  // toolbar of the one row that shows it.
  const acts = state.actions?.(row) ?? nothing;
  const more =
    hasFoot(row) || acts !== nothing
      ? html`${showMore}${hasFoot(row) ? foot(row, self) : nothing}${acts}`
      : showMore;
  const lit = state.highlight === id ? ' highlight' : '';
  if (row.from.id !== self) {
    const c = colourOf(row.from.id);
    // prettier-ignore
    return html`<li class="${li}${f?.warn ? ' warn' : ''}${lit ? ' lit' : ''}" part=${cont ? `message${lit}` : `message group${lit}`} data-id=${id} tabindex="-1"
      ><span class="avatar c${c}" part="avatar" aria-hidden="true" ?hidden=${cont} .textContent=${cont ? '' : initialOf(row.from.name)}></span
      ><div class="head"><span class="${author} c${c}" part="author" data-fp=${row.fingerprint ?? nothing} title=${row.fingerprint ? FP_TITLE : nothing} .textContent=${row.from.name}></span
      >${f?.verified ? html`<span class=${cont ? 'verified visually-hidden' : 'verified'} part="verified" title="You compared the safety code">✓ Verified</span>` : nothing}<time part="time" datetime=${iso} title=${title} .textContent=${hhmm}></time
      ></div>${flag}<p class=${folded} part="text" ${messageText(text, plain)}></p
    >${more}</li>`;
  }
  // Ours: its delivery state, and Retry when it was not delivered (the header's last place:
  // one template for every state).
  const failed = row.status === 'failed';
  const status = failed ? 'not delivered' : (f?.status ?? statusText(row));
  const look = f?.status && !failed ? 'cant' : row.status;
  const part = `${cont ? 'message own' : 'message own group'}${lit}`;
  const retryButton = failed
    ? html`<button class="retry" part="button retry" @click=${() => retry(id)}>Retry</button>`
    : nothing;
  // prettier-ignore
  return html`<li class="${li} own${lit ? ' lit' : ''}" part=${part} data-id=${id} tabindex="-1"
      ><div class="head"><span class=${author} part="author">You</span
      ><time part="time" datetime=${iso} title=${title} .textContent=${hhmm}></time
      ><span class="status ${look}" part="status" ?hidden=${!status} .textContent=${status}></span
      >${retryButton}</div>${flag}<p class=${folded} part="text" ${messageText(text, plain)}></p
    >${more}</li>`;
}
