/**
 * Keeping the search index up to date: what the room calls as messages are stored
 * ({@link indexEnvelopes}), and the walk over what was stored before the index existed or
 * before a room key opened it ({@link reindexAccount}). A message is read as the room reads
 * it — in the clear, or opened with the room keys this account holds, here, locally — and
 * only chat and file messages are indexed (their text, a file's name and caption); edits and
 * deletions change what is indexed, allowed only from the target's author; reactions, a
 * private room's control messages, kinds this version does not know and what no key opens
 * are not indexed.
 */
import type { Envelope } from '../../protocol/chat-events.js';
import { readMessage } from '../../protocol/message-body.js';
import { eventAllowed, isEventKind, readEvent } from '../../protocol/message-events.js';
import { FILE_KIND, readFileBody } from '../../protocol/file-manifest.js';
import type { ParleyDb } from '../../store/db.js';
import { roomKeysOf, type RoomKeyEntry } from '../../store/room-keys.js';
import { applyIn, type IndexItem } from '../../store/search-index.js';
import { backgroundTurn } from '../room/history-turns.js';

/**
 * Messages indexed per slice: one task reads them and makes their docs, one transaction writes
 * them (with their words' index entries), then the page has its turn (`backgroundTurn`: none
 * while a catch-up answer is under way). Measured in the catch-up benchmark: batches of 300
 * were a 20–40 ms task and a commit IndexedDB served before the answer's read; 50 keeps a
 * slice within a few ms.
 */
export const INDEX_SLICE = 50;
/** Messages one reindexing step reads (then indexed as one slice, with where the walk got to). */
export const REINDEX_BATCH = INDEX_SLICE;
/** Rooms whose keys one walk keeps at hand. */
const MAX_CACHED_ROOMS = 64;

/** The keys of each room, read once per call (a key added meanwhile comes with the next). */
class KeyCache {
  private readonly rooms = new Map<string, Promise<RoomKeyEntry[]>>();
  constructor(
    private readonly db: ParleyDb,
    private readonly owner: string,
  ) {}

  of(room: string): Promise<RoomKeyEntry[]> {
    let keys = this.rooms.get(room);
    if (!keys) {
      if (this.rooms.size >= MAX_CACHED_ROOMS) this.rooms.delete(this.rooms.keys().next().value!);
      keys = roomKeysOf(this.db, this.owner, room);
      this.rooms.set(room, keys);
    }
    return keys;
  }
}

/** The database was closed under the indexer (a logout, a page going): nothing to say. */
function quiet(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'InvalidStateError';
}

/** What `env` gives the index: a message's words, an edit or a deletion; else undefined. */
async function itemOf(env: Envelope, keys: KeyCache): Promise<IndexItem | undefined> {
  const held = await keys.of(env.room);
  const read = await readMessage(env, held);
  if (!read) return undefined;
  const head = { id: env.id, room: env.room };
  const message = { ...head, kind: 'message' as const, ts: env.ts, from: env.from };
  if (read.kind === 'text' && read.text !== undefined) return { ...message, text: read.text };
  if (read.kind === FILE_KIND) {
    const file = readFileBody(read.body);
    return file && { ...message, text: file.text ?? '', name: file.file.name };
  }
  if (!isEventKind(read.kind)) return undefined;
  // In an encrypted room an event sent in the clear does not count (PROTOCOL.md §18.3).
  if (held.length > 0 && !read.sealed) return undefined;
  const ev = readEvent(read.kind, read.body);
  if (!ev || !eventAllowed(ev, env)) return undefined;
  if (ev.kind === 'edit')
    return { ...head, kind: 'edit', ts: env.ts, target: ev.target, text: ev.text };
  if (ev.kind === 'delete') return { ...head, kind: 'delete', target: ev.target };
  return undefined;
}

/** A walk's mark to keep with a slice's docs (`kv` key and record). */
type Mark = [key: string, mark: WalkMark | undefined];

/**
 * Reads `envs` and applies them in one transaction — with `mark` (where a walk got to; undefined:
 * the walk's record goes) — resolving with how many became new docs.
 */
