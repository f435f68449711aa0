/**
 * Size budget of the library build (`dist/lib/`, made by `npm run build`).
 *
 *   node scripts/size.mjs [results.json] [--dir dist/lib] [--contributors]
 *
 * Prints every chunk's size (raw and gzip), then:
 * - initial: what a page downloads for `<script type="module" src="parley.js">` before the
 *   element does anything: the entry plus every chunk it imports statically, transitively
 *   (from Vite's `.vite/manifest.json`). Dynamically imported chunks (the transports) are
 *   not counted. The budget applies to this number.
 * - initial + default transport: the above plus the chunk holding the `socketio` transport
 *   (its own, or the one it was bundled into) and what that imports statically. What a
 *   visitor really fetches, and when, is measured in Chromium by bench/visitor-bytes.ts.
 * Sizes are gzip at level 9 of each file as emitted (each file is downloaded on its own);
 * 1 KB = 1,000 bytes.
 *
 * Exits 1 when the initial download is over the budget, when the WebRTC chunk is part of the
 * initial download or the default transport's, or when the build output is missing. With
 * `--contributors`, or when the budget is missed, it also lists what weighs most in the
 * initial download, attributed to npm packages and source folders through the source maps.
 * A path argument receives everything as JSON.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { SourceMapConsumer } from 'source-map-js';

/** The budget of the initial download, gzip. */
export const BUDGET_KB = 45;
const KB = 1000;
const GZIP_LEVEL = 9;
/** The entry a page loads (the package's main, `"."`); other entries are not downloaded with it. */
const ENTRY_FILE = basename(
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url))).main,
);
/** The transport `<parley-chat>` loads unless told otherwise. */
const DEFAULT_TRANSPORT = 'socketio';

const root = fileURLToPath(new URL('..', import.meta.url));
const gzip = (data) => gzipSync(data, { level: GZIP_LEVEL }).length;
const kb = (bytes) => (bytes / KB).toFixed(2);

/** The transports the registry loads lazily (other lazy modules there, e.g. the probe, are not). */
const TRANSPORTS = new Set(['socketio', 'webrtc', 'broadcast', 'memory']);

/** The transport a chunk implements, from its source (`src/transport/<name>.ts`), if any. */
function transportOf(src) {
  const name = /^src\/transport\/([a-z]+)\.ts$/.exec(src ?? '')?.[1];
  return name && TRANSPORTS.has(name) ? name : undefined;
}

