/**
 * Browser side of the clog attack's test and benchmark (issue 26 item 3): the real app, one
 * `<parley-chat>` told what to use by its address (`?name=…&db=…#room=…`, a site-signed-in
 * visitor on Socket.IO), and a count of the history reads IndexedDB is asked for (each
 * `get` on the messages store: what storing a receipt costs per id it names). Node presses the
 * keys and drives it through `window.bench`.
 */

import { listenPhases } from '../../src/controllers/room/phase-marks.js';

/** History reads asked of IndexedDB so far (counted before the app loads). */
let reads = 0;
const get = IDBObjectStore.prototype.get;
IDBObjectStore.prototype.get = function (this: IDBObjectStore, query: IDBValidKey | IDBKeyRange) {
  if (this.name === 'messages') reads++;
  return get.call(this, query);
};

/** What Node may call on `window.bench`. */
export interface ClogPageApi {
  /** Resolves once the chat is open with `members` people (ourselves included). */
  ready(members: number, ms: number): Promise<void>;
  /** History reads asked of IndexedDB so far. */
  reads(): number;
  /** The status of our message whose text contains `token` (undefined: not listed). */
  status(token: string): string | undefined;
  /** Epoch ms of the last Enter pressed in a composer holding `token` (NaN if none). */
  enterAt(token: string): number;
  /**
   * Epoch ms when our message holding `token` was handed to the transport (its `out-wire`
   * phase mark: Enter → here is the page's own part of a send; NaN if not yet).
   */
  wireAt(token: string): number;
  /** Resolves once our message holding `token` shows delivered; rejects after `ms`. */
  delivered(token: string, ms: number): Promise<void>;
  /** Script problems the element reported (`parley-error`). */
  problems(): string[];
}

await import('../../src/define.js');

const params = new URLSearchParams(location.search);
const epoch = () => performance.timeOrigin + performance.now();
document.body.style.cssText = 'margin:0';
const chat = document.createElement('parley-chat');
chat.setAttribute('transport', 'socketio');
chat.setAttribute('display-name', params.get('name') ?? 'Alice');
chat.setAttribute('db-name', params.get('db') ?? 'parley-clog');
chat.style.cssText = 'display:block;height:100vh';
let state = '';
let members = 0;
const problems: string[] = [];
chat.addEventListener('parley-status', (e) => {
  state = e.detail.state;
  members = e.detail.members;
});
chat.addEventListener('parley-error', (e) => void problems.push(e.detail.message));
const enters: Array<{ value: string; at: number }> = [];
window.addEventListener(
  'keydown',
  (e) => {
    const target = e.composedPath()[0];
    if (e.key !== 'Enter' || e.shiftKey || !(target instanceof HTMLTextAreaElement)) return;
    enters.push({ value: target.value, at: epoch() });
    if (enters.length > 1000) enters.shift();
  },
  { capture: true },
);
document.body.append(chat);
/** When each of our messages went on the wire (epoch ms), by id; the oldest forgotten first. */
const wired = new Map<string, number>();
listenPhases((name, id, at) => {
  if (name !== 'out-wire' || wired.has(id)) return;
  wired.set(id, performance.timeOrigin + at);
  if (wired.size > 1000) wired.delete(wired.keys().next().value!);
});

/** Our message holding `token`, as the message list has it. */
function own(token: string) {
  const list = chat.shadowRoot?.querySelector('parley-messages') as
    | (HTMLElement & { messages: ReadonlyArray<{ id: string; text: string; status: string }> })
    | null;
  return list?.messages.find((m) => m.text.includes(token));
}

/** Polls `check` every `step` ms until it holds; rejects after `ms` with `what()`. */
async function until(check: () => boolean, what: () => string, ms: number, step = 10) {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) throw new Error(`${what()} (after ${ms} ms)`);
    await new Promise((r) => setTimeout(r, step));
  }
}

const api: ClogPageApi = {
  ready: (want, ms) =>
    until(
      () => state === 'open' && members >= want,
      () => `not ready: ${state}, ${members} members`,
      ms,
    ),
  reads: () => reads,
  status: (token) => own(token)?.status,
  enterAt: (token) => enters.findLast((e) => e.value.includes(token))?.at ?? NaN,
  wireAt: (token) => {
    const id = own(token)?.id;
    return (id !== undefined && wired.get(id)) || NaN;
  },
  delivered: (token, ms) =>
    until(
      () => own(token)?.status === 'delivered',
      () => `"${token}" is ${own(token)?.status ?? 'not listed'}`,
      ms,
      2,
    ),
  problems: () => problems,
};
(globalThis as unknown as { bench: ClogPageApi }).bench = api;
