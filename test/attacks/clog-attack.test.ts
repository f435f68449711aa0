/**
 * Attack (issue 26 item 3): eight members, each with a valid identity of its own and within
 * the relay's rate limit, send receipts naming 200 made-up ids and catch-up requests for 2,000
 * messages as fast as they may. Before the defence every receipt went onto the victim's one
 * storage queue (200 history reads each), with the victim's own sending behind them: its
 * messages stayed queued, and an honest member's receipt waited behind thousands of reads.
 *
 * The real app in Chromium (Alice), a real relay on 127.0.0.1, an honest raw member (Bob) who
 * acknowledges what he hears, and the eight. Under the attack Alice sends one message: Bob
 * must hear it, Alice must show it delivered, and between her Enter and that, IndexedDB must
 * have been asked for fewer history reads than one clogging receipt costs — so neither her
 * message nor Bob's receipt waited behind the attackers' work (a count, not a time).
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { MAX_ACK_IDS } from '../../src/protocol/chat-events.js';
import type { ParleyServer } from '../../signaling/server.js';
import { benchContext, bundlePage, openBenchPage, PAGE_PATH } from '../../bench/harness.js';
import { launchChromium } from '../support/chromium.js';
import { startTestServer } from '../support/server.js';
import { Cloggers, CLOG_RATE, HonestMember } from './clog-members.js';
import type { ClogPageApi } from './clog-page.js';

const ROOM = 'clog-attack';
const CLOGGERS = 8;
/** How long the attack runs before Alice sends (the queue it built today is what she waited behind). */
const ATTACK_FRAMES = CLOGGERS * CLOG_RATE * 3;
/** Waiting bounds for what must happen (failures, not timed assertions). */
const PATIENCE_MS = 60_000;

let server: ParleyServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const errors: string[] = [];
const bob = new HonestMember();
const cloggers = new Cloggers();

type Api = { bench: ClogPageApi };
/** History reads Alice's page asked of IndexedDB so far. */
const reads = () => page.evaluate(() => (globalThis as unknown as Api).bench.reads());
/** Waits (bounded) until Alice shows her message holding `token` delivered. */
const delivered = (token: string) =>
  page.evaluate(([t, ms]) => (globalThis as unknown as Api).bench.delivered(t, ms), [
    token,
    PATIENCE_MS,
  ] as const);
/** Waits (bounded) until Alice's chat is open with `n` members. */
const ready = (n: number) =>
  page.evaluate((m) => (globalThis as unknown as Api).bench.ready(m, 20_000), n);

before(async () => {
  const script = await bundlePage(new URL('./clog-page.ts', import.meta.url));
  server = await startTestServer();
  browser = await launchChromium();
  context = await benchContext(browser, server.url, script);
  page = await openBenchPage(
    context,
    server.url,
    'Alice',
    errors,
    `${PAGE_PATH}?name=Alice#room=${ROOM}`,
  );
  await ready(1);
  const port = Number(new URL(server.url).port);
  await bob.join(port, ROOM);
  await cloggers.join(port, ROOM, CLOGGERS);
  await ready(2 + CLOGGERS);
});

after(async () => {
  cloggers.close();
  bob.close();
  await browser?.close();
  await server?.close();
});

/** Types `text` into Alice's composer and presses Enter. */
async function send(text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.keyboard.press('Enter');
}

/** Waits (bounded) until Bob heard a message holding `token`. */
async function heard(token: string): Promise<void> {
  const end = Date.now() + PATIENCE_MS;
  while (!bob.find(token)) {
    if (Date.now() > end) throw new Error(`Bob never heard "${token}"`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

it('under eight clogging members our message leaves and is delivered ahead of their work', async () => {
  // Quiet first: the path works, and what one send and its receipt cost in reads.
  await send('quiet hello');
  await heard('quiet hello');
  await delivered('quiet hello');

  cloggers.start(ROOM, bob.heard[0]!.from);
  while (cloggers.sent < ATTACK_FRAMES) await new Promise((r) => setTimeout(r, 20));
  const before = await reads();
  await send('under attack');
  await heard('under attack');
  await delivered('under attack');
  const during = (await reads()) - before;
  cloggers.stop();

  assert.equal(cloggers.errors, 0, 'the relay refused clogging frames: not within its limit');
  assert.equal(bob.heard.filter((h) => h.text.includes('under attack')).length >= 1, true);
  // One receipt of made-up ids stored would cost MAX_ACK_IDS reads; ours costs one or two.
  assert.ok(
    during < MAX_ACK_IDS,
    `${during} history reads between our Enter and "delivered": attackers' work ran first`,
  );
  assert.deepEqual(await page.evaluate(() => (globalThis as unknown as Api).bench.problems()), []);
  assert.deepEqual(errors, []);
});
