/**
 * The junk-flood row of the abuse benchmark (issue 26 item 7): the page's heap while Bob's
 * room takes 5,000 signed sealed bodies no key opens (33 KB each, from 40 throwaway
 * identities on links of their own, in a room where he holds no key), against a quiet run of
 * the same page without them. Each run has a fresh browser context; the heap is read through
 * the DevTools protocol after a full collection, before and after the phase (the retained
 * growth), and sampled every 100 ms during it (the peak, which includes the garbage the
 * attackers' own bodies leave in the same page). Goal: the flood's retained growth ≤ 20 MiB
 * over the quiet run's. Everything on 127.0.0.1, every wait bounded, the browser closed.
 *
 * `bench/abuse.ts` calls {@link junkFlood} and prints {@link junkRows}.
 */
import type { Page } from 'playwright-core';
import { serveIsolatedPage, withBrowser, within } from './harness.js';
import type { JunkPageApi, JunkPhase } from './pages/junk-page.js';
import { round } from './stats.js';
import { verdict } from './result.js';

const pageEntry = new URL('./pages/junk-page.ts', import.meta.url);
const AUTHORS = 40;
const EACH = 125;
const BODY_BYTES = 33_000;
const HONEST = 100;
/** Most retained heap growth (MiB) the flood may add over the quiet run. */
export const JUNK_GOAL_MIB = 20;
const MIB = 1024 * 1024;

type PageWindow = { bench: JunkPageApi };

/** One run's heap and what the page did. */
export interface JunkHeap {
  /** Heap in use after a collection, before and after the phase (MiB). */
  beforeMiB: number;
  afterMiB: number;
  /** Highest heap in use sampled during the phase (MiB), garbage included. */
  peakMiB: number;
  phase: JunkPhase;
}

/** The junk flood against the quiet run. */
export interface JunkResult {
  quiet: JunkHeap;
  flood: JunkHeap;
  /** Retained growth of the flood run minus the quiet run's (MiB). */
  growthMiB: number;
  goalMiB: number;
  pass: boolean;
  settings: { authors: number; each: number; bodyBytes: number; honest: number };
}

/** One phase in a fresh context: set up, collect, measure, run, collect, measure. */
async function measured(page: Page, junk: boolean): Promise<JunkHeap> {
  const cdp = await page.context().newCDPSession(page);
  const used = async () =>
    ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize;
  const collected = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    return used();
  };
  await page.evaluate(() => (globalThis as unknown as PageWindow).bench.setup());
  const before = await collected();
  let peak = before;
  let sampling = true;
  const sampler = (async () => {
    for (let i = 0; sampling && i < 3000; i++) {
      peak = Math.max(peak, await used());
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const args = junk ? [AUTHORS, EACH, BODY_BYTES, HONEST] : [0, 0, BODY_BYTES, HONEST];
  const phase = await within(
    page.evaluate(
      ([a, e, b, h]) => (globalThis as unknown as PageWindow).bench.phase(a!, e!, b!, h!),
      args,
    ),
    180_000,
    'junk phase',
  ).finally(() => (sampling = false));
  await sampler;
  const after = await collected();
  await cdp.detach();
  return {
    beforeMiB: round(before / MIB, 1),
    afterMiB: round(after / MIB, 1),
    peakMiB: round(peak / MIB, 1),
    phase,
  };
}

/** Runs the quiet page, then the flooded one, each in a fresh context of one Chromium. */
export function junkFlood(): Promise<JunkResult> {
  return withBrowser(
    pageEntry,
    (script) => serveIsolatedPage('junk flood', script),
    async ({ server, browser, errors }) => {
      const run = async (junk: boolean) => {
        const context = await browser.newContext();
        try {
          const page = await context.newPage();
          page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
          await page.goto(server.url);
          await page.waitForFunction(() => 'bench' in globalThis, undefined, { timeout: 10_000 });
          return await measured(page, junk);
        } finally {
          await context.close();
        }
      };
      console.error('bench: abuse: junk flood: quiet…');
      const quiet = await run(false);
      console.error('bench: abuse: junk flood: flooded…');
      const flood = await run(true);
      const grown = (h: JunkHeap) => h.afterMiB - h.beforeMiB;
      const growthMiB = round(grown(flood) - grown(quiet), 1);
      return {
        quiet,
        flood,
        growthMiB,
        goalMiB: JUNK_GOAL_MIB,
        pass: growthMiB <= JUNK_GOAL_MIB && flood.phase.honest >= HONEST,
        settings: { authors: AUTHORS, each: EACH, bodyBytes: BODY_BYTES, honest: HONEST },
      };
    },
  );
}

/** The table row of {@link junkFlood}'s result, in the abuse table's columns. */
export function junkRows(r: JunkResult): string[][] {
  const heap = (h: JunkHeap) =>
    `heap ${h.beforeMiB} → ${h.afterMiB} MiB (peak ${h.peakMiB}); held ${h.phase.held}, refused ${h.phase.refused}`;
  return [
    [
      `  junk flood (${r.settings.authors * r.settings.each} × ${r.settings.bodyBytes / 1000} KB sealed)`,
      heap(r.flood),
      heap(r.quiet),
      `heap +${r.growthMiB} MiB`,
      verdict(r.pass),
    ],
  ];
}
