/**
 * Page-to-page message latency over Parley's WebRTC transport once the link is direct, against
 * a raw `RTCPeerConnection` + `createDataChannel` baseline sending the same JSON frames; plus,
 * in the same run, the time from joining to an open data channel, and Parley's Socket.IO
 * transport in the same pages for a side-by-side.
 *
 * Two headless Chromium pages (own browser contexts, like two users) meet on an in-process
 * Parley server inside the private network namespace of `npm run bench`, where ICE finds host
 * candidates on the veth pair (`iceServers: []`). Both pages hold three links, each in its own
 * room: Parley WebRTC, raw WebRTC (signaled through the same server with the relay's
 * `signal:to`/`signal:data` frames) and Parley Socket.IO. Page A sends a chat message, page B
 * echoes it on receipt, A times the round trip with `performance.now()`.
 *
 * What each side does per message, and why (like for like, and never less on Parley's side):
 * - Parley's transports are made as the chat makes them, with the chat's check of every
 *   received event (`accept: isWellFormed`, the protocol's schema): that check is on the way
 *   of every message a person sees, so it is timed.
 * - The raw contender does what any app must do with a message on a data channel: JSON out,
 *   JSON in, and a look at the frame's shape. The goal's ratio is against that bare minimum.
 * - An app that takes nothing from a peer unchecked also checks the message itself, so a second
 *   ratio is reported against a raw contender that runs the same check (`checkRaw`): that one
 *   shows what Parley's transport adds over such an app; the first, what it costs over nothing.
 *
 * Measurements, one after the other, each taking its two links in turns (a-b, then b-a, so
 * what one trip leaves behind lands on both alike; see `pairOrders` in the page): Parley vs raw
 * (the goal), Parley vs raw checking like the chat, then Parley vs Parley's Socket.IO. A trip
 * right after a Socket.IO trip is ~0.25 ms slower whichever WebRTC link it takes, so Socket.IO
 * is kept out of the WebRTC measurements (interleaved with them before, it followed Parley's
 * trips more often than raw ones and made Parley look ~0.1 ms slower than it was).
 *
 * Join to open: B joins a fresh room first; A then makes a fresh transport and times from just
 * before `connect()` to `linkOf(B) === 'direct'` (socket connect, relay join, offer/answer/ICE
 * through the server, DTLS/SCTP, channel open). The raw pair is timed the same way, alternating.
 */
import type { Page } from 'playwright-core';
import { benchContext, openBenchPage, startBenchServer, within, withBrowser } from './harness.js';
import type { Contender, DirectKind, JoinTiming, WebRtcPageApi } from './pages/webrtc-page.js';
import type { MeasurePlan } from './pages/round-trips.js';
import { ratioResult, verdict, type Benchmark, type BenchResult } from './result.js';
import { ratioOf, round, stats, type Stats } from './stats.js';

/** Largest acceptable parley/raw ratio, for p50 and p99 alike. */
const GOAL = 1.15;
/** Largest acceptable p99 round trip of Parley's WebRTC transport, in ms. */
const P99_GOAL_MS = 5;
/** Largest acceptable p95 time from `connect()` to an open data channel, in ms. */
const JOIN_P95_GOAL_MS = 100;
/**
 * Counted round trips per contender of the goal's measurement (two trips a round, each well
 * under a millisecond: about 15 s on a quiet machine); p99 is then the 100th-slowest sample,
 * not the 40th as with the 4,000 rounds of before, whose p99 ratio ranged 1.05–1.35× over
 * quiet runs: it turned on which contender the last few hiccups of the machine happened to hit.
 */
const ROUNDS = 10_000;
/** Uncounted round trips per contender first (JIT, SCTP windows, socket buffers). */
const WARMUP = 500;
/**
 * Counted round trips of the side-by-side with Parley's Socket.IO transport, measured apart
 * from the goal's (see `pairOrders` in the page): it only shows how the two transports compare.
 */
