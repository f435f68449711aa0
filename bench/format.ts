/**
 * Formatted message text in the list, in a real headless Chromium page (page side:
 * `bench/pages/format-page.ts`): the cost of rendering N formatted messages (links, emphasis,
 * code, quotes, a code block every tenth) against the same N plain ones, from giving the
 * list its messages to the next painted frame. Every round's texts are new, so the renderer's
 * cache never helps: this is the first showing, parse included.
 *
 * Main row: the real `<parley-messages>` (formatted / plain; goal ≤ 1.2× at p50 and p95).
 * Under it: the same in a plain Lit list whose rows call `renderText` — the renderer alone,
 * which is the whole story until the list's rows call it (then `formatted` in the parley
 * row's details counts the elements formatting made there; 0 means they do not yet).
 * Last, script alone per message: parsing fresh texts and building their nodes, against
 * setting a plain twin's `textContent`.
 */
import type { Page } from 'playwright-core';
import {
  HOST_BOX,
  openBenchPage,
  serveIsolatedPage,
  withBrowser,
  type BenchServer,
} from './harness.js';
import type { FormatPageApi, Kind, RoundResult, ScriptCost, Where } from './pages/format-page.js';
import { resultHead, verdict, type Benchmark, type BenchResult } from './result.js';
import { ratioOf, round, stats } from './stats.js';

/** Messages given to the list at once: the size of a page of history. */
const MESSAGES = 50;
const ROUNDS = 40;
const WARMUP = 3;
/** Largest acceptable formatted / plain ratio, at p50 and at p95. */
const GOAL = 1.2;

const pageEntry = new URL('./pages/format-page.ts', import.meta.url);

/** Serves the page and its script (see `serveIsolatedPage`). */
const servePage = (script: string): Promise<BenchServer> =>
  serveIsolatedPage('format bench', script, HOST_BOX);

// The callbacks below run in the page; they stay one-liners so tsx adds no helpers to them.
type PageWindow = { bench: FormatPageApi };
const bench = (page: Page) => ({
  round: (where: Where, kind: Kind, n: number, seed: number) =>
    page.evaluate(([w, k, c, s]) => (globalThis as unknown as PageWindow).bench.round(w, k, c, s), [
      where,
      kind,
      n,
      seed,
    ] as const),
  script: (n: number, seed: number) =>
    page.evaluate(([c, s]) => (globalThis as unknown as PageWindow).bench.script(c, s), [
      n,
      seed,
    ] as const),
  isolated: () => page.evaluate(() => (globalThis as unknown as PageWindow).bench.isolated()),
});

/** Texts parsed per sample of the script-only measurement. */
const SCRIPT_BATCH = 500;

type Samples = Record<Kind, RoundResult[]>;

/** A list's formatted and plain samples side by side: stats, ratios, pass. */
function compare(samples: Samples) {
  const of = (kind: Kind) =>
    stats(
      samples[kind].map((r) => r.ms),
      ['p95'],
    );
  const formatted = of('formatted');
  const plain = of('plain');
  const ratio = { ...ratioOf(formatted, plain), p95: round(formatted.p95 / plain.p95) };
  return {
    formatted,
    plain,
    ratio,
    pass: ratio.p50 <= GOAL && ratio.p95 <= GOAL,
    rows: Math.max(...samples.formatted.map((r) => r.rows)),
    scriptMs: {
      formatted: stats(samples.formatted.map((r) => r.scriptMs)).p50,
      plain: stats(samples.plain.map((r) => r.scriptMs)).p50,
    },
    nodes: {
      formatted: Math.max(...samples.formatted.map((r) => r.nodes)),
      plain: Math.max(...samples.plain.map((r) => r.nodes)),
    },
    formattedElements: Math.max(...samples.formatted.map((r) => r.formatted)),
  };
}

