/**
 * The clog row of `npm run bench -- abuse` (issue 26 item 3): how long our message takes,
 * from Enter in the real app (Chromium) to an honest member hearing it, while eight members
 * with identities of their own clog us — each sending, as fast as the relay's default rate
 * limit lets it, receipts naming 200 made-up ids and catch-up requests for 2,000 messages —
 * against the same with nobody clogging, in the same run. Goal: the clogged p99 ≤ 1.5× quiet.
 *
 * One relay (production defaults, this process, 127.0.0.1), one page (Alice), an honest raw
 * member (Bob) who acknowledges what he hears, and the eight (`test/attacks/clog-members.ts`)
 * in a process of their own (`abuse/clogger.ts`): attackers work on machines of their own, and
 * their own sending and reading must not share the event loop that times Bob and runs the relay.
 * Quiet and clogged blocks of {@link BLOCK} samples alternate. Each sample waits for our message to show *delivered* before the next, so a receipt stuck
 * behind the attackers' work shows as a slow next sample (and is counted as undelivered past
 * {@link PATIENCE_MS}). Enter is timed on the page's clock, the hearing on Node's, both as epoch
 * ms (`timeOrigin + now`). `PARLEY_BENCH_CLOG_SAMPLES` sets the samples per phase (10 for a
 * short run while developing; 200 by default).
 *
 * Where a send's time goes is reported beside it, so a tail can be placed: the page's own part
 * (Enter → handed to the transport, its `out-wire` mark), the rest (→ heard: the browser's
 * network process, the kernel, the relay and this process), a raw member's round trip through
 * the same relay sent at each Enter (no browser: what the relay, this process and the machine
 * add by themselves), and this process's event-loop delay while each phase ran.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import { CLOG_RATE, HonestMember, RelayProbe } from '../test/attacks/clog-members.js';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stopChild } from '../test/support/processes.js';
import type { ClogCommand, ClogReply } from './abuse/clogger.js';
import type { ClogPageApi } from '../test/attacks/clog-page.js';
import { startTestServer } from '../test/support/server.js';
import { benchContext, openBenchPage, PAGE_PATH, withBrowser } from './harness.js';
import { verdict } from './result.js';
import { round as roundTo, stats, type Stats } from './stats.js';

/** Clogged p99 over quiet p99, at most. */
export const CLOG_GOAL = 1.5;
const CLOGGERS = 8;
const ROOM = 'bench-clog';
/** How long one message may take to be heard, or to show delivered, before it counts as lost. */
const PATIENCE_MS = 10_000;
/** Time between one sample's receipt and the next Enter (a person typing, not a script). */
const GAP_MS = 150;
/** How long the clogging runs before a clogged block's first sample (its queue builds meanwhile). */
const WARM_MS = 1_000;
/** Pause after a clogged block before the next one. */
const SETTLE_MS = 1_000;

/** One phase: our send latency, and what did not make it. */
export interface ClogPhase {
  latency: Stats;
  samples: number;
  /** Messages the honest member never heard within {@link PATIENCE_MS}. */
  lost: number;
  /** Messages heard but not shown delivered within {@link PATIENCE_MS}. */
  undelivered: number;
  /** Where the time went (see the module's note). */
  parts: ClogParts;
}

/** A phase's send latency taken apart, and what the relay and this process did meanwhile. */
export interface ClogParts {
  /** Enter → handed to the transport, on the page's clock: the app's own part. */
  page: Stats;
  /** Handed to the transport → the honest member heard it (browser, kernel, relay, Node). */
  transit: Stats;
  /** A raw member's round trip through the same relay, sent at each Enter (no browser). */
  relay: Stats;
  /**
   * This process's event-loop delay (it hosts the relay and every raw member), ms: the highest
   * p99 of the phase's blocks, and the longest delay seen.
   */
  loopDelay: { p99: number; max: number };
}

/** The clog row: both phases, the p99 ratio and whether it met {@link CLOG_GOAL}. */
export interface ClogResult {
  quiet: ClogPhase;
  clogged: ClogPhase;
  p99Ratio: number;
  goal: number;
  pass: boolean;
  /** Frames the clogging members sent, and relay errors they heard (0: within the limit). */
  attack: { cloggers: number; framesPerSecondEach: number; frames: number; relayErrors: number };
}

type Api = { bench: ClogPageApi };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Samples per block; quiet and clogged blocks alternate. */
const BLOCK = 10;

