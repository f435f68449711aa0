/**
 * The rows of the message list: messages with a day separator before each day's first, and
 * how each is rendered. Text is always set as text, never parsed as markup.
 */
import { html, nothing } from 'lit';
import type { ChatMessage } from '../controllers/message-list.js';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full' });

/** A day separator: local midnight of the day, in ms. */
export type DayRow = { day: number };
/** A row of the list: a message or a day separator. */
export type Row = ChatMessage | DayRow;
/** Whether the row is a day separator. */
export const isDay = (row: Row): row is DayRow => 'day' in row;
/** A row's key: the message id, or the day. */
export const rowKey = (row: Row) => (isDay(row) ? `day:${row.day}` : row.id);

/** Messages (oldest first) with a separator before each day's first; one `Date` per day. */
export function toRows(messages: readonly ChatMessage[]): Row[] {
  const rows: Row[] = [];
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
  for (let n = 0; i > 0 && n < count;) if (!isDay(rows[--i]!)) n++;
  let day = i;
  while (day > 0 && !isDay(rows[day]!)) day--;
  return day === i || day === i - 1 ? rows.slice(day) : [rows[day]!, ...rows.slice(i)];
}

/** The delivery state shown next to our own messages (empty: nothing shown). */
function statusText({ status, ackedBy }: ChatMessage): string {
  const n = ackedBy?.length ?? 0;
  if (status === 'delivered') return n > 1 ? `delivered to ${n}` : 'delivered';
  const words = { saving: 'saving…', queued: 'queued', sent: 'sent', failed: 'not delivered' };
  return status === 'received' ? '' : words[status];
}

/**
 * What the author's fingerprint (shown after the name by CSS, from `data-fp`, so a row costs
 * no extra node) is for: two people who give the same name are told apart here too.
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

/**
 * One row of the list; `retry` is called with the id of a failed message of ours.
 *
 * Rows are lean, since the DOM budget counts every node: no whitespace between tags, and
 * texts set as `textContent` (always text, never markup), one text node each and no marker.
 */
export function messageRow(row: Row, self: string, retry: (id: string) => void) {
  if (isDay(row)) {
    const day = Number.isNaN(row.day) ? 'Unknown day' : dayFormat.format(row.day);
    return html`<li class="day" part="day" .textContent=${day}></li>`;
  }
  const [iso, title, hhmm] = timeTexts(row.ts);
  const text = row.text;
  if (row.from.id !== self) {
    // prettier-ignore
    return html`<li class="msg" part="message" data-id=${row.id} data-clear=${row.inClear ? '' : nothing}
      ><span class="author" part="author" data-fp=${row.fingerprint ?? nothing} title=${row.fingerprint ? FP_TITLE : nothing} .textContent=${row.from.name}></span
      ><time part="time" datetime=${iso} title=${title} .textContent=${hhmm}></time
      ><p class="text" part="text" .textContent=${text}></p
    ></li>`;
  }
  const status = statusText(row);
  // prettier-ignore
  return row.status === 'failed'
    ? html`<li class="msg own" part="message own" data-id=${row.id}
        ><span class="author" part="author">You</span
        ><time part="time" datetime=${iso} title=${title} .textContent=${hhmm}></time
        ><span class="status failed" part="status">not delivered</span
        ><button class="retry" part="button retry" @click=${() => retry(row.id)}>Retry</button
        ><p class="text" part="text" .textContent=${text}></p
      ></li>`
    : html`<li class="msg own" part="message own" data-id=${row.id}
        ><span class="author" part="author">You</span
        ><time part="time" datetime=${iso} title=${title} .textContent=${hhmm}></time
        ><span class="status ${row.status}" part="status" ?hidden=${!status} .textContent=${status}></span
        ><p class="text" part="text" .textContent=${text}></p
      ></li>`;
}
