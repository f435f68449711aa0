/**
 * Issue 25, goal 5: Lighthouse (12.2.3, pinned: the last to run on Node 20) on the app page as
 * a visitor gets it — the built app, precompressed as `npm run build` leaves it, served by the
 * real server in its own process on 127.0.0.1 — with Debian's Chromium, mobile (Lighthouse's
 * default: simulated slow 4G and a 4× slower CPU) and desktop presets.
 *
 * Recorded per preset: the four category scores, every failing audit (score under 0.9, as the
 * report shows them, with its title and value), and the metrics FCP, LCP, TBT, CLS and Speed
 * Index. The goal is absolute: mobile performance ≥ 98 and no failing audit in any category,
 * on the median run of each preset. The main row is mobile performance against the perfect
 * 100 (no baseline program: Lighthouse scores the page itself); an extra row runs the mobile
 * preset asking for uncompressed files, the server's answers before compression, for scale.
 *
 * The app comes from `PARLEY_STATIC_DIR` when set (a build of one's own, compressed with
 * `node scripts/compress.mjs <folder>`), otherwise it is built fresh from the current sources
 * into a temporary folder and compressed there. `LIGHTHOUSE_RUNS` (default 3) runs per preset;
 * `LIGHTHOUSE_REPORTS=<folder>` keeps each run's full JSON report.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse, { desktopConfig, type Config, type Result } from 'lighthouse';
import { build } from 'vite';
import { CHROMIUM_PATH } from '../test/support/chromium.js';
import { freePort, stopChild } from '../test/support/processes.js';
import { resultHead, verdict, type Benchmark, type BenchResult } from './result.js';
import { round, stats } from './stats.js';

const root = fileURLToPath(new URL('..', import.meta.url));
/** The goal: mobile performance at least this, and nothing failing in the four categories. */
const GOAL_PERFORMANCE = 98;
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
const METRICS = {
  FCP: 'first-contentful-paint',
  LCP: 'largest-contentful-paint',
  TBT: 'total-blocking-time',
  CLS: 'cumulative-layout-shift',
  SI: 'speed-index',
} as const;
/** Lighthouse's own line between a passed audit and one to fix. */
const PASS_SCORE = 0.9;

/** One Lighthouse run, reduced to what the result keeps. */
interface Run {
  scores: Record<(typeof CATEGORIES)[number], number>;
  metrics: Record<keyof typeof METRICS, { value: number; score: number | null }>;
  failing: Array<{ id: string; title: string; score: number; value?: string }>;
  errors: string[];
}

/** The built app, from PARLEY_STATIC_DIR or built and compressed into a fresh folder. */
async function builtApp(): Promise<{ dir: string; fresh: boolean }> {
  const given = process.env.PARLEY_STATIC_DIR;
  if (given) return { dir: given, fresh: false };
  const dir = await mkdtemp(join(tmpdir(), 'parley-lighthouse-'));
  await build({
    root,
    configFile: join(root, 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir: dir, emptyOutDir: true },
  });
  await promisify(execFile)(process.execPath, [join(root, 'scripts/compress.mjs'), dir]);
  return { dir, fresh: true };
}

/** The real server (signaling/server.ts) in a process of its own, serving `dir`. */
async function startAppServer(dir: string) {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'signaling/server.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', PARLEY_STATIC_DIR: dir },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (i > 300) {
      await stopChild(child);
      throw new Error('the server did not answer within 15 s');
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, stop: () => stopChild(child) };
}

/** What one Lighthouse report says about the four categories. */
function reduce(lhr: Result): Run {
  const scores = Object.fromEntries(
    CATEGORIES.map((c) => [c, Math.round((lhr.categories[c]?.score ?? 0) * 100)]),
  ) as Run['scores'];
  const metrics = Object.fromEntries(
    Object.entries(METRICS).map(([name, id]) => {
      const audit = lhr.audits[id];
      return [name, { value: round(audit?.numericValue ?? NaN), score: audit?.score ?? null }];
    }),
  ) as Run['metrics'];
  const ids = new Set(CATEGORIES.flatMap((c) => lhr.categories[c]?.auditRefs.map((r) => r.id)));
  const failing: Run['failing'] = [];
  const errors: string[] = [];
  for (const id of ids) {
    const audit = lhr.audits[id!];
    if (!audit) continue;
    if (audit.scoreDisplayMode === 'error') errors.push(`${id}: ${audit.errorMessage ?? ''}`);
    const judged = ['binary', 'numeric', 'metricSavings'].includes(audit.scoreDisplayMode);
    if (judged && audit.score !== null && audit.score < PASS_SCORE) {
      failing.push({
        id: audit.id,
        title: audit.title,
        score: audit.score,
        ...(audit.displayValue ? { value: audit.displayValue } : {}),
      });
    }
  }
  return { scores, metrics, failing, errors };
}

/**
 * The presets: Lighthouse's mobile and desktop, and the baseline — mobile asking for the files
 * as they are (`Accept-Encoding: identity`), as the server sent them before compression.
 */
type Preset = 'mobile' | 'desktop' | 'uncompressed';

