/**
 * Catch-up of 1,000 missed messages from a peer: signed and encrypted vs signed in the clear,
 * over each transport (Socket.IO relay, WebRTC, BroadcastChannel), with Parley's real
 * controllers (page side: `bench/pages/catch-up-page.ts`).
 *
 * Scenario, per run (fresh room, fresh uniquely named databases, deleted afterwards):
 * - Member A registers, has 1,000 messages of its own written straight into its IndexedDB
 *   (`addMessages`, one second apart, ending about 1 h 43 min ago), and joins the room. Every
 *   message is signed with A's identity key; in an encrypted run its body is also sealed
 *   under the room key, which both members hold (an invite key's text made here, added to
 *   each member's room key store before its room controller starts).
 * - Member B registers and has one older message of its own (3 h ago), so it is not a
 *   newcomer: on joining it asks "what did I miss since my newest" (`since` = newest − 60 s,
 *   limit 2,000), and A answers from its history in `chat:sync-res` pages. B's room
 *   controller verifies every signature (a page at once) and, encrypted, opens every body.
 * - Timed on B's clock, from B's `TransportController.join()` (called by B's room controller
 *   once it may start) to the newest message's row PAINTED in B's real `<parley-messages>`
 *   list (the page hands it `room.messages` at every update, as `<parley-chat>` does; see
 *   the page's header for how "painted" is taken). Also recorded: open, first page, newest
 *   in the list model, newest row in the DOM, all 1,001 in `room.messages`, and all 1,001
 *   stored in B's IndexedDB. Every run checks exactly 1,001 unique ids, the expected ones,
 *   sorted by time, none refused as forged, and all shown sealed (encrypted) or none (clear).
 *
 * Goal (issue 25, goal 2): join → newest painted p50 ≤ 100 ms on every transport, in both
 * modes, and sealed / clear ≤ 1.2 at p50.
 *
 * Why the pipeline is built as it is (measured with this benchmark):
 * - Before, A served its answer oldest page first, so the newest messages came last and
 *   "newest shown" was "all shown" (p50 209 ms Socket.IO, 223 WebRTC, 278 tabs): every
 *   signature of the 1,000 (≈62 ms on one thread) and every page's merge and render stood
 *   between the join and the newest row. Now A answers newest page first, the first page a
 *   screenful (50 messages: checking 50 signatures is a few ms), the older pages full after
 *   it (`catch-up.ts`, `newestPagesFirst`): the newest row's path no longer depends on how
 *   much was missed. An answer cut short (the link drops) is asked again from where it began,
 *   so serving newest first leaves no hole.
 * - B shows a catch-up page once it is verified and opened; the pages that come while it is
 *   being painted wait for its frame before they are even checked (parsing, signatures and
 *   opening are main-thread work too), and those checked together are shown together, one
 *   merge and one render (`paint-gate.ts`); each page is stored once it may be shown, in the
 *   room's queue, its receipts sent after the commit. Without the gate, the pages right
 *   behind the first were checked, merged and rendered in the frame that should paint the
 *   newest. In the full list (up to 150 rows) an unchanged row is not re-made (`guard`).
 * - A reads the newest 50 on their own and sends them before reading the rest (`answer`), so
 *   the first page leaves after a 50-row read, not a 1,000-row one; it reads with a key cursor
 *   stepping back over the newest `limit` keys and one `getAll` (`messagesSince`), close to a
 *   bare `getAll` (the last round's read probe reports both; the value cursor it replaced
 *   took 33 ms where `getAll` took 18 in the last quiet run).
 * - A has just logged in when B asks, and was indexing its history for search then: batches
 *   of 300 (a 20–40 ms task each, and a commit of thousands of index entries that IndexedDB's
 *   one backend thread serves first), so B's request waited in A's task queue (A got it 60 ms
 *   after B asked, quiet) and the 50-row read took 70–100 ms instead of a few. Background
 *   history work (indexing, pruning) now runs in slices of 50 rows at background-priority
 *   turns, and a catch-up answer holds it until it is read and sent (`history-turns.ts`);
 *   the first page is one backward `getAll`. Loaded machine, same run, A's side: A gets the
 *   request 127–245 → 11–24 ms after B asks, its first read 113–704 → 23–56 ms.
 * - Verification in a worker was not built: checking a batch at once (`Promise.all`, as the
 *   intake does) already overlaps WebCrypto's work (a probe on this machine, loaded: 1,000
 *   checks 1.3–1.7× faster than one after another); a worker would compete for the same two
 *   cores with both members, the server and the browser; and with the newest page first only
 *   50 signatures stand before the paint.
 * - The tabs transport (BroadcastChannel) opened only after listening 100 ms for the tabs
 *   already there (`discoveryMs`), and a request made before open is refused by the transport,
 *   so B asked at 105–110 ms. It now opens on the first tab's answer (a lone tab still waits
 *   the 100 ms): B asks at 10–20 ms, the first page is in at 28–47 (was 114–125).
 * - Each step to the first page is marked (p50 row "phases"): B's transport reports A (peer),
 *   B asks, A's transport reports B, A gets the request, A's first history read (start–end:
 *   its start after A gets it is the wait in A's storage queue), A hands over page 1, B gets
 *   it. Long tasks (> 50 ms) on both pages near the join are kept per run (`longTasksA/B`).
 *
 * Socket.IO and WebRTC members are in two browser contexts (two users); BroadcastChannel
 * members are two pages of one context (two tabs). Every round runs each transport in each
 * mode once, the order rotated every round, so machine noise lands on all alike. (The
 * unsigned baseline of earlier runs is gone with unsigned messages: "clear" is signed, not
 * sealed.)
 */
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { MAX_SYNC_LIMIT } from '../src/protocol/chat-events.js';
import { benchContext, openBenchPage, startBenchServer, within, withBrowser } from './harness.js';
import type {
  AnswerSide,
  BenchKind,
  CatchUpPageApi,
  CatchUpTiming,
  MemberPlan,
  ReadProbe,
  SeedPlan,
  SeedResult,
} from './pages/catch-up-page.js';
import { resultHead, verdict, type Benchmark, type BenchResult } from './result.js';
// `round` names the round number here, so the rounding takes another name.
import { round as round3, stats, type Stats } from './stats.js';

