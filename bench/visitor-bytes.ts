/**
 * What a visitor's browser fetches for an embedded chat, measured as a site owner would see it:
 * a shop page on another origin with the module script and the tag (README, "Embed it in your
 * site"), opened in Chromium. Every response from the Parley server is recorded, and each file
 * is sized as gzip level 9 of its body as served (1 KB = 1,000 bytes), with the bytes actually
 * transferred when the server compresses.
 *
 * Two moments, each noted in the page as soon as the DOM shows it (bench/visitor-page.ts):
 * - **login usable**: the login box inside `<parley-chat>` shows an enabled Username field and
 *   an enabled "Create account" button (checked afterwards by typing a name);
 * - **in the room**: after signing up, the header says Connected (no switch under way) and the
 *   message box is enabled (checked afterwards by sending a message and seeing it listed).
 * A file counts towards a moment when its request started before it (what was still
 * downloading then competed for the same bandwidth). After each moment the network is left to
 * go idle, and what loads then is reported apart as "right after", so nothing hides.
 *
 * The budgets live here ({@link VISITOR_BUDGET_KB}); `bench/size.ts` and the end-to-end gate
 * `test/e2e/visitor-bytes.e2e.test.ts` both judge by them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page, Request } from 'playwright-core';
import { EMBED_TAG, MOMENT_PROBE, serveShop } from './visitor-page.js';

/** The goals of the two moments (issue 25), KB gzip (1 KB = 1,000 bytes), files from the server. */
export const VISITOR_GOAL_KB = { loginUsable: 45, inRoom: 60 } as const;

/**
 * What `npm test` holds each moment to: the goal where it is met; in the room, where it is not
 * yet (88 KB: the chat's core, Socket.IO's client 12.8 KB of it, after Lit's 6.3 in the first
 * file — see the README), a ceiling just above today's size, so it can only shrink from here.
 */
export const VISITOR_BUDGET_KB = { loginUsable: 45, inRoom: 90 } as const;

/** The moments measured, in the order a visitor reaches them. */
export type MomentName = keyof typeof VISITOR_BUDGET_KB;

const KB = 1000;
const GZIP_LEVEL = 9;
/** How long without a new request or an unfinished one counts as "the network went idle". */
const IDLE_MS = 1000;
/** The longest wait for idleness or for a moment (a stuck page fails instead of hanging). */
const WAIT_MS = 30_000;

/** One file the page received from the Parley server. */
export interface FetchedFile {
  /** Path and query on the Parley server, e.g. `/lib/parley.js`. */
  path: string;
  /** Chromium's resource type: script, fetch, stylesheet… */
  type: string;
  /** What it is, from the library's build manifest when known (entry, static import, lazy: src). */
  role: string;
  /** Bytes of the body as decoded. */
  raw: number;
  /** gzip level 9 of the body: what a browser downloads from a server that compresses. */
  gzip: number;
  /** Bytes of the body as transferred (compressed or not), when Chromium reports them. */
  transfer: number | null;
  /** The response's Content-Encoding, if any. */
  encoding: string | null;
  /** When its request started and its response ended, ms since the page's navigation start. */
  start: number;
  end: number;
}

/** What was fetched by one moment, and right after it. */
export interface Moment {
  /** When the page first showed it, ms since navigation start. */
  at: number;
  budgetKB: number;
  /** Files whose request started before the moment, in the order they started. */
  files: FetchedFile[];
  raw: number;
  gzip: number;
  transfer: number;
  /** Files requested after the moment until the network went idle. */
  after: FetchedFile[];
  afterGzip: number;
  pass: boolean;
}

/** The whole measurement. */
export interface VisitorBytes {
  unit: string;
  /** How the page embeds the chat (the tag, with the server's address as `APP`). */
  embed: string;
  loginUsable: Moment;
  inRoom: Moment;
  /** Bytes received over Socket.IO's WebSocket until in the room (data, not files: apart). */
  socketBytes: number;
  /** Every file fetched by the end (in the room, sent a message, network idle). */
  all: { files: number; raw: number; gzip: number; transfer: number };
  pass: boolean;
}

/** A response body and its sizes, recorded as it finished. */
interface Received {
  url: string;
  type: string;
  raw: number;
  gzip: number;
  transfer: number | null;
  encoding: string | null;
}

/**
 * The roles of the library's files, from its Vite manifest (empty when there is none): the
 * entry, what it imports statically (the page fetches it at once), lazy chunks by source, and
 * chunks shared by lazy ones.
 */
