/**
 * App-to-app latency: from pressing Enter in one person's composer to the message's row in
 * the other person's message list — the whole app path (composer → room controller: seal,
 * sign, store → transport → room controller: verify, open → store → list render) — in an
 * end-to-end encrypted room against the same build in a room in the clear (still signed), over
 * Socket.IO and over WebRTC (page side: `bench/pages/app-latency-page.ts`, the real
 * `<parley-chat>`).
 *
 * Four headless Chromium pages, each its own browser context (own IndexedDB, own renderer):
 * Alice and Bob in the encrypted room, Alice and Bob in the clear room, all live at once.
 * The encrypted room's key reaches both through the address, as an invite link hands it over
 * (`#room=…&key=…`, a fresh random key per room). Every sample: Node arms the receiving page,
 * fills the sender's composer (typing notices go out, as when a person types), presses Enter
 * (a real key event through the DevTools protocol), and waits for the row on the other side,
 * then for the sender's message to show "delivered", so its receipt is not in the next sample.
 * The contenders alternate every sample (each goes first every other time) and the direction
 * (Alice → Bob, Bob → Alice) every two, so machine noise and any clock offset land on both.
 * Each sample is also split: Enter → the message on the wire (the sender's `out-wire` mark:
 * sealed and signed; it is stored meanwhile), → the receiver's `parley-message` (wire, verify,
 * open), → its row in the DOM; and, step by step on both pages, by the app's phase marks
 * (`src/controllers/room/phase-marks.ts`, silent unless the page listens), printed as each
 * step's p50 from Enter, and as the p50 of each leg of the path (Enter → composed → signed → on
 * the wire → the receiver's controller → verified → opened → listed → row → painted), which the
 * other legs' variation does not move. Off the path and reported beside it: Enter → the
 * sender's composer painted empty (what the person who pressed Enter sees first), → its own row,
 * → its row shows the message stored. `out-wire` is marked when the transport's send returns;
 * over WebRTC that send waits for Chromium's network thread, which may hand the message over
 * before it returns, so the relay leg can be about 0 (or below, by the pages' clock skew).
 *
 * Clock. The two events happen in two renderer processes, so the times are taken where they
 * happen — Enter's keydown in the sender, the row's insertion in the receiver — on each page's
 * `performance.timeOrigin + performance.now()` (epoch ms, 5 µs steps when cross-origin
 * isolated). Chromium derives `timeOrigin` from the monotonic clock plus a wall-clock offset
 * taken once per process, and all processes read the same kernel clocks, so two pages agree to
 * µs unless the wall clock is stepped meanwhile. Timestamping in Node instead (a callback per
 * event through `exposeFunction`) would put two DevTools hops on the timed path, each a
 * fraction of a millisecond with its own jitter, and the in-process relay server competes with
 * them for Node's event loop at exactly the wrong moment. The agreement is checked, not
 * assumed: at the start and end of every block Node reads each page's clock 20 times and keeps
 * the reading with the shortest round trip (as NTP does), giving each page's offset to Node's
 * clock within half that round trip; the offset between the pages of a pair is reported
 * (`clockCheck`) and not subtracted. Alternating directions keeps any offset out of the
 * pooled percentiles, and the per-direction p50s in the JSON would show one as a gap.
 *
 * The list renders every row up to 150 messages and virtualizes longer lists (rows then
 * appear after the virtualizer's layout, a frame later); each room gets 110 messages, so every
 * sample is timed on the fully rendered list: a fresh pair of rooms per block of 100 samples
 * (plus 10 uncounted first: new room, new links).
 */
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import {
  benchContext,
  openBenchPage,
  PAGE_PATH,
  startBenchServer,
  within,
  withBrowser,
} from './harness.js';
import type { AppLatencyPageApi, Sent, Shown } from './pages/app-latency-page.js';
import { resultHead, verdict, type Benchmark, type BenchResult } from './result.js';
import { round, stats, type Stats } from './stats.js';

