// Browser tests (Mocha + @open-wc/testing) in Debian's Chromium. A real Parley server runs
// in this process for the transport tests; tests ask for its URL with a server command.
import { writeFileSync } from 'node:fs';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { tsImport } from 'tsx/esm/api';

const { startParleyServer } = await tsImport('./signaling/server.ts', import.meta.url);
const { silentLogger } = await tsImport('./signaling/log.ts', import.meta.url);
const { configFromEnv } = await tsImport('./signaling/config.ts', import.meta.url);
const { CHROMIUM_ARGS, CHROMIUM_PATH } = await tsImport('./scripts/chromium.ts', import.meta.url);

/** Starts the relay with the test server and answers `parley-server-url`. */
function parleyServer() {
  let server;
  return {
    name: 'parley-server',
    async serverStart() {
      // Defaults as in production (payload cap, any origin), on a free port, no page.
      server = await startParleyServer(
        { ...configFromEnv({}), port: 0, staticDir: undefined },
        silentLogger,
      );
    },
    async serverStop() {
      await server?.close();
    },
    executeCommand({ command }) {
      if (command === 'parley-server-url') return server.url;
      return undefined;
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
    esbuildPlugin({ ts: true, tsconfig: './tsconfig.json', target: 'es2022' }),
    parleyServer(),
  ],
  reporters: [defaultReporter(), countingReporter(process.env.PARLEY_WTR_RESULTS)],
};
