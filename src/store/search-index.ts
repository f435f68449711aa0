/**
 * Writing the search index (`searchDocs`, `searchPending`), inside the caller's transaction.
 * A message read (opened) becomes a doc: its current text and its folded words, found through
 * the multi-entry `by-word` index. Edits and deletions converge in any arrival order: an edit
 * counts when it is the newest by (ts, id); a deletion removes the doc and leaves a tombstone
 * that wins over every edit and over the message arriving (again) later; an edit whose target
 * is not here yet waits in `searchPending` and is applied when the target comes.
 */
import { unwrap } from 'idb';
import type { Store } from './file-release.js';
import type { SearchDoc, SearchPending } from './schema.js';
import { distinctWords } from './search-terms.js';

/** A message read for the index: its text (a file's caption) and a file's name. */
export interface IndexedMessage {
  kind: 'message';
  id: string;
  room: string;
  ts: number;
  from: { id: string; name: string };
  text: string;
  name?: string;
}
/** An edit (already allowed: its sender wrote the target). */
export interface IndexedEdit {
  kind: 'edit';
  id: string;
  room: string;
  ts: number;
  target: string;
  text: string;
}
/** A deletion (already allowed). */
export interface IndexedDelete {
  kind: 'delete';
  id: string;
  room: string;
  target: string;
}
/** What the index takes in. */
export type IndexItem = IndexedMessage | IndexedEdit | IndexedDelete;

/**
 * An account's tag: a number from its id, in [0, {@link TAG_SPAN}). It stands for the owner in
 * every index entry (a uuid repeated in each word's entry would cost ~75 bytes a word). Two
 * accounts may share a tag: every read checks a doc's `owner`.
 */
export function ownerTag(owner: string): number {
  return hash32(owner) % TAG_SPAN;
}
/** How many tags there are: each is one UTF-16 unit from U+0100, never a surrogate. */
const TAG_SPAN = 0xd700;

/** The `by-word` key of folded word `word` of `owner`: its tag's one character, then the word. */
export const wordKey = (owner: string, word: string): string =>
  String.fromCharCode(0x100 + ownerTag(owner)) + word;

/** FNV-1a of `s`'s UTF-16 units, unsigned 32 bits. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Key numbers per millisecond: a doc's key is `ts * SLOTS + slot` (see {@link docKey}). */
const SLOTS = 2048;
/** Latest time a key holds (year 2109): `ts * SLOTS` stays an exact integer below 2^53. */
const MAX_TS = 4_398_046_511_103;

/**
 * The key of the doc of message `id` at time `ts`, on its `probe`th try: the time leads, so a
 * bigger key is newer and a word's postings (numbers) sort by time; the id's hash picks one of
 * {@link SLOTS} slots within the millisecond, the next ones when it is taken (another message
 * of that millisecond, or the same message in another account).
 */
export function docKey(ts: number, id: string, probe = 0): number {
  const t = Math.min(MAX_TS, Math.max(0, Math.floor(Number.isFinite(ts) ? ts : 0)));
  return t * SLOTS + ((hash32(id) + probe) % SLOTS);
}

/** The index keys of a message's words (its text and its file's name). */
function wordsFor(owner: string, text: string, name: string | undefined): string[] {
  const tag = wordKey(owner, '');
  return distinctWords(name === undefined ? text : `${name} ${text}`).map((w) => tag + w);
}

/** Whether (ts, id) `a` is newer than `b`. */
const newer = (a: { ts: number; id: string }, b: { ts: number; id: string } | undefined) =>
  !b || a.ts > b.ts || (a.ts === b.ts && a.id > b.id);

/** The doc a message makes (keyed on its first try), with the edit waiting for it applied. */
function docOf(owner: string, m: IndexedMessage, edit: SearchPending['edit']): SearchDoc {
  const text = edit ? edit.text : m.text;
  const doc: SearchDoc = {
    key: docKey(m.ts, m.id),
    tag: ownerTag(owner),
    idHash: hash32(m.id),
    owner,
    ts: m.ts,
    id: m.id,
    room: m.room,
    from: { id: m.from.id, name: m.from.name },
    text,
    words: wordsFor(owner, text, m.name),
  };
  if (m.name !== undefined) doc.name = m.name;
  if (edit) doc.edit = { ts: edit.ts, id: edit.id };
  return doc;
}