async function indexBatch(
  db: ParleyDb,
  owner: string,
  envs: readonly Envelope[],
  keys: KeyCache,
  mark?: Mark,
): Promise<number> {
  // Opened before the transaction: awaiting WebCrypto inside it would let it commit.
  const read = await Promise.all(
    envs.map((env) =>
      itemOf(env, keys).catch((err: unknown) => {
        if (!quiet(err)) console.warn('parley: search could not read a message —', err);
        return undefined;
      }),
    ),
  );
  const items = read.filter((i): i is IndexItem => i !== undefined);
  if (items.length === 0 && !mark) return 0;
  // The walk's record only when there is one: `kv` is not held for a live batch.
  const scope: Array<'searchDocs' | 'searchPending' | 'kv'> = ['searchDocs', 'searchPending'];
  const tx = db.transaction(mark ? [...scope, 'kv'] : scope, 'readwrite');
  if (mark) {
    const [key, record] = mark;
    void (record ? tx.objectStore('kv').put(record, key) : tx.objectStore('kv').delete(key));
  }
  const added = await applyIn(
    tx.objectStore('searchDocs'),
    tx.objectStore('searchPending'),
    owner,
    items,
  );
  await tx.done;
  return added;
}

/**
 * Indexes what `envs` (stored envelopes of `owner`, any rooms) say: text and file name/caption
 * of chat and file messages in the clear or opened with the room keys stored for `owner`;
 * edits replace the target's words if newer (greatest (ts,id), only the target's author),
 * deletions remove it and win over edits, in any arrival order; reactions, notes/control
 * kinds, unknown kinds and what no key opens are not indexed. Never throws (logs and skips).
 */
export async function indexEnvelopes(
  db: ParleyDb,
  owner: string,
  envs: readonly Envelope[],
): Promise<void> {
  const keys = new KeyCache(db, owner);
  try {
    // In order, a slice at a turn: an edit after its target still finds it (or waits for it).
    for (let at = 0; at < envs.length; at += INDEX_SLICE) {
      await backgroundTurn();
      await indexBatch(db, owner, envs.slice(at, at + INDEX_SLICE), keys);
    }
  } catch (err) {
    if (!quiet(err)) console.warn('parley: search could not index messages —', err);
  }
}

/** Where a walk stopped: the last message key it indexed; `done` once the account's is over. */
interface WalkMark {
  after?: unknown[];
  done?: true;
}

/** The kv record of `owner`'s walk over every room, or over `room`. */
export const reindexKey = (owner: string, room?: string): string =>
  room === undefined ? `search-reindex:${owner}` : `search-reindex:${owner}:${room}`;

/** The next batch of `owner`'s stored messages after `after` (of `room`, if given). */
function nextBatch(db: ParleyDb, owner: string, room: string | undefined, after?: unknown[]) {
  if (room === undefined) {
    // By id; an array sorts after every string, so `[owner, []]` ends the account's range.
    const range = IDBKeyRange.bound(after ?? [owner, ''], [owner, []], after !== undefined);
    return db.getAll('messages', range, REINDEX_BATCH);
  }
  const range = IDBKeyRange.bound(
    after ?? [owner, room, -Infinity, ''],
    [owner, room, Infinity, []],
    after !== undefined,
  );
  return db.getAllFromIndex('messages', 'by-room-time', range, REINDEX_BATCH);
}

/**
 * Indexes whatever of `owner`'s stored messages is not indexed yet (after the upgrade to v6,
 * or — with `room` — when a room key arrives later): in batches of {@link REINDEX_BATCH},
 * yielding between batches. Where it got to is kept (kv {@link reindexKey}), so a walk cut
 * short (`signal`, a reload) resumes there; the account's walk runs once, a room's whenever
 * asked. Resolves with how many messages it indexed. Never throws (logs and stops).
 */
export async function reindexAccount(
  db: ParleyDb,
  owner: string,
  opts: { signal?: AbortSignal; room?: string } = {},
): Promise<number> {
  const { room, signal } = opts;
  const markKey = reindexKey(owner, room);
  const keys = new KeyCache(db, owner);
  let indexed = 0;
  try {
    const mark = (await db.get('kv', markKey)) as WalkMark | undefined;
    if (mark?.done) return 0;
    let after = mark?.after;
    for (;;) {
      await backgroundTurn();
      if (signal?.aborted) break;
      const batch = await nextBatch(db, owner, room, after);
      const last = batch.at(-1);
      const over = batch.length < REINDEX_BATCH || !last;
      if (!over) after = room === undefined ? [owner, last.id] : [owner, room, last.ts, last.id];
      // Where the walk got to is written with the slice's docs: one transaction a step.
      const next: WalkMark | undefined = !over
        ? { after }
        : room === undefined
          ? { done: true }
          : undefined;
      indexed += await indexBatch(db, owner, batch, keys, [markKey, next]);
      if (over) break;
    }
  } catch (err) {
    if (!quiet(err)) console.warn('parley: search could not index the history —', err);
  }
  return indexed;
}
