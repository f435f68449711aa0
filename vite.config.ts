import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import { CHUNK_GROUPS, engineTransports, squeezeStyles } from './vite.lib.config.js';

/**
 * Emits `sw.js` (from src/sw/service-worker.js) with the list of every built file, so the
 * service worker can keep the whole app for offline use, lazily loaded transports included.
 */
function serviceWorker(): Plugin {
  return {
    name: 'parley-service-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = [
        '/',
        ...Object.keys(bundle)
          .filter((f) => !f.endsWith('.map'))
          .map((f) => `/${f}`),
      ];
      const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 12);
      const source = readFileSync(new URL('./src/sw/service-worker.js', import.meta.url), 'utf8');
      this.emitFile({
        type: 'asset',
        fileName: 'sw.js',
        source: source.replace('self.__PARLEY_PRECACHE__', JSON.stringify({ version, files })),
      });
    },
  };
}

// The app page only; the Node server is bundled separately (scripts/build-server.mjs).
export default defineConfig({
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    // Maps are written, but the scripts do not name them: the server serves them (and points
    // at them with a `SourceMap` header) only with PARLEY_SOURCEMAPS=1 (signaling/static.ts).
    sourcemap: 'hidden',
    // Cut as the library is (see vite.lib.config.ts): the page loads the same chunks in the
    // same order — the login box first, then the room in one file — not some 80 small files.
    rolldownOptions: { output: { advancedChunks: { groups: CHUNK_GROUPS } } },
  },
  plugins: [serviceWorker(), squeezeStyles(), engineTransports()],
});
