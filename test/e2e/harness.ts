/**
 * End-to-end harness: the built app served by a real Parley server on 127.0.0.1, driven in
 * Debian's Chromium through playwright-core. What a suite helper (`use…`) starts is stopped after
 * the suite.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { defaultStaticDir, type ServerConfig } from '../../signaling/config.js';
import type { ParleyServer } from '../../signaling/server.js';
import { launchChromium } from '../support/chromium.js';
import { freePort, spawnServer, type ServerProcess } from '../support/processes.js';
import { startTestServer } from '../support/server.js';

/** Launches Debian's Chromium (the suites import it from here with the rest of the harness). */
export { launchChromium };

/**
 * The built page the suites serve: `dist/`, or `PARLEY_STATIC_DIR` (a build of one's own, so
 * two people building at once do not pull `dist/` from under each other's tests).
 */
const e2eStaticDir = process.env.PARLEY_STATIC_DIR || defaultStaticDir;

/** Starts the server on `port` (0 = any free one) serving the built page from `dist/`. */
export async function startAppServer(
  port = 0,
  overrides: Partial<ServerConfig> = {},
): Promise<ParleyServer> {
  if (!existsSync(`${e2eStaticDir}/index.html`)) {
    throw new Error(`${e2eStaticDir} is missing: run \`npm run build\` first (npm test does)`);
  }
  return startTestServer({ port, staticDir: e2eStaticDir, ...overrides });
}

/** The app server and browser of one suite (a test may replace the server, e.g. to restart it). */
export interface SuiteApp {
  server: ParleyServer;
  browser: Browser;
}

/**
 * Starts the app server and Chromium before the enclosing suite's tests and stops both after
 * (the server as it is then). Call it inside `describe`; read the fields inside tests and hooks.
 */
export function useAppAndBrowser(overrides: Partial<ServerConfig> = {}): SuiteApp {
  const app = {} as SuiteApp;
  before(async () => {
    app.server = await startAppServer(0, overrides);
    app.browser = await launchChromium();
  });
  after(async () => {
    await app.browser?.close();
    await app.server?.close();
  });
  return app;
}

/** The built app's server, a site of another origin that embeds it, and a browser. */
export interface SuiteSite {
  parley: ParleyServer;
  /** The other site: its address (ends in `/`) and its HTTP server. */
  site: { url: string; server: Server };
  browser: Browser;
}

/** Serves `pages` (path → HTML) on a port of its own on 127.0.0.1: another origin than the app. */
export async function serveSite(
  pages: Record<string, string>,
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const page = pages[req.url ?? ''];
    if (page === undefined) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

/**
 * For one suite: the built app's server, a site of another origin serving the pages `pagesFor`
 * makes from the app's URL, and a browser — started before its tests, stopped after.
 */
export function useAppOnSite(
  pagesFor: (parley: string) => Record<string, string> | Promise<Record<string, string>>,
): SuiteSite {
  const suite = {} as SuiteSite;
  before(async () => {
    suite.parley = await startAppServer();
    suite.site = await serveSite(await pagesFor(suite.parley.url));
    suite.browser = await launchChromium();
  });
  after(async () => {
    await suite.browser?.close();
    suite.site?.server.close();
    await suite.parley?.close();
  });
  return suite;
}

/** The element with the keyboard focus, looked for inside shadow roots: what tests ask of it. */
export interface Focused {
  tag: string;
  ariaLabel: string | null;
  name: string | null;
  text: string;
  classes: string[];
}

/** What has the keyboard focus on `page`, through shadow roots (undefined: nothing). */
export function focusedOn(page: Page): Promise<Focused | undefined> {
  return page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el) return undefined;
    return {
      tag: el.localName,
      ariaLabel: el.getAttribute('aria-label'),
      name: el.getAttribute('name'),
      text: el.textContent ?? '',
      classes: [...el.classList],
    };
  });
}

/** One person: their own browser context (own IndexedDB) and page. */
export interface User {
  context: BrowserContext;
  page: Page;
  /** Script errors and dialogs seen on the page (both must stay empty). */
  problems: string[];
}