/** A phase being collected over blocks (its latency is computed at the end). */
type Collecting = Omit<ClogPhase, 'parts'> & {
  times: number[];
  page: number[];
  transit: number[];
  relay: number[];
  /** Event-loop delay of each block, ns: its p99 and max. */
  loop: Array<{ p99: number; max: number }>;
};

function emptyPhase(): Collecting {
  const none = { latency: { p50: 0, p99: 0, mean: 0 }, samples: 0, lost: 0, undelivered: 0 };
  return { ...none, times: [], page: [], transit: [], relay: [], loop: [] };
}

/** A collected phase as reported (its samples summed up, not listed). */
function summed({ times, page, transit, relay, loop, ...phase }: Collecting): ClogPhase {
  const ms = (ns: number) => roundTo(ns / 1e6);
  const parts = { page: stats(page), transit: stats(transit), relay: stats(relay) };
  const most = (of: (b: { p99: number; max: number }) => number) => ms(Math.max(...loop.map(of)));
  const loopDelay = { p99: most((b) => b.p99), max: most((b) => b.max) };
  return { ...phase, latency: stats(times), parts: { ...parts, loopDelay } };
}

/** Adds one block's samples to `to`. */
function add(to: Collecting, block: Awaited<ReturnType<typeof phase>>): void {
  to.times.push(...block.times);
  to.page.push(...block.page);
  to.transit.push(...block.transit);
  to.relay.push(...block.relay);
  to.samples += block.times.length;
  to.lost += block.lost;
  to.undelivered += block.undelivered;
}

/** Sends `samples` messages from Alice and times each Enter → Bob heard it. */
async function phase(
  page: Page,
  bob: HonestMember,
  probe: RelayProbe,
  room: string,
  tag: string,
  samples: number,
) {
  const times: number[] = [];
  const parts = { page: [] as number[], transit: [] as number[], relay: [] as number[] };
  let lost = 0;
  let undelivered = 0;
  for (let i = 0; i < samples; i++) {
    const token = `${tag}-${i}-${Math.random().toString(36).slice(2, 8)}`;
    await page.getByRole('textbox', { name: 'Message' }).fill(`clog bench ${token}`);
    const probed = probe.send(room);
    await page.keyboard.press('Enter');
    const end = Date.now() + PATIENCE_MS;
    while (!bob.find(token) && Date.now() < end) await sleep(2);
    const heard = bob.find(token);
    if (!heard) {
      lost++;
      continue;
    }
    const [enter, wire] = await page.evaluate(
      (t) => [
        (globalThis as unknown as Api).bench.enterAt(t),
        (globalThis as unknown as Api).bench.wireAt(t),
      ],
      token,
    );
    times.push(heard.at - enter);
    parts.page.push(wire - enter);
    parts.transit.push(heard.at - wire);
    const shown = await page
      .evaluate(([t, ms]) => (globalThis as unknown as Api).bench.delivered(t, ms), [
        token,
        PATIENCE_MS,
      ] as const)
      .then(
        () => true,
        () => false,
      );
    if (!shown) undelivered++;
    const relay = probe.take(probed);
    if (relay !== undefined) parts.relay.push(relay);
    await sleep(GAP_MS);
  }
  return { times, ...parts, lost, undelivered };
}

/**
 * The clogging members, in a process of their own (`abuse/clogger.ts`): joined, started and
 * stopped from here; what they sent is known once stopped.
 */
class ClogProcess {
  private child: ChildProcess | undefined;
  /** Frames sent and relay errors heard, as of the last stop. */
  sent = 0;
  errors = 0;