/** Where a lazy chunk that is not a transport comes from: its source, package-relative. */
function lazyWhat(src) {
  return src?.replace(/^.*node_modules\//, '') ?? 'split by the bundler';
}

/**
 * The manifest key of the chunk whose source map names `src` (a path from the repository's
 * root), if any: where a module went when it has no chunk of its own.
 * @param {string} dir
 * @param {Record<string, {file: string}>} manifest
 * @param {string} src
 */
function holderOf(dir, manifest, src) {
  for (const [key, chunk] of Object.entries(manifest)) {
    const mapFile = join(dir, `${chunk.file}.map`);
    if (!existsSync(mapFile)) continue;
    const { sources = [] } = JSON.parse(readFileSync(mapFile, 'utf8'));
    if (sources.some((s) => s === src || s.endsWith(`/${src}`))) return key;
  }
  return undefined;
}

/**
 * Reads the build in `dir` and works out every chunk's role and size.
 * @param {string} dir
 */
export function measure(dir) {
  const manifestFile = join(dir, '.vite', 'manifest.json');
  if (!existsSync(manifestFile)) {
    throw new Error(`${manifestFile} is missing: run \`npm run build\` first`);
  }
  /** @type {Record<string, {file: string, src?: string, name?: string, isEntry?: boolean, isDynamicEntry?: boolean, imports?: string[], dynamicImports?: string[]}>} */
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  const entries = Object.entries(manifest).filter(([, c]) => c.isEntry && c.file === ENTRY_FILE);
  if (entries.length !== 1) throw new Error(`expected one ${ENTRY_FILE} entry in ${manifestFile}`);
  const [entryKey] = entries[0];

  /** Keys of `key` and every chunk it imports statically, transitively. */
  const closure = (key, seen = new Set()) => {
    if (seen.has(key)) return seen;
    seen.add(key);
    for (const next of manifest[key]?.imports ?? []) closure(next, seen);
    return seen;
  };
  const initial = closure(entryKey);
  const byTransport = new Map(
    Object.entries(manifest)
      .filter(([, c]) => transportOf(c.src))
      .map(([key, c]) => [transportOf(c.src), key]),
  );
  // The default transport may share a chunk with what loads with it (the chat's core): then
  // the chunk holding its source, per the source maps, is what brings it.
  const defaultKey =
    byTransport.get(DEFAULT_TRANSPORT) ??
    holderOf(dir, manifest, `src/transport/${DEFAULT_TRANSPORT}.ts`);
  if (!defaultKey) throw new Error(`no chunk holds the ${DEFAULT_TRANSPORT} transport in ${dir}`);
  const withDefault = closure(defaultKey, new Set(initial));

  const chunks = Object.entries(manifest).map(([key, c]) => {
    const code = readFileSync(join(dir, c.file));
    const role =
      key === entryKey
        ? 'entry'
        : c.isEntry
          ? 'other entry'
          : initial.has(key)
            ? 'static (initial)'
            : c.isDynamicEntry
              ? `lazy (${transportOf(c.src) ? `${transportOf(c.src)} transport` : lazyWhat(c.src)})`
              : 'shared by lazy chunks';
    return {
      key,
      file: c.file,
      src: c.src ?? null,
      role,
      raw: code.length,
      gzip: gzip(code),
      imports: (c.imports ?? []).map((k) => manifest[k]?.file ?? k),
      // The entry "imports" itself when a module it holds is also imported dynamically.
      dynamicImports: (c.dynamicImports ?? [])
        .filter((k) => k !== key)
        .map((k) => manifest[k]?.file ?? k),
    };
  });
  // The entry first, then the rest of the initial download, then the lazy chunks; big first.
  const order = (c) => (c.key === entryKey ? 0 : initial.has(c.key) ? 1 : 2);
  chunks.sort((a, b) => order(a) - order(b) || b.gzip - a.gzip);
  // Every emitted script must be known to the manifest, or the sums below would miss it.
  const known = new Set(chunks.map((c) => c.file));
  const stray = readdirSync(dir).filter((f) => f.endsWith('.js') && !known.has(f));
  if (stray.length) throw new Error(`scripts missing from the manifest: ${stray.join(', ')}`);

  const total = (keys) => {
    const list = chunks.filter((c) => keys.has(c.key));
    return {
      files: list.map((c) => c.file),
      raw: list.reduce((n, c) => n + c.raw, 0),
      gzip: list.reduce((n, c) => n + c.gzip, 0),
    };
  };
  const webrtcKey = byTransport.get('webrtc');
  const initialTotal = total(initial);
  const webrtcLazy = webrtcKey !== undefined && !withDefault.has(webrtcKey);
  return {
    dir: relative(root, dir) || '.',
    unit: `1 KB = ${KB} bytes; gzip level ${GZIP_LEVEL} of each file`,
    budgetKB: BUDGET_KB,
    chunks,
    initial: initialTotal,
    initialWithDefault: { transport: DEFAULT_TRANSPORT, ...total(withDefault) },
    webrtcLazy,
    pass: initialTotal.gzip <= BUDGET_KB * KB && webrtcLazy,
    contributors: contributors(
      dir,
      chunks.filter((c) => initial.has(c.key)),
    ),
  };
}

// ── What weighs what: source maps → bytes per package / source folder ─────────────────────

/** `lit-html`, `@lit-labs/virtualizer`, `src/components`… for a source path in a map. */
function groupOf(source) {
  const path = source.replace(/\\/g, '/');
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = path.slice(nm + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const src = path.indexOf('src/');
  if (src >= 0) {
    const parts = path.slice(src).split('/');
    return parts.length > 2 ? `${parts[0]}/${parts[1]}` : path.slice(src);
  }
  return path || '(unmapped)';
}

/**
 * Splits the minified code of `chunks` among the sources their maps name, grouped by package
 * or source folder: minified bytes, and gzip of each group's code on its own (an estimate:
 * a group compresses a little better inside the whole file).
 */
function contributors(dir, chunks) {
  /** @type {Map<string, string[]>} */
  const pieces = new Map();
  const add = (group, text) => {
    if (!text) return;
    const list = pieces.get(group) ?? [];
    list.push(text);
    pieces.set(group, list);
  };
  for (const chunk of chunks) {
    const code = readFileSync(join(dir, chunk.file), 'utf8');
    const mapFile = join(dir, `${chunk.file}.map`);
    if (!existsSync(mapFile)) {
      add(`(no source map: ${chunk.file})`, code);
      continue;
    }
    const map = new SourceMapConsumer(JSON.parse(readFileSync(mapFile, 'utf8')));
    /** @type {Array<Array<[number, string]>>} per generated line: column → group of its source */
    const segsByLine = [];
    // (Source line, column and name are not needed: only which source a byte came from.)
    map.eachMapping(
      (m) => {
        const segs = (segsByLine[m.generatedLine - 1] ??= []);
        segs.push([m.generatedColumn, m.source === null ? '(unmapped)' : groupOf(m.source)]);
      },
      null,
      SourceMapConsumer.GENERATED_ORDER,
    );
    const lines = code.split('\n');
    // A segment runs until the next one, across line ends (multi-line template literals).
    let current = '(unmapped)';
    lines.forEach((line, i) => {
      const segs = segsByLine[i] ?? [];
      add(current, line.slice(0, segs[0]?.[0] ?? line.length));
      segs.forEach(([start, group], k) => {
        add(group, line.slice(start, segs[k + 1]?.[0] ?? line.length));
        current = group;
      });
      if (i < lines.length - 1) add(current, '\n');
    });
  }
  return [...pieces]
    .map(([group, list]) => {
      const text = list.join('');
      return { group, raw: Buffer.byteLength(text), gzip: gzip(text) };
    })
    .sort((a, b) => b.raw - a.raw);
}

// ── Command line ──────────────────────────────────────────────────────────────────────────

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  const line = (r) =>
    r
      .map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i])))
      .join('  ');
  return [
    line(rows[0]),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(1).map(line),
  ].join('\n');
}