/** Enter → row on the other page, ms, for every transport and room kind (issue 25, goal 1). */
const GOALS = { p50: 10, p99: 30 };
/** Encrypted/clear ratio of the p50 latency, per transport: the earlier goal, still reported. */
const RATIO_GOAL = 1.2;
/**
 * Counted samples per contender and transport (fewer with `PARLEY_BENCH_APP_SAMPLES`, for a
 * quick look while developing; the recorded runs use the default).
 */
const SAMPLES = Number(process.env.PARLEY_BENCH_APP_SAMPLES ?? 200);
/** Blocks per transport, each in a fresh pair of rooms (keeps every list under 150 rows). */
const BLOCKS = 2;
/** Uncounted samples at the start of every block (new room, new links, JIT). */
const BLOCK_WARMUP = 10;
/** Clock readings per page per clock check. */
const CLOCK_PROBES = 20;
/** Page-side limit on any one wait (a row to show, a receipt, the links). */
const STEP_TIMEOUT_MS = 15_000;
/** How long a fresh pair may take to see each other (and link directly, over WebRTC). */
const LINK_TIMEOUT_MS = 20_000;
/** Node-side limit on any one call into a page (the page has its own, shorter, limits). */
const CALL_TIMEOUT_MS = 30_000;

const KINDS = ['socketio', 'webrtc'] as const;
type Kind = (typeof KINDS)[number];
const CONTENDERS = ['sealed', 'clear'] as const;
type Contender = (typeof CONTENDERS)[number];

const pageEntry = new URL('./pages/app-latency-page.ts', import.meta.url);

/** Node's clock as epoch ms, for the clock check (only differences between pages matter). */
const nodeEpoch = () => performance.timeOrigin + performance.now();

// The callbacks below run in the page; they stay one-liners so tsx adds no helpers to them.
type PageWindow = { bench: AppLatencyPageApi };
const driver = (page: Page, who: string) => ({
  page,
  who,
  composer: page.getByRole('textbox', { name: 'Message' }),
  linked: (members: number, direct: boolean): Promise<string> =>
    within(
      page.evaluate(([m, d, ms]) => (globalThis as unknown as PageWindow).bench.linked(m, d, ms), [
        members,
        direct,
        LINK_TIMEOUT_MS,
      ] as const),
      LINK_TIMEOUT_MS + CALL_TIMEOUT_MS,
      `${who} linked`,
    ),
  arm: (token: string) =>
    within(
      page.evaluate((t) => (globalThis as unknown as PageWindow).bench.arm(t), token),
      CALL_TIMEOUT_MS,
      `${who} arm`,
    ),
  shown: (): Promise<Shown> =>
    within(
      page.evaluate((ms) => (globalThis as unknown as PageWindow).bench.shown(ms), STEP_TIMEOUT_MS),
      STEP_TIMEOUT_MS + CALL_TIMEOUT_MS,
      `${who} shown`,
    ),
  sent: (token: string): Promise<Sent> =>
    within(
      page.evaluate(([t, ms]) => (globalThis as unknown as PageWindow).bench.sent(t, ms), [
        token,
        STEP_TIMEOUT_MS,
      ] as const),
      STEP_TIMEOUT_MS + CALL_TIMEOUT_MS,
      `${who} sent`,
    ),
  clock: () => page.evaluate(() => (globalThis as unknown as PageWindow).bench.clock()),
  isolated: () => page.evaluate(() => (globalThis as unknown as PageWindow).bench.isolated()),
  problems: () => page.evaluate(() => (globalThis as unknown as PageWindow).bench.problems()),
});
type Driver = ReturnType<typeof driver>;
type Pair = { a: Driver; b: Driver };

/** One page's clock against Node's: offset (page − Node) and the round trip it was read in. */
interface ClockReading {
  offset: number;
  rtt: number;
}

