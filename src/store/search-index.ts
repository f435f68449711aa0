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

/** The `by-word` key of folded word `word` of `owner`. */
export const wordKey = (owner: string, word: string): string => `${owner}\u0000${word}`;

/** The index keys of a message's words (its text and its file's name). */
function wordsFor(owner: string, text: string, name: string | undefined): string[] {
  return distinctWords(name === undefined ? text : `${name} ${text}`).map((w) => wordKey(owner, w));
}

/** Whether (ts, id) `a` is newer than `b`. */
const newer = (a: { ts: number; id: string }, b: { ts: number; id: string } | undefined) =>
  !b || a.ts > b.ts || (a.ts === b.ts && a.id > b.id);

/** The doc a message makes, with the edit waiting for it (if any) applied. */
function docOf(owner: string, m: IndexedMessage, edit: SearchPending['edit']): SearchDoc {
  const text = edit ? edit.text : m.text;
  const doc: SearchDoc = {
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
  const added = await Promise.all(
    messages.map(
      (m) =>
        new Promise<boolean>((resolve) => {
          const req = store.add(docOf(owner, m, undefined));
          req.onsuccess = () => resolve(true);
          req.onerror = (event) => {
            // Already indexed: cancelled, so the rest of the transaction still commits.
            event.preventDefault();
            event.stopPropagation();
            resolve(false);
          };
        }),
    ),
  );
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
  const byId = docs.index('by-id');
  const [found, waits] = await Promise.all([
    Promise.all(ids.map((id) => byId.get([owner, id]))),
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
    if (slot.doc) writes.push(docs.put(slot.doc));
    else if (slot.stored) writes.push(docs.delete([owner, slot.stored.ts, slot.stored.id]));
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
  const byId = docs.index('by-id');
  const byEvent = pending.index('by-event');
  const [keys, left] = await Promise.all([
    Promise.all(ids.map((id) => byId.getKey([owner, id]))),
    Promise.all(ids.map((id) => byEvent.getAllKeys(id))),
  ]);
  const writes: Promise<unknown>[] = [];
  for (const key of keys) if (key) writes.push(docs.delete(key));
  for (const id of ids) writes.push(pending.delete([owner, id]));
  // `by-event` holds every account's: only this owner's go.
  for (const key of left.flat()) if (key[0] === owner) writes.push(pending.delete(key));
  await Promise.all(writes);
}
