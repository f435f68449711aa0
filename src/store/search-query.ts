/**
 * Searching the index (`search-index.ts`): the messages of an account whose words begin with
 * every word of the query, newest first. Nothing is loaded ahead: a query reads the keys of
 * its words' postings (`by-word`, whose primary keys `[owner, ts, id]` carry the time) and
 * then only the docs it shows. When every word of the query is so common that its postings
 * pass {@link POSTINGS_CAP} (a word of one letter, "the"), the newest docs are read instead,
 * in batches, until enough match: common words match often, so that ends soon.
 */
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
/** Most postings read for one word; a word with more is "common" (see the module comment). */
export const POSTINGS_CAP = 5000;
/** Docs read at once. */
const DOC_BATCH = 200;

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
  const tx = db.transaction('searchDocs');
  const words = tx.store.index('by-word');
  const postings = await Promise.all(
    terms.map((t) => {
      const lower = wordKey(owner, t);
      return words.getAllKeys(IDBKeyRange.bound(lower, `${lower}\uffff`), POSTINGS_CAP + 1);
    }),
  );
  const complete = postings.filter((p) => p.length <= POSTINGS_CAP);
  const found: SearchDoc[] = [];
  const want = limit + 1;
  const keep = (docs: readonly (SearchDoc | undefined)[]) => {
    for (const d of docs)
      if (d && found.length < want && matches(d, owner, terms, opts.room)) found.push(d);
  };
  if (complete.length > 0) {
    // The rarest word's postings, narrowed by the other complete ones, newest first.
    complete.sort((a, b) => a.length - b.length);
    const [rarest, ...others] = complete;
    const sets = others.map((p) => new Set(p.map((k) => k[2])));
    const candidates = rarest!.filter((k) => sets.every((s) => s.has(k[2]))).sort(newestFirst);
    for (let i = 0; i < candidates.length && found.length < want; i += DOC_BATCH) {
      const batch = candidates.slice(i, i + DOC_BATCH);
      keep(await Promise.all(batch.map((k) => tx.store.get(k))));
    }
  } else {
    await scanNewest(db, owner, opts.room, (docs) => {
      keep(docs);
      return found.length >= want;
    });
  }
  return { hits: found.slice(0, limit).map((d) => hitOf(d, terms)), more: found.length > limit };
}

/**
 * Hands `owner`'s docs (of `room`, if given) to `take`, newest first, {@link DOC_BATCH} at a
 * time, until it says it has enough or none are left. A batch is one key-cursor step (to find
 * where it starts) and one `getAll`.
 */
async function scanNewest(
  db: ParleyDb,
  owner: string,
  room: string | undefined,
  take: (docs: SearchDoc[]) => boolean,
): Promise<void> {
  const tx = db.transaction('searchDocs');
  const source = room === undefined ? tx.store : tx.store.index('by-room');
  const lower = room === undefined ? [owner, -Infinity] : [owner, room, -Infinity];
  let upper: unknown[] = room === undefined ? [owner, Infinity] : [owner, room, Infinity];
  let open = false;
  for (;;) {
    const range = IDBKeyRange.bound(lower, upper, false, open);
    const cursor = await source.openKeyCursor(range, 'prev');
    if (!cursor) return;
    const start = (await cursor.advance(DOC_BATCH - 1)) ?? null;
    const from = start ? IDBKeyRange.bound(start.key, upper, false, open) : range;
    const docs = await source.getAll(from);
    if (take(docs.reverse()) || !start) return;
    [upper, open] = [start.key as unknown[], true];
  }
}