/** The page's clock offset from the reading with the shortest round trip (NTP's filter). */
async function readClock(d: Driver): Promise<ClockReading> {
  let best: ClockReading | undefined;
  for (let i = 0; i < CLOCK_PROBES; i++) {
    const t0 = nodeEpoch();
    const page = await d.clock();
    const t1 = nodeEpoch();
    if (!best || t1 - t0 < best.rtt) best = { offset: page - (t0 + t1) / 2, rtt: t1 - t0 };
  }
  return best!;
}

/** B's clock minus A's, and how far off that estimate can be (half of both round trips). */
async function pairSkew(pair: Pair): Promise<{ skew: number; bound: number }> {
  const a = await readClock(pair.a);
  const b = await readClock(pair.b);
  return { skew: round(b.offset - a.offset), bound: round((a.rtt + b.rtt) / 2) };
}

/** The page address of one person in one room: transport and name in the query, room in the hash. */
function address(
  kind: Kind,
  who: 'Alice' | 'Bob',
  contender: Contender,
  room: string,
  key?: string,
) {
  const query = new URLSearchParams({
    transport: kind,
    name: who,
    // One database per person and room kind, kept across blocks: the same account all along.
    db: `parley-bench-app-${contender}-${who.toLowerCase()}`,
  });
  // The invite link's fragment (`inviteLink` in src/controllers/room/room-keys.ts) carries the key.
  const hash = new URLSearchParams(key ? { room, key } : { room });
  return `${PAGE_PATH}?${query.toString()}#${hash.toString()}`;
}

/** Opens both people of `contender` in a fresh room and waits until they are linked. */
async function enterRooms(pair: Pair, kind: Kind, contender: Contender, url: string, room: string) {
  const key = contender === 'sealed' ? randomBytes(32).toString('base64url') : undefined;
  for (const [d, who] of [
    [pair.a, 'Alice'],
    [pair.b, 'Bob'],
  ] as const) {
    await d.page.goto(url + address(kind, who, contender, room, key));
    await d.page.waitForFunction(() => 'bench' in globalThis, undefined, { timeout: 10_000 });
  }
  const links = await Promise.all([
    pair.a.linked(2, kind === 'webrtc'),
    pair.b.linked(2, kind === 'webrtc'),
  ]);
  return links;
}

/** One counted (or warm-up) sample as kept in the JSON. */
interface Sample {
  kind: Kind;
  contender: Contender;
  block: number;
  i: number;
  /** `ab`: Alice sent, Bob received; `ba`: the other way. */
  dir: 'ab' | 'ba';
  /** Enter in the sender → the row in the receiver's list DOM, ms. The headline. */
  ms: number;
  /** Enter → the sender's row shows the message stored (sealed, signed, in IndexedDB), ms. */
  stored: number;
  /** Enter → on the wire (the sender's `out-wire` mark; NaN on a build without marks), ms. */
  wire: number;
  /** On the wire → the receiver's `parley-message` (wire, verify, open), ms. */
  across: number;
  /** Enter → the receiver's `parley-message` (its room controller done, before the render), ms. */
  toController: number;
  /** That event → the row in the DOM (the list's render), ms. */
  render: number;
  /** Enter → each step on both pages (the app's phase marks, then the rows), ms. */
  steps: Partial<Record<Step, number>>;
}

/**
 * The steps a sample is split into, in the order they happen today, each timed from Enter:
 * the sender's phase marks, its own row, the receiver's marks, its row and its paint.
 */
const STEPS = [
  'out-send',
  'out-signed',
  'out-wire',
  'cleared',
  'own-row',
  'out-stored',
  'in-wire',
  'in-verified',
  'in-opened',
  'in-listed',
  'row',
  'painted',
  'in-stored',
] as const;
type Step = (typeof STEPS)[number];
/** The sender's steps (the rest are the receiver's). */
const SENDER_STEPS: ReadonlySet<Step> = new Set(['cleared', 'own-row']);
const bySender = (step: Step) => step.startsWith('out-') || SENDER_STEPS.has(step);

/**
 * The timed path, step by step: each leg is the time from one step to the next within a sample
 * (the first from Enter), named for what happens in it. Its p50 is what each leg costs; unlike
 * the difference of two steps' p50s from Enter, it is not moved by how the earlier legs vary.
 */
