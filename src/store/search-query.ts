/**
 * Searching the index (`search-index.ts`): the messages of an account whose words begin with
 * every word of the query, newest first. Nothing is loaded ahead. A query counts each word's
 * postings (in `by-word`; counting happens inside the database, no keys cross over), then
 * takes the cheaper of two plans: read the postings of the rarer words (their primary keys
 * `[owner, ts, id]` carry the time), intersect them, and read only the docs it shows; or,
 * when the words are common ("the", a prefix of one letter), read the newest docs in growing
 * batches until enough match — common words match often, so that ends soon.
 */
import { unwrap } from 'idb';
import type { ParleyDb } from './db.js';
import type { SearchDoc } from './schema.js';
import { wordKey } from './search-index.js';
import { markRanges, queryTerms } from './search-terms.js';

/** One message found. */
export interface SearchHit {
  id: string;
  room: string;
  ts: number;
  from: { id: string; name: string };
  /** Its current text (after edits); for a file, its name, then its caption. */
  text: string;
  /** [start, end) in `text` to highlight */
  marks: Array<[number, number]>;
}

/** Hits by default. */
export const SEARCH_LIMIT = 50;
/** Most hits one query returns. */
export const MAX_SEARCH_LIMIT = 500;
/** Most postings read for a word beside the rarest one (a commoner word is checked on the docs). */
export const POSTINGS_CAP = 5000;
/** Candidate docs read at once (more later: the first ones usually match). */
const DOC_BATCH = 100;
/** Docs the first scanning batch reads, and the most one reads. */
const SCAN_FIRST = 200;
const SCAN_MAX = 3200;

type DocKey = [string, number, string];

/** Whether `doc` has, for every term, a word beginning with it (and is in `room`, if given). */
function matches(doc: SearchDoc, owner: string, terms: readonly string[], room?: string): boolean {
  if (room !== undefined && doc.room !== room) return false;
  return terms.every((t) => {
    const prefix = wordKey(owner, t);
    return doc.words.some((w) => w.startsWith(prefix));
  });
}

/** Newest first: by ts, then id. */
const newestFirst = (a: DocKey, b: DocKey) =>
  b[1] - a[1] || (a[2] < b[2] ? 1 : a[2] > b[2] ? -1 : 0);

/** A hit as shown: a file's name before its caption, the words found marked. */
function hitOf(doc: SearchDoc, terms: readonly string[]): SearchHit {
  const text =
    doc.name === undefined ? doc.text : doc.text ? `${doc.name} — ${doc.text}` : doc.name;
  return {
    id: doc.id,
    room: doc.room,
    ts: doc.ts,
    from: { ...doc.from },
    text,
    marks: markRanges(text, terms),
  };
}

/**
 * Messages of `owner` whose words match every term of `query` as a prefix (case- and
 * accent-insensitive), newest first, at most `limit` (default 50); in `room` only when given.
 */
export async function searchMessages(
  db: ParleyDb,
  owner: string,
  query: string,
  opts: { room?: string; limit?: number } = {},
): Promise<{ hits: SearchHit[]; more: boolean }> {
  const terms = queryTerms(query);
  const limit = Math.max(1, Math.min(MAX_SEARCH_LIMIT, Math.floor(opts.limit ?? SEARCH_LIMIT)));
  if (terms.length === 0) return { hits: [], more: false };
  const found: SearchDoc[] = [];
  const want = limit + 1;
  const keep = (docs: readonly (SearchDoc | undefined)[]) => {
    for (const d of docs)
      if (d && found.length < want && matches(d, owner, terms, opts.room)) found.push(d);
    return found.length >= want;
  };
  const tx = db.transaction('searchDocs');
  const words = tx.store.index('by-word');
  const ranges = terms.map((t) => {
    const lower = wordKey(owner, t);
    return IDBKeyRange.bound(lower, `${lower}\uffff`);
  });
  // Counting is done where the data is (no keys cross over): cheap, and it picks the plan.
  const roomRange =
    opts.room === undefined
      ? undefined
      : IDBKeyRange.bound([owner, opts.room, -Infinity, ''], [owner, opts.room, Infinity, []]);
  const ownRange = IDBKeyRange.bound([owner, -Infinity, ''], [owner, Infinity, []]);
  const [total, inRoom, ...counts] = await Promise.all([
    tx.store.count(ownRange),
    roomRange ? tx.store.index('by-room').count(roomRange) : undefined,
    ...ranges.map((r) => words.count(r)),
  ]);
  if (inRoom === 0 || counts.some((c) => c === 0)) return { hits: [], more: false };
  const plan = planOf(total, inRoom, counts, want);
  if (plan.scan) {
    await scanNewest(db, owner, opts.room, keep);
  } else {
    // The postings of the words read, intersected, newest first; the rest checked on the docs.
    const postings = await Promise.all(plan.read.map((i) => words.getAllKeys(ranges[i])));
    postings.sort((x, y) => x.length - y.length);
    const [rarest, ...others] = postings;
    const sets = others.map((p) => new Set(p.map((k) => k[2])));
    const candidates = rarest!.filter((k) => sets.every((s) => s.has(k[2]))).sort(newestFirst);
    // When every word was read, each candidate matches (unless a room is asked for).
    let size = plan.exact ? want : DOC_BATCH;
    for (let i = 0; i < candidates.length; i += size, size = Math.min(size * 2, 800)) {
      const batch = candidates.slice(i, i + size);
      if (keep(await Promise.all(batch.map((k) => tx.store.get(k))))) break;
    }
  }
  return { hits: found.slice(0, limit).map((d) => hitOf(d, terms)), more: found.length > limit };
}

