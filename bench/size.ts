/**
 * Download size of the library (`dist/lib/parley.js` and its chunks), built fresh from the
 * current sources into a temporary folder with `vite.lib.config.ts` and measured by
 * `scripts/size.mjs` (gzip level 9 of each emitted file, 1 KB = 1,000 bytes).
 *
 * The main row is the *initial download*: the entry plus every chunk it imports statically,
 * which is what a page fetches for `<script type="module" src="parley.js">`. Dynamically
 * imported chunks (the transports) are not in it. Its goal is absolute: at most the budget
 * `scripts/size.mjs` owns and `npm test` enforces (KB, read from its report), not a ratio.
 *
 * The raw baseline is Lit alone, built with the same Vite settings: a LitElement with a
 * reactive property, a template and styles, registered — the floor any Lit element pays. The
 * extra rows give every chunk's size and the initial download plus the default transport
 * (Socket.IO), which the element loads right after it first renders.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'vite';
import { resultHead, verdict, type Benchmark, type BenchResult } from './result.js';

const KB = 1000;
const root = fileURLToPath(new URL('..', import.meta.url));

/** What scripts/size.mjs writes (the parts read here). */
interface SizeReport {
  unit: string;
  budgetKB: number;
  chunks: Array<{ file: string; role: string; raw: number; gzip: number }>;
  initial: { files: string[]; raw: number; gzip: number };
  initialWithDefault: { transport: string; files: string[]; raw: number; gzip: number };
  webrtcLazy: boolean;
  pass: boolean;
  contributors: Array<{ group: string; raw: number; gzip: number }>;
}

/** The library, built from the current sources into `outDir` (dist/ is left alone). */
async function buildLibrary(outDir: string): Promise<void> {
  await build({
    root,
    configFile: join(root, 'vite.lib.config.ts'),
    logLevel: 'error',
    build: { outDir, emptyOutDir: true },
  });
}

const LIT_ONLY_ID = '\0lit-only.js';
const LIT_ONLY = `import { LitElement, css, html } from 'lit';
class LitOnly extends LitElement {
  static properties = { name: {} };
  static styles = css\`:host { display: block; }\`;
  constructor() { super(); this.name = 'world'; }
  render() { return html\`<p>Hello, \${this.name}</p>\`; }
}
customElements.define('lit-only', LitOnly);
`;

/** gzip bytes of Lit alone, built with the library's output settings. */
async function litOnlyGzip(outDir: string): Promise<number> {
  const entry: Plugin = {
    name: 'lit-only-entry',
    resolveId: (id) => (id === 'lit-only' ? LIT_ONLY_ID : undefined),
    load: (id) => (id === LIT_ONLY_ID ? LIT_ONLY : undefined),
  };
  await build({
    root,
    configFile: false,
    logLevel: 'error',
    publicDir: false,
    plugins: [entry],
    build: {
      target: 'es2022',
      outDir,
      emptyOutDir: true,
      minify: true,
      lib: { entry: 'lit-only', formats: ['es'], fileName: () => 'lit-only.js' },
      // Vite resolves `lib.entry` to a file; the input names the virtual module instead.
      rolldownOptions: { input: 'lit-only', output: { minify: true } },
    },
  });
  let total = 0;
  for (const file of await readdir(outDir)) {
    if (file.endsWith('.js'))
      total += gzipSync(await readFile(join(outDir, file)), { level: 9 }).length;
  }
  return total;
}

/** Runs scripts/size.mjs on `dir`; its exit code only says pass/fail, the JSON says all. */
async function measure(dir: string): Promise<SizeReport> {
  const out = join(dir, '..', 'size.json');
  await new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      [join(root, 'scripts/size.mjs'), out, '--dir', dir],
      { cwd: root },
      (err, _stdout, stderr) => {
        // Exit code 1 is a missed budget (the JSON is written); anything else is a crash.
        if (err && err.code !== 1) reject(new Error(`scripts/size.mjs failed: ${stderr}`));
        else resolve();
      },
    );
  });
  return JSON.parse(await readFile(out, 'utf8')) as SizeReport;
}

async function run(): Promise<BenchResult> {
  const tmp = await mkdtemp(join(tmpdir(), 'parley-size-'));
  try {
    const libDir = join(tmp, 'lib');
    await buildLibrary(libDir);
    const report = await measure(libDir);
    const litGzip = await litOnlyGzip(join(tmp, 'lit-only'));

    const initialKB = report.initial.gzip / KB;
    const litKB = litGzip / KB;
    const stat = (n: number) => ({ p50: n, p99: n, mean: n });
    const ratio = Number((initialKB / litKB).toFixed(3));
    return {
      ...resultHead(benchmark.name, 'n/a (no browser: sizes of the built files)'),
      rounds: 1,
      parley: stat(initialKB),
      raw: stat(litKB),
      ratio: { p50: ratio, p99: ratio },
      goal: report.budgetKB,
      goalUnit:
        'KB gzip of the initial download (entry + static imports), not a ratio; p50 = p99 = the one measurement',
      pass: report.pass,
      baseline: 'Lit alone (LitElement + a property, template, styles), same Vite settings',
      unit: report.unit,
      webrtcLazy: report.webrtcLazy,
      initial: report.initial,
      initialWithDefault: report.initialWithDefault,
      chunks: report.chunks,
      contributors: report.contributors.slice(0, 12),
    };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

const kb = (bytes: number) => (bytes / KB).toFixed(2);

function extraRows(r: BenchResult): string[][] {
  const chunks = r.chunks as SizeReport['chunks'];
  const initial = r.initial as SizeReport['initial'];
  const withDefault = r.initialWithDefault as SizeReport['initialWithDefault'];
  return [
    ['  (sizes in KB gzip, not ms)', 'parley', 'Lit alone', 'parley / Lit', ''],
    ...chunks.map((c) => [`  ${c.file}`, kb(c.gzip), '-', '-', c.role]),
    [
      `  initial (${initial.files.length} files)`,
      kb(initial.gzip),
      (r.raw as { p50: number }).p50.toFixed(2),
      (r.ratio as { p50: number }).p50.toFixed(2),
      `<= ${r.goal} KB ${verdict(r.pass)}`,
    ],
    [
      `  initial + ${withDefault.transport} (${withDefault.files.length} files)`,
      kb(withDefault.gzip),
      '-',
      '-',
      'reported',
    ],
    [
      '  webrtc chunk',
      r.webrtcLazy ? 'lazy' : 'NOT lazy',
      '-',
      '-',
      `only when chosen ${verdict(r.webrtcLazy as boolean)}`,
    ],
  ];
}

export const benchmark: Benchmark = { name: 'size', run, extraRows };
