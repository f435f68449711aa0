/**
 * What every browser benchmark shares: bundling its page entry for the browser, a server on a
 * free loopback port, Debian's Chromium, and their lifetimes ({@link withBrowser}: started in
 * one place, always closed, page errors shown when a run fails).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ParleyServer } from '../signaling/server.js';
import { launchChromium } from '../test/support/chromium.js';
import { startTestServer } from '../test/support/server.js';
import { round } from './stats.js';

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

/**
 * A Parley server with production defaults on a free loopback port, serving no page — except
 * the per-connection rate limit, raised to the highest setting: these benchmarks time back-to-back
 * round trips and bulk catch-up, which the client would otherwise pace under 20 events/s (the
 * load benchmark keeps the default).
 */
export function startBenchServer(): Promise<ParleyServer> {
  return startTestServer({ rate: 10_000, burst: 10_000 });
}

/** Where the routed bench page lives, at the server's own origin (a page may add a query). */
export const PAGE_PATH = '/__bench.html';
/** Where the routed bench page's script lives. */
const SCRIPT_PATH = '/__bench.js';

/**
 * A browser context (one user) whose pages load the bench page at `origin`, so Socket.IO
 * connects same-origin. The page is cross-origin isolated (COOP + COEP), which makes Chromium
 * time `performance.now()` in µs steps instead of 100 µs steps.
 */
export async function benchContext(
  browser: Browser,
  origin: string,
  script: string,
): Promise<BrowserContext> {
  // Chromium's Local Network Access checks block the page's WebSocket to the loopback server
  // (the routed document did not come from a loopback socket itself); grant what a user would.
  const context = await browser.newContext({ permissions: ['local-network-access'] });
  const headers = {
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-embedder-policy': 'require-corp',
    'cache-control': 'no-store',
  };
  const html = `<!doctype html><meta charset="utf-8"><title>bench</title>
<script type="module" src="${SCRIPT_PATH}"></script>`;
  await context.route(
    (url) => url.origin === origin && (url.pathname === PAGE_PATH || url.pathname === SCRIPT_PATH),
    (route) => {
      const isPage = new URL(route.request().url()).pathname === PAGE_PATH;
      return route.fulfill({
        status: 200,
        contentType: isPage ? 'text/html; charset=utf-8' : 'text/javascript; charset=utf-8',
        headers,
        body: isPage ? html : script,
      });
    },
  );
  return context;
}

/**
 * Opens the bench page (`path` at `origin`, the routed one unless told) in `context` and waits
 * for its `bench` API; script errors are collected in `errors`, prefixed with `who`.
 */
export async function openBenchPage(
  context: BrowserContext,
  origin: string,
  who: string,
  errors: string[],
  path = PAGE_PATH,
): Promise<Page> {
  const page = await context.newPage();
  const tag = who ? `${who} ` : '';
  page.on('pageerror', (err) => errors.push(`${tag}pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`${tag}console: ${msg.text()}`);
  });
  await page.goto(origin + path);
  await page.waitForFunction(() => 'bench' in globalThis, undefined, { timeout: 10_000 });
  return page;
}

/** Rejects after `ms` unless `promise` settles first (the caller's `finally` then closes all). */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`bench: ${what} took over ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A server a browser benchmark's pages talk to. */
export interface BenchServer {
  url: string;
  close(): Promise<void>;
}

/** The host box a list benchmark renders into: 800 × 600, its element filling it. */
export const HOST_BOX = `<style>body{margin:0} #host{width:800px;height:600px;display:flex} #host>*{flex:1;min-width:0}</style>
<div id="host"></div>`;

/**
 * Serves a page (titled `title`, with `body` before its script) and the bundled `script` on
 * 127.0.0.1, cross-origin isolated so that `performance.now()` ticks in µs steps rather than
 * 100 µs.
 */
export async function serveIsolatedPage(
  title: string,
  script: string,
  body = '',
): Promise<BenchServer> {
  const html = `<!doctype html><meta charset="utf-8"><title>${title}</title>
${body}
<script type="module" src="/bench.js"></script>`;
  const isolation = {
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-embedder-policy': 'require-corp',
    'cache-control': 'no-store',
  };
  const server = createServer((req, res) => {
    if (req.url === '/')
      res.writeHead(200, { ...isolation, 'content-type': 'text/html' }).end(html);
    else if (req.url === '/bench.js')
      res.writeHead(200, { ...isolation, 'content-type': 'text/javascript' }).end(script);
    else res.writeHead(req.url === '/favicon.ico' ? 204 : 404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Where a run happened, kept in its result: other load on the machine shows in the tails. */
export interface RunConditions {
  netns: string;
  machine: { cpus: number; load1Before: number; load1After: number };
  /** Script errors seen on any page during a run that still finished (normally none). */
  pageErrors: string[];
}

/** What a browser benchmark's body works with; {@link withBrowser} closes it all afterwards. */
export interface BrowserRun<S extends BenchServer> {
  server: S;
  browser: Browser;
  /** The bundled page entry, for {@link benchContext}. */
  script: string;
  /** Where pages opened with {@link openBenchPage} collect their script errors. */
  errors: string[];
  /** The run's conditions so far: call it when the result is made. */
  conditions(): RunConditions;
}

/**
 * Bundles `pageEntry`, starts a server with `startServer` (given the bundle) and Chromium, and
 * runs `body` with them. Both are closed afterwards, browser first, whatever happens; when
 * `body` throws, the page errors are printed first, since they usually explain a failed
 * `evaluate` better than its own message.
 */
export async function withBrowser<S extends BenchServer, T>(
  pageEntry: URL,
  startServer: (script: string) => Promise<S>,
  body: (run: BrowserRun<S>) => Promise<T>,
): Promise<T> {
  // Other work on the machine shows in the tails; the load averages make a noisy run visible.
  const loadBefore = loadavg()[0]!;
  const script = await bundlePage(pageEntry);
  const errors: string[] = [];
  const conditions = (): RunConditions => ({
    netns: process.env.PARLEY_NETNS ?? 'unset',
    machine: {
      cpus: availableParallelism(),
      load1Before: round(loadBefore),
      load1After: round(loadavg()[0]!),
    },
    pageErrors: errors,
  });
  let server: S | undefined;
  let browser: Browser | undefined;
  try {
    server = await startServer(script);
    browser = await launchChromium();
    return await body({ server, browser, script, errors, conditions });
  } catch (err) {
    if (errors.length) console.error(`bench: page errors:\n  ${errors.join('\n  ')}`);
    throw err;
  } finally {
    await browser?.close();
    await server?.close();
  }
}