/** Relative costs of reading a key, a doc in a range (one request), a doc by its key. */
const COST = { key: 1, scanned: 3, fetched: 10 };

/** How a query is answered: by scanning the newest docs, or from the postings of `read`. */
type Plan = { scan: true } | { scan: false; read: number[]; exact: boolean };

/**
 * The cheaper plan, from how many docs there are (`total`; `inRoom` in the room asked for)
 * and how many postings each term has (`counts`, none 0), taking words as independent:
 * reading the postings of the rarest words (the others at most {@link POSTINGS_CAP} each)
 * and checking the candidates on their docs, or reading the newest docs until `want` match.
 */
function planOf(total: number, inRoom: number | undefined, counts: number[], want: number): Plan {
  const order = counts.map((c, i) => [c, i] as const).sort((x, y) => x[0] - y[0]);
  const share = (c: number) => Math.min(1, c / total);
  const roomShare = inRoom === undefined ? 1 : share(inRoom);
  const pAll = counts.reduce((p, c) => p * share(c), roomShare);
  const scanCost = Math.min(total, want / pAll) * COST.scanned;
  // The rarest word's postings, then each next rarer one while reading it saves more fetches
  // of docs than it costs.
  const [[first, firstIndex]] = order as [readonly [number, number]];
  const read = [firstIndex];
  let candidates = first;
  let pUnread = pAll / share(first);
  let readCost = first * COST.key;
  const fetchCost = (n: number, p: number) => Math.min(n, want / p) * COST.fetched;
  for (const [c, i] of order.slice(1)) {
    if (c > POSTINGS_CAP) break;
    const saved =
      fetchCost(candidates, pUnread) - fetchCost(candidates * share(c), pUnread / share(c));
    if (c * COST.key >= saved) break;
    read.push(i);
    candidates *= share(c);
    pUnread /= share(c);
    readCost += c * COST.key;
  }
  if (scanCost < readCost + fetchCost(candidates, pUnread)) return { scan: true };
  return { scan: false, read, exact: read.length === counts.length && inRoom === undefined };
}

/** Whether this browser reads a range backwards in one request (`getAll` with a direction). */
const backwards =
  typeof IDBObjectStore !== 'undefined' && 'getAllRecords' in IDBObjectStore.prototype;

/** The result of a request. */
function done<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('request failed'));
  });
}

/**
 * Hands `owner`'s docs (of `room`, if given) to `take`, newest first, in growing batches, until
 * it says it has enough or none are left. A batch is one backwards `getAll` where the browser
 * has it; elsewhere a key-cursor step (to find where the batch starts) and a `getAll`.
 */
async function scanNewest(
  db: ParleyDb,
  owner: string,
  room: string | undefined,
  take: (docs: SearchDoc[]) => boolean,
): Promise<void> {
  const tx = db.transaction('searchDocs');
  const source = room === undefined ? tx.store : tx.store.index('by-room');
  const raw: IDBObjectStore | IDBIndex =
    room === undefined ? unwrap(tx.store) : unwrap(tx.store.index('by-room'));
  const lower = room === undefined ? [owner, -Infinity] : [owner, room, -Infinity];
  let upper: unknown[] = room === undefined ? [owner, Infinity] : [owner, room, Infinity];
  let open = false;
  // Small first (a common word matches soon), larger later (a rarer one needs more).
  for (let size = SCAN_FIRST; ; size = Math.min(size * 2, SCAN_MAX)) {
    const range = IDBKeyRange.bound(lower, upper, false, open);
    let docs: SearchDoc[];
    if (backwards) {
      const query = { query: range, count: size, direction: 'prev' };
      docs = await done(raw.getAll(query as unknown as IDBKeyRange) as IDBRequest<SearchDoc[]>);
    } else {
      const cursor = await source.openKeyCursor(range, 'prev');
      if (!cursor) return;
      const start = (await cursor.advance(size - 1)) ?? null;
      const from = start ? IDBKeyRange.bound(start.key, upper, false, open) : range;
      docs = (await source.getAll(from)).reverse();
    }
    if (take(docs) || docs.length < size) return;
    const last = docs.at(-1)!;
    upper = room === undefined ? [owner, last.ts, last.id] : [owner, room, last.ts, last.id];
    open = true;
  }
}
