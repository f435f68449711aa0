/**
 * The library build as a page would use it: `dist/lib/` served by a plain static server on one
 * port, the Parley relay on another, and one `<script type="module" src="/lib/parley.js">`
 * followed by `<parley-chat>`. Loading the *built* files catches what the sources cannot show:
 * raw decorator syntax left in the bundle (Vite 8 emits it unless legacy decorators are used),
 * lost chunks, and a transport chunk loaded before it is needed. A second page imports
 * `elements.js` (the package's side-effect-free `./elements`) and then `parley.js`.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { ParleyServer } from '../../signaling/server.js';
import { connectedOn, launchChromium, loginAs, startAppServer } from './harness.js';
import { PARLEY_TAGS as TAGS } from '../support/tags.js';

const libDir = fileURLToPath(new URL('../../dist/lib/', import.meta.url));

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.html': 'text/html; charset=utf-8',
};

/** The page an embedding site would write: the script, then the element. */
function embeddingPage(relay: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Parley as a library</title>
    <link rel="icon" href="data:," />
    <script type="module" src="/lib/parley.js"></script>
  </head>
  <body style="margin: 0">
    <parley-chat room="lib" server="${relay}" db-name="lib-test" style="height: 600px"></parley-chat>
  </body>
</html>`;
}

/** An empty page: the test imports the library's entries into it by hand. */
const BLANK_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Parley's classes only</title>
    <link rel="icon" href="data:," />
  </head>
  <body></body>
</html>`;

/** Serves `/` (the page), `/blank` and `/lib/*` (dist/lib) on 127.0.0.1; nothing else. */
async function serveLibrary(relay: string): Promise<{ server: Server; url: string }> {
  const pages: Record<string, string> = { '/': embeddingPage(relay), '/blank': BLANK_PAGE };
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const page = pages[path];
    if (page !== undefined) {
      res.writeHead(200, { 'content-type': TYPES['.html'] }).end(page);
      return;
    }
    const file = resolve(libDir, `.${path.replace(/^\/lib/, '')}`);
    if (
      !path.startsWith('/lib/') ||
      !file.startsWith(libDir) ||
      !statSync(file, { throwIfNoEntry: false })?.isFile()
    ) {
      res.writeHead(404).end();
      return;
    }
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, { 'content-type': type }).end(readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** One chunk of Vite's manifest of the library build. */
interface Chunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

/** Vite's manifest of the library build: source or chunk key → chunk. */
function libManifest(): Record<string, Chunk> {
  return JSON.parse(readFileSync(join(libDir, '.vite', 'manifest.json'), 'utf8')) as Record<
    string,
    Chunk
  >;
}

/**
 * The emitted file of a source: from Vite's manifest of the library build, or — for a module
 * captured into a chunk with others (the room's, see vite.lib.config.ts), which the manifest
 * does not name — the one chunk whose source map lists it.
 */
function chunkOf(src: string): string {
  const named = libManifest()[src]?.file;
  if (named) return named;
  const holding = readdirSync(libDir).filter(
    (f) =>
      f.endsWith('.js') &&
      existsSync(join(libDir, `${f}.map`)) &&
      (
        JSON.parse(readFileSync(join(libDir, `${f}.map`), 'utf8')) as { sources: string[] }
      ).sources.some((s) => s.endsWith(src)),
  );
  assert.equal(holding.length, 1, `${src}: in ${holding.length} chunks of dist/lib`);
  return holding[0]!;
}

describe('the library build (dist/lib/parley.js) in a page of its own', { timeout: 90_000 }, () => {
  let relay: ParleyServer;
  let site: { server: Server; url: string };
  let browser: Browser;
  let page: Page;
  const requested: string[] = [];
  const problems: string[] = [];
  let webrtcChunk: string;
  let virtualChunk: string;
  let socketioChunk: string;

  const fetched = (file: string) => requested.some((u) => u.endsWith(`/lib/${file}`));
  /** Waits for `what`; on a timeout, says what went wrong in the page (a script error, mostly). */
  const orProblems = <T>(what: Promise<T>): Promise<T> =>
    what.catch((err: unknown) => {
      throw new Error(`${(err as Error).message}\npage problems: ${problems.join('\n') || 'none'}`);
    });

  before(async () => {
    assert.ok(
      existsSync(join(libDir, 'parley.js')),
      'dist/lib/parley.js is missing: run `npm run build` first (npm test does)',
    );
    webrtcChunk = chunkOf('src/transport/webrtc.ts');
    socketioChunk = chunkOf('src/transport/socketio.ts');
    virtualChunk = chunkOf('src/components/messages/virtual-list.ts');
    relay = await startAppServer();
    site = await serveLibrary(relay.url);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 960, height: 640 } });
    page = await context.newPage();
    page.on('request', (r) => requested.push(r.url()));
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
  });
  after(async () => {
    await browser?.close();
    await new Promise((done) => site?.server.close(done));
    await relay?.close();
  });

  it('ships no raw decorator syntax', () => {
    for (const file of ['parley.js', socketioChunk, webrtcChunk, virtualChunk]) {
      const code = readFileSync(join(libDir, file), 'utf8');
      assert.doesNotMatch(code, /@(?:property|state|query)\s*\(/, `${file} has raw decorators`);
    }
  });

  it('registers the elements on import and renders <parley-chat> with its login popup', async () => {
    await page.goto(site.url); // resolves after `load`: module scripts have run
    const defined = await page.evaluate(async () => {
      // The login box comes in a chunk of its own, started on import (login-define.ts).
      await customElements.whenDefined('parley-login');
      return ['parley-chat', 'parley-login'].map((tag) => customElements.get(tag) !== undefined);
    });
    assert.deepEqual(defined, [true, true]);

    await orProblems(page.getByRole('dialog').waitFor({ timeout: 10_000 }));
    assert.equal(await page.getByRole('dialog').isVisible(), true);
    // The message list comes with the chat's core, once the visitor turns to the chat (a
    // pointer over it here; see chat-intent.ts).
    await page.getByRole('dialog').hover();
    const later = await page.evaluate(async () => {
      await customElements.whenDefined('parley-messages');
      return ['parley-messages', 'parley-composer'].map(
        (tag) => customElements.get(tag) !== undefined,
      );
    });
    assert.deepEqual(later, [true, true]);
    // Attributes reach the decorated properties: the fixed room is shown, no room form.
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), '#lib');
    assert.equal(await page.getByRole('textbox', { name: 'Room' }).count(), 0);
    const props = await page.evaluate(() => {
      const chat = document.querySelector('parley-chat') as HTMLElement & {
        room?: string;
        dbName?: string;
        historyLimit?: number;
      };
      return { room: chat.room, dbName: chat.dbName, historyLimit: chat.historyLimit };
    });
    assert.deepEqual(props, { room: 'lib', dbName: 'lib-test', historyLimit: 500 });
    assert.deepEqual(problems, []);
  });

  it('loads the default transport, and not WebRTC, when someone logs in', async () => {
    assert.equal(fetched(webrtcChunk), false, `${webrtcChunk} was fetched on load`);
    await loginAs(page, 'Libby', 'correct horse', 'Create account');
    await orProblems(page.getByRole('dialog').waitFor({ state: 'hidden' }));
    await orProblems(connectedOn(page));
    assert.equal(fetched(socketioChunk), true, `${socketioChunk} was never fetched`);
    assert.equal(fetched(webrtcChunk), false, `${webrtcChunk} was fetched without WebRTC`);
    assert.ok(
      requested.every((u) => u.startsWith(site.url) || u.startsWith(relay.url)),
      `requests left the two servers: ${requested.join(', ')}`,
    );
    assert.deepEqual(problems, []);
  });

  it('has two entries, parley.js and elements.js, sharing their chunks', () => {
    const manifest = libManifest();
    const entries = Object.values(manifest).filter((c) => c.isEntry);
    assert.deepEqual(entries.map((c) => c.file).sort(), ['elements.js', 'parley.js']);
    // What parley.js loads at once, or right after (the Settings panel's chunk).
    const shared = new Set<string>();
    const visit = (key: string) => {
      if (shared.has(key)) return;
      shared.add(key);
      const chunk = manifest[key];
      [...(chunk?.imports ?? []), ...(chunk?.dynamicImports ?? [])].forEach(visit);
    };
    visit('src/define.ts');
    for (const key of manifest['src/index.ts']?.imports ?? []) {
      assert.ok(shared.has(key), `${key} is imported by elements.js but not by parley.js`);
    }
  });

  it('elements.js registers nothing; parley.js then registers the same classes, once', async () => {
    const other = await browser.newPage();
    const errors: string[] = [];
    other.on('pageerror', (e) => errors.push(e.message));
    try {
      await other.goto(`${site.url}/blank`);
      // No named functions inside: tsx would wrap them in a helper the page does not have.
      const seen = await other.evaluate(
        async ({ tags, urls }) => {
          // Variables, not literal specifiers: these are URLs of the page, not modules of ours.
          const api = (await import(urls.elements)) as Record<string, unknown>;
          const before = tags.filter((tag) => customElements.get(tag) !== undefined);
          await import(urls.parley);
          // The Settings panel's elements register from their own chunk, started at once.
          await Promise.all(tags.map((tag) => customElements.whenDefined(tag)));
          const after = tags.filter((tag) => customElements.get(tag) !== undefined);
          // Evaluated again (another URL), as when a page loads Parley twice: must not throw.
          await import(urls.again);
          return {
            exports: Object.keys(api).sort(),
            before,
            after,
            sameClass: customElements.get('parley-chat') === api.ParleyChat,
          };
        },
        {
          tags: TAGS,
          urls: {
            elements: '/lib/elements.js',
            parley: '/lib/parley.js',
            again: '/lib/parley.js?again',
          },
        },
      );
      assert.deepEqual(seen.before, []);
      assert.deepEqual(seen.after, TAGS);
      assert.equal(seen.sameClass, true, 'parley.js and elements.js hold different classes');
      assert.deepEqual(seen.exports, [
        'ParleyChat',
        'ParleyComposer',
        'ParleyIdentityCard',
        'ParleyIdentityPort',
        'ParleyInbox',
        'ParleyLogin',
        'ParleyMessages',
        'ParleyRoomLock',
        'ParleyRoster',
        'ParleySearch',
        'ParleySettings',
        'ParleySettingsHistory',
        'TransportError',
        'loadTransport',
      ]);
      assert.deepEqual(errors, []);
    } finally {
      await other.close();
    }
  });

  it('loads the virtualizer only when a list grows long, and then virtualizes it', async () => {
    assert.equal(fetched(virtualChunk), false, `${virtualChunk} was fetched for a short list`);
    const shown = await page.evaluate(async () => {
      type Messages = HTMLElement & {
        messages: readonly unknown[];
        virtual: boolean;
        updateComplete: Promise<boolean>;
      };
      const el = document.createElement('parley-messages') as Messages;
      el.style.cssText = 'display: block; height: 300px';
      el.messages = Array.from({ length: 400 }, (_, i) => ({
        id: `m${i}`,
        room: 'lib',
        from: { id: 'someone', name: 'Someone' },
        ts: Date.now() - (400 - i) * 60_000,
        seq: i,
        body: { text: `long list #${i}` },
        text: `long list #${i}`,
        owner: 'me',
        status: 'received',
      }));
      document.body.append(el);
      await el.updateComplete;
      const rows = el.shadowRoot!.querySelectorAll('li.msg').length;
      el.remove();
      return { virtual: el.virtual, rows };
    });
    assert.equal(fetched(virtualChunk), true, `${virtualChunk} was never fetched`);
    assert.equal(shown.virtual, true);
    assert.ok(shown.rows > 0 && shown.rows < 60, `${shown.rows} rows in the DOM`);
    assert.deepEqual(problems, []);
  });
});
