/**
 * Browser side of the history benchmark (`bench/history.ts`). Bundled with esbuild and loaded
 * into one headless Chromium page; Node drives it through `window.bench`.
 *
 * Everything here is Parley's real code on the page's real IndexedDB: `openParleyDb`, the
 * history store (`addMessages`, the batch the room controller writes incoming pages with;
 * `addMessage`; `pageMessages`) and the `parley-messages` element. The benchmark's own code is
 * the message generator, a batch writer (`batch`, see there), and the raw baseline list.
 *
 * The messages have the signed envelope's shape (author key, signature) but a placeholder key
 * and signature: this benchmark times storing and showing history, which never verifies (the
 * room controller verifies a message once, as it arrives), so real signatures would only slow
 * the generator. Bodies are in the clear; the list is given them opened, as the room
 * controller gives it (`text` beside the stored body).
 */
import { ParleyMessages } from '../../src/components/messages/parley-messages.js';
import { unwrap } from 'idb';
import { deleteParleyDb, openParleyDb, type ParleyDb } from '../../src/store/db.js';
import { addMessage, addMessages, pageMessages } from '../../src/store/history.js';
import type { MessageStatus, StoredMessage } from '../../src/store/schema.js';
import type { ChatMessage } from '../../src/controllers/room/message-list.js';
import type { Envelope } from '../../src/protocol/chat-events.js';
import { SIGNATURE_SHAPED, TEST_AUTHOR } from '../../test/support/identity.js';

customElements.define('parley-messages', ParleyMessages);

/** The account whose history is stored, and the room. */
export const OWNER = 'bench-owner';
export const ROOM = 'bench-room';
const PEOPLE = ['Ann', 'Ben', 'Cleo', 'Dev'].map((name) => ({
  id: `id-${name}`,
  name,
  key: TEST_AUTHOR.key,
}));
const ME = { id: OWNER, name: 'Me', key: TEST_AUTHOR.key };
const WORDS =
  'the quick brown fox jumps over a lazy dog while we talk about lunch plans today'.split(' ');

/** Message `i` of a long conversation: one every 30 s, every fifth ours, 3 to 30 words. */
function envelope(i: number): Envelope {
  const ts = 1_700_000_000_000 + i * 30_000;
  const words = 3 + ((i * 7919) % 28);
  const text = Array.from({ length: words }, (_, k) => WORDS[(i + k * 3) % WORDS.length]).join(' ');
  return {
    id: `${ts.toString(16).padStart(12, '0')}-7000-8000-${i.toString(16).padStart(12, '0')}`,
    room: ROOM,
    from: i % 5 === 0 ? ME : PEOPLE[i % PEOPLE.length]!,
    ts,
    seq: i,
    body: { text: `${text} (#${i})` },
    sig: SIGNATURE_SHAPED,
  };
}

/** A stored message as the list shows it: its text beside the body (a room in the clear). */
function opened(m: StoredMessage): ChatMessage {
  const text = (m.body as { text?: unknown }).text;
  return { ...m, text: typeof text === 'string' ? text : '' };
}
const statusOf = (env: Envelope): MessageStatus =>
  env.from.id === OWNER ? 'delivered' : 'received';

/** How a catch-up page is written. */
export type Writer = 'batch' | 'addMessages' | 'addMessage';

/**
 * The benchmark's batch writer: like the store's `addMessages`, one transaction per page and
 * ids already stored are skipped, but with one request per message instead of a lookup and
 * an add: `add` itself refuses a known key (`[owner, id]`), and cancelling its
 * ConstraintError keeps the transaction going. Resolves with the number of new messages.
 */
async function batch(db: ParleyDb, envs: readonly Envelope[]): Promise<number> {
  const tx = unwrap(db).transaction('messages', 'readwrite');
  const store = tx.objectStore('messages');
  let added = 0;
  for (const env of envs) {
    const request = store.add({ ...env, owner: OWNER, status: statusOf(env) });
    request.onsuccess = () => added++;
    request.onerror = (event) => {
      if (request.error?.name === 'ConstraintError') event.preventDefault();
    };
  }
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onabort = () => reject(tx.error);
  });
  return added;
}

/** Result of writing history. */
export interface IngestResult {
  writer: Writer;
  messages: number;
  stored: number;
  /** New messages when the last page came again: 0, or the dedupe is broken. */
  storedAgain: number;
  ms: number;
  perSecond: number;
}

/** Writes `count` messages, `size` per page, then the last page again (all known by then). */
async function ingest(dbName: string, writer: Writer, count: number, size: number) {
  const envs = Array.from({ length: count }, (_, i) => envelope(i));
  const db = await openParleyDb(dbName);
  const write = async (page: Envelope[]): Promise<number> => {
    if (writer === 'batch') return batch(db, page);
    if (writer === 'addMessages') return (await addMessages(db, OWNER, page, statusOf)).length;
    let added = 0;
    for (const env of page) if (await addMessage(db, OWNER, env, statusOf(env))) added++;
    return added;
  };
  let stored = 0;
  const t0 = performance.now();
  for (let i = 0; i < count; i += size) stored += await write(envs.slice(i, i + size));
  const ms = performance.now() - t0;
  const again = await write(envs.slice(-size));
  db.close();
  const result: IngestResult = {
    writer,
    messages: count,
    stored,
    storedAgain: again,
    ms,
    perSecond: (count / ms) * 1000,
  };
  return result;
}

