/**
 * Searching the index (`search-index.ts`): the messages of an account whose words begin with
 * every word of the query, newest first. Nothing is loaded ahead, and nothing is counted
 * (counting a range walks it). A query reads at most {@link POSTINGS_PROBE} postings of each
 * word (doc keys: numbers that grow with time). When a word has fewer, its postings are all
 * there: those of such rare words are intersected, sorted newest first, and only the docs they
 * show are read until enough match. When every word is common ("the", a prefix of one
 * letter), the newest docs are read until enough match — common words match often, so that
 * ends soon; when the docs read say it would take more than {@link SCAN_BUDGET}, the postings
 * of the word that matched least are read whole and the older docs they show are checked.
 */
import { unwrap } from 'idb';
import type { ParleyDb } from './db.js';
import type { SearchDoc } from './schema.js';
import { ownerTag, wordKey } from './search-index.js';
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
/** Most postings first read for each word: fewer means the word's postings are all read. */
export const POSTINGS_PROBE = 1000;
/** Candidates per doc wanted below which a further word's postings are not read. */
const POSTINGS_ENOUGH = 4;
/** Candidate docs read at once at first (more later: the first ones usually match). */
const DOC_BATCH = 64;
/** Docs the first scanning batch reads, and the most one batch reads. */
const SCAN_FIRST = 200;
const SCAN_MAX = 1600;
/**
 * Most docs a scan of the newest reads: past this, the postings of the words that matched
 * least are read (common words have long ones, tens of thousands of keys at 100,000 docs).
 */
export const SCAN_BUDGET = 2400;

/** A query under way: its terms as keys, and what matched so far. */
interface Run {
  owner: string;
  room: string | undefined;
  /** The terms, each after the owner's tag character (as in a doc's `words`). */
  prefixes: string[];
  want: number;
  found: SearchDoc[];
}

/** Keeps the docs of `docs` that match `run` (in order); true once it has enough. */
function keep(run: Run, docs: readonly (SearchDoc | undefined)[]): boolean {
  for (const d of docs) {
    if (run.found.length >= run.want) break;
    if (!d || d.owner !== run.owner) continue;
    if (run.room !== undefined && d.room !== run.room) continue;
    if (run.prefixes.every((p) => d.words.some((w) => w.startsWith(p)))) run.found.push(d);
  }
  return run.found.length >= run.want;
}

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

/** The result of a request. */
function done<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('request failed'));
  });
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
  const prefixes = terms.map((t) => wordKey(owner, t));
  const run: Run = { owner, room: opts.room, prefixes, want: limit + 1, found: [] };
  const store = unwrap(db.transaction('searchDocs').store) as IDBObjectStore;
  const words = store.index('by-word');
  const ranges = prefixes.map((p) => IDBKeyRange.bound(p, `${p}\uffff`));
  const probes = await Promise.all(
    ranges.map((r) => done(words.getAllKeys(r, POSTINGS_PROBE) as IDBRequest<number[]>)),
  );
  if (probes.some((p) => p.length === 0)) return { hits: [], more: false };
  const whole = probes.filter((p) => p.length < POSTINGS_PROBE);
  if (whole.length > 0) await fromPostings(store, run, whole, Infinity);
  else await commonWords(store, run, ranges);
  const { found } = run;
  return { hits: found.slice(0, limit).map((d) => hitOf(d, terms)), more: found.length > limit };
}

/**
 * Reads, newest first, the docs in every one of `lists` (postings: doc keys) below `below`,
 * in growing batches, until `run` has enough. `read`: how many words' postings made `lists`.
 */
async function fromPostings(
  store: IDBObjectStore,
  run: Run,
  lists: number[][],
  below: number,
  read: number = lists.length,
): Promise<void> {
  lists.sort((x, y) => x.length - y.length);
  const [rarest, ...others] = lists as [number[], ...number[][]];
  const sets = others.map((p) => new Set(p));
  const candidates = rarest
    .filter((k) => k < below && sets.every((s) => s.has(k)))
    .sort((a, b) => b - a);
  // When every word's postings were read (and no room is asked for), every candidate matches:
  // the first batch is just what is wanted.
  const exact = read === run.prefixes.length && run.room === undefined;
  const wanted = run.want - run.found.length;
  let size = exact ? wanted : Math.max(DOC_BATCH, wanted);
  for (let i = 0; i < candidates.length; i += size, size = Math.min(size * 2, 800)) {
    const batch = candidates.slice(i, i + size);
    const docs = await Promise.all(
      batch.map((k) => done(store.get(k) as IDBRequest<SearchDoc | undefined>)),
    );
    if (keep(run, docs)) return;
  }
}