/** Runs Lighthouse `runs` times on `url` with `preset` in the Chromium on `port`. */
async function runPreset(url: string, port: number, preset: Preset, runs: number, keep?: string) {
  const out: Run[] = [];
  for (let i = 0; i < runs; i++) {
    const config: Config | undefined = preset === 'desktop' ? desktopConfig : undefined;
    const extraHeaders = preset === 'uncompressed' ? { 'Accept-Encoding': 'identity' } : null;
    const result = await lighthouse(
      url,
      { port, output: 'json', logLevel: 'error', onlyCategories: [...CATEGORIES], extraHeaders },
      config,
    );
    if (!result) throw new Error(`lighthouse gave no result (${preset} run ${i + 1})`);
    if (result.lhr.runtimeError) {
      throw new Error(
        `lighthouse: ${result.lhr.runtimeError.code} ${result.lhr.runtimeError.message}`,
      );
    }
    if (keep) await writeFile(join(keep, `${preset}-${i + 1}.json`), JSON.stringify(result.lhr));
    const run = reduce(result.lhr);
    console.error(
      `bench: lighthouse ${preset} run ${i + 1}: ${CATEGORIES.map((c) => `${c} ${run.scores[c]}`).join(', ')}` +
        (run.failing.length ? `; failing: ${run.failing.map((f) => f.id).join(', ')}` : ''),
    );
    out.push(run);
  }
  return out;
}

/** The run with the median performance score (the lower middle one for an even count). */
function medianRun(runs: Run[]): Run {
  const sorted = [...runs].sort((a, b) => a.scores.performance - b.scores.performance);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

async function run(): Promise<BenchResult> {
  const runs = Math.max(1, Math.min(20, Number(process.env.LIGHTHOUSE_RUNS) || 3));
  const keep = process.env.LIGHTHOUSE_REPORTS;
  if (keep) await mkdir(keep, { recursive: true });
  const loadBefore = loadavg()[0]!;
  const app = await builtApp();
  let server: Awaited<ReturnType<typeof startAppServer>> | undefined;
  let chrome: chromeLauncher.LaunchedChrome | undefined;
  try {
    server = await startAppServer(app.dir);
    chrome = await chromeLauncher.launch({
      chromePath: process.env.CHROME_PATH || CHROMIUM_PATH,
      chromeFlags: ['--headless=new', '--no-sandbox'],
    });
    const version = await fetch(`http://127.0.0.1:${chrome.port}/json/version`)
      .then((r) => r.json() as Promise<{ Browser?: string }>)
      .then((v) => v.Browser ?? 'unknown');
    const page = `${server.url}/`;
    const mobile = await runPreset(page, chrome.port, 'mobile', runs, keep);
    const desktop = await runPreset(page, chrome.port, 'desktop', runs, keep);
    const uncompressed = await runPreset(page, chrome.port, 'uncompressed', runs, keep);
    const perf = mobile.map((r) => r.scores.performance);
    const median = {
      mobile: medianRun(mobile),
      desktop: medianRun(desktop),
      uncompressed: medianRun(uncompressed),
    };
    const failing = [...median.mobile.failing, ...median.desktop.failing];
    const pass = median.mobile.scores.performance >= GOAL_PERFORMANCE && failing.length === 0;
    const perfStats = stats(perf, ['min']);
    return {
      ...resultHead(benchmark.name, version),
      rounds: runs,
      // p99 is the worst run: with a handful of runs no tail exists beyond it.
      parley: { p50: perfStats.p50, p99: perfStats.min, mean: perfStats.mean },
      raw: { p50: 100, p99: 100, mean: 100 },
      ratio: { p50: round(perfStats.p50 / 100), p99: round(perfStats.min / 100) },
      goal: Infinity,
      goalUnit: `Lighthouse mobile performance score (parley: median / worst of ${runs} runs) against the perfect 100; judged absolutely: median mobile performance ≥ ${GOAL_PERFORMANCE} and no failing audit (score < ${PASS_SCORE}) in the four categories, mobile and desktop`,
      pass,
      lighthouse: '12.2.3',
      page,
      served: app.fresh
        ? 'built fresh (vite.config.ts) and compressed by scripts/compress.mjs'
        : `PARLEY_STATIC_DIR=${app.dir}`,
      machine: {
        cpus: availableParallelism(),
        load1Before: round(loadBefore),
        load1After: round(loadavg()[0]!),
      },
      median,
      baseline:
        'uncompressed: the mobile preset asking for every file as it is (Accept-Encoding: identity), as the server answered before compression; reported, not judged',
      runs: { mobile, desktop, uncompressed },
    };
  } finally {
    chrome?.kill();
    await server?.stop();
    if (app.fresh) await rm(app.dir, { recursive: true, force: true });
  }
}

function extraRows(r: BenchResult): string[][] {
  const median = r.median as Record<Preset, Run>;
  const rows: string[][] = [
    [
      '  lighthouse (median run)',
      'perf / a11y / best / seo',
      'FCP / LCP / SI (ms)',
      'TBT (ms) / CLS',
      `perf >= ${GOAL_PERFORMANCE}, nothing failing`,
    ],
  ];
  for (const preset of ['mobile', 'desktop', 'uncompressed'] as const) {
    const m = median[preset];
    const s = m.scores;
    const v = (k: keyof typeof METRICS) => String(Math.round(m.metrics[k].value));
    rows.push([
      `  ${preset}`,
      `${s.performance} / ${s.accessibility} / ${s['best-practices']} / ${s.seo}`,
      `${v('FCP')} / ${v('LCP')} / ${v('SI')}`,
      `${v('TBT')} / ${m.metrics.CLS.value.toFixed(3)}`,
      m.failing.length ? `failing: ${m.failing.map((f) => f.id).join(', ')}` : 'none failing',
    ]);
  }
  const errors = [
    ...new Set(Object.values(median).flatMap((m) => m.errors.map((e) => e.split(':')[0]!))),
  ];
  // Lighthouse 12.2.3 cannot read some of Chromium 156's trace: those audits error, not fail.
  if (errors.length) rows.push(['  audits in error', errors.join(', '), '', '', '']);
  rows.push(['  goal (mobile and desktop)', '', '', '', verdict(r.pass)]);
  return rows;
}

export const benchmark: Benchmark = { name: 'lighthouse', run, extraRows };