const LEGS = [
  ['compose', 'out-send'],
  ['sign', 'out-signed'],
  ['wire', 'out-wire'],
  ['relay', 'in-wire'],
  ['verify', 'in-verified'],
  ['open', 'in-opened'],
  ['list', 'in-listed'],
  ['render', 'row'],
  ['paint', 'painted'],
] as const satisfies ReadonlyArray<readonly [string, Step]>;
type Leg = (typeof LEGS)[number][0];

/** Each leg's time in one sample, ms (a leg whose ends are not both marked is left out). */
function legsOf(steps: Partial<Record<Step, number>>): Partial<Record<Leg, number>> {
  const out: Partial<Record<Leg, number>> = {};
  let from = 0;
  for (const [leg, step] of LEGS) {
    const at = steps[step];
    if (at === undefined) return out;
    out[leg] = round(at - from);
    from = at;
  }
  return out;
}

/** Each step's time from Enter, ms (steps not marked on this build are left out). */
function stepsOf(enter: number, sent: Sent, shown: Shown): Partial<Record<Step, number>> {
  const at: Partial<Record<Step, number>> = {
    ...(sent.phases as Partial<Record<Step, number>>),
    ...(shown.phases as Partial<Record<Step, number>>),
    'own-row': sent.ownRowEpoch,
    cleared: sent.clearedEpoch,
    row: shown.domEpoch,
    painted: shown.paintEpoch,
  };
  const out: Partial<Record<Step, number>> = {};
  for (const step of STEPS) {
    const t = at[step];
    if (t !== undefined && Number.isFinite(t)) out[step] = round(t - enter);
  }
  return out;
}

const WORDS =
  'are we still on for the review at three I moved the notes into the shared doc and fixed ' +
  'the flaky login test so the build should be green before lunch';

/** A chat line of 40–100 characters that starts with the sample's unique token. */
const lineOf = (token: string, i: number) =>
  `${token} ${WORDS.slice((i * 13) % 40, ((i * 13) % 40) + 30 + ((i * 29) % 60))}`;

/** One message from `sender` to `receiver`, timed from Enter to the row in the list. */
async function sample(
  kind: Kind,
  contender: Contender,
  block: number,
  i: number,
  pair: Pair,
  dir: 'ab' | 'ba',
): Promise<Sample> {
  const [sender, receiver] = dir === 'ab' ? [pair.a, pair.b] : [pair.b, pair.a];
  const token = `t${kind[0]}${contender[0]}${block}x${i}`;
  await receiver.arm(token);
  await sender.composer.fill(lineOf(token, i));
  await sender.page.keyboard.press('Enter');
  const shown = await receiver.shown();
  const sent = await sender.sent(token);
  const where = `${kind} ${contender} block ${block} #${i} ${sender.who}→${receiver.who}`;
  if (shown.sealed !== (contender === 'sealed')) {
    throw new Error(`${where}: arrived ${shown.sealed ? 'sealed' : 'in the clear'}`);
  }
  if (!shown.full) throw new Error(`${where}: the list is virtualized (${shown.listed} messages)`);
  return {
    kind,
    contender,
    block,
    i,
    dir,
    ms: round(shown.domEpoch - sent.enterEpoch),
    stored: round(sent.storedEpoch - sent.enterEpoch),
    wire: round((sent.phases['out-wire'] ?? NaN) - sent.enterEpoch),
    across: round(shown.eventEpoch - (sent.phases['out-wire'] ?? NaN)),
    toController: round(shown.eventEpoch - sent.enterEpoch),
    render: round(shown.domEpoch - shown.eventEpoch),
    steps: stepsOf(sent.enterEpoch, sent, shown),
  };
}

/** Summary of one contender's samples, ms. */
type Summary = Stats & { p95: number; min: number; max: number };
const summary = (xs: readonly number[]): Summary => stats(xs, ['p95', 'min', 'max']);