/** `edit` applied to `doc` when it is the newest; undefined when it changes nothing. */
function edited(doc: SearchDoc, edit: IndexedEdit): SearchDoc | undefined {
  if (!newer(edit, doc.edit)) return undefined;
  return {
    ...doc,
    text: edit.text,
    words: wordsFor(doc.owner, edit.text, doc.name),
    edit: { ts: edit.ts, id: edit.id },
  };
}

/** The result of a request. */
function done<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('request failed'));
  });
}

/**
 * `owner`'s doc of message `id`, if indexed. `by-id` holds every account's docs by a hash of
 * their ids (a number, far shorter than an id): those it finds are checked.
 */
export async function docById(
  store: IDBObjectStore,
  owner: string,
  id: string,
): Promise<SearchDoc | undefined> {
  const req = store.index('by-id').getAll(hash32(id)) as IDBRequest<SearchDoc[]>;
  return (await done(req)).find((d) => d.owner === owner && d.id === id);
}

/**
 * Adds `doc` under its key or, when that key is taken by another message's doc, the next free
 * one. Resolves false when `doc`'s message is indexed already for its owner (nothing written).
 * A refused add is cancelled, so the rest of the transaction still commits.
 */
function addDoc(store: IDBObjectStore, doc: SearchDoc): Promise<boolean> {
  return new Promise<boolean>((resolve, reject) => {
    const attempt = (probe: number) => {
      if (probe >= SLOTS) {
        reject(new Error('search: no free key in this millisecond'));
        return;
      }
      doc.key = docKey(doc.ts, doc.id, probe);
      const req = store.add(doc);
      req.onsuccess = () => resolve(true);
      req.onerror = (event) => {
        event.preventDefault();
        event.stopPropagation();
        docById(store, doc.owner, doc.id).then((there) => {
          if (there) resolve(false);
          else attempt(probe + 1);
        }, reject);
      };
    };
    attempt(0);
  });
}

/** The state of one message id while a batch is applied: its doc and what waits for it. */
interface Slot {
  doc: SearchDoc | undefined;
  pending: SearchPending | undefined;
  /** The doc as stored before the batch (its key is deleted when the doc goes). */
  stored: SearchDoc | undefined;
  changed: boolean;
}

/**
 * Applies `items` (in order) to `owner`'s index in the caller's transaction. Idempotent: a
 * message already indexed, an edit already applied or older, a deletion already made change
 * nothing. Resolves with how many messages became new docs.
 */
export async function applyIn(
  docs: Store<'searchDocs'>,
  pending: Store<'searchPending'>,
  owner: string,
  items: readonly IndexItem[],
): Promise<number> {
  if (items.length === 0) return 0;
  const waiting = await waitingIn(pending, owner);
  const targets = new Set(items.flatMap((i) => (i.kind === 'message' ? [] : [i.target])));
  // A message that nothing waits for and no event of this batch is about is added as it is,
  // with no lookup: `add` refuses one already indexed (its key, or its id in `by-id`).
  const plain = (i: IndexItem): i is IndexedMessage =>
    i.kind === 'message' && waiting !== undefined && !waiting.has(i.id) && !targets.has(i.id);
  const [added, more] = await Promise.all([
    addNew(docs, owner, items.filter(plain)),
    applySlow(
      docs,
      pending,
      owner,
      items.filter((i) => !plain(i)),
    ),
  ]);
  return added + more;
}

/** Most waiting records of an account read at once to know which messages have one. */
const WAITING_READ = 2000;

/** The ids something waits for (an edit, a tombstone); undefined when there are too many. */
async function waitingIn(
  pending: Store<'searchPending'>,
  owner: string,
): Promise<Set<string> | undefined> {
  const owned = IDBKeyRange.bound([owner, ''], [owner, []]);
  const count = await pending.count(owned);
  if (count === 0) return new Set();
  if (count > WAITING_READ) return undefined;
  return new Set((await pending.getAllKeys(owned)).map(([, target]) => target));
}