  /** Forks the attackers and has `count` of them join `room` on the relay at `port`. */
  async join(port: number, room: string, count: number): Promise<void> {
    const child = fork(
      fileURLToPath(new URL('./abuse/clogger.ts', import.meta.url)),
      [String(port), room, String(count)],
      { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
    );
    this.child = child;
    const reply = await this.next();
    if ('failed' in reply) throw new Error(`clogging members: ${reply.failed}`);
  }

  start(victim: string): void {
    this.send({ do: 'start', victim });
  }

  async stop(): Promise<void> {
    const done = this.next();
    this.send({ do: 'stop' });
    const reply = await done;
    if ('sent' in reply) ({ sent: this.sent, errors: this.errors } = reply);
  }

  async close(): Promise<void> {
    if (this.child) await stopChild(this.child);
  }

  private send(cmd: ClogCommand): void {
    this.child?.send(cmd);
  }

  private next(): Promise<ClogReply> {
    const child = this.child!;
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(new Error(`clogging members exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (reply: ClogReply) => {
        child.off('exit', onExit);
        resolve(reply);
      });
    });
  }
}

/**
 * Runs the clog row: a quiet phase, then the same under eight clogging members, in one run
 * (its own relay, Chromium and page; all closed when it returns or throws). 200 samples a
 * side: with 60, the p99 is the slowest send or two, and the ratio went 0.43–2.08 between
 * runs of the same tree.
 */
export async function measureClog(
  samples = Number(process.env.PARLEY_BENCH_CLOG_SAMPLES ?? 200),
): Promise<ClogResult> {
  const entry = new URL('../test/attacks/clog-page.ts', import.meta.url);
  const bob = new HonestMember();
  const cloggers = new ClogProcess();
  const probe = new RelayProbe();
  try {
    return await withBrowser(
      entry,
      () => startTestServer(),
      async ({ server, browser, script, errors }) => {
        const context = await benchContext(browser, server.url, script);
        const path = `${PAGE_PATH}?name=Alice&db=parley-bench-clog#room=${ROOM}`;
        const page = await openBenchPage(context, server.url, 'Alice', errors, path);
        const ready = (n: number) =>
          page.evaluate((m) => (globalThis as unknown as Api).bench.ready(m, 20_000), n);
        await ready(1);
        const port = Number(new URL(server.url).port);
        await bob.join(port, ROOM);
        await cloggers.join(port, ROOM, CLOGGERS);
        await probe.join(port, ROOM);
        await ready(4 + CLOGGERS);
        // A few sends first, not kept: the page's first messages pay for its own start.
        await phase(page, bob, probe, ROOM, 'warm', 3);
        // Quiet and clogged blocks alternate (each goes first every other round), so the load
        // other work puts on the machine lands on both.
        const quiet = emptyPhase();
        const clogged = emptyPhase();
        const victim = bob.heard[0]!.from;
        for (let round = 0; quiet.samples + quiet.lost < samples; round++) {
          const n = Math.min(BLOCK, samples - quiet.samples - quiet.lost);
          for (const attacked of round % 2 === 0 ? [false, true] : [true, false]) {
            console.error(`bench: abuse: clog: ${attacked ? '8 clogging members' : 'quiet'}…`);
            if (attacked) {
              cloggers.start(victim);
              await sleep(WARM_MS);
            }
            const into = attacked ? clogged : quiet;
            // A histogram per block: one enabled again would count its pause as one delay.
            const loop = monitorEventLoopDelay({ resolution: 1 });
            loop.enable();
            add(into, await phase(page, bob, probe, ROOM, `${attacked ? 'c' : 'q'}${round}`, n));
            loop.disable();
            into.loop.push({ p99: loop.percentile(99), max: loop.max });
            if (attacked) {
              await cloggers.stop();
              // What the attack left queued must not land on the next quiet block.
              await sleep(SETTLE_MS);
            }
          }
        }
        const [q, c] = [summed(quiet), summed(clogged)];
        const p99Ratio = roundTo(c.latency.p99 / q.latency.p99);
        const pass =
          p99Ratio <= CLOG_GOAL &&
          clogged.lost === 0 &&
          clogged.undelivered === 0 &&
          quiet.lost === 0;
        return {
          quiet: q,
          clogged: c,
          p99Ratio,
          goal: CLOG_GOAL,
          pass,
          attack: {
            cloggers: CLOGGERS,
            framesPerSecondEach: CLOG_RATE,
            frames: cloggers.sent,
            relayErrors: cloggers.errors,
          },
        };
      },
    );
  } finally {
    await cloggers.close();
    probe.close();
    bob.close();
  }
}

/** The clog row for the abuse table: label, clogged, quiet, ratio, verdict. */
export function clogRow(r: ClogResult): string[] {
  const ms = (s: Stats) => `${s.p50.toFixed(1)} / ${s.p99.toFixed(1)} ms`;
  const missing = r.clogged.lost + r.clogged.undelivered;
  return [
    `  clog (${r.attack.cloggers} members: receipts + sync requests)`,
    `send ${ms(r.clogged.latency)}${missing ? `, ${missing} lost or undelivered` : ''}`,
    `send ${ms(r.quiet.latency)}`,
    `p99 ${r.p99Ratio.toFixed(2)} (goal ≤ ${r.goal})`,
    verdict(r.pass),
  ];
}