/** One transport and contender in the JSON. */
interface ContenderResult {
  samples: number;
  /** Enter → row in the other page's list. */
  latency: Summary;
  /**
   * p50 of the parts: Enter → receiver's controller done, and its event → row in the DOM; the
   * first of them split where the message went on the wire; and Enter → our row shows it stored.
   */
  partsP50: {
    toController: number;
    render: number;
    stored: number;
    wire: number;
    across: number;
  };
  /** p50 per direction: a clock offset between the pages would show as a gap. */
  p50ByDirection: { ab: number; ba: number };
  /** p50 of each step's time from Enter, both pages (steps the build does not mark are absent). */
  stepsP50: Partial<Record<Step, number>>;
  /** p50 of each leg of the timed path (see {@link LEGS}), ms. */
  legsP50: Partial<Record<Leg, number>>;
  /** Whether p50 and p99 are within {@link GOALS}. */
  pass: boolean;
}

function contenderResult(samples: readonly Sample[]): ContenderResult {
  const p50 = (xs: readonly Sample[], f: (s: Sample) => number) => stats(xs.map(f)).p50;
  const stepsP50: Partial<Record<Step, number>> = {};
  for (const step of STEPS) {
    const xs = samples.flatMap((s) => (s.steps[step] === undefined ? [] : [s.steps[step]]));
    if (xs.length > 0) stepsP50[step] = stats(xs).p50;
  }
  const legsP50: Partial<Record<Leg, number>> = {};
  const legs = samples.map((s) => legsOf(s.steps));
  for (const [leg] of LEGS) {
    const xs = legs.flatMap((l) => (l[leg] === undefined ? [] : [l[leg]]));
    if (xs.length > 0) legsP50[leg] = stats(xs).p50;
  }
  const latency = summary(samples.map((s) => s.ms));
  return {
    samples: samples.length,
    latency,
    stepsP50,
    legsP50,
    pass: latency.p50 <= GOALS.p50 && latency.p99 <= GOALS.p99,
    partsP50: {
      toController: p50(samples, (s) => s.toController),
      render: p50(samples, (s) => s.render),
      stored: p50(samples, (s) => s.stored),
      wire: p50(samples, (s) => s.wire),
      across: p50(samples, (s) => s.across),
    },
    p50ByDirection: {
      ab: p50(
        samples.filter((s) => s.dir === 'ab'),
        (s) => s.ms,
      ),
      ba: p50(
        samples.filter((s) => s.dir === 'ba'),
        (s) => s.ms,
      ),
    },
  };
}

/** One transport: both contenders and sealed / clear per statistic. */
interface KindResult {
  sealed: ContenderResult;
  clear: ContenderResult;
  ratio: { p50: number; p95: number; p99: number };
  /** Per block: the links both pages reported, and the clock check at its start and end. */
  blocks: Array<{ links: Record<Contender, string[]>; clockCheck: ClockCheck[] }>;
}

/** Clock offsets of each pair (B − A) at one moment, ms, with the bound of the estimate. */
type ClockCheck = Record<Contender, { skew: number; bound: number }>;

async function clockCheck(pairs: Record<Contender, Pair>): Promise<ClockCheck> {
  return { sealed: await pairSkew(pairs.sealed), clear: await pairSkew(pairs.clear) };
}

