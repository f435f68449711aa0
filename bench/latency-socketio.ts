/**
 * Page-to-page message latency over Parley's Socket.IO transport, against a raw
 * socket.io-client baseline speaking the same relay frames to the same server.
 *
 * Two headless Chromium pages join one room on an in-process Parley server. Page A sends a
 * chat message, page B echoes it on receipt, A times the round trip with `performance.now()`.
 * Both pages hold a Parley link and a raw link (in separate rooms) and A alternates between
 * them every round, so machine noise lands on both alike and the ratio parley/raw shows
 * Parley's own client-side overhead (payload checks, emitter, peer bookkeeping); the server's
 * validation is common to both.
 */
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { benchContext, openBenchPage, startBenchServer, withBrowser } from './harness.js';
import type { LatencyPageApi, LinkKind } from './pages/latency-page.js';
import type { MeasurePlan } from './pages/round-trips.js';
import { ratioResult, type Benchmark, type BenchResult } from './result.js';
import { stats } from './stats.js';

/** Largest acceptable parley/raw ratio, for p50 and p99 alike. */
const GOAL = 1.15;
/**
 * Counted round trips per contender. The tail here is machine noise (scheduling on a busy
 * box), so p99 needs many samples to settle: with 8,000 it is the 80th-slowest.
 */
const ROUNDS = 8000;
/** Uncounted round trips per contender first (JIT, socket buffers, caches). */
const WARMUP = 100;

const pageEntry = new URL('./pages/latency-page.ts', import.meta.url);

// The callbacks below run in the page; they stay one-liners so tsx adds no helpers to them.
type PageWindow = { bench: LatencyPageApi };
const bench = (page: Page) => ({
  join: (kind: LinkKind, url: string, room: string, who: string, echo: boolean) =>
    page.evaluate(
      ([k, u, r, w, e]) =>
        (globalThis as unknown as PageWindow).bench.join(k, u, r, { userId: w, name: w }, e),
      [kind, url, room, who, echo] as const,
    ),
  measure: (plan: MeasurePlan) =>
    page.evaluate((p) => (globalThis as unknown as PageWindow).bench.measure(p), plan),
  isolated: () => page.evaluate(() => (globalThis as unknown as PageWindow).bench.isolated()),
  closeAll: () => page.evaluate(() => (globalThis as unknown as PageWindow).bench.closeAll()),
});

function run(): Promise<BenchResult> {
  // Production defaults (payload cap, any origin) on a free port, serving no page.
  return withBrowser(pageEntry, startBenchServer, async ({ server, browser, script, errors }) => {
    const a = bench(
      await openBenchPage(await benchContext(browser, server.url, script), server.url, '', errors),
    );
    const b = bench(
      await openBenchPage(await benchContext(browser, server.url, script), server.url, '', errors),
    );
    if (!(await a.isolated())) {
      console.error('bench: page is not cross-origin isolated; timings are coarse (100 µs steps)');
    }

    // B joins first with its echo on, so A's join reply already lists it: no race on start.
    const tag = Date.now().toString(36);
    for (const kind of ['parley', 'raw'] as const) {
      const room = `bench-${kind}-${tag}`;
      await b.join(kind, server.url, room, 'Bench B', true);
      const peers = await a.join(kind, server.url, room, 'Bench A', false);
      if (peers !== 1) throw new Error(`${kind}: A sees ${peers} peers in ${room}, expected 1`);
    }

    // Both contenders must ride the same engine.io transport, or the ratio compares those.
    const engines = [...server.io.sockets.sockets.values()].map((s) => s.conn.transport.name);
    if (engines.length !== 4 || engines.some((name) => name !== 'websocket')) {
      throw new Error(`expected 4 WebSocket connections, the server has: ${engines.join(', ')}`);
    }

    // The page alternates raw and parley every round; see `PAIRS` in the page.
    const samples = await a.measure({ warmup: WARMUP, rounds: ROUNDS });
    if (samples.parley.length !== ROUNDS || samples.raw.length !== ROUNDS) {
      throw new Error(`expected ${ROUNDS} samples per contender`);
    }
    await Promise.all([a.closeAll(), b.closeAll()]);

    return {
      ...ratioResult({
        name: benchmark.name,
        chromium: browser.version(),
        rounds: ROUNDS,
        parley: stats(samples.parley),
        raw: stats(samples.raw),
        goal: GOAL,
      }),
      warmup: WARMUP,
      interleave: 'every round: raw, parley, parley, raw, …',
      transport: `socket.io-client ${socketIoVersion()} over WebSocket`,
    };
  });
}

/** The socket.io-client version both contenders run (the one the page bundle holds). */
function socketIoVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('socket.io-client/package.json') as { version: string }).version;
}

/** Page-to-page round-trip latency, Parley's Socket.IO transport vs raw socket.io-client. */
export const benchmark: Benchmark = { name: 'latency-socketio', run };