const SIDE_ROUNDS = 2_000;
/** Uncounted round trips per link before the side-by-side. */
const SIDE_WARMUP = 200;
/**
 * Counted round trips against a raw contender that also checks each message with the chat's
 * check (see the header): a second ratio, like for like with an app that checks what it gets.
 */
const CHECKED_ROUNDS = 5_000;
/** Uncounted round trips per link before that one. */
const CHECKED_WARMUP = 300;
/**
 * The counted rounds are also cut into this many blocks of consecutive rounds, each with its
 * own ratios: their spread shows how much of a run's ratio is the machine's noise.
 */
const BLOCKS = 5;
/** Counted fresh joins per WebRTC contender. */
const JOINS = 30;
/** Uncounted fresh joins per WebRTC contender first. */
const JOIN_WARMUP = 2;
/** A fresh join whose channel is not open after this long fails the benchmark. */
const JOIN_TIMEOUT_MS = 10_000;
/** How long the long-lived links may take to go direct. */
const DIRECT_TIMEOUT_MS = 15_000;
/** Node-side limit on the whole latency measurement (the page has its own stall watchdog). */
const MEASURE_TIMEOUT_MS = 300_000;
/** Node-side limit on any other single call into a page. */
const CALL_TIMEOUT_MS = 30_000;

const pageEntry = new URL('./pages/webrtc-page.ts', import.meta.url);

// The callbacks below run in the page; they stay one-liners so tsx adds no helpers to them.
type PageWindow = { bench: WebRtcPageApi };
type Me = { userId: string; name: string };
const bench = (page: Page) => ({
  join: (kind: Contender, url: string, room: string, me: Me, echo: boolean) =>
    within(
      page.evaluate(
        ([k, u, r, m, e]) => (globalThis as unknown as PageWindow).bench.join(k, u, r, m, e),
        [kind, url, room, me, echo] as const,
      ),
      CALL_TIMEOUT_MS,
      `${kind} join`,
    ),
  waitDirect: (kind: DirectKind) =>
    within(
      page.evaluate(([k, ms]) => (globalThis as unknown as PageWindow).bench.waitDirect(k, ms), [
        kind,
        DIRECT_TIMEOUT_MS,
      ] as const),
      DIRECT_TIMEOUT_MS + CALL_TIMEOUT_MS,
      `${kind} going direct`,
    ),
  sent: () => page.evaluate(() => (globalThis as unknown as PageWindow).bench.sent()),
  rawPath: () =>
    within(
      page.evaluate(() => (globalThis as unknown as PageWindow).bench.rawPath()),
      CALL_TIMEOUT_MS,
      'raw getStats',
    ),
  measure: (plan: MeasurePlan, pair: readonly [Contender, Contender]) =>
    within(
      page.evaluate(([p, two]) => (globalThis as unknown as PageWindow).bench.measure(p, two), [
        plan,
        pair,
      ] as const),
      MEASURE_TIMEOUT_MS,
      `the ${pair.join(' vs ')} measurement`,
    ),
  checkRaw: (on: boolean) =>
    page.evaluate((o) => (globalThis as unknown as PageWindow).bench.checkRaw(o), on),
  closeAll: () => page.evaluate(() => (globalThis as unknown as PageWindow).bench.closeAll()),
  host: (kind: DirectKind, url: string, room: string, me: Me) =>
    within(
      page.evaluate(
        ([k, u, r, m]) => (globalThis as unknown as PageWindow).bench.host(k, u, r, m),
        [kind, url, room, me] as const,
      ),
      CALL_TIMEOUT_MS,
      `${kind} host join`,
    ),
  timedJoin: (kind: DirectKind, url: string, room: string, me: Me): Promise<JoinTiming> =>
    within(
      page.evaluate(
        ([k, u, r, m, ms]) => (globalThis as unknown as PageWindow).bench.timedJoin(k, u, r, m, ms),
        [kind, url, room, me, JOIN_TIMEOUT_MS] as const,
      ),
      JOIN_TIMEOUT_MS + CALL_TIMEOUT_MS,
      `${kind} timed join`,
    ),
  closeFresh: () => page.evaluate(() => (globalThis as unknown as PageWindow).bench.closeFresh()),
  isolated: () => page.evaluate(() => (globalThis as unknown as PageWindow).bench.isolated()),
});
type PageDriver = ReturnType<typeof bench>;

