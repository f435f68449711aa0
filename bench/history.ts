/**
 * Long histories, in a real headless Chromium page with real IndexedDB (page side:
 * `bench/pages/history-page.ts`, Parley's own store and `parley-messages`).
 *
 * (a) Ingest: 100,000 messages written into one account's history in catch-up pages of
 *     `SYNC_PAGE` (200), one transaction per page, skipping ids already stored. The goal is
 *     for the bench page's `batch` writer (one `add` per message; a duplicate's
 *     ConstraintError is cancelled). For comparison: the store's `addMessages` (what the room
 *     controller writes incoming pages with: an id lookup, then an add, per message) on the
 *     same 100,000, and `addMessage` (one transaction per message) on a sample.
 * (b) Open: from a fresh `openParleyDb`, the newest page (`pageMessages`, 50), rendered into
 *     `parley-messages`, to the next frame painted; `ROUNDS` times, interleaved with a raw
 *     baseline that does the same database work and builds a plain `<ol>` with DOM calls.
 *     The main table row is this open time, parley vs raw; its goal is absolute (ms).
 * Then the newest 1,000 go into `parley-messages` at once, to show the virtualized DOM.
 */
import type { Page } from 'playwright-core';
import { SYNC_PAGE } from '../src/protocol/chat-events.js';
import {
  HOST_BOX,
  openBenchPage,
  serveIsolatedPage,
  withBrowser,
  type BenchServer,
} from './harness.js';
import type { HistoryPageApi, IngestResult, OpenResult, Writer } from './pages/history-page.js';
import { resultHead, verdict, type Benchmark, type BenchResult } from './result.js';
import { ratioOf, stats, type Stats } from './stats.js';

const MESSAGES = 100_000;
/** Messages written one transaction each (slow; a sample is enough for the rate). */
const SINGLE_SAMPLE = 2_000;
const ROUNDS = 40;
const WARMUP = 2;
/** Messages loaded at once to show the virtualized DOM. */
const MANY = 1_000;
const GOALS = { openP50Ms: 50, openP95Ms: 50, domNodes: 500, ingestPerSecond: 5_000 };

const pageEntry = new URL('./pages/history-page.ts', import.meta.url);

/** Serves the page and its script (see `serveIsolatedPage`). */
const servePage = (script: string): Promise<BenchServer> =>
  serveIsolatedPage('history bench', script, HOST_BOX);

// The callbacks below run in the page; they stay one-liners so tsx adds no helpers to them.
type PageWindow = { bench: HistoryPageApi };
const bench = (page: Page) => ({
  ingest: (db: string, writer: Writer, count: number, batch: number) =>
    page.evaluate(
      ([d, w, c, b]) => (globalThis as unknown as PageWindow).bench.ingest(d, w, c, b),
      [db, writer, count, batch] as const,
    ),
  open: (db: string, kind: 'parley' | 'raw') =>
    page.evaluate(([d, k]) => (globalThis as unknown as PageWindow).bench.open(d, k), [
      db,
      kind,
    ] as const),
  loadMany: (db: string, count: number) =>
    page.evaluate(([d, c]) => (globalThis as unknown as PageWindow).bench.loadMany(d, c), [
      db,
      count,
    ] as const),
  drop: (db: string) =>
    page.evaluate((d) => (globalThis as unknown as PageWindow).bench.drop(d), db),
  isolated: () => page.evaluate(() => (globalThis as unknown as PageWindow).bench.isolated()),
});

const rate = (r: IngestResult) => ({
  ...r,
  ms: Math.round(r.ms),
  perSecond: Math.round(r.perSecond),
});