/** Opens the app for a new person at `url`. */
export async function openUser(browser: Browser, url: string): Promise<User> {
  const context = await browser.newContext({ viewport: { width: 960, height: 640 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(url);
  return { context, page, problems };
}

/** Fills the login popup and presses `button`. */
export async function loginAs(
  page: Page,
  name: string,
  password: string,
  button: 'Log in' | 'Create account',
) {
  await page.getByRole('textbox', { name: 'Username' }).fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: button }).click();
}

/** Types a message and presses Enter. */
export async function say(page: Page, text: string) {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
}

/**
 * Enters the room passphrase in Settings (opened with `opener`, else the header's Settings
 * button) and saves it: the panel closes and the header shows the room is encrypted.
 */
export async function enterPassphrase(page: Page, passphrase: string, opener?: Locator) {
  await (opener ?? page.getByRole('button', { name: 'Settings' })).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.waitFor();
  // The room's part of the panel is slotted into the dialog: looked up from the page.
  await page.getByLabel('Room passphrase').fill(passphrase);
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
  await page
    .getByRole('img', { name: 'End-to-end encrypted' })
    .first()
    .waitFor({ timeout: 15_000 });
}

/** Waits until `page` shows `text` among its messages (from the list's model). */
export async function shows(page: Page, text: string, timeout = 20_000) {
  await page.waitForFunction(
    (t) => {
      const list = document
        .querySelector('parley-chat')
        ?.shadowRoot?.querySelector('parley-messages') as
        (Element & { messages: Array<{ text: string }> }) | null;
      return list?.messages.some((m) => m.text === t) ?? false;
    },
    text,
    { timeout },
  );
}

/**
 * The texts of the messages in the list, oldest first. Read from the list element's model,
 * because the list is virtualized: only the messages in view are in the DOM.
 */
export function shownTexts(page: Page): Promise<string[]> {
  return listModel(page, 'text');
}

function listModel(page: Page, field: 'text' | 'ownStatus'): Promise<string[]> {
  return page.evaluate((f) => {
    const chat = document.querySelector('parley-chat');
    const list = chat?.shadowRoot?.querySelector('parley-messages') as
      | (Element & {
          messages: Array<{ text: string; status: string; from: { id: string } }>;
          self: string;
        })
      | null;
    if (!list) return [];
    if (f === 'text') return list.messages.map((m) => m.text);
    return list.messages.filter((m) => m.from.id === list.self).map((m) => m.status);
  }, field);
}

/**
 * Opens Settings, picks a transport (and "Use none" for STUN/TURN: no traffic leaves the test),
 * optionally a server list, and saves.
 */
export async function chooseTransport(
  page: Page,
  label: 'Socket.IO relay' | 'WebRTC (peer-to-peer)' | "This browser's tabs",
  servers?: string[],
) {
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.waitFor();
  await dialog.getByRole('radio', { name: label }).check();
  if (servers) await dialog.getByRole('textbox', { name: 'Server URLs' }).fill(servers.join(' '));
  await dialog.locator('summary', { hasText: 'Advanced' }).click();
  await dialog.getByRole('button', { name: 'Use none' }).click();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'hidden' });
}

/** Creates an account in the popup and waits until connected. */
export async function signUp(page: Page, name: string) {
  await page.getByRole('dialog').waitFor();
  await loginAs(page, name, 'correct horse', 'Create account');
  await page.getByRole('dialog').waitFor({ state: 'hidden' });
  await connectedOn(page);
}

/** Waits until the header says the link is up (and no switch is in progress). */
export async function connectedOn(page: Page, timeout = 15_000) {
  await page
    .locator('.conn', { hasText: 'Connected' })
    .filter({ hasNotText: 'switching' })
    .waitFor({ timeout });
}

/** How the roster says each link, as its icon's accessible name. */
export const LINK_WORDS = { relay: 'via the server', direct: 'directly', tab: 'another tab' };

/** Waits until the roster shows `name` reached over `link`. */
export async function rosterShows(
  page: Page,
  name: string,
  link: keyof typeof LINK_WORDS,
  timeout = 15_000,
) {
  await page
    .locator('parley-roster li', { hasText: name })
    .filter({ has: page.locator(`.badge[aria-label="${LINK_WORDS[link]}"]`) })
    .waitFor({ timeout });
}

/**
 * The roster's lines by who and how: "Uma (you)", "Vic · via the server" (the name, the self
 * marker and the link; fingerprints and safety codes are checked by the roster's own tests).
 */
export async function rosterLines(page: Page): Promise<string[]> {
  return page.locator('parley-roster li').evaluateAll((lis) =>
    lis.map((li) => {
      const name = li.querySelector('.name')?.textContent?.trim() ?? '';
      const text = li.querySelector('.you') ? `${name} (you)` : name;
      const link = li.querySelector('.badge')?.getAttribute('aria-label');
      return link ? `${text} · ${link}` : text;
    }),
  );
}

/** A Parley server in its own process (so a test can kill it like a crash would). */
export { freePort, spawnServer, type ServerProcess };

/** Delivery states of our own messages in the list, oldest first. */
export function ownStatuses(page: Page): Promise<string[]> {
  return listModel(page, 'ownStatus');
}

/**
 * Waits until no message of ours on `page` is still being written ("saving…"): a message goes
 * on the wire while it is stored, so others may hear it first, and a page left meanwhile asks
 * to stay (fails after `timeout`).
 */
export async function allStored(page: Page, timeout = 10_000): Promise<void> {
  const end = Date.now() + timeout;
  while ((await ownStatuses(page)).includes('saving') && Date.now() < end)
    await new Promise((r) => setTimeout(r, 50));
  assert.ok(!(await ownStatuses(page)).includes('saving'), 'a message of ours is still saving');
}

/** Waits until every message of ours on `page` shows as delivered (fails after `timeout`). */
export async function allDelivered(page: Page, timeout = 30_000): Promise<void> {
  const end = Date.now() + timeout;
  while ((await ownStatuses(page)).some((s) => s !== 'delivered') && Date.now() < end)
    await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual([...new Set(await ownStatuses(page))], ['delivered']);
}