function run(): Promise<BenchResult> {
  // Production defaults (payload cap, mesh cap, any origin) on a free loopback port, with the
  // rate limit raised: the samples follow each other faster than a person types.
  return withBrowser(pageEntry, startBenchServer, async (on) => {
    const { server, browser, script, errors } = on;
    const url = server.url;
    const open = async (who: string) =>
      driver(await openBenchPage(await benchContext(browser, url, script), url, who, errors), who);
    const pairs: Record<Contender, Pair> = {
      sealed: { a: await open('Alice (encrypted)'), b: await open('Bob (encrypted)') },
      clear: { a: await open('Alice (clear)'), b: await open('Bob (clear)') },
    };
    const stamp = Date.now().toString(36);
    const counted: Sample[] = [];
    const perKind = {} as Record<Kind, KindResult>;
    let isolated = true;

    for (const kind of KINDS) {
      const blocks: KindResult['blocks'] = [];
      for (let block = 0; block < BLOCKS; block++) {
        const links = {} as Record<Contender, string[]>;
        for (const contender of CONTENDERS) {
          const room = `app-${stamp}-${kind}-${contender}-${block}`;
          links[contender] = await enterRooms(pairs[contender], kind, contender, url, room);
        }
        isolated &&= await pairs.sealed.a.isolated();
        const checks = [await clockCheck(pairs)];
        const perBlock = SAMPLES / BLOCKS;
        for (let i = 0; i < BLOCK_WARMUP + perBlock; i++) {
          // Each contender goes first every other sample; the direction turns every two.
          const order = i % 2 === 0 ? CONTENDERS : ([...CONTENDERS].reverse() as Contender[]);
          const dir = Math.floor(i / 2) % 2 === 0 ? 'ab' : 'ba';
          for (const contender of order) {
            const s = await sample(kind, contender, block, i, pairs[contender], dir);
            if (i >= BLOCK_WARMUP) counted.push(s);
          }
        }
        checks.push(await clockCheck(pairs));
        blocks.push({ links, clockCheck: checks });
        console.error(`bench: app-latency ${kind} block ${block + 1}/${BLOCKS} done`);
      }
      const of = (c: Contender) => counted.filter((s) => s.kind === kind && s.contender === c);
      const sealed = contenderResult(of('sealed'));
      const clear = contenderResult(of('clear'));
      const r = (k: 'p50' | 'p95' | 'p99') => round(sealed.latency[k] / clear.latency[k]);
      perKind[kind] = {
        sealed,
        clear,
        ratio: { p50: r('p50'), p95: r('p95'), p99: r('p99') },
        blocks,
      };
    }
    if (!isolated) {
      console.error('bench: page is not cross-origin isolated; timings are coarse (100 µs steps)');
    }
    const problems = (
      await Promise.all(
        [pairs.sealed.a, pairs.sealed.b, pairs.clear.a, pairs.clear.b].map(async (d) =>
          (await d.problems()).map((p) => `${d.who}: ${p}`),
        ),
      )
    ).flat();

    const main = perKind.socketio;
    const pass = KINDS.every((k) => CONTENDERS.every((c) => perKind[k][c].pass));
    return {
      ...resultHead(benchmark.name, browser.version()),
      rounds: SAMPLES,
      // Main row: Socket.IO, encrypted room (parley) vs the clear room (raw column).
      parley: main.sealed.latency,
      raw: main.clear.latency,
      ratio: { p50: main.ratio.p50, p99: main.ratio.p99 },
      goal: GOALS.p50,
      goalUnit: 'ms, absolute: p50 ≤ 10 and p99 ≤ 30 on every transport and room kind',
      pass,
      goals: GOALS,
      ratioGoal: `encrypted / clear p50 ≤ ${RATIO_GOAL} per transport (reported, no longer judged)`,
      mainRow:
        'socketio, Enter → row in the other list, ms: encrypted room (parley) vs clear room (raw)',
      scenario: {
        pages:
          'four <parley-chat> pages, own browser contexts: Alice and Bob in an encrypted room, Alice and Bob in a clear room, all live',
        timed:
          "sender's Enter keydown (capture on window) → receiver's row inserted in the list DOM (MutationObserver), each on its page's timeOrigin + now()",
        sealed:
          'room key from the address fragment (invite link), fresh per room; every sample checked to arrive sealed',
        clear: 'signed, not sealed; checked to arrive in the clear',
        perSample:
          'arm receiver, fill composer (typing notices go out), press Enter, wait for the row, wait for "delivered"',
        order:
          'contenders alternate every sample, direction every two; blocks of 100 (+10 uncounted) in fresh rooms, lists stay below 150 rows (fully rendered)',
        clock:
          'both events timed in their own page; pair offsets checked NTP-style (min-RTT of 20 reads) per block, reported, not subtracted',
        network:
          'server on 127.0.0.1; WebRTC over host candidates of the private namespace, no STUN/TURN',
      },
      samplesPerBlock: SAMPLES / BLOCKS,
      warmupPerBlock: BLOCK_WARMUP,
      perTransport: perKind,
      appProblems: problems,
      ...on.conditions(),
    };
  });
}