/** Whether this browser reads a range backwards in one request (`getAll` with a direction). */
const backwards =
  typeof IDBObjectStore !== 'undefined' && 'getAllRecords' in IDBObjectStore.prototype;

/**
 * Every word has many postings: reads the owner's newest docs (of its room, if any), which
 * common words match often, in batches sized from how often the docs read so far matched.
 * When that rate says more than {@link SCAN_BUDGET} docs would be read, the word that matched
 * least often has its postings read whole instead, and the older docs they show are checked.
 */
async function commonWords(store: IDBObjectStore, run: Run, ranges: IDBKeyRange[]): Promise<void> {
  const tally = run.prefixes.map(() => 0);
  let read = 0;
  let below = Infinity;
  for (let size = SCAN_FIRST; ;) {
    const docs = await newestDocs(store, run, below, size);
    if (keep(run, docs) || docs.length < size) return;
    read += docs.length;
    below = docs.at(-1)!.key;
    for (const d of docs) {
      if (d.owner !== run.owner) continue;
      run.prefixes.forEach((p, i) => {
        if (d.words.some((w) => w.startsWith(p))) tally[i]!++;
      });
    }
    // Matches per doc read so far: how many more docs would give enough.
    const rate = run.found.length / read;
    const more = rate > 0 ? (run.want - run.found.length) / rate : Infinity;
    // None matched yet: together the words are rare, their postings are cheaper. Some did:
    // the rate is known well enough to keep reading docs while the estimate stays in budget.
    if (rate === 0 || read + more > SCAN_BUDGET) break;
    size = Math.min(SCAN_MAX, Math.max(SCAN_FIRST, Math.ceil(more * 1.25)));
  }
  // The words' postings, rarest (in the docs read) first, each one more while the candidates
  // are many more than wanted: keys are far cheaper to read than docs.
  const order = tally.map((t, i) => [t, i] as const).sort((x, y) => x[0] - y[0]);
  const words = store.index('by-word');
  let lists = 0;
  let candidates: number[] | undefined;
  for (const [, i] of order) {
    if (candidates && candidates.length <= POSTINGS_ENOUGH * run.want) break;
    const keys = (await done(words.getAllKeys(ranges[i]) as IDBRequest<number[]>)).filter(
      (k) => k < below,
    );
    lists++;
    const has = new Set(keys);
    candidates = candidates ? candidates.filter((k) => has.has(k)) : keys;
  }
  await fromPostings(store, run, [candidates ?? []], below, lists);
}

/**
 * The owner's newest `size` docs (of its room, if any) with keys below `below`, newest first.
 * One backwards `getAll` where the browser has it; elsewhere a key-cursor step (to find where
 * the batch starts) and a `getAll`.
 */
async function newestDocs(
  store: IDBObjectStore,
  run: Run,
  below: number,
  size: number,
): Promise<SearchDoc[]> {
  const tag = ownerTag(run.owner);
  const source = store.index(run.room === undefined ? 'by-owner' : 'by-room');
  const head = run.room === undefined ? [tag] : [tag, run.room];
  const open = below !== Infinity;
  const range = IDBKeyRange.bound([...head, -Infinity], [...head, below], false, open);
  if (backwards) {
    const query = { query: range, count: size, direction: 'prev' };
    return done(source.getAll(query as unknown as IDBKeyRange) as IDBRequest<SearchDoc[]>);
  }
  const start = await nthKeyBack(source, range, size);
  if (start === null) return [];
  const from =
    start === undefined ? range : IDBKeyRange.bound(start, [...head, below], false, open);
  return (await done(source.getAll(from) as IDBRequest<SearchDoc[]>)).reverse();
}

/**
 * The `n`th key of `range` counting from its end (undefined when it holds fewer: the batch is
 * all of it; null when it is empty).
 */
function nthKeyBack(
  source: IDBIndex,
  range: IDBKeyRange,
  n: number,
): Promise<IDBValidKey | undefined | null> {
  return new Promise((resolve, reject) => {
    const req = source.openKeyCursor(range, 'prev');
    let first = true;
    req.onerror = () => reject(req.error ?? new Error('request failed'));
    req.onsuccess = () => {
      const cursor = req.result;
      if (!cursor) resolve(first ? null : undefined);
      else if (first && n > 1) {
        first = false;
        cursor.advance(n - 1);
      } else resolve(cursor.key);
    };
  });
}
