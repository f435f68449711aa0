/**
 * The library build, two ES module entries sharing their chunks:
 * - `dist/lib/parley.js` (package `.`, src/define.ts): registers the elements on import and
 *   exports the public API;
 * - `dist/lib/elements.js` (package `./elements`, src/index.ts): the same API, registering
 *   nothing.
 * Every transport is a chunk of its own, loaded only when chosen. Runs after the app build
 * (`vite.config.ts`), which empties `dist/`.
 *
 * Decorators: the sources use Lit's legacy decorators. Vite takes `experimentalDecorators` and
 * `useDefineForClassFields: false` from tsconfig.json; legacy decorators are also asked for
 * here, so the library never depends on which tsconfig Vite finds. Class-field semantics still
 * come from tsconfig.json (an explicit option does not override it there), which is why
 * test/e2e/library.e2e.test.ts runs this build in Chromium. The check below fails the build
 * if raw `@decorator(` syntax is ever emitted.
 */
import { defineConfig, type Plugin } from 'vite';

/** Where the declarations of `npm run build` go (tsconfig.lib.json's outDir, relative to dist/lib). */
const TYPES = './types';

/** Each entry's output name (without `.js`) → its source in src/. */
const ENTRIES = { parley: 'define', elements: 'index' } as const;

/** Emits `<entry>.d.ts` next to each entry, pointing at the declarations made by tsc. */
function typesEntries(): Plugin {
  return {
    name: 'parley-types-entries',
    apply: 'build',
    generateBundle() {
      for (const [name, source] of Object.entries(ENTRIES)) {
        this.emitFile({
          type: 'asset',
          fileName: `${name}.d.ts`,
          source:
            `// Types of ${name}.js (declarations emitted by tsc with tsconfig.lib.json).\n` +
            `export * from '${TYPES}/${source}.js';\n`,
        });
      }
    },
  };
}

/** Fails the build when a chunk still holds decorator syntax (a browser would choke on it). */
function noRawDecorators(): Plugin {
  return {
    name: 'parley-no-raw-decorators',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const hit = /@(?:property|state|query|customElement)\s*\(/.exec(chunk.code);
        if (hit) {
          this.error(`${chunk.fileName} contains raw decorator syntax near "${hit[0]}"`);
        }
      }
    },
  };
}

export default defineConfig({
  // Library consumers load the files as they are: no public/ copy, no service worker.
  publicDir: false,
  oxc: { decorator: { legacy: true } },
  // Lib mode leaves `process.env.NODE_ENV` for a consumer's bundler; a plain <script> has none.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    target: 'es2022',
    outDir: 'dist/lib',
    emptyOutDir: true, // dist/lib only; the app in dist/ stays
    sourcemap: true,
    minify: true,
    // `.vite/manifest.json`: chunk → static and dynamic imports, read by scripts/size.mjs.
    manifest: true,
    lib: {
      entry: Object.fromEntries(
        Object.entries(ENTRIES).map(([name, source]) => [name, `src/${source}.ts`]),
      ),
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
    rolldownOptions: {
      output: {
        entryFileNames: '[name].js',
        chunkFileNames: '[name]-[hash].js',
        minify: true,
      },
    },
  },
  plugins: [typesEntries(), noRawDecorators()],
});
