// Browser tests (Mocha + @open-wc/testing) in Debian's Chromium. A real Parley server runs
// in this process for the transport tests; tests ask for its URL with a server command.
import { writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { tsImport } from 'tsx/esm/api';

const { startParleyServer } = await tsImport('./signaling/server.ts', import.meta.url);
const { silentLogger } = await tsImport('./signaling/log.ts', import.meta.url);
const { configFromEnv } = await tsImport('./signaling/config.ts', import.meta.url);
const { CHROMIUM_ARGS, CHROMIUM_PATH } = await tsImport(
  './test/support/chromium.ts',
  import.meta.url,
);

/**
 * Starts the relays for the tests: one with production defaults, one whose WebRTC mesh cap is
 * 2, one whose payload cap is 32 KiB, one whose rooms hold 2 members; answers
 * `parley-server-url` with `{ meshCap: 2 }`, `{ maxPayload: 32768 }`, `{ maxMembers: 2 }` or
 * without a payload.
 */
function parleyServer() {
  let server;
  let smallMesh;
  let smallCap;
  let smallRoom;
  return {
    name: 'parley-server',
    async serverStart() {
      // Defaults as in production (payload cap, any origin), on a free port, no page.
      // Every test page connects from this one address, many at once: no per-address cap.
      const base = { ...configFromEnv({}), port: 0, staticDir: undefined, maxConnPerIp: 100_000 };
      server = await startParleyServer(base, silentLogger);
      smallMesh = await startParleyServer({ ...base, meshCap: 2 }, silentLogger);
      smallCap = await startParleyServer({ ...base, maxPayload: 32 * 1024 }, silentLogger);
      smallRoom = await startParleyServer({ ...base, maxMembers: 2 }, silentLogger);
    },
    async serverStop() {
      await Promise.all([server, smallMesh, smallCap, smallRoom].map((s) => s?.close()));
    },
    executeCommand({ command, payload }) {
      if (command !== 'parley-server-url') return undefined;
      if (payload?.meshCap === 2) return smallMesh.url;
      if (payload?.maxPayload === 32 * 1024) return smallCap.url;
      if (payload?.maxMembers === 2) return smallRoom.url;
      return server.url;
    },
  };
}

/**
 * A doctored relay (test/support/doctored-relay.ts) for the tests of what a relay operator
 * must not be able to fake; answers `doctored-relay` commands.
 */
function doctoredRelay() {
  let relay;
  return {
    name: 'doctored-relay',
    async serverStart() {
      const { startDoctoredRelay } = await tsImport(
        './test/support/doctored-relay.ts',
        import.meta.url,
      );
      relay = await startDoctoredRelay();
    },
    async serverStop() {
      await relay?.close();
    },
    executeCommand({ command, payload }) {
      if (command !== 'doctored-relay') return undefined;
      return relay.command(payload);
    },
  };
}

/**
 * Serves simple-peer as one ES module bundled by esbuild: its CommonJS dependencies do not
 * load as native modules (Vite pre-bundles them the same way for the app).
 */
function simplePeerAsEsm() {
  const path = '/__parley/simple-peer.js';
  let code;
  return {
    name: 'simple-peer-esm',
    resolveImport({ source }) {
      if (source === '@thaunknown/simple-peer/lite.js') return path;
      return undefined;
    },
    async serve(context) {
      if (context.path !== path) return undefined;
      code ??= (
        await build({
          stdin: {
            contents: "export { default } from '@thaunknown/simple-peer/lite.js';",
            resolveDir: process.cwd(),
          },
          bundle: true,
          format: 'esm',
          platform: 'browser',
          define: { global: 'globalThis' },
          write: false,
          logLevel: 'silent',
        })
      ).outputFiles[0].text;
      return { body: code, type: 'js' };
    },
  };
}

/** Counts results per test and writes `{ passed, failed, skipped }` for scripts/summarize.mjs. */
function countingReporter(file) {
  const count = (suite, acc) => {
    for (const t of suite?.tests ?? []) {
      if (t.skipped) acc.skipped++;
      else if (t.passed) acc.passed++;
      else acc.failed++;
    }
    for (const s of suite?.suites ?? []) count(s, acc);
    return acc;
  };
  return {
    onTestRunFinished({ sessions }) {
      const acc = { passed: 0, failed: 0, skipped: 0 };
      for (const s of sessions) {
        count(s.testResults, acc);
        // A file that failed to load, or threw outside a test, is a failure too.
        if (!s.passed && (s.errors?.length ?? 0) > 0) acc.failed++;
      }
      if (file) writeFileSync(file, JSON.stringify(acc));
      console.log(`wtr: ${acc.passed} passed, ${acc.failed} failed, ${acc.skipped} skipped`);
    },
  };
}

export default {
  files: ['test/{transport,store,components,controllers}/**/*.test.ts'],
  nodeResolve: { browser: true, exportConditions: ['browser'] },
  concurrency: 1,
  testFramework: { config: { timeout: 10000 } },
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    }),
  ],
  plugins: [
    simplePeerAsEsm(),
    esbuildPlugin({ ts: true, tsconfig: './tsconfig.json', target: 'es2022' }),
    parleyServer(),
    doctoredRelay(),
  ],
  reporters: [defaultReporter(), countingReporter(process.env.PARLEY_WTR_RESULTS)],
};
