/**
 * Browser side of the search benchmark (`bench/search.ts`). Bundled with esbuild and loaded
 * into one headless Chromium page; Node drives it through `window.bench`.
 *
 * Parley's real code on the page's real IndexedDB: `addMessages` stores the history,
 * `indexEnvelopes` indexes it as the room does when pages of messages arrive, and
 * `searchMessages` answers the queries. The benchmark's own code is the message generator (a
 * seeded vocabulary with Zipf-like word frequencies, accented words among them), the queries,
 * and the baseline: an inverted index held in memory (what a library such as MiniSearch keeps),
 * built from the same docs read back from IndexedDB — the work a persisted in-memory index
 * has to do after every page load before it can answer.
 */
import { indexEnvelopes } from '../../src/controllers/search/indexer.js';
import type { Envelope } from '../../src/protocol/chat-events.js';
import { deleteParleyDb, openParleyDb } from '../../src/store/db.js';
import { addMessages } from '../../src/store/history.js';
import { searchMessages } from '../../src/store/search-query.js';
import { queryTerms } from '../../src/store/search-terms.js';
import { SIGNATURE_SHAPED, TEST_AUTHOR } from '../../test/support/identity.js';

/** The account whose history is searched. */
export const OWNER = 'bench-owner';
const ROOMS = Array.from({ length: 10 }, (_, i) => `room-${i}`);
const PEOPLE = ['Ann', 'Ben', 'Cleo', 'Dev', 'Émile', 'Zoë'].map((name, i) => ({
  id: `author${i}`.padEnd(22, 'x'),
  name,
  key: TEST_AUTHOR.key,
}));

/** A small seeded PRNG (mulberry32): the same history and queries every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMMON = `the be to of and a in that have i it for not on with he as you do at this but his by
from they we say her she or an will my one all would there their what so up out if about who get
which go me when make can like time no just him know take people into year your good some could
them see other than then now look only come its over think also back after use two how our work
first well way even new want because any these give day most us is are was were been has had did
lunch meeting deploy release server client bug fix test build review merge branch coffee plan
tomorrow today yesterday week month morning evening weekend holiday train office home project
budget report design idea question answer problem issue ticket customer team call slides demo`
  .split(/\s+/)
  .filter(Boolean);
const ACCENTED = `café résumé naïve über señor façade déjà jalapeño crème brûlée fiancée
entrée soirée garçon Zürich Málaga São Paulo Kraków Ørsted smörgåsbord piñata coöperate
rôle élan protégé Österreich`.split(/\s+/);
const SYLLABLES =
  'ka lo mi ne ro sa tu vi ze bar con dor fen gal hin jor kel lum mar nor pel'.split(' ');

/** The vocabulary, most frequent first: real words, then made-up ones (names, jargon, typos). */
function vocabulary(size: number, rand: () => number): string[] {
  const words = new Set([...COMMON.slice(0, 60), ...ACCENTED, ...COMMON.slice(60)]);
  while (words.size < size) {
    const n = 2 + Math.floor(rand() * 3);
    let w = '';
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(rand() * SYLLABLES.length)];
    words.add(rand() < 0.05 ? w.replace('e', 'é') : w);
  }
  return [...words];
}

