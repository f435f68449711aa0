import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { Server } from 'socket.io';
import { build } from 'vite';
import type { Dialled } from '../support/engine-dial.js';
import { engineTransports } from '../../vite.lib.config.js';
import { launchChromium } from './harness.js';

/**
 * Engine.IO's transports as the browser builds have them (scripts/engine-transports.browser.js):
 * long-polling is a stand-in that loads the real transport when it is opened. A page built with
 * them dials a real Socket.IO server on 127.0.0.1 over polling alone, and by falling back to it
 * when WebSocket fails; a page on WebSocket never fetches it.
 */
describe('the browser builds load long-polling only when it is used', { timeout: 120_000 }, () => {
  const out = mkdtempSync(join(tmpdir(), 'parley-engine-'));
  let http: HttpServer;
  let io: Server;
  let url = '';
  let browser: Browser;

  before(async () => {
    await build({
      configFile: false,
      logLevel: 'silent',
      plugins: [engineTransports()],
      build: {
        outDir: out,
        emptyOutDir: true,
        minify: false,
        lib: { entry: 'test/support/engine-dial.ts', formats: ['es'], fileName: () => 'dial.js' },
      },
    });
    http = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/') return void res.end('<!doctype html><title>dial</title>');
      readFile(join(out, path.replace(/[^\w.-]/g, ''))).then(
        (body) => res.writeHead(200, { 'content-type': 'text/javascript' }).end(body),
        () => res.writeHead(404).end(),
      );
    });
    io = new Server(http);
    io.on('connection', (s) => s.on('echo', (text: string, ack: (t: string) => void) => ack(text)));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await io?.close();
    rmSync(out, { recursive: true, force: true });
  });

  /** A fresh page (`noWebSocket`: its WebSocket always fails to connect), the files it fetched, a dial. */
  async function dialFrom(noWebSocket: boolean, transports: string[], tryAll: boolean) {
    const context = await browser.newContext();
    if (noWebSocket) {
      await context.addInitScript(() => {
        // Made, then failing at once as a refused connection does (its error, then its close).
        globalThis.WebSocket = class {
          onerror: ((e: Event) => void) | null = null;
          onclose: ((e: { code: number; reason: string }) => void) | null = null;
          readyState = 0;
          constructor() {
            setTimeout(() => {
              this.readyState = 3;
              this.onerror?.(new Event('error'));
              this.onclose?.({ code: 1006, reason: '' });
            });
          }
          close() {}
          send() {}
        } as unknown as typeof WebSocket;
      });
    }
    const page: Page = await context.newPage();
    const fetched: string[] = [];
    page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
    await page.goto(url);
    const dialled = await page.evaluate(
      async ([server, list, all]) => {
        const entry = '/dial.js';
        const { dial } = (await import(entry)) as typeof import('../support/engine-dial.js');
        return dial(server, list, all, 'hello');
      },
      [url, transports, tryAll] as const,
    );
    await context.close();
    const polling = fetched.some((p) => /^\/polling-xhr-[\w-]+\.js$/.test(p));
    return { dialled: dialled as Dialled, polling };
  }

  it('connects over long-polling alone, loading it then', async () => {
    const { dialled, polling } = await dialFrom(false, ['polling'], false);
    assert.deepEqual(dialled, { connected: true, transport: 'polling', echo: 'hello' });
    assert.ok(polling, 'the polling chunk was fetched');
  });

  it('falls back to long-polling when WebSocket fails (tryAllTransports)', async () => {
    const { dialled, polling } = await dialFrom(true, ['websocket', 'polling'], true);
    assert.deepEqual(dialled, { connected: true, transport: 'polling', echo: 'hello' });
    assert.ok(polling, 'the polling chunk was fetched');
  });

  it('as the relay link dials (WebSocket, then polling by name), never fetches polling', async () => {
    const { dialled, polling } = await dialFrom(false, ['websocket', 'polling'], false);
    assert.deepEqual(dialled, { connected: true, transport: 'websocket', echo: 'hello' });
    assert.equal(polling, false);
  });
});