function run(): Promise<BenchResult> {
  return withBrowser(pageEntry, servePage, async ({ server, browser, errors }) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const b = bench(await openBenchPage(context, server.url, '', errors, '/'));
    if (!(await b.isolated())) console.error('bench: page is not cross-origin isolated');
    const t0 = performance.now();
    const log = (what: string) =>
      console.error(`bench: history: ${what} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);

    // (a) Ingest. The database the batch writer fills is the one (b) opens.
    const db = 'history-main';
    const ingest = {
      batch: await b.ingest(db, 'batch', MESSAGES, SYNC_PAGE),
      addMessages: await b.ingest('history-2', 'addMessages', MESSAGES, SYNC_PAGE),
      addMessage: await b.ingest('history-3', 'addMessage', SINGLE_SAMPLE, SYNC_PAGE),
    };
    for (const r of Object.values(ingest)) {
      if (r.stored !== r.messages || r.storedAgain !== 0) {
        throw new Error(`${r.writer}: stored ${r.stored} of ${r.messages}, ${r.storedAgain} again`);
      }
    }
    await Promise.all([b.drop('history-2'), b.drop('history-3')]);
    log(`ingested, ${Math.round(ingest.batch.perSecond)} msg/s in batches`);

    // (b) Open the room, parley and raw alternating (the order flips every round).
    const samples: Record<'parley' | 'raw', OpenResult[]> = { parley: [], raw: [] };
    for (let i = 0; i < WARMUP + ROUNDS; i++) {
      const order = i % 2 ? (['raw', 'parley'] as const) : (['parley', 'raw'] as const);
      for (const kind of order) {
        const r = await b.open(db, kind);
        if (!r.newestInView || r.shown !== 50) {
          throw new Error(
            `${kind}: newest not shown (${r.shown} rows, in view: ${r.newestInView})`,
          );
        }
        if (i >= WARMUP) samples[kind].push(r);
      }
    }
    log('opened the room');
    const many = await b.loadMany(db, MANY);
    await b.drop(db);

    const openStats = (kind: 'parley' | 'raw') =>
      stats(
        samples[kind].map((r) => r.ms),
        ['p95'],
      );
    const parley = openStats('parley');
    const raw = openStats('raw');
    const dom = (kind: 'parley' | 'raw') => ({
      nodes: Math.max(...samples[kind].map((r) => r.nodes)),
      elements: Math.max(...samples[kind].map((r) => r.elements)),
    });
    const passes = {
      openP50: parley.p50 <= GOALS.openP50Ms,
      openP95: parley.p95 <= GOALS.openP95Ms,
      domNodes: dom('parley').nodes <= GOALS.domNodes,
      ingest: ingest.batch.perSecond >= GOALS.ingestPerSecond,
    };
    return {
      ...resultHead(benchmark.name, browser.version()),
      rounds: ROUNDS,
      parley,
      raw,
      ratio: ratioOf(parley, raw),
      goal: GOALS.openP50Ms,
      goalUnit: 'ms: p50 and p95 of parley, open to painted (not a ratio)',
      pass: passes.openP50 && passes.openP95,
      warmup: WARMUP,
      open: { page: 50, dom: { parley: dom('parley'), raw: dom('raw') }, list: '800×600 px' },
      ingest: {
        pageSize: SYNC_PAGE,
        batch: rate(ingest.batch),
        addMessages: rate(ingest.addMessages),
        addMessage: rate(ingest.addMessage),
      },
      virtualized: { loaded: MANY, ...many, ms: Math.round(many.ms) },
      goals: GOALS,
      passes,
      allPass: Object.values(passes).every(Boolean),
      pageErrors: errors,
    };
  });
}

const ms = (n: number) => n.toFixed(3);

/** The rows under the main one: p95, DOM size, ingest rates, the virtualized case. */
function extraRows(r: BenchResult): string[][] {
  const p = r.parley as Stats & { p95: number };
  const raw = r.raw as Stats & { p95: number };
  const dom = (r.open as { dom: Record<'parley' | 'raw', { nodes: number; elements: number }> })
    .dom;
  const ingest = r.ingest as Record<Writer, IngestResult>;
  const many = r.virtualized as OpenResult & { loaded: number };
  const passes = r.passes as Record<'openP95' | 'domNodes' | 'ingest', boolean>;
  const perSecond = (i: IngestResult) => `${i.perSecond} msg/s (${i.messages} in ${i.ms} ms)`;
  return [
    [
      '  open p50/p95 (ms)',
      `${ms(p.p50)} / ${ms(p.p95)}`,
      `${ms(raw.p50)} / ${ms(raw.p95)}`,
      (p.p95 / raw.p95).toFixed(2),
      `p95 <= ${GOALS.openP95Ms} ms ${verdict(passes.openP95)}`,
    ],
    [
      '  open: DOM nodes / elements',
      `${dom.parley.nodes} / ${dom.parley.elements}`,
      `${dom.raw.nodes} / ${dom.raw.elements}`,
      '-',
      `<= ${GOALS.domNodes} nodes ${verdict(passes.domNodes)}`,
    ],
    [
      `  ${many.loaded} loaded: DOM nodes / elements`,
      `${many.nodes} / ${many.elements}`,
      '-',
      '-',
      `<= ${GOALS.domNodes} nodes ${verdict(many.nodes <= GOALS.domNodes)}`,
    ],
    [
      '  ingest, batch (bench page)',
      perSecond(ingest.batch),
      '-',
      '-',
      `>= ${GOALS.ingestPerSecond} msg/s ${verdict(passes.ingest)}`,
    ],
    ['  ingest, addMessages (store)', perSecond(ingest.addMessages), '-', '-', '-'],
    ['  ingest, addMessage (1 tx each)', perSecond(ingest.addMessage), '-', '-', '-'],
  ];
}

/** Long histories: ingest rate, and opening a room with 100k stored messages. */
export const benchmark: Benchmark = { name: 'history', run, extraRows };