/** Adds docs for `messages`, skipping those already indexed; resolves with how many were new. */
async function addNew(
  docs: Store<'searchDocs'>,
  owner: string,
  messages: readonly IndexedMessage[],
): Promise<number> {
  const store = unwrap(docs) as IDBObjectStore;
  const added = await Promise.all(messages.map((m) => addDoc(store, docOf(owner, m, undefined))));
  return added.filter(Boolean).length;
}

/** Applies `items` one by one after reading what the index holds of their messages. */
async function applySlow(
  docs: Store<'searchDocs'>,
  pending: Store<'searchPending'>,
  owner: string,
  items: readonly IndexItem[],
): Promise<number> {
  if (items.length === 0) return 0;
  const ids = [...new Set(items.map((i) => (i.kind === 'message' ? i.id : i.target)))];
  // Every lookup at once (one round of requests), then the batch is applied in memory.
  const store = unwrap(docs) as IDBObjectStore;
  const [found, waits] = await Promise.all([
    Promise.all(ids.map((id) => docById(store, owner, id))),
    Promise.all(ids.map((id) => pending.get([owner, id]))),
  ]);
  const slots = new Map<string, Slot>();
  ids.forEach((id, i) => {
    const doc = found[i];
    slots.set(id, { doc, stored: doc, pending: waits[i], changed: false });
  });
  let added = 0;
  for (const item of items) {
    const slot = slots.get(item.kind === 'message' ? item.id : item.target)!;
    if (item.kind === 'message') {
      if (slot.doc || slot.pending?.deleted) continue;
      slot.doc = docOf(owner, item, slot.pending?.edit);
      // The waiting edit now lives in the doc.
      slot.pending = undefined;
      slot.changed = true;
      added++;
    } else if (item.kind === 'edit') {
      if (slot.doc) {
        const next = edited(slot.doc, item);
        if (next) [slot.doc, slot.changed] = [next, true];
      } else if (!slot.pending?.deleted && newer(item, slot.pending?.edit)) {
        const by = [...new Set([...(slot.pending?.by ?? []), item.id])];
        const edit = { ts: item.ts, id: item.id, text: item.text };
        slot.pending = { owner, target: item.target, room: item.room, edit, by };
        slot.changed = true;
      }
    } else if (!slot.pending?.deleted) {
      slot.doc = undefined;
      const by = [...new Set([...(slot.pending?.by ?? []), item.id])];
      slot.pending = { owner, target: item.target, room: item.room, deleted: true, by };
      slot.changed = true;
    }
  }
  const writes: Promise<unknown>[] = [];
  for (const [id, slot] of slots) {
    if (!slot.changed) continue;
    // A new doc takes a free key; an edited one keeps its own.
    if (slot.doc && !slot.stored) writes.push(addDoc(store, slot.doc));
    else if (slot.doc) writes.push(docs.put(slot.doc));
    else if (slot.stored) writes.push(docs.delete(slot.stored.key));
    writes.push(slot.pending ? pending.put(slot.pending) : pending.delete([owner, id]));
  }
  await Promise.all(writes);
  return added;
}

/**
 * Removes from `owner`'s index everything messages `ids` put there (they are being deleted:
 * retention, "Delete its messages"): their docs, what waits for them or says they were
 * deleted, and what the events among them left waiting. In the caller's transaction.
 */
export async function removeIn(
  docs: Store<'searchDocs'>,
  pending: Store<'searchPending'>,
  owner: string,
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  const store = unwrap(docs) as IDBObjectStore;
  const byEvent = pending.index('by-event');
  const [found, left] = await Promise.all([
    Promise.all(ids.map((id) => docById(store, owner, id))),
    Promise.all(ids.map((id) => byEvent.getAllKeys(id))),
  ]);
  const writes: Promise<unknown>[] = [];
  for (const doc of found) if (doc) writes.push(docs.delete(doc.key));
  for (const id of ids) writes.push(pending.delete([owner, id]));
  // `by-event` holds every account's: only this owner's go.
  for (const key of left.flat()) if (key[0] === owner) writes.push(pending.delete(key));
  await Promise.all(writes);
}