/** Messages A holds and B missed. */
const MISSED = 1000;
/** Counted runs per transport (`CATCH_UP_RUNS` may lower it for a quick look while working). */
const RUNS = Number(process.env.CATCH_UP_RUNS ?? 10);
/** Uncounted runs per transport first (JIT, IndexedDB, first WebRTC link). */
const WARMUP = 1;
const ALL_KINDS: readonly BenchKind[] = ['socketio', 'webrtc', 'broadcast'];
/**
 * The transports run (`CATCH_UP_KINDS`, comma-separated, may pick some for a quick look while
 * working; a run that leaves one out does not pass).
 */
const KINDS: readonly BenchKind[] = process.env.CATCH_UP_KINDS
  ? ALL_KINDS.filter((k) => process.env.CATCH_UP_KINDS!.split(',').includes(k))
  : ALL_KINDS;
/** Signed and sealed under a room key both hold, or signed in the clear. */
type Mode = 'sealed' | 'clear';
const MODES: readonly Mode[] = ['sealed', 'clear'];
/** Every transport in every mode: one run each per round. */
const COMBOS: ReadonlyArray<{ kind: BenchKind; mode: Mode }> = KINDS.flatMap((kind) =>
  MODES.map((mode) => ({ kind, mode })),
);
/** Largest acceptable sealed/clear ratio of join → newest painted at p50, per transport. */
const GOAL = 1.2;
/** Longest acceptable join → newest painted at p50, ms, per transport and mode. */
const GOAL_MS = 100;
/** Whether a transport meets both goals. */
const meets = (t: { sealed: KindResult; clear: KindResult; ratio: { p50: number } }) =>
  t.ratio.p50 <= GOAL &&
  t.sealed.joinToNewest.p50 <= GOAL_MS &&
  t.clear.joinToNewest.p50 <= GOAL_MS;
/** Page-side limit on any one wait (registration, open, catch-up, storing). */
const STEP_TIMEOUT_MS = 20_000;
/**
 * How long A may take to store B's receipts for its 1,000 messages. Waited for (and reported)
 * in the last round of each transport only: it takes seconds, and is not part of catch-up.
 */
