/**
 * What a benchmark is and what it reports: the {@link Benchmark} contract `bench/run.ts`
 * discovers, the {@link BenchResult} it writes to `bench/results/<name>.json`, and the pieces
 * of a result every benchmark fills in the same way.
 */
import { ratioOf, type Stats } from './stats.js';

/**
 * What a benchmark reports: Parley against a raw baseline doing the same work, and whether the
 * ratio parley/raw stays within the goal. Written as-is to `bench/results/<name>.json`.
 */
export interface BenchResult {
  /** Also the results file name. */
  name: string;
  /** When the run finished (ISO 8601). */
  date: string;
  /** Node version that ran the server side. */
  node: string;
  /** Browser version that ran the pages. */
  chromium: string;
  /** Counted samples per contender (warm-up excluded). */
  rounds: number;
  parley: Stats;
  raw: Stats;
  /** parley / raw, per statistic. */
  ratio: { p50: number; p99: number };
  /** Largest acceptable ratio. */
  goal: number;
  /** Whether both ratios are within the goal. */
  pass: boolean;
  /** Benchmark-specific details (settings, notes), kept in the JSON. */
  [detail: string]: unknown;
}

/** A benchmark module's `benchmark` export. */
export interface Benchmark {
  /** Short kebab-case name, unique in `bench/`. */
  name: string;
  /** Runs the benchmark once; must release everything it started, even when it throws. */
  run(): Promise<BenchResult>;
  /** More table rows to print under the result's own (other goals, other contenders). */
  extraRows?(result: BenchResult): string[][];
}

/**
 * The fields a result starts with: its name, when it finished (now) and what ran it;
 * `chromium` is the browser's version, or why there was none.
 */
export function resultHead(
  name: string,
  chromium: string,
): Pick<BenchResult, 'name' | 'date' | 'node' | 'chromium'> {
  return { name, date: new Date().toISOString(), node: process.version, chromium };
}

/**
 * The head of a result that judges Parley by its ratio to the raw baseline: it passes when
 * parley/raw is within `goal` at p50 and at p99 alike.
 */
export function ratioResult(fields: {
  name: string;
  chromium: string;
  rounds: number;
  parley: Stats;
  raw: Stats;
  goal: number;
}): BenchResult {
  const { name, chromium, rounds, parley, raw, goal } = fields;
  const ratio = ratioOf(parley, raw);
  const pass = ratio.p50 <= goal && ratio.p99 <= goal;
  return { ...resultHead(name, chromium), rounds, parley, raw, ratio, goal, pass };
}

/** How a table row says whether a goal was met. */
export const verdict = (pass: boolean) => (pass ? 'pass' : 'MISSED');
