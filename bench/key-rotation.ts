/**
 * Key rotation in a private room of 50 (issue 22): from "Remove member" until all 49 remaining
 * members can read the next message, and the bytes it sends. Everything runs in one Chromium
 * page with Parley's own code end to end (see pages/key-rotation-page.ts): the remover builds,
 * wraps, seals and signs the rekey; each member checks, opens and takes it, stores the new key
 * and opens the next message. The page does the members' work one after another, so the row's
 * time is what they spend together; "build + slowest member" is what each waits on their own
 * device. Raw: the same rotation's bare cryptography (ECDH, HKDF, AES-GCM), no checks. This
 * benchmark reports; it sets no goal.
 */
import { benchContext, openBenchPage, startBenchServer, withBrowser } from './harness.js';
import type { KeyRotationPageApi, RotationSample } from './pages/key-rotation-page.js';
import { resultHead, type Benchmark, type BenchResult } from './result.js';
import { round, stats } from './stats.js';

const SIZE = 50;
const PLAN = { warmup: 2, rounds: 10 };
const pageEntry = new URL('./pages/key-rotation-page.ts', import.meta.url);

type PageWindow = { bench: KeyRotationPageApi };

function run(): Promise<BenchResult> {
  return withBrowser(pageEntry, startBenchServer, async (on) => {
    const { server, browser, script, errors } = on;
    const context = await benchContext(browser, server.url, script);
    const page = await openBenchPage(context, server.url, '', errors);
    const samples: RotationSample[] = [];
    const raws: number[] = [];
    for (let i = 0; i < PLAN.warmup + PLAN.rounds; i++) {
      const s = await page.evaluate(
        (n) => (globalThis as unknown as PageWindow).bench.rotate(n),
        SIZE,
      );
      const raw = await page.evaluate(
        (n) => (globalThis as unknown as PageWindow).bench.rotateRaw(n),
        SIZE,
      );
      if (!s.ok) throw new Error('a remaining member could not read, or the removed one could');
      console.error(
        `bench: key-rotation round ${i}: ${s.total.toFixed(1)} ms (raw ${raw.toFixed(1)} ms)`,
      );
      if (i >= PLAN.warmup) {
        samples.push(s);
        raws.push(raw);
      }
    }
    const parley = stats(samples.map((s) => s.total));
    const raw = stats(raws);
    const perMember = stats(samples.flatMap((s) => s.members.slice(1)));
    const build = stats(samples.map((s) => s.build));
    const wait = stats(samples.map((s) => s.build + Math.max(...s.members.slice(1))));
    const bytes = samples[0]!.bytes;
    return {
      ...resultHead(benchmark.name, browser.version()),
      rounds: PLAN.rounds,
      parley,
      raw,
      ratio: { p50: round(parley.p50 / raw.p50), p99: round(parley.p99 / raw.p99) },
      goal: Infinity,
      pass: true,
      unit: 'ms, all 49 remaining members’ work one after another in one page',
      members: SIZE,
      build,
      perMember,
      wait,
      bytes,
      ...on.conditions(),
      note: 'parley: rekey built, wrapped for 49, sealed, signed; each member verifies, opens, takes (roles fold, ECDH unwrap, key id), stores the key, opens the next message. raw: the same ECDH/HKDF/AES-GCM work only',
    };
  });
}

function extraRows(r: BenchResult): string[][] {
  const s = (x: unknown) => {
    const v = x as { p50: number; p99: number };
    return `${v.p50.toFixed(3)} / ${v.p99.toFixed(3)}`;
  };
  const b = r.bytes as RotationSample['bytes'];
  return [
    ['  remover builds the rekey (ms)', s(r.build), '-', '-', 'report'],
    ['  one member takes it, reads next (ms)', s(r.perMember), '-', '-', 'report'],
    ['  wait, each on own device (ms)', s(r.wait), '-', '-', 'report'],
    [
      '  bytes: rekey body / envelope / prior',
      `${b.rekeyBody} / ${b.rekeyEnvelope} / ${b.priorEnvelope}`,
      '-',
      '-',
      'report',
    ],
  ];
}

/** Removing a member from a private room of 50: time until the 49 others read on, and bytes. */
export const benchmark: Benchmark = { name: 'key-rotation', run, extraRows };
