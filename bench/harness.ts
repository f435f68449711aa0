/**
 * What every benchmark shares: bundling its page entry for the browser, a Parley server on a
 * free loopback port, and Debian's Chromium.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium.js';
import { configFromEnv } from '../signaling/config.js';
import { silentLogger } from '../signaling/log.js';
import { startParleyServer, type ParleyServer } from '../signaling/server.js';

/**
 * Bundles a page entry (Parley code and its dependencies) into one ES module, minified like
 * the production build so the code runs in the shape users get.
 */
export async function bundlePage(entry: URL): Promise<string> {
  const out = await build({
    entryPoints: [fileURLToPath(entry)],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['browser'],
    target: 'es2022',
    // simple-peer's CommonJS dependencies expect Node's `global`; Vite maps it the same way.
    define: { global: 'globalThis' },
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  const file = out.outputFiles[0];
  if (!file) throw new Error(`esbuild produced no output for ${entry.pathname}`);
  return file.text;
}

/** A Parley server with production defaults on a free loopback port, serving no page. */
export function startBenchServer(): Promise<ParleyServer> {
  return startParleyServer({ ...configFromEnv({}), port: 0, staticDir: undefined }, silentLogger);
}

/** Launches Debian's Chromium with the project's flags. */
export function launchBenchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
