/**
 * `npm run bench`: runs every benchmark in `bench/`, prints one table row per benchmark and
 * writes each result to `bench/results/<name>.json`.
 *
 * A benchmark is any `bench/*.ts` module (other than this one) that exports `benchmark`, a
 * {@link Benchmark} (see `result.ts`). Modules without that export are helpers and are
 * skipped. Arguments narrow the run to benchmarks whose name contains one of them:
 * `npm run bench -- latency`.
 *
 * A missed goal is a result, not a failure: the exit code is 0 unless a benchmark crashed.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { verdict, type Benchmark } from './result.js';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const resultsDir = join(benchDir, 'results');

function isBenchmark(value: unknown): value is Benchmark {
  const b = value as Benchmark | null;
  return (
    typeof b === 'object' && b !== null && typeof b.name === 'string' && typeof b.run === 'function'
  );
}

/** Imports every benchmark module in `bench/` (sorted, so the order is stable). */
async function discover(): Promise<Benchmark[]> {
  const files = (await readdir(benchDir))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && f !== 'run.ts')
    .sort();
  const found: Benchmark[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(benchDir, file)).href)) as { benchmark?: unknown };
    if (isBenchmark(mod.benchmark)) found.push(mod.benchmark);
  }
  return found;
}

const ms = (n: number) => n.toFixed(3);
const x = (n: number) => n.toFixed(2);

/** One table row per result (or per crash), columns padded to line up. */
function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join(' | ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('-|-');
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join('\n');
}

async function main(): Promise<number> {
  const filters = process.argv.slice(2);
  const all = await discover();
  const chosen = filters.length ? all.filter((b) => filters.some((f) => b.name.includes(f))) : all;
  if (chosen.length === 0) {
    console.error(`bench: no benchmark matches ${filters.join(', ') || '(none found in bench/)'}`);
    return 1;
  }
  await mkdir(resultsDir, { recursive: true });

  const rows = [['name', 'parley p50/p99 (ms)', 'raw p50/p99 (ms)', 'ratio p50/p99', 'goal']];
  let crashed = false;
  for (const bench of chosen) {
    console.error(`bench: running ${bench.name}…`);
    const started = performance.now();
    try {
      const r = await bench.run();
      const file = join(resultsDir, `${r.name}.json`);
      await writeFile(file, JSON.stringify(r, null, 2) + '\n');
      const secs = ((performance.now() - started) / 1000).toFixed(1);
      console.error(`bench: ${bench.name} done in ${secs} s, wrote ${file}`);
      // A benchmark without a baseline (NaN) or a goal (Infinity) reports, it does not judge.
      const both = (a: number, b: number, f: (n: number) => string) =>
        Number.isNaN(a) ? '-' : `${f(a)} / ${f(b)}`;
      rows.push([
        r.name,
        `${ms(r.parley.p50)} / ${ms(r.parley.p99)}`,
        both(r.raw.p50, r.raw.p99, ms),
        both(r.ratio.p50, r.ratio.p99, x),
        Number.isFinite(r.goal) ? `<= ${r.goal} ${verdict(r.pass)}` : 'report',
      ]);
      rows.push(...(bench.extraRows?.(r) ?? []));
    } catch (err) {
      // Keep going: one broken benchmark should not hide the others' numbers.
      crashed = true;
      console.error(`bench: ${bench.name} failed:`, err);
      rows.push([bench.name, 'error', 'error', '-', '-']);
    }
  }
  console.log(table(rows));
  return crashed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error('bench: failed —', err);
    process.exitCode = 1;
  },
);
