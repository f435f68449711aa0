/**
 * The clog row of `npm run bench -- abuse` (issue 26 item 3): how long our message takes,
 * from Enter in the real app (Chromium) to an honest member hearing it, while eight members
 * with identities of their own clog us — each sending, as fast as the relay's default rate
 * limit lets it, receipts naming 200 made-up ids and catch-up requests for 2,000 messages —
 * against the same with nobody clogging, in the same run. Goal: the clogged p99 ≤ 1.5× quiet.
 *
 * One relay (production defaults, this process, 127.0.0.1), one page (Alice), an honest raw
 * member (Bob) who acknowledges what he hears, and the eight (`test/attacks/clog-members.ts`).
 * Quiet and clogged blocks of {@link BLOCK} samples alternate. Each sample waits for our message to show *delivered* before the next, so a receipt stuck
 * behind the attackers' work shows as a slow next sample (and is counted as undelivered past
 * {@link PATIENCE_MS}). Enter is timed on the page's clock, the hearing on Node's, both as epoch
 * ms (`timeOrigin + now`). `PARLEY_BENCH_CLOG_SAMPLES` sets the samples per phase (10 for a
 * short run while developing; 60 by default).
 */
import type { Page } from 'playwright-core';
import { Cloggers, CLOG_RATE, HonestMember } from '../test/attacks/clog-members.js';
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
type Collecting = ClogPhase & { times: number[] };

function emptyPhase(): Collecting {
  return { latency: { p50: 0, p99: 0, mean: 0 }, samples: 0, lost: 0, undelivered: 0, times: [] };
}

/** A collected phase as reported (its samples summed up, not listed). */
function withoutTimes({ times: _times, ...phase }: Collecting): ClogPhase {
  return phase;
}

/** Adds one block's samples to `to`. */
function add(to: Collecting, block: Awaited<ReturnType<typeof phase>>): void {
  to.times.push(...block.times);
  to.samples += block.times.length;
  to.lost += block.lost;
  to.undelivered += block.undelivered;
}

/** Sends `samples` messages from Alice and times each Enter → Bob heard it. */
async function phase(page: Page, bob: HonestMember, tag: string, samples: number) {
  const times: number[] = [];
  let lost = 0;
  let undelivered = 0;
  for (let i = 0; i < samples; i++) {
    const token = `${tag}-${i}-${Math.random().toString(36).slice(2, 8)}`;
    await page.getByRole('textbox', { name: 'Message' }).fill(`clog bench ${token}`);
    await page.keyboard.press('Enter');
    const end = Date.now() + PATIENCE_MS;
    while (!bob.find(token) && Date.now() < end) await sleep(2);
    const heard = bob.find(token);
    if (!heard) {
      lost++;
      continue;
    }
    const enter = await page.evaluate(
      (t) => (globalThis as unknown as Api).bench.enterAt(t),
      token,
    );
    times.push(heard.at - enter);
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
    await sleep(GAP_MS);
  }
  return { times, lost, undelivered };
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
  const cloggers = new Cloggers();
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
        await ready(2 + CLOGGERS);
        // A few sends first, not kept: the page's first messages pay for its own start.
        await phase(page, bob, 'warm', 3);
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
              cloggers.start(ROOM, victim);
              await sleep(WARM_MS);
            }
            add(
              attacked ? clogged : quiet,
              await phase(page, bob, `${attacked ? 'c' : 'q'}${round}`, n),
            );
            if (attacked) {
              cloggers.stop();
              // What the attack left queued must not land on the next quiet block.
              await sleep(SETTLE_MS);
            }
          }
        }
        quiet.latency = stats(quiet.times);
        clogged.latency = stats(clogged.times);
        const p99Ratio = roundTo(clogged.latency.p99 / quiet.latency.p99);
        const pass =
          p99Ratio <= CLOG_GOAL &&
          clogged.lost === 0 &&
          clogged.undelivered === 0 &&
          quiet.lost === 0;
        return {
          quiet: withoutTimes(quiet),
          clogged: withoutTimes(clogged),
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
    cloggers.close();
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