function run(): Promise<BenchResult> {
  return withBrowser(pageEntry, servePage, async ({ browser, server, errors, conditions }) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const b = bench(await openBenchPage(context, server.url, '', errors, '/'));
    if (!(await b.isolated())) console.error('bench: page is not cross-origin isolated');

    const samples: Record<Where | 'warm', Samples> = {
      parley: { formatted: [], plain: [] },
      lit: { formatted: [], plain: [] },
      warm: { formatted: [], plain: [] },
    };
    let seed = 0;
    for (let i = 0; i < WARMUP + ROUNDS; i++) {
      // Every contender's order flips each round, so neither always runs first.
      const kinds = i % 2 ? (['plain', 'formatted'] as const) : (['formatted', 'plain'] as const);
      for (const where of ['parley', 'lit'] as const) {
        for (const kind of kinds) {
          const r = await b.round(where, kind, MESSAGES, seed);
          if (r.rows !== MESSAGES) throw new Error(`${where} ${kind}: ${r.rows} rows shown`);
          if (i >= WARMUP) samples[where][kind].push(r);
          // The same texts again in a new list: parsed already (a room opened again, rows
          // rebuilt by the virtualizer).
          if (where === 'parley' && i >= WARMUP) {
            samples.warm[kind].push(await b.round(where, kind, MESSAGES, seed));
          }
          seed++;
        }
      }
    }
    const costs: ScriptCost[] = [];
    for (let i = 0; i < WARMUP + 20; i++) {
      const cost = await b.script(SCRIPT_BATCH, 1_000_000 + i);
      if (i >= WARMUP) costs.push(cost);
    }
    const cost = (key: keyof ScriptCost) => stats(costs.map((c) => c[key])).p50;
    const scriptUs = { parse: cost('parseUs'), build: cost('buildUs'), plain: cost('plainUs') };
    const parley = compare(samples.parley);
    const lit = compare(samples.lit);
    const warm = compare(samples.warm);
    return {
      ...resultHead(benchmark.name, browser.version()),
      rounds: ROUNDS,
      parley: parley.formatted,
      raw: parley.plain,
      ratio: parley.ratio,
      goal: GOAL,
      goalUnit: 'formatted / plain, p50 and p95, in <parley-messages>',
      pass: parley.pass,
      warmup: WARMUP,
      messages: MESSAGES,
      list: '800×600 px',
      details: { parley, lit, warm },
      /** Per message, µs (p50 of batches of 500): parse, build nodes, plain textContent. */
      scriptUs,
      // Until the list's rows call renderText, the parley row compares plain text with itself.
      rowsFormat: parley.formattedElements > 0,
      // The machine's load shows in every number here: a busy machine widens the gaps.
      ...conditions(),
    };
  });
}

const ms = (n: number) => n.toFixed(3);
type Compared = ReturnType<typeof compare>;

/** A comparison's p50/p99 row (unless `main`, which the table has already) and its p95 row. */
function rowsOf(label: string, c: Compared, main = false): string[][] {
  const both = (f: Compared['formatted']) => `${ms(f.p50)} / ${ms(f.p99)}`;
  const ratio = `${c.ratio.p50.toFixed(2)} / ${c.ratio.p99.toFixed(2)}`;
  const rows = main
    ? []
    : [[`  ${label} p50/p99`, both(c.formatted), both(c.plain), ratio, 'p50 and p95 judged']];
  return [
    ...rows,
    [
      `  ${label} p95`,
      ms(c.formatted.p95),
      ms(c.plain.p95),
      c.ratio.p95.toFixed(2),
      `<= ${GOAL} ${verdict(c.pass)} (p50 and p95)`,
    ],
    [
      `  ${label} script p50 / DOM nodes`,
      `${ms(c.scriptMs.formatted)} / ${c.nodes.formatted}`,
      `${ms(c.scriptMs.plain)} / ${c.nodes.plain}`,
      (c.scriptMs.formatted / c.scriptMs.plain).toFixed(2),
      `formatted elements: ${c.formattedElements}`,
    ],
  ];
}

/**
 * The rows under the main one: its p95; the same texts shown again (parsed already); the
 * renderer alone in a plain Lit list. Script is the part until the DOM is built.
 */
function extraRows(r: BenchResult): string[][] {
  const { parley, lit, warm } = r.details as Record<'parley' | 'lit' | 'warm', Compared>;
  const s = r.scriptUs as Record<'parse' | 'build' | 'plain', number>;
  return [
    ...rowsOf('parley', parley, true),
    ...rowsOf('parley, parsed before:', warm),
    ...rowsOf('lit list + renderText:', lit),
    [
      '  per message (µs): parse + build / plain',
      `${s.parse.toFixed(1)} + ${s.build.toFixed(1)}`,
      s.plain.toFixed(1),
      ((s.parse + s.build) / s.plain).toFixed(1),
      'script alone, fresh texts',
    ],
  ];
}

/**
 * Rendering formatted messages vs plain ones, in the list. Named for `npm run bench -- search`
 * (issue 24's benchmark runs with the search one).
 */
export const benchmark: Benchmark = { name: 'search-formatted-rows', run, extraRows };