const ms = (n: number) => n.toFixed(2);

/** How a step is named in the table: the side's prefix goes, the column says whose it is. */
const stepLabel = (step: Step) => step.replace(/^(out|in)-/, '');

/** One side's steps of `c` as "name p50" in the order they happened (by their p50). */
function stepsLine(c: ContenderResult, side: 'sender' | 'receiver'): string {
  const mine = (step: Step) => bySender(step) === (side === 'sender');
  return Object.entries(c.stepsP50)
    .filter(([step]) => mine(step as Step))
    .sort((a, b) => a[1] - b[1])
    .map(([step, t]) => `${stepLabel(step as Step)} ${ms(t)}`)
    .join(' · ');
}

/**
 * Rows per transport and room kind: p50 / p95 / p99 against the absolute goal, the
 * encrypted/clear ratio, and then where the time goes, each step's p50 from Enter on both pages.
 */
function extraRows(r: BenchResult): string[][] {
  const per = r.perTransport as Record<Kind, KindResult>;
  const label = (kind: Kind, contender: Contender, n: number) =>
    `  ${kind} ${contender === 'sealed' ? 'encrypted' : 'clear'} (n=${n})`;
  const rows: string[][] = [
    [
      '  Enter → row in the other list',
      'p50 / p95 / p99 (ms)',
      'encrypted/clear p50 / p95 / p99',
      'p50: wire + across ≈ to controller · render; stored (ms)',
      `goal p50 <= ${GOALS.p50}, p99 <= ${GOALS.p99}`,
    ],
  ];
  for (const kind of KINDS) {
    const k = per[kind];
    for (const contender of CONTENDERS) {
      const c = k[contender];
      const l = c.latency;
      const p = c.partsP50;
      rows.push([
        label(kind, contender, c.samples),
        `${ms(l.p50)} / ${ms(l.p95)} / ${ms(l.p99)}`,
        contender === 'sealed'
          ? `${k.ratio.p50.toFixed(2)} / ${k.ratio.p95.toFixed(2)} / ${k.ratio.p99.toFixed(2)}`
          : '',
        `${ms(p.wire)} + ${ms(p.across)} ≈ ${ms(p.toController)} · ${ms(p.render)}; ${ms(p.stored)}`,
        verdict(c.pass),
      ]);
    }
  }
  rows.push(['  where the time goes: p50 from Enter (ms)', 'sender', 'receiver', '', '']);
  for (const kind of KINDS) {
    for (const contender of CONTENDERS) {
      const c = per[kind][contender];
      rows.push([
        label(kind, contender, c.samples),
        stepsLine(c, 'sender'),
        stepsLine(c, 'receiver'),
        '',
        '',
      ]);
    }
  }
  rows.push(['  each leg of the path: p50 (ms)', 'sender', 'across and receiver', '', '']);
  const legsLine = (c: ContenderResult, legs: readonly Leg[]) =>
    legs
      .flatMap((l) => (c.legsP50[l] === undefined ? [] : [`${l} ${ms(c.legsP50[l])}`]))
      .join(' · ');
  for (const kind of KINDS) {
    for (const contender of CONTENDERS) {
      const c = per[kind][contender];
      rows.push([
        label(kind, contender, c.samples),
        legsLine(c, ['compose', 'sign', 'wire']),
        legsLine(c, ['relay', 'verify', 'open', 'list', 'render', 'paint']),
        '',
        '',
      ]);
    }
  }
  return rows;
}

/** App-to-app latency through the real `<parley-chat>`, encrypted vs clear room, per transport. */
export const benchmark: Benchmark = { name: 'app-latency', run, extraRows };