function main(argv) {
  const args = [...argv];
  const flag = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? (args.splice(i, 1), true) : false;
  };
  const option = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args.splice(i, 2)[1] : undefined;
  };
  const showContributors = flag('--contributors');
  const dir = resolve(root, option('--dir') ?? 'dist/lib');
  const [jsonOut] = args;

  const r = measure(dir);
  const rows = [['chunk', 'role', 'raw KB', 'gzip KB']];
  for (const c of r.chunks) {
    rows.push([c.file, c.role, kb(c.raw), kb(c.gzip)]);
  }
  rows.push([
    'initial download',
    `${r.initial.files.length} files`,
    kb(r.initial.raw),
    kb(r.initial.gzip),
  ]);
  rows.push([
    `initial + ${r.initialWithDefault.transport}`,
    `${r.initialWithDefault.files.length} files`,
    kb(r.initialWithDefault.raw),
    kb(r.initialWithDefault.gzip),
  ]);
  console.log(`size of ${r.dir} (${r.unit})\n`);
  console.log(table(rows));
  const over = r.initial.gzip > BUDGET_KB * KB;
  console.log(
    `\nbudget: initial download ${kb(r.initial.gzip)} KB gzip ${over ? '>' : '<='} ${BUDGET_KB} KB: ${over ? 'MISSED' : 'ok'}`,
  );
  console.log(
    `webrtc chunk: ${r.webrtcLazy ? 'lazy (loaded only when WebRTC is chosen): ok' : 'NOT lazy: FAILED'}`,
  );
  if (showContributors || !r.pass) {
    console.log('\nlargest contributors to the initial download (from the source maps):\n');
    const top = r.contributors.slice(0, 12);
    console.log(
      table([
        ['package / source', 'minified KB', 'gzip KB (alone)'],
        ...top.map((c) => [c.group, kb(c.raw), kb(c.gzip)]),
      ]),
    );
  }
  if (jsonOut) writeFileSync(resolve(jsonOut), JSON.stringify(r, null, 2) + '\n');
  return r.pass ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (err) {
    console.error(`size: ${err instanceof Error ? err.message : err}`);
    process.exitCode = 1;
  }
}