/** Draws ranks 0…n-1 with probability ∝ 1/(rank+1)^s (Zipf). */
function zipf(n: number, s: number, rand: () => number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let r = 0; r < n; r++) cdf[r] = sum += 1 / (r + 1) ** s;
  return () => {
    const x = rand() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

let vocab: string[] = [];
let texts: string[] = [];

/** Message `i`: one every 30 s, in one of the rooms, 3 to 30 words drawn by Zipf. */
function history(count: number): Envelope[] {
  const rand = prng(24);
  vocab = vocabulary(20_000, rand);
  const draw = zipf(vocab.length, 1.05, rand);
  texts = [];
  return Array.from({ length: count }, (_, i) => {
    const ts = 1_700_000_000_000 + i * 30_000;
    const n = 3 + Math.floor(rand() ** 2 * 28);
    const words = Array.from({ length: n }, () => vocab[draw()]!);
    if (words[0]) words[0] = words[0][0]!.toUpperCase() + words[0].slice(1);
    const text = `${words.join(' ')}${rand() < 0.3 ? '?' : '.'}`;
    texts.push(text);
    const from = PEOPLE[i % PEOPLE.length]!;
    return {
      id: `${from.id}-${i.toString(16).padStart(12, '0')}`,
      room: ROOMS[Math.floor(rand() * ROOMS.length)]!,
      from,
      ts,
      seq: i,
      body: { text },
      sig: SIGNATURE_SHAPED,
    };
  });
}

/** Storing the history (not timed as indexing) then indexing it, page by page. */
export interface IndexResult {
  messages: number;
  storeMs: number;
  indexMs: number;
  perSecond: number;
  docs: number;
  /** `navigator.storage.estimate().usage` before and after indexing (bytes). */
  usageBefore: number;
  usageAfter: number;
  /** Sum of the docs' JSON sizes (what the index holds, before IndexedDB's own overhead). */
  docBytes: number;
}

async function usage(): Promise<number> {
  return (await navigator.storage.estimate()).usage ?? NaN;
}

/** Stores `count` messages in pages of `page`, then indexes them in the same pages. */
async function build(dbName: string, count: number, page: number): Promise<IndexResult> {
  const envs = history(count);
  const db = await openParleyDb(dbName);
  let t0 = performance.now();
  for (let i = 0; i < count; i += page) {
    await addMessages(db, OWNER, envs.slice(i, i + page), () => 'received');
  }
  const storeMs = performance.now() - t0;
  const usageBefore = await usage();
  t0 = performance.now();
  for (let i = 0; i < count; i += page) await indexEnvelopes(db, OWNER, envs.slice(i, i + page));
  const indexMs = performance.now() - t0;
  const usageAfter = await usage();
  const docs = await db.getAll('searchDocs');
  const docBytes = docs.reduce((n, d) => n + JSON.stringify(d).length, 0);
  db.close();
  return {
    messages: count,
    storeMs,
    indexMs,
    perSecond: (count / indexMs) * 1000,
    docs: docs.length,
    usageBefore,
    usageAfter,
    docBytes,
  };
}

/** The kinds of query measured. */
export type QueryKind = 'one' | 'three' | 'typing';

/**
 * `n` queries of `kind`, the same every run: `one` a word drawn log-uniformly by rank (common
 * and rare alike), whole, as a prefix of 3+ letters, or typed without accents in capitals;
 * `three` three words of one message (prefixes some of the time), in any order; `typing` every
 * prefix of a word as it is typed ("c", "ca", "caf", "café").
 */
function makeQueries(kind: QueryKind, n: number): string[] {
  const rand = prng(kind.length * 7919);
  const word = () => vocab[Math.floor(Math.exp(rand() * Math.log(vocab.length)))]!;
  const shape = (w: string) => {
    const r = rand();
    if (r < 0.33 && w.length > 3) return w.slice(0, 3 + Math.floor(rand() * (w.length - 3)));
    if (r < 0.66) return w.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase();
    return w;
  };
  const out: string[] = [];
  while (out.length < n) {
    if (kind === 'one') out.push(shape(word()));
    else if (kind === 'three') {
      const words = texts[Math.floor(rand() * texts.length)]!.split(/[^\p{L}]+/u).filter(Boolean);
      const picked = Array.from({ length: 3 }, () => words[Math.floor(rand() * words.length)]!);
      out.push(picked.map(shape).join(' '));
    } else {
      const w = word();
      for (let i = 1; i <= w.length && out.length < n; i++) out.push(w.slice(0, i));
    }
  }
  return out;
}

/** Times of `queries` over all rooms (limit 50), and how many hits they had. */
export interface QueryResult {
  ms: number[];
  hits: number[];
  queries: string[];
}

/** Runs `n` queries of `kind` with Parley's `searchMessages` (one database, opened once). */
async function query(dbName: string, kind: QueryKind, n: number): Promise<QueryResult> {
  const queries = makeQueries(kind, n);
  const db = await openParleyDb(dbName);
  const ms: number[] = [];
  const hits: number[] = [];
  for (const q of queries) {
    const t0 = performance.now();
    const r = await searchMessages(db, OWNER, q);
    ms.push(performance.now() - t0);
    hits.push(r.hits.length);
  }
  db.close();
  return { ms, hits, queries };
}

/** Heap in use (bytes), as Chromium reports it. */
const heap = () =>
  (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? NaN;

/** The first query after a page load: opening the database and answering, nothing before. */
async function firstQuery(
  dbName: string,
  q: string,
): Promise<{ ms: number; hits: number; heapDelta: number }> {
  const h0 = heap();
  const t0 = performance.now();
  const db = await openParleyDb(dbName);
  const r = await searchMessages(db, OWNER, q);
  const ms = performance.now() - t0;
  db.close();
  return { ms, hits: r.hits.length, heapDelta: heap() - h0 };
}

/**
 * The baseline: every doc read back (one `getAll`), an inverted index built in memory (a
 * sorted word list, each word's doc numbers), then queries answered from memory — prefix
 * ranges found by binary search, the rarest term's docs checked against the others, newest
 * first. What a library such as MiniSearch keeps in memory, without its scoring.
 */
class MemoryIndex {
  private words: string[] = [];
  private postings: number[][] = [];
  private docs: { ts: number; id: string; words: Set<string>; text: string }[] = [];

  static async load(dbName: string): Promise<MemoryIndex> {
    const db = await openParleyDb(dbName);
    const stored = await db.getAll('searchDocs');
    db.close();
    const index = new MemoryIndex();
    const byWord = new Map<string, number[]>();
    // Each word follows its owner's one tag character.
    const cut = 1;
    stored.forEach((d, i) => {
      const words = new Set(d.words.map((w) => w.slice(cut)));
      index.docs.push({ ts: d.ts, id: d.id, words, text: d.text });
      for (const w of words) {
        let list = byWord.get(w);
        if (!list) byWord.set(w, (list = []));
        list.push(i);
      }
    });
    index.words = [...byWord.keys()].sort();
    index.postings = index.words.map((w) => byWord.get(w)!);
    return index;
  }

  private lowerBound(prefix: string): number {
    let lo = 0;
    let hi = this.words.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.words[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  search(q: string, limit = 50): number {
    const terms = queryTerms(q);
    if (!terms.length) return 0;
    const sets = terms.map((t) => {
      const found: number[] = [];
      for (let i = this.lowerBound(t); i < this.words.length && this.words[i]!.startsWith(t); i++) {
        for (const d of this.postings[i]!) found.push(d);
      }
      return found;
    });
    sets.sort((a, b) => a.length - b.length);
    const [rarest, ...others] = sets;
    const has = others.map((s) => new Set(s));
    const hits = [...new Set(rarest)].filter((d) => has.every((s) => s.has(d)));
    hits.sort((a, b) => this.docs[b]!.ts - this.docs[a]!.ts);
    return hits.slice(0, limit).length;
  }
}

let memory: MemoryIndex | undefined;

/** Loads the baseline (time and heap it takes) and answers its first query. */
async function memoryFirstQuery(
  dbName: string,
  q: string,
): Promise<{ ms: number; hits: number; heapDelta: number; loadMs: number }> {
  const h0 = heap();
  const t0 = performance.now();
  memory = await MemoryIndex.load(dbName);
  const loadMs = performance.now() - t0;
  const hits = memory.search(q);
  return { ms: performance.now() - t0, loadMs, hits, heapDelta: heap() - h0 };
}

/** The same queries as {@link query}, answered by the loaded baseline. */
function memoryQuery(kind: QueryKind, n: number): QueryResult {
  if (!memory) throw new Error('the baseline is not loaded');
  const queries = makeQueries(kind, n);
  const ms: number[] = [];
  const hits: number[] = [];
  for (const q of queries) {
    const t0 = performance.now();
    hits.push(memory.search(q));
    ms.push(performance.now() - t0);
  }
  return { ms, hits, queries };
}

/** What Node may call on `window.bench`. */
export interface SearchPageApi {
  build(dbName: string, count: number, page: number): Promise<IndexResult>;
  query(dbName: string, kind: QueryKind, n: number): Promise<QueryResult>;
  firstQuery(dbName: string, q: string): Promise<{ ms: number; hits: number; heapDelta: number }>;
  memoryFirstQuery(
    dbName: string,
    q: string,
  ): Promise<{ ms: number; hits: number; heapDelta: number; loadMs: number }>;
  memoryQuery(kind: QueryKind, n: number): QueryResult;
  /** Rebuilds the vocabulary and texts after a reload (queries are made from them). */
  prepare(count: number): void;
  drop(dbName: string): Promise<void>;
  isolated(): boolean;
}

const api: SearchPageApi = {
  build,
  query,
  firstQuery,
  memoryFirstQuery,
  memoryQuery,
  prepare: (count) => void history(count),
  drop: (dbName) => deleteParleyDb(dbName),
  isolated: () => globalThis.crossOriginIsolated === true,
};
(globalThis as unknown as { bench: SearchPageApi }).bench = api;