const ACK_WAIT_MS = 15_000;
/**
 * How long A is left alone in the room before B joins, ms (`CATCH_UP_SETTLE_MS`, default 0:
 * B joins as soon as A shows its history). A probe: with A just in, its own start-up work (lazy
 * chunks, indexing its history for search) runs while B's request comes in.
 */
const SETTLE_MS = Number(process.env.CATCH_UP_SETTLE_MS ?? 0);
/** Node-side limit on any one call into a page (the page has its own, shorter, limits). */
const CALL_TIMEOUT_MS = 30_000;

const pageEntry = new URL('./pages/catch-up-page.ts', import.meta.url);

// The callbacks below run in the page; they stay one-liners so tsx adds no helpers to them.
type PageWindow = { bench: CatchUpPageApi };
const bench = (page: Page, who: string) => ({
  prepare: (plan: MemberPlan) =>
    within(
      page.evaluate((p) => (globalThis as unknown as PageWindow).bench.prepare(p), plan),
      CALL_TIMEOUT_MS,
      `${who} prepare`,
    ),
  seed: (plan: SeedPlan): Promise<SeedResult> =>
    within(
      page.evaluate((p) => (globalThis as unknown as PageWindow).bench.seed(p), plan),
      CALL_TIMEOUT_MS,
      `${who} seed`,
    ),
  enter: () =>
    within(
      page.evaluate(() => (globalThis as unknown as PageWindow).bench.enter()),
      CALL_TIMEOUT_MS,
      `${who} enter`,
    ),
  catchUp: (ids: string[], newest: string): Promise<CatchUpTiming> =>
    within(
      page.evaluate(([i, n]) => (globalThis as unknown as PageWindow).bench.catchUp(i, n), [
        ids,
        newest,
      ] as const),
      CALL_TIMEOUT_MS,
      `${who} catch-up`,
    ),
  answerSide: (joinerId: string, seeded: number, waitMs: number): Promise<AnswerSide> =>
    within(
      page.evaluate(
        ([j, s, w]) => (globalThis as unknown as PageWindow).bench.answerSide(j, s, w),
        [joinerId, seeded, waitMs] as const,
      ),
      waitMs + CALL_TIMEOUT_MS,
      `${who} receipts`,
    ),
  probeRead: (since: number, limit: number): Promise<ReadProbe> =>
    within(
      page.evaluate(([s, l]) => (globalThis as unknown as PageWindow).bench.probeRead(s, l), [
        since,
        limit,
      ] as const),
      CALL_TIMEOUT_MS,
      `${who} read probe`,
    ),
  stop: () =>
    within(
      page.evaluate(() => (globalThis as unknown as PageWindow).bench.stop()),
      CALL_TIMEOUT_MS,
      `${who} stop`,
    ),
  isolated: () => page.evaluate(() => (globalThis as unknown as PageWindow).bench.isolated()),
});
type Driver = ReturnType<typeof bench>;

/** Summary of one transport's samples, in ms. */
type Summary = Stats & { p95: number; min: number; max: number };

const summary = (samples: readonly number[]): Summary => stats(samples, ['p95', 'min', 'max']);

/** One counted run as kept in the JSON. */
interface RunRecord extends CatchUpTiming {
  kind: BenchKind;
  mode: Mode;
  round: number;
  seedMs: number;
  /** A sealing (encrypted) and signing its 1,000 messages before storing them, ms. */
  seedSignMs: number;
  /** What A saw: requests, pages from B, its list before/after B's receipts. */
  answer: AnswerSide;
  /**
   * From B's `join()` until A had stored B's receipts for all 1,000 (cross-page clocks); last
   * round of each transport only.
   */
  receiptsStored: number | undefined;
  /** A reading B's request from its history, idle, after the run; last round only. */
  readProbe: ReadProbe | undefined;
  /** From B's `join()` until A received B's request, and sent its first page (cross-page). */
  requestAtA: number;
  answerFromA: number;
  /** From B's `join()`: A's transport reports B; A's catch-up starts and ends its first read. */
  peerAtA: number;
  readStartAtA: number;
  readEndAtA: number;
  /** Long tasks on A and B within B's first second, `start+duration` ms from B's join. */
  longTasksA: string;
  longTasksB: string;
  /** The whole run on Node's clock (accounts, seeding, catch-up, clean-up), ms. */
  wallMs: number;
}