/** A server in a process of its own (so a test can kill it) and Chromium, for one suite. */
export interface SuiteProcess {
  server: ServerProcess;
  browser: Browser;
}

/**
 * Starts a server process on a free port and Chromium before the enclosing suite's tests and
 * stops both after (the server as it is then: a test may kill and restart it).
 */
export function useServerProcessAndBrowser(): SuiteProcess {
  const suite = {} as SuiteProcess;
  before(async () => {
    suite.server = await spawnServer(await freePort());
    suite.browser = await launchChromium();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.kill();
  });
  return suite;
}

/** Texts that start with `prefix`, as shown. */
export async function numbered(user: User, prefix: string): Promise<string[]> {
  return (await shownTexts(user.page)).filter((t) => t.startsWith(prefix));
}

/** Waits until `user` shows at least `n` messages starting with `prefix`. */
export async function waitForCount(user: User, prefix: string, n: number, timeout = 30_000) {
  const end = Date.now() + timeout;
  while ((await numbered(user, prefix)).length < n) {
    if (Date.now() > end) {
      throw new Error(`${(await numbered(user, prefix)).length} of ${n} "${prefix}…" messages`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Keeps the app's message stores busy with a read-write transaction of our own, as a slow disk
 * or a busy storage thread would: the app's writes wait behind it until the returned
 * `release()` is called.
 */
export async function holdMessageStores(
  page: Page,
  dbName = 'parley',
): Promise<{ release: () => Promise<void> }> {
  // Sent as source text: tsx would wrap a named local function in a helper the page lacks.
  const hold = `new Promise((resolve, reject) => {
    const req = indexedDB.open(${JSON.stringify(dbName)});
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const db = req.result;
      const tx = db.transaction(['messages', 'outbox'], 'readwrite');
      const store = tx.objectStore('messages');
      window.__parleyHeld = true;
      // A transaction lives while it has requests: chain reads until released.
      const spin = () => {
        if (window.__parleyHeld) store.get(['', '']).onsuccess = spin;
      };
      spin();
      tx.oncomplete = () => db.close();
      resolve(true);
    };
  })`;
  await page.evaluate(hold);
  return {
    release: async () => {
      await page.evaluate('window.__parleyHeld = false');
    },
  };
}

/**
 * Runs axe-core on the whole page, shadow roots included; fails on any violation. Evaluated
 * through the DevTools protocol, so the app's Content-Security-Policy does not stand in the way.
 */
export async function checkAxe(page: Page, when: string): Promise<void> {
  const source = await readFile('node_modules/axe-core/axe.min.js', 'utf8');
  await page.evaluate(source);
  const violations = await page.evaluate(async () => {
    type Result = { violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> };
    const axe = (window as unknown as { axe: { run: (d: Document) => Promise<Result> } }).axe;
    const { violations } = await axe.run(document);
    return violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  });
  assert.deepEqual(violations, [], `axe, ${when}`);
}

/** Makes a room from the top bar's form: private unless `pub`. */
export async function newRoom(page: Page, title: string, pub = false) {
  await page.getByRole('textbox', { name: 'Room' }).fill(title);
  if (pub) await page.getByRole('checkbox', { name: 'Public room' }).check();
  await page.getByRole('button', { name: pub ? 'Join' : 'Create', exact: true }).click();
  await page.getByRole('heading', { name: title }).waitFor();
  await connectedOn(page);
}

/** The link Settings' "Copy invite link" gives (read from the field it shows). */
export async function settingsLink(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.waitFor();
  await page.locator('parley-room-lock').getByRole('button', { name: 'Copy invite link' }).click();
  const field = page.getByRole('textbox', { name: 'Invite link' });
  await field.waitFor();
  const link = await field.inputValue();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });
  return link;
}

/**
 * People for one suite of `app`: `open(hash, name)` opens the app at `hash` in a browser
 * context of its own (clipboard allowed), creates the account `name` and waits until connected;
 * every context is closed after the suite. Call it inside a `describe`.
 */
export function suiteUsers(app: SuiteApp): (hash: string, name: string) => Promise<User> {
  const users: User[] = [];
  after(async () => {
    await Promise.all(users.map((u) => u.context.close()));
  });
  return async (hash, name) => {
    const user = await openUser(app.browser, `${app.server.url}/${hash}`);
    await user.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: app.server.url,
    });
    users.push(user);
    await signUp(user.page, name);
    return user;
  };
}

/**
 * Settings → Import identity, a file chosen: types `passphrase`, presses "Replace my identity"
 * and waits until the panel says `words` as its error (`error`) or its notice (`notice`).
 */
export async function replaceIdentity(
  page: Page,
  passphrase: string,
  says: 'error' | 'notice',
  words: string,
): Promise<void> {
  await page.getByLabel("The file's passphrase").fill(passphrase);
  await page.getByRole('button', { name: 'Replace my identity' }).click();
  await page
    .locator(`parley-identity-port [part=${says}]`)
    .getByText(words)
    .waitFor({ timeout: 15_000 });
}