/** Join-to-open summary, in ms. */
interface JoinStats {
  joins: number;
  p50: number;
  p95: number;
  mean: number;
  max: number;
  /** p50 of the part before the relay's join reply (socket connect + `relay:join`). */
  joinedP50: number;
  /** How many of the counted joins the timed (joining) page dialed itself. */
  dialedByJoiner: number;
}

function joinStats(timings: readonly JoinTiming[]): JoinStats {
  const open = stats(
    timings.map((t) => t.open),
    ['p95', 'max'],
  );
  return {
    joins: timings.length,
    p50: open.p50,
    p95: open.p95,
    mean: open.mean,
    max: open.max,
    joinedP50: stats(timings.map((t) => t.joined)).p50,
    dialedByJoiner: timings.filter((t) => t.dialed).length,
  };
}

/**
 * parley/raw at p50 and p99 within each of {@link BLOCKS} blocks of consecutive rounds (the
 * samples are in round order, and every round timed both), and their range.
 */
function blockRatios(parley: readonly number[], raw: readonly number[]) {
  const size = Math.floor(parley.length / BLOCKS);
  const blocks = Array.from({ length: BLOCKS }, (_, i) =>
    ratioOf(
      stats(parley.slice(i * size, (i + 1) * size)),
      stats(raw.slice(i * size, (i + 1) * size)),
    ),
  );
  const range = (key: 'p50' | 'p99') => {
    const values = blocks.map((b) => b[key]);
    return [Math.min(...values), Math.max(...values)];
  };
  return { roundsEach: size, blocks, p50Range: range('p50'), p99Range: range('p99') };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Times fresh joins, alternating Parley and raw (each goes first every other time): B makes a
 * fresh link in a fresh room, A makes one and times it until the channel is open, both close.
 */
async function timeJoins(a: PageDriver, b: PageDriver, url: string, tag: string) {
  const timings: Record<DirectKind, JoinTiming[]> = { parley: [], raw: [] };
  for (let i = 0; i < JOIN_WARMUP + JOINS; i++) {
    const order: DirectKind[] = i % 2 === 0 ? ['parley', 'raw'] : ['raw', 'parley'];
    for (const kind of order) {
      const room = `join-${kind}-${tag}-${i}`;
      try {
        await b.host(kind, url, room, { userId: 'bench-b', name: 'Bench B' });
        const t = await a.timedJoin(kind, url, room, { userId: 'bench-a', name: 'Bench A' });
        if (i >= JOIN_WARMUP) timings[kind].push(t);
      } finally {
        // Settled, not all: a failed close must not hide why the join itself failed.
        await Promise.allSettled([a.closeFresh(), b.closeFresh()]);
      }
      // Let the closed connections wind down (untimed) before the next join starts.
      await sleep(30);
    }
  }
  return timings;
}

function run(): Promise<BenchResult> {
  // Production defaults (payload cap, mesh cap, any origin) on a free port, serving no page.
  return withBrowser(pageEntry, startBenchServer, async (on) => {
    const { server, browser, script, errors } = on;
    const url = server.url;
    const a = bench(
      await openBenchPage(await benchContext(browser, url, script), url, 'A', errors),
    );
    const b = bench(
      await openBenchPage(await benchContext(browser, url, script), url, 'B', errors),
    );
    if (!(await a.isolated())) {
      console.error('bench: page is not cross-origin isolated; timings are coarse (100 µs steps)');
    }

    // B joins first with its echo on, so A's join reply already lists it.
    const tag = Date.now().toString(36);
    for (const kind of ['parley', 'raw', 'socketio'] as const) {
      const room = `bench-${kind}-${tag}`;
      await b.join(kind, url, room, { userId: 'bench-b', name: 'Bench B' }, true);
      const peers = await a.join(kind, url, room, { userId: 'bench-a', name: 'Bench A' }, false);
      if (peers !== 1) throw new Error(`${kind}: A sees ${peers} peers in ${room}, expected 1`);
    }
    // Both directions must be direct, or B's echo would come back through the relay.
    for (const kind of ['parley', 'raw'] as const) {
      await Promise.all([a.waitDirect(kind), b.waitDirect(kind)]);
    }
    const path = await a.rawPath();
    // Every contender's signaling or relay connection rides a WebSocket, as in the app.
    const engines = [...server.io.sockets.sockets.values()].map((s) => s.conn.transport.name);
    if (engines.length !== 6 || engines.some((name) => name !== 'websocket')) {
      throw new Error(`expected 6 WebSocket connections, the server has: ${engines.join(', ')}`);
    }

    const before = await Promise.all([a.sent(), b.sent()]);
    const samples = await a.measure({ warmup: WARMUP, rounds: ROUNDS }, ['parley', 'raw']);
    await Promise.all([a.checkRaw(true), b.checkRaw(true)]);
    const checked = await a.measure({ warmup: CHECKED_WARMUP, rounds: CHECKED_ROUNDS }, [
      'parley',
      'raw',
    ]);
    await Promise.all([a.checkRaw(false), b.checkRaw(false)]);
    const beside = await a.measure({ warmup: SIDE_WARMUP, rounds: SIDE_ROUNDS }, [
      'parley',
      'socketio',
    ]);
    const after = await Promise.all([a.sent(), b.sent()]);
    for (const [kind, got, want] of [
      ['parley', samples.parley, ROUNDS],
      ['raw', samples.raw, ROUNDS],
      ['parley', checked.parley, CHECKED_ROUNDS],
      ['raw', checked.raw, CHECKED_ROUNDS],
      ['parley', beside.parley, SIDE_ROUNDS],
      ['socketio', beside.socketio, SIDE_ROUNDS],
    ] as const) {
      if (got.length !== want) throw new Error(`expected ${want} ${kind} samples`);
    }
    // Every Parley WebRTC frame of both measurements, each way, went over the data channel.
    const trips = WARMUP + ROUNDS + CHECKED_WARMUP + CHECKED_ROUNDS + SIDE_WARMUP + SIDE_ROUNDS;
    for (const [i, side] of ['A', 'B'].entries()) {
      const direct = after[i]!.direct - before[i]!.direct;
      const relayed = after[i]!.relayed - before[i]!.relayed;
      if (direct !== trips || relayed !== 0) {
        throw new Error(`${side} sent ${direct} direct, ${relayed} relayed; expected ${trips}, 0`);
      }
    }
    await Promise.all([a.closeAll(), b.closeAll()]);

    const joins = await timeJoins(a, b, url, tag);

    const parley = stats(samples.parley);
    const raw = stats(samples.raw);
    const socketio = stats(beside.socketio);
    const parleyBeside = stats(beside.parley);
    const parleyChecked = stats(checked.parley);
    const rawChecked = stats(checked.raw);
    const head = ratioResult({
      name: benchmark.name,
      chromium: browser.version(),
      rounds: ROUNDS,
      parley,
      raw,
      goal: GOAL,
    });
    const joinToOpen = joinStats(joins.parley);
    const rawJoinToOpen = joinStats(joins.raw);
    const passes = {
      ratio: head.pass,
      p99: parley.p99 <= P99_GOAL_MS,
      joinToOpen: joinToOpen.p95 <= JOIN_P95_GOAL_MS,
    };
    return {
      ...head,
      p99Goal: P99_GOAL_MS,
      joinToOpen: { ...joinToOpen, goalP95: JOIN_P95_GOAL_MS },
      rawJoinToOpen,
      socketio,
      perBlock: blockRatios(samples.parley, samples.raw),
      vsCheckingRaw: {
        rounds: CHECKED_ROUNDS,
        parley: parleyChecked,
        raw: rawChecked,
        ratio: ratioOf(parleyChecked, rawChecked),
      },
      parleyBesideSocketio: parleyBeside,
      socketioOverWebrtc: {
        p50: round(socketio.p50 / parleyBeside.p50),
        p99: round(socketio.p99 / parleyBeside.p99),
      },
      passes,
      allPass: passes.ratio && passes.p99 && passes.joinToOpen,
      warmup: WARMUP,
      checkedWarmup: CHECKED_WARMUP,
      sideRounds: SIDE_ROUNDS,
      sideWarmup: SIDE_WARMUP,
      joinWarmup: JOIN_WARMUP,
      interleave:
        'parley vs raw, parley vs raw checking like the chat, parley vs socket.io: each round one trip per link, a-b then b-a',
      accept: 'Parley transports get the chat check (isWellFormed) as accept, like the chat',
      transport: 'Parley WebRtcTransport (simple-peer lite) vs bare RTCPeerConnection data channel',
      rawPath: path,
      ...on.conditions(),
    };
  });
}

const ms = (n: number) => n.toFixed(3);
const x = (n: number) => n.toFixed(2);

/** The rows under the main one: Parley's p99 goal, Socket.IO beside WebRTC, join to open. */
function extraRows(r: BenchResult): string[][] {
  const socketio = r.socketio as Stats;
  const beside = r.parleyBesideSocketio as Stats;
  const vsWebrtc = r.socketioOverWebrtc as { p50: number; p99: number };
  const join = r.joinToOpen as JoinStats;
  const rawJoin = r.rawJoinToOpen as JoinStats;
  const passes = r.passes as { p99: boolean; joinToOpen: boolean };
  const perBlock = r.perBlock as ReturnType<typeof blockRatios>;
  const vsChecking = r.vsCheckingRaw as {
    parley: Stats;
    raw: Stats;
    ratio: { p50: number; p99: number };
  };
  const span = (range: number[]) => `${x(range[0]!)}–${x(range[1]!)}`;
  return [
    [
      `  ratio in ${BLOCKS} blocks of ${perBlock.roundsEach} rounds`,
      '-',
      '-',
      `${span(perBlock.p50Range)} / ${span(perBlock.p99Range)}`,
      '-',
    ],
    [
      '  vs raw checking like the chat',
      `${ms(vsChecking.parley.p50)} / ${ms(vsChecking.parley.p99)}`,
      `${ms(vsChecking.raw.p50)} / ${ms(vsChecking.raw.p99)}`,
      `${x(vsChecking.ratio.p50)} / ${x(vsChecking.ratio.p99)}`,
      `<= ${x(GOAL)} ${verdict(vsChecking.ratio.p50 <= GOAL && vsChecking.ratio.p99 <= GOAL)}`,
    ],
    [
      '  parley webrtc p99',
      ms(r.parley.p99),
      '-',
      '-',
      `<= ${P99_GOAL_MS} ms ${verdict(passes.p99)}`,
    ],
    [
      '  parley socket.io (vs webrtc)',
      `${ms(socketio.p50)} / ${ms(socketio.p99)}`,
      `webrtc ${ms(beside.p50)} / ${ms(beside.p99)}`,
      `${x(vsWebrtc.p50)} / ${x(vsWebrtc.p99)}`,
      '-',
    ],
    [
      `  join→open p50/p95 (n=${join.joins})`,
      `${ms(join.p50)} / ${ms(join.p95)}`,
      `${ms(rawJoin.p50)} / ${ms(rawJoin.p95)}`,
      `${x(join.p50 / rawJoin.p50)} / ${x(join.p95 / rawJoin.p95)}`,
      `p95 <= ${JOIN_P95_GOAL_MS} ms ${verdict(passes.joinToOpen)}`,
    ],
  ];
}

/**
 * Round-trip latency over Parley's WebRTC transport vs a raw data channel, join-to-open time,
 * and Parley's Socket.IO transport beside both.
 */
export const benchmark: Benchmark = { name: 'latency-webrtc', run, extraRows };