/** One run: fresh room and databases, A with 1,000 messages, B joins and catches up. */
async function oneRun(
  kind: BenchKind,
  mode: Mode,
  round: number,
  url: string,
  stamp: string,
  a: Driver,
  b: Driver,
  final: boolean,
): Promise<RunRecord> {
  const tag = `${stamp}-${kind}-${mode}-${round}`;
  const room = `catch-up-${tag}`;
  // A fresh room key per run, as an invite link's text (32 random bytes, base64url).
  const roomKey = mode === 'sealed' ? randomBytes(32).toString('base64url') : undefined;
  const plan = (name: string, who: string): MemberPlan => ({
    kind,
    url,
    room,
    name,
    dbName: `parley-bench-catch-up-${tag}-${who}`,
    timeoutMs: STEP_TIMEOUT_MS,
    roomKey,
  });
  const now = Date.now();
  const hour = 3_600_000;
  try {
    const [, bId] = await Promise.all([a.prepare(plan('Alice', 'a')), b.prepare(plan('Bob', 'b'))]);
    // A: 1,000 messages one second apart, 2 h ago onward. B: one message 3 h ago, so its
    // request (since = 3 h ago − 60 s) covers all of A's.
    const seeded = await a.seed({ count: MISSED, firstTs: now - 2 * hour, stepMs: 1000 });
    const bTs = now - 3 * hour;
    const own = await b.seed({ count: 1, firstTs: bTs, stepMs: 0 });
    const shownByA = await a.enter();
    if (shownByA !== 50) throw new Error(`${kind}: A shows ${shownByA} messages, expected 50`);
    if (SETTLE_MS > 0) await new Promise((r) => setTimeout(r, SETTLE_MS));
    const expected = [...seeded.ids, ...own.ids];
    const timing = await b.catchUp(expected, seeded.ids.at(-1)!);
    const sealedWanted = mode === 'sealed' ? expected.length : 0;
    const problems = [
      timing.shown !== expected.length && `shows ${timing.shown}, expected ${expected.length}`,
      timing.forged !== 0 && `refused ${timing.forged} as forged`,
      timing.sealedShown !== sealedWanted &&
        `shows ${timing.sealedShown} sealed, expected ${sealedWanted}`,
      timing.encrypted !== (mode === 'sealed') && `encrypted is ${timing.encrypted}`,
      timing.unique !== timing.shown && `${timing.shown - timing.unique} duplicate ids`,
      !timing.exact && 'ids differ from the ones A holds',
      !timing.sorted && 'not sorted by time',
    ].filter(Boolean);
    if (problems.length) {
      throw new Error(`${kind} ${mode} round ${round}: B ${problems.join('; ')}`);
    }
    const answer = await a.answerSide(bId, MISSED, final ? ACK_WAIT_MS : 0);
    // What B asked for (catch-up.ts: a minute before its newest, the most it may ask).
    const readProbe = final ? await a.probeRead(bTs - 60_000, MAX_SYNC_LIMIT) : undefined;
    if (readProbe && readProbe.found !== MISSED) {
      throw new Error(`${kind}: A's history read found ${readProbe.found}, expected ${MISSED}`);
    }
    return {
      kind,
      mode,
      round,
      ...timing,
      seedMs: round3(seeded.ms),
      seedSignMs: round3(seeded.signMs),
      answer,
      receiptsStored:
        answer.ackedEpoch === undefined ? undefined : round3(answer.ackedEpoch - timing.joinEpoch),
      readProbe,
      requestAtA: round3((answer.requestEpoch ?? NaN) - timing.joinEpoch),
      answerFromA: round3((answer.firstAnswerEpoch ?? NaN) - timing.joinEpoch),
      peerAtA: round3((answer.peerEpoch ?? NaN) - timing.joinEpoch),
      readStartAtA: round3((answer.readStartEpoch ?? NaN) - timing.joinEpoch),
      readEndAtA: round3((answer.readEndEpoch ?? NaN) - timing.joinEpoch),
      longTasksA: tasksNear(answer.longTasks, timing.joinEpoch),
      longTasksB: tasksNear(timing.longTasks, timing.joinEpoch),
      wallMs: 0,
    };
  } finally {
    await Promise.allSettled([a.stop(), b.stop()]);
  }
}