function rolesOf(libDir: string | undefined): Map<string, string> {
  const roles = new Map<string, string>();
  const file = libDir && join(libDir, '.vite', 'manifest.json');
  if (!file || !existsSync(file)) return roles;
  type Chunk = {
    file: string;
    src?: string;
    isEntry?: boolean;
    isDynamicEntry?: boolean;
    imports?: string[];
  };
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Chunk>;
  const initial = new Set<string>();
  const visit = (key: string) => {
    if (initial.has(key)) return;
    initial.add(key);
    for (const next of manifest[key]?.imports ?? []) visit(next);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.file === 'parley.js') visit(key);
  for (const [key, chunk] of Object.entries(manifest)) {
    const src = chunk.src?.replace(/^.*node_modules\//, '');
    const role = chunk.isEntry
      ? `entry${src ? ` (${src})` : ''}`
      : initial.has(key)
        ? 'static import of the entry'
        : chunk.isDynamicEntry
          ? `lazy: ${src ?? 'split by the bundler'}`
          : 'shared by lazy chunks';
    roles.set(`/lib/${chunk.file}`, role);
  }
  return roles;
}

/** Sums of a list of files. */
function totals(files: FetchedFile[]) {
  return {
    raw: files.reduce((n, f) => n + f.raw, 0),
    gzip: files.reduce((n, f) => n + f.gzip, 0),
    transfer: files.reduce((n, f) => n + (f.transfer ?? f.raw), 0),
  };
}

/** Watches the page's requests to the app origin: bodies, sizes, and whether any is pending. */
class Recorder {
  readonly received = new Map<string, Received>();
  socketBytes = 0;
  private pending = new Set<Request>();
  private lastStart = Date.now();
  private work: Promise<unknown>[] = [];

  constructor(
    page: Page,
    private readonly origin: string,
  ) {
    page.on('request', (req) => {
      if (!this.mine(req)) return;
      this.pending.add(req);
      this.lastStart = Date.now();
    });
    page.on('requestfailed', (req) => this.pending.delete(req));
    page.on('requestfinished', (req) => {
      if (!this.mine(req)) return;
      this.work.push(this.record(req).finally(() => this.pending.delete(req)));
    });
    page.on('websocket', (ws) => {
      if (!ws.url().startsWith(origin.replace(/^http/, 'ws'))) return;
      ws.on('framereceived', ({ payload }) => {
        this.socketBytes +=
          typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
      });
    });
  }

  /**
   * A file from the app origin. Socket.IO's own requests (its polling fallback, if it ever runs)
   * are data, not files, and a long poll never finishes: they would keep the network "busy".
   */
  private mine(req: Request): boolean {
    const url = new URL(req.url());
    return url.origin === this.origin && !url.pathname.startsWith('/socket.io/');
  }

  private async record(req: Request): Promise<void> {
    const response = await req.response();
    if (!response) return;
    const body = await response.body();
    const sizes = await req.sizes();
    this.received.set(req.url(), {
      url: req.url(),
      type: req.resourceType(),
      raw: body.length,
      gzip: gzipSync(body, { level: GZIP_LEVEL }).length,
      transfer: sizes.responseBodySize >= 0 ? sizes.responseBodySize : null,
      encoding: (await response.headerValue('content-encoding')) ?? null,
    });
  }

  /** Waits until no request is pending and none started for {@link IDLE_MS}. */
  async idle(): Promise<void> {
    const end = Date.now() + WAIT_MS;
    while (this.pending.size > 0 || Date.now() - this.lastStart < IDLE_MS) {
      if (Date.now() > end) {
        const left = [...this.pending].map((r) => r.url()).join(', ');
        throw new Error(`the network did not go idle in ${WAIT_MS} ms (pending: ${left})`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    await Promise.all(this.work);
  }
}

/** When each file from the app origin started and ended, from the page's resource timing. */
function timings(page: Page, origin: string) {
  return page.evaluate(
    (o) =>
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .filter((e) => new URL(e.name).origin === o)
        .map((e) => ({ url: e.name, start: e.startTime, end: e.responseEnd })),
    origin,
  );
}

/**
 * Waits until the probe has seen `moment`; its time, ms since navigation start. A page that
 * never gets there says why: the script errors seen so far are part of the failure.
 */
async function momentAt(page: Page, moment: MomentName, errors: string[]): Promise<number> {
  try {
    const handle = await page.waitForFunction(
      (m) =>
        (window as unknown as { __visitorMoments: Record<string, number> }).__visitorMoments[m],
      moment,
      { timeout: WAIT_MS },
    );
    return (await handle.jsonValue()) as number;
  } catch (err) {
    const seen = errors.length ? `; script errors: ${errors.join('; ')}` : '';
    throw new Error(`the page never reached "${moment}" (${String(err)})${seen}`, { cause: err });
  }
}

/**
 * Opens the shop page in a fresh context, reaches both moments as a visitor does (types a name,
 * signs up, sends a message) and returns what was fetched by each. `app` is the Parley server's
 * address; `libDir`, where its library was built, names each file's role.
 */
export async function measureVisitorBytes(
  browser: Browser,
  app: string,
  libDir?: string,
): Promise<VisitorBytes> {
  const origin = new URL(app).origin;
  const shop = await serveShop(origin);
  const context = await browser.newContext({ viewport: { width: 1024, height: 720 } });
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(MOMENT_PROBE);
    const recorder = new Recorder(page, origin);
    await page.goto(shop.url);

    // (a) The login box: its Username field takes a name and "Create account" is enabled.
    const loginAt = await momentAt(page, 'loginUsable', errors);
    const chat = page.locator('parley-chat');
    const nameField = chat.getByRole('textbox', { name: 'Username' });
    const userName = `visitor${Date.now() % 100_000}`;
    await nameField.pressSequentially(userName);
    if ((await nameField.inputValue()) !== userName)
      throw new Error('the name field took no typing');
    const create = chat.getByRole('button', { name: 'Create account' });
    if (!(await create.isEnabled())) throw new Error('"Create account" is not enabled');
    await recorder.idle();

    // (b) In the room: signed up, connected, the message box works (a message is listed).
    await chat.getByLabel('Password').fill('correct horse');
    await create.click();
    const roomAt = await momentAt(page, 'inRoom', errors);
    await chat.getByRole('textbox', { name: 'Message' }).fill('hello from the shop');
    await chat.getByRole('textbox', { name: 'Message' }).press('Enter');
    await chat.locator('li.msg', { hasText: 'hello from the shop' }).waitFor({ timeout: WAIT_MS });
    await recorder.idle();
    if (errors.length) throw new Error(`script errors on the shop page: ${errors.join('; ')}`);

    const roles = rolesOf(libDir);
    const files: FetchedFile[] = [];
    for (const t of await timings(page, origin)) {
      const got = recorder.received.get(t.url);
      const path = new URL(t.url).pathname;
      // Socket.IO's polling fallback, if it ever runs, is data like its WebSocket: not a file.
      if (path.startsWith('/socket.io/')) continue;
      if (!got) throw new Error(`no response recorded for ${t.url}`);
      files.push({
        path: `${path}${new URL(t.url).search}`,
        type: got.type,
        role: roles.get(path) ?? got.type,
        raw: got.raw,
        gzip: got.gzip,
        transfer: got.transfer,
        encoding: got.encoding,
        start: Math.round(t.start),
        end: Math.round(t.end),
      });
    }
    const missing = [...recorder.received.values()].filter(
      (r) => !files.some((f) => r.url.endsWith(f.path)),
    );
    if (missing.length) {
      throw new Error(`responses without resource timing: ${missing.map((r) => r.url).join(', ')}`);
    }
    files.sort((a, b) => a.start - b.start);
    const moment = (name: MomentName, at: number, next: number): Moment => {
      const before = files.filter((f) => f.start <= at);
      const after = files.filter((f) => f.start > at && f.start <= next);
      const sum = totals(before);
      return {
        at: Math.round(at),
        budgetKB: VISITOR_BUDGET_KB[name],
        files: before,
        ...sum,
        after,
        afterGzip: totals(after).gzip,
        pass: sum.gzip <= VISITOR_BUDGET_KB[name] * KB,
      };
    };
    const loginUsable = moment('loginUsable', loginAt, roomAt);
    const inRoom = moment('inRoom', roomAt, Infinity);
    return {
      unit: `1 KB = ${KB} bytes; gzip level ${GZIP_LEVEL} of each body as served`,
      embed: EMBED_TAG,
      loginUsable,
      inRoom,
      socketBytes: recorder.socketBytes,
      all: { files: files.length, ...totals(files) },
      pass: loginUsable.pass && inRoom.pass,
    };
  } finally {
    await context.close();
    shop.server.close();
  }
}

const kb = (bytes: number) => (bytes / KB).toFixed(2);

/** A moment as text: its total against its budget, then each file's share, biggest first. */
export function describeMoment(label: string, m: Moment): string {
  const line = (f: FetchedFile) =>
    `  ${kb(f.gzip).padStart(6)} KB  ${f.path}  (${f.role}; ${f.start}–${f.end} ms` +
    `${f.encoding ? `; sent ${f.encoding} ${kb(f.transfer ?? 0)} KB` : ''})`;
  const byGzip = (list: FetchedFile[]) => [...list].sort((a, b) => b.gzip - a.gzip).map(line);
  return [
    `${label} at ${m.at} ms: ${kb(m.gzip)} KB gzip in ${m.files.length} files ` +
      `(budget ${m.budgetKB} KB: ${m.pass ? 'ok' : 'OVER'}; raw ${kb(m.raw)} KB, transferred ${kb(m.transfer)} KB)`,
    ...byGzip(m.files),
    `  right after (until the network went idle): ${kb(m.afterGzip)} KB in ${m.after.length} files`,
    ...byGzip(m.after),
  ].join('\n');
}
