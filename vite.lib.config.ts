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
import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import { squeezeTemplates } from './scripts/squeeze-templates.js';

/** Where the declarations of `npm run build` go (tsconfig.lib.json's outDir, relative to dist/lib). */
const TYPES = './types';

/** Each entry's output name (without `.js`) → its source in src/. */
const ENTRIES = { parley: 'define', elements: 'index' } as const;

/**
 * The module the entry `parley` is made of (its public API): captured with everything it
 * imports statically, it makes the one chunk of the first download (see below).
 */
const FIRST_DOWNLOAD = /[\\/]src[\\/]api\.ts$/;

/**
 * What being in a room needs past the login box (see src/internal/load-order.ts): the chat's
 * core, the message list, the Socket.IO transport, catch-up, the message events and banners,
 * and what logging in and registering need (an identity's exportable keys included). The
 * member list and the contacts are not in it: they load once the room is settled (chat-core.ts).
 * Captured with what they import, in one chunk: left apart, they are some 40 files each
 * compressed on its own, ~12% more to download than together.
 */
const IN_ROOM =
  /[\\/]src[\\/](components[\\/](chat[\\/](chat-core|chat-banners)|messages[\\/](parley-messages|timeline))|controllers[\\/]room[\\/]catch-up|store[\\/](account-login|portable-identity)|protocol[\\/]message-events|transport[\\/]socketio)\.ts$/;

/**
 * The chunks the library and the app page are cut into (see below): the first download (the
 * public API with everything it imports), then what being in a room needs, in one file each.
 */
export const CHUNK_GROUPS = [
  { name: 'api', test: FIRST_DOWNLOAD, priority: 2 },
  { name: 'room', test: IN_ROOM, priority: 1 },
];

/**
 * Squeezes the stylesheets in `css` template literals: comments out, runs of white space one
 * space, none around `{`, `}`, `;`, `,` or after `:`; quoted strings kept as they are. The
 * styles ship as source text, so every indent and comment is downloaded (~1 KB gzip in all).
 * Templates with `${…}` are left alone.
 */
export function squeezeCss(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      const stop = end === -1 ? text.length : end + 1;
      out += text.slice(i, stop);
      i = stop - 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 1;
    } else if (/\s/.test(c)) {
      if (!/[{};,:>]$/.test(out) && out !== '') out += ' ';
    } else if (/[{};,>]/.test(c)) {
      out = out.replace(/ $/, '') + c;
    } else out += c;
  }
  return out.replace(/;}/g, '}').trim();
}

export function squeezeStyles(): Plugin {
  return {
    name: 'parley-squeeze-css',
    apply: 'build',
    transform(code, id) {
      if (!/[\\/]src[\\/].*\.ts$/.test(id)) return null;
      const styled = code.includes('css`');
      const templated = code.includes('html`') || code.includes('svg`');
      if (!styled && !templated) return null;
      let squeezed = !styled
        ? code
        : code.replace(/\bcss`([^`]*)`/g, (whole, body: string) =>
            body.includes('${') ? whole : `css\`${squeezeCss(body)}\``,
          );
      // Lit templates: the indents after line breaks (scripts/squeeze-templates.ts).
      if (templated) squeezed = squeezeTemplates(squeezed);
      return { code: squeezed, map: null };
    },
  };
}

/**
 * Engine.IO's list of transports as the browser builds use it (scripts/engine-transports.browser.js):
 * no WebTransport, and long-polling, the fallback when WebSocket fails, loaded only when used.
 * Their code stays out of the room's chunk (~1.5 KB gzip). Browser files only.
 */
export function engineTransports(): Plugin {
  const ESM = /[\\/]engine\.io-client[\\/]build[\\/]esm[\\/]/;
  const text = readFileSync(
    new URL('./scripts/engine-transports.browser.js', import.meta.url),
    'utf8',
  );
  return {
    name: 'parley-engine-transports',
    apply: 'build',
    load(id) {
      if (!ESM.test(id)) return null;
      if (/transports[\\/]index\.js$/.test(id)) return text;
      // The package's entry also re-exports each transport, which would keep long-polling in the
      // room's chunk whatever loads it later: nothing of Parley imports them from there.
      if (!/esm[\\/]index\.js$/.test(id)) return null;
      const entry = readFileSync(id, 'utf8').replace(
        /^export \{ (\w+)(?: as (\w+))? \} from "\.\/transports\/(polling|webtransport)[\w.-]*";$/gm,
        (_line, name: string, alias?: string) => `export const ${alias ?? name} = undefined;`,
      );
      return entry;
    },
  };
}

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
        // These files are served to browsers as they are, already bundled and tree-shaken:
        // `/* @__PURE__ */` marks would only tell a bundler what it no longer decides (~0.24 KB
        // gzip of the first download). Licences stay.
        comments: { legal: true, annotation: false, jsdoc: false },
        // What the lazy chunks (Settings, the room list's data, the transports) share with the
        // first download stays in one chunk with it: left to itself, the bundler gives each
        // such module set a file of its own, each compressed apart (~2 KB more to download).
        advancedChunks: { groups: CHUNK_GROUPS },
      },
    },
  },
  plugins: [squeezeStyles(), engineTransports(), typesEntries(), noRawDecorators()],
});