/** Long tasks that began within a second of `epoch`, as `start+duration` ms from it. */
const tasksNear = (tasks: ReadonlyArray<[number, number]>, epoch: number) =>
  tasks
    .filter(([at]) => at - epoch > -200 && at - epoch < 1000)
    .map(([at, d]) => `${Math.round(at - epoch)}+${Math.round(d)}`)
    .join(' ');

const median = (xs: readonly number[]) => summary(xs).p50;

/** Per-transport result in the JSON. */
interface KindResult {
  runs: number;
  /** Join → the newest message painted in B's list (the headline), ms. */
  joinToNewest: Summary;
  /** Join → all 1,001 in B's `room.messages`, ms. */
  joinToAll: Summary;
  /** 1,000 / (join → all, at p50), messages per second. */
  messagesPerSecondP50: number;
  /** Messages per second of every run, p50 of them. */
  messagesPerSecondMedianOfRuns: number;
  /** Medians of the phases, ms from B's `join()`. */
  phasesP50: {
    open: number;
    /** B's transport reports A (peer join); B sends its request; A gets it; A sends page 1. */
    peerFound: number;
    asked: number;
    requestAtA: number;
    peerAtA: number;
    readStartAtA: number;
    readEndAtA: number;
    answerFromA: number;
    firstPage: number;
    newestShown: number;
    newestRendered: number;
    newestPainted: number;
    all: number;
    stored: number;
    startToJoin: number;
  };
  /** Messages in B's list when the newest was painted, p50. */
  shownAtPaintP50: number;
  joinToStored: Summary;
  pagesP50: number;
  largestPage: number;
  /** Link from B to A when all had arrived, per run. */
  links: string[];
  /** Requests A received per run (B's one, at open; more would be repeats). */
  requestsToA: number[];
  droppedByB: number[];
  /** Last round only: A taking in B's receipts for its 1,000 messages, and reading them. */
  answerSide: {
    /** From B's join until A stored all 1,000 receipts (ms; cross-page clocks). */
    receiptsStored: number | undefined;
    /** A's on-screen list (50 shown at join) when B had all, and after the receipts. */
    aShown: string;
    readProbe: ReadProbe | undefined;
  };
  /** Whole run on Node's clock, p50 (accounts, seeding, catch-up, clean-up), ms. */
  wallMsP50: number;
  /** A sealing (encrypted) and signing its 1,000 messages before the run, p50, ms. */
  seedSignMsP50: number;
}

function kindResult(runs: readonly RunRecord[]): KindResult {
  const all = runs.map((r) => r.all);
  const joinToAll = summary(all);
  const last = runs.at(-1)!;
  return {
    runs: runs.length,
    joinToNewest: summary(runs.map((r) => r.newestPainted)),
    joinToAll,
    messagesPerSecondP50: Math.round(MISSED / (joinToAll.p50 / 1000)),
    messagesPerSecondMedianOfRuns: Math.round(median(all.map((ms) => MISSED / (ms / 1000)))),
    phasesP50: {
      startToJoin: median(runs.map((r) => r.startToJoin)),
      open: median(runs.map((r) => r.open)),
      peerFound: median(runs.map((r) => r.peerFound)),
      asked: median(runs.map((r) => r.asked)),
      requestAtA: median(runs.map((r) => r.requestAtA)),
      peerAtA: median(runs.map((r) => r.peerAtA)),
      readStartAtA: median(runs.map((r) => r.readStartAtA)),
      readEndAtA: median(runs.map((r) => r.readEndAtA)),
      answerFromA: median(runs.map((r) => r.answerFromA)),
      firstPage: median(runs.map((r) => r.firstPage)),
      newestShown: median(runs.map((r) => r.newestShown)),
      newestRendered: median(runs.map((r) => r.newestRendered)),
      newestPainted: median(runs.map((r) => r.newestPainted)),
      all: joinToAll.p50,
      stored: median(runs.map((r) => r.stored)),
    },
    shownAtPaintP50: median(runs.map((r) => r.shownAtPaint)),
    joinToStored: summary(runs.map((r) => r.stored)),
    pagesP50: median(runs.map((r) => r.pages)),
    largestPage: Math.max(...runs.map((r) => r.largestPage)),
    links: runs.map((r) => r.link),
    requestsToA: runs.map((r) => r.answer.requestsReceived),
    droppedByB: runs.map((r) => r.dropped),
    answerSide: {
      receiptsStored: last.receiptsStored,
      aShown: `${last.answer.shownBefore} → ${last.answer.shownAfter}`,
      readProbe: last.readProbe && {
        messagesSince: round3(last.readProbe.messagesSince),
        getAll: round3(last.readProbe.getAll),
        found: last.readProbe.found,
      },
    },
    wallMsP50: median(runs.map((r) => r.wallMs)),
    seedSignMsP50: median(runs.map((r) => r.seedSignMs)),
  };
}