/** One "open the room" measurement. */
export interface OpenResult {
  ms: number;
  /** Every node in the list's shadow root (elements, text, comments) / elements only. */
  nodes: number;
  elements: number;
  shown: number;
  /** Whether the newest message is in the DOM and inside the list's visible box. */
  newestInView: boolean;
}

const host = () => document.getElementById('host')!;
const nextPaint = () =>
  new Promise<void>((resolve) =>
    requestAnimationFrame(() => {
      // A message posted from a frame callback is handled after that frame is painted.
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve();
      channel.port2.postMessage(0);
    }),
  );

function countNodes(root: Node): { nodes: number; elements: number } {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ALL);
  let nodes = 0;
  let elements = 0;
  while (walker.nextNode()) {
    nodes++;
    if (walker.currentNode.nodeType === Node.ELEMENT_NODE) elements++;
  }
  return { nodes, elements };
}

function inView(list: Element, li: Element | null | undefined): boolean {
  if (!li) return false;
  const box = li.getBoundingClientRect();
  const view = list.getBoundingClientRect();
  return box.bottom > view.top && box.top < view.bottom;
}

/** The baseline: the same 50 messages as a plain list built with DOM calls, no component. */
function renderRaw(target: HTMLElement, newestFirst: readonly ChatMessage[]): HTMLElement {
  const ol = document.createElement('ol');
  ol.style.cssText = 'height:100%;overflow-y:auto;margin:0;list-style:none';
  for (let i = newestFirst.length - 1; i >= 0; i--) {
    const m = newestFirst[i]!;
    const li = ol.appendChild(document.createElement('li'));
    li.className = m.from.id === OWNER ? 'msg own' : 'msg';
    li.dataset['id'] = m.id;
    li.appendChild(document.createElement('b')).textContent = m.from.name;
    const time = li.appendChild(document.createElement('time'));
    time.dateTime = new Date(m.ts).toISOString();
    time.textContent = new Date(m.ts).toLocaleTimeString();
    li.appendChild(document.createElement('p')).textContent = m.text;
  }
  target.replaceChildren(ol);
  ol.scrollTop = ol.scrollHeight;
  return ol;
}

/**
 * Opens the room from scratch: a fresh connection to the database, its newest page, the list
 * rendered (by `parley-messages`, or by the raw baseline), up to the next frame painted.
 */
async function open(dbName: string, kind: 'parley' | 'raw'): Promise<OpenResult> {
  const slot = host();
  const el = new ParleyMessages();
  el.self = OWNER;
  slot.replaceChildren(kind === 'parley' ? el : document.createElement('div'));
  if (kind === 'parley') await el.updateComplete; // (never resolves while not in the page)
  await nextPaint();

  const t0 = performance.now();
  const db = await openParleyDb(dbName);
  const page = await pageMessages(db, OWNER, ROOM);
  // Both contenders open the page as the room controller does (a room in the clear).
  const shown = page.messages.map(opened);
  let list: Element;
  if (kind === 'parley') {
    el.messages = [...shown].reverse();
    el.more = page.more;
    await el.updateComplete;
    list = el.shadowRoot!.querySelector('ol')!;
  } else {
    list = renderRaw(slot.firstElementChild as HTMLElement, shown);
  }
  await nextPaint();
  const ms = performance.now() - t0;
  db.close();

  const newest = page.messages[0]?.id ?? '';
  const li = list.querySelector(`li[data-id="${newest}"]`);
  const root = kind === 'parley' ? el.shadowRoot! : list;
  return {
    ms,
    ...countNodes(root),
    shown: list.querySelectorAll('li.msg').length,
    newestInView: inView(list, li),
  };
}

/** Loads the newest `count` messages into `parley-messages` at once: the virtualized case. */
async function loadMany(dbName: string, count: number): Promise<OpenResult> {
  const el = new ParleyMessages();
  el.self = OWNER;
  host().replaceChildren(el);
  const db = await openParleyDb(dbName);
  const t0 = performance.now();
  const page = await pageMessages(db, OWNER, ROOM, undefined, count);
  el.messages = page.messages.map(opened).reverse();
  await el.updateComplete;
  for (let i = 0; i < 10; i++) await nextPaint(); // let the virtualizer measure and settle
  db.close();
  const list = el.shadowRoot!.querySelector('ol')!;
  const newest = el.messages.at(-1)?.id ?? '';
  return {
    ms: performance.now() - t0,
    ...countNodes(el.shadowRoot!),
    shown: list.querySelectorAll('li.msg').length,
    newestInView: inView(list, list.querySelector(`li[data-id="${newest}"]`)),
  };
}

/** What Node may call on `window.bench`. */
export interface HistoryPageApi {
  ingest(dbName: string, writer: Writer, count: number, batch: number): Promise<IngestResult>;
  open(dbName: string, kind: 'parley' | 'raw'): Promise<OpenResult>;
  loadMany(dbName: string, count: number): Promise<OpenResult>;
  drop(dbName: string): Promise<void>;
  /** Whether the page is cross-origin isolated, i.e. `performance.now()` has fine resolution. */
  isolated(): boolean;
}

const api: HistoryPageApi = {
  ingest,
  open,
  loadMany,
  drop: (dbName) => deleteParleyDb(dbName),
  isolated: () => globalThis.crossOriginIsolated === true,
};
(globalThis as unknown as { bench: HistoryPageApi }).bench = api;