/** One transport: both modes, and sealed / clear of join → newest painted. */
interface TransportResult {
  sealed: KindResult;
  clear: KindResult;
  ratio: { p50: number; p95: number; mean: number };
}

function transportResult(sealed: readonly RunRecord[], clear: readonly RunRecord[]) {
  const s = kindResult(sealed);
  const c = kindResult(clear);
  const r = (a: number, b: number) => round3(a / b);
  const ratio = {
    p50: r(s.joinToNewest.p50, c.joinToNewest.p50),
    p95: r(s.joinToNewest.p95, c.joinToNewest.p95),
    mean: r(s.joinToNewest.mean, c.joinToNewest.mean),
  };
  return { sealed: s, clear: c, ratio } satisfies TransportResult;
}

function run(): Promise<BenchResult> {
  // Production defaults (payload cap, mesh cap, any origin) on a free port, serving no page.
  return withBrowser(pageEntry, startBenchServer, async (on) => {
    const { server, browser, script, errors } = on;
    const url = server.url;
    // Two users (own contexts) for the server transports; two tabs of one user for broadcast.
    const [userA, userB, tabs] = await Promise.all([
      benchContext(browser, url, script),
      benchContext(browser, url, script),
      benchContext(browser, url, script),
    ]);
    const users = {
      a: bench(await openBenchPage(userA, url, 'A', errors), 'A'),
      b: bench(await openBenchPage(userB, url, 'B', errors), 'B'),
    };
    const sameBrowser = {
      a: bench(await openBenchPage(tabs, url, 'tab A', errors), 'tab A'),
      b: bench(await openBenchPage(tabs, url, 'tab B', errors), 'tab B'),
    };
    if (!(await users.a.isolated())) {
      console.error('bench: page is not cross-origin isolated; timings are coarse (100 µs steps)');
    }

    const stamp = Date.now().toString(36);
    const key = (kind: BenchKind, mode: Mode) => `${kind}/${mode}`;
    const counted = new Map<string, RunRecord[]>(
      COMBOS.map(({ kind, mode }) => [key(kind, mode), []]),
    );
    for (let round = 0; round < WARMUP + RUNS; round++) {
      // Rotate the order every round, so no combination always runs first (or last).
      const order = COMBOS.map((_, i) => COMBOS[(i + round) % COMBOS.length]!);
      for (const { kind, mode } of order) {
        const pair = kind === 'broadcast' ? sameBrowser : users;
        const final = round === WARMUP + RUNS - 1;
        const started = performance.now();
        const record = await oneRun(kind, mode, round, url, stamp, pair.a, pair.b, final);
        record.wallMs = round3(performance.now() - started);
        if (round >= WARMUP) counted.get(key(kind, mode))!.push(record);
      }
    }

    const runsOf = (kind: BenchKind, mode: Mode) => counted.get(key(kind, mode))!;
    const perTransport = Object.fromEntries(
      KINDS.map((kind) => [kind, transportResult(runsOf(kind, 'sealed'), runsOf(kind, 'clear'))]),
    ) as Record<BenchKind, TransportResult>;
    const main = perTransport.socketio ?? perTransport[KINDS[0]!];
    // Judged at p50 per transport: with 10 runs, p99 is the slowest run, reported only.
    const pass = KINDS === ALL_KINDS && KINDS.every((kind) => meets(perTransport[kind]));
    return {
      ...resultHead(benchmark.name, browser.version()),
      rounds: RUNS,
      // The main row is the default transport (Socket.IO); every transport has its own rows.
      parley: main.sealed.joinToNewest,
      raw: main.clear.joinToNewest,
      ratio: {
        p50: main.ratio.p50,
        p99: round3(main.sealed.joinToNewest.p99 / main.clear.joinToNewest.p99),
      },
      goal: GOAL,
      goalMs: GOAL_MS,
      pass,
      goalNote: `join → newest painted p50 ≤ ${GOAL_MS} ms in both modes and sealed / clear ≤ ${GOAL} at p50, every transport (p99 of 10 runs is the slowest, reported)`,
      mainRow:
        'socketio, join → newest painted, ms: signed + encrypted (parley) vs signed in the clear (raw)',
      scenario: {
        missed: MISSED,
        expectedShown: MISSED + 1,
        a: `${MISSED} messages of its own, 1 s apart from 2 h ago, status delivered, signed (and sealed), seeded with addMessages`,
        b: 'one message of its own 3 h ago: asks since = newest − 60 s, limit 2000 (not a newcomer)',
        timed:
          "B's TransportController.join() → the newest message's row painted in B's <parley-messages> (also: → all 1,001 in room.messages, → all stored)",
        checks:
          'exactly 1,001 unique ids, the expected ones, sorted by ts; none forged; all sealed (encrypted) or none; all stored in B',
        modes:
          "sealed: signed + AES-GCM under a fresh invite key per run, in both members' room key stores; clear: signed only",
        members: 'socketio/webrtc: two browser contexts; broadcast: two pages of one context',
      },
      warmup: WARMUP,
      settleMs: SETTLE_MS,
      interleave: 'every round runs each transport in each mode once, order rotated every round',
      perTransport,
      runs: [...counted.values()].flat().sort((x, y) => x.round - y.round),
      ...on.conditions(),
    };
  });
}

const ms = (n: number) => n.toFixed(1);

/** Two rows per transport: join → newest painted p50/p95 per mode, their ratio, the phases. */
function extraRows(r: BenchResult): string[][] {
  const per = r.perTransport as Record<BenchKind, TransportResult>;
  const rows: string[][] = [
    [
      '  sealed vs clear, join → newest painted',
      `p50 / p95 (ms, goal p50 ≤ ${GOAL_MS})`,
      'all 1,001: msg/s at p50',
      'p50 phases from join (ms)',
      'ratio p50 (goal)',
    ],
  ];
  for (const kind of KINDS) {
    const t = per[kind];
    for (const mode of MODES) {
      const k = t[mode];
      const p = k.phasesP50;
      rows.push([
        `  ${kind} ${mode} (n=${k.runs}, ${MISSED} msgs)`,
        `${ms(k.joinToNewest.p50)} / ${ms(k.joinToNewest.p95)} ${verdict(k.joinToNewest.p50 <= GOAL_MS)}`,
        `${k.messagesPerSecondP50}`,
        `open ${ms(p.open)} · peer ${ms(p.peerFound)} · ask ${ms(p.asked)} · A sees B ${ms(p.peerAtA)} · A gets ${ms(p.requestAtA)} · A reads ${ms(p.readStartAtA)}–${ms(p.readEndAtA)} · A sends ${ms(p.answerFromA)} · 1st page ${ms(p.firstPage)} · newest in list ${ms(p.newestShown)} · in DOM ${ms(p.newestRendered)} · painted ${ms(p.newestPainted)} (${k.shownAtPaintP50} rows) · all ${ms(p.all)} · stored ${ms(p.stored)}`,
        mode === 'sealed'
          ? `${t.ratio.p50.toFixed(2)} <= ${GOAL} ${verdict(t.ratio.p50 <= GOAL)}`
          : '',
      ]);
    }
  }
  return rows;
}

/** Catch-up of 1,000 missed messages from a peer, signed + encrypted vs signed, per transport. */
export const benchmark: Benchmark = { name: 'catch-up', run, extraRows };
