/**
 * Search end to end (issue 24, item 2), in the built app: a bot (the Node client of
 * `src/node`, a real signed member) says 1,000 messages over the relay to a room where Bob's
 * browser stores and indexes them as anyone's; one of them is "the quarterly llama report".
 * After a reload (so the list holds only the newest page), "Search messages" → "Search"
 * finds exactly that message for "llama quart" (prefixes, any case) and "LLÁMA" (any accent),
 * with the match in `<mark>`; choosing it loads the history up to it and shows it in its
 * place, marked (part `highlight`) and focused. "All rooms" finds a message of another room,
 * and choosing it opens that room.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { connect, type BotRoom, type ParleyClient } from '../../src/node/index.js';
import { createIdentity } from '../../src/protocol/identity.js';
import {
  connectedOn,
  focusedOn,
  openUser,
  say,
  shows,
  signUp,
  useAppAndBrowser,
  type User,
} from './harness.js';

const ROOM = 'archive';
const OTHER = 'field-notes';
const TOTAL = 1_000;
/** Where the one message sits: far behind the newest page after a reload. */
const UNIQUE_AT = 100;
const UNIQUE = 'Here is the quarterly llama report, as promised';
const ELSEWHERE = 'the pelican memo is late again';
/** Messages the bot lets wait for a receipt before it says more (well under its outbox cap). */
const IN_FLIGHT = 200;

/** The text of message `i` of the 1,000 (none but one shares a word with the queries). */
const textOf = (i: number) => (i === UNIQUE_AT ? UNIQUE : `filler number ${i} about nothing`);

/** Waits, bounded, until `check` holds. */
async function until(check: () => boolean | Promise<boolean>, what: string, ms = 60_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The list's model: ids and texts of the rows, oldest first, and the highlighted id. */
function listState(page: Page) {
  return page.evaluate(() => {
    const list = document
      .querySelector('parley-chat')
      ?.shadowRoot?.querySelector('parley-messages') as
      (Element & { messages: Array<{ id: string; text: string }>; highlight?: string }) | null;
    return {
      ids: list?.messages.map((m) => m.id) ?? [],
      texts: list?.messages.map((m) => m.text) ?? [],
      highlight: list?.highlight,
    };
  });
}

/**
 * Bob's stored messages and the messages still waiting to be indexed, read from his browser's
 * database (the app's default one; one account in this context). Sent as source text: tsx
 * would wrap a function in helpers the page lacks.
 */
async function storedCounts(page: Page): Promise<[number, number]> {
  return (await page.evaluate(`new Promise((resolve, reject) => {
    const req = indexedDB.open('parley');
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const db = req.result;
      const tx = db.transaction(['messages', 'searchPending']);
      const stored = tx.objectStore('messages').count();
      const pending = tx.objectStore('searchPending').count();
      tx.oncomplete = () => {
        db.close();
        resolve([stored.result, pending.result]);
      };
    };
  })`)) as [number, number];
}

const panel = (page: Page) => page.locator('parley-search');
const field = (page: Page) => page.getByRole('searchbox', { name: 'Search', exact: true });
const results = (page: Page) => panel(page).locator('ul[aria-label="Search results"] > li');

/** Opens the panel from the header (if it is not open) and waits for its field. */
async function openSearch(page: Page) {
  if (!(await field(page).isVisible())) {
    await page.getByRole('button', { name: 'Search messages' }).click();
  }
  await field(page).waitFor();
}

/**
 * Types `query` and waits until the results settle at `want` items. The index is written
 * behind the messages (index-later.ts), so while it is still behind the query is typed again,
 * a bounded number of times, as a user would.
 */
async function search(page: Page, query: string, want: number) {
  const status = panel(page).getByRole('status');
  const end = Date.now() + 30_000;
  for (;;) {
    await field(page).fill('');
    await field(page).fill(query);
    await page.waitForFunction(
      (el) => {
        const t = el?.textContent?.trim() ?? '';
        return t !== '' && t !== 'Searching…';
      },
      await status.elementHandle(),
      { timeout: 10_000 },
    );
    if ((await results(page).count()) === want) return;
    if (Date.now() > end) {
      assert.fail(`"${query}": ${await status.textContent()} (wanted ${want})`);
    }
    await page.waitForTimeout(500);
  }
}

describe('search in the app', { timeout: 420_000 }, () => {
  // The bot says 1,000 messages in seconds and Bob acknowledges each: past the server's
  // per-connection rate for people, which this test is not about.
  const app = useAppAndBrowser({ rate: 10_000, burst: 10_000 });
  let bob: User;
  let client: ParleyClient;
  let bot: BotRoom;
  const sent: string[] = [];

  before(async () => {
    bob = await openUser(app.browser, `${app.server.url}/#room=${ROOM}`);
    await signUp(bob.page, 'Bob');
    client = await connect(app.server.url, {
      name: 'Archive Bot',
      identity: await createIdentity(),
    });
    bot = await client.join(ROOM);
    await until(() => bot.members.size > 0, 'the bot sees Bob');
    const t0 = performance.now();
    for (let i = 0; i < TOTAL; i++) {
      if (bot.unacknowledged >= IN_FLIGHT) {
        await until(() => bot.unacknowledged < IN_FLIGHT / 2, 'receipts from Bob');
      }
      sent.push(await bot.send(textOf(i)));
    }
    // Bob's receipts: every message taken in by his browser (stored just after: see below).
    await until(() => bot.unacknowledged === 0, 'every receipt', 120_000);
    console.error(
      `search e2e: ${TOTAL} messages sent and acknowledged in ${Math.round(performance.now() - t0)} ms`,
    );
  });
  after(async () => {
    client?.close();
    await bob?.context.close();
  });

  it('finds one message among 1,000 by prefixes, any case and accent, and shows it in place', async () => {
    const page = bob.page;
    // The bot leaves first: with nobody to catch up from, what Bob's list holds after the
    // reload is his newest stored page, and the search and the jump read his own storage.
    client.close();
    // Receipts go out once a message is opened; storing it follows in the room's queue
    // (incoming.ts). The reload must find all of them stored and indexed.
    await until(
      async () => {
        const [stored, pending] = await storedCounts(page);
        return stored === TOTAL && pending === 0;
      },
      'every message stored and indexed',
      60_000,
    );
    await page.reload();
    await connectedOn(page);
    await shows(page, textOf(TOTAL - 1));
    const before = await listState(page);
    assert.ok(!before.ids.includes(sent[UNIQUE_AT]!), 'the message is not loaded before the jump');
    assert.ok(before.ids.length < TOTAL - UNIQUE_AT, `${before.ids.length} rows loaded`);

    await openSearch(page);
    const t0 = performance.now();
    await search(page, 'llama quart', 1);
    console.error(`search e2e: "llama quart" answered in ${Math.round(performance.now() - t0)} ms`);
    const hit = results(page).first();
    assert.match((await hit.textContent()) ?? '', /quarterly llama report/);
    const marks = (await hit.locator('mark').allTextContents()).map((m) => m.toLowerCase());
    assert.ok(marks.includes('llama'), `marks: ${JSON.stringify(marks)}`);
    assert.ok(
      marks.some((m) => m.startsWith('quart')),
      `marks: ${JSON.stringify(marks)}`,
    );
    assert.equal((await panel(page).getByRole('status').textContent())?.trim(), '1 result');

    await search(page, 'LLÁMA', 1);
    assert.match((await results(page).first().textContent()) ?? '', /quarterly llama report/);
    assert.deepEqual(
      (await results(page).first().locator('mark').allTextContents()).map((m) => m.toLowerCase()),
      ['llama'],
    );
    // A word no message has finds nothing, and says so.
    await search(page, 'llamas', 0);

    await search(page, 'llama', 1);
    await results(page).first().getByRole('button').click();
    const id = sent[UNIQUE_AT]!;
    await until(async () => (await listState(page)).highlight === id, 'the highlight', 15_000);
    const after = await listState(page);
    const at = after.ids.indexOf(id);
    assert.ok(at > 0, 'the message is in the list, with messages before it');
    // In context: its neighbours around it, and everything newer down to the newest.
    assert.equal(after.texts[at - 1], textOf(UNIQUE_AT - 1));
    assert.equal(after.texts[at + 1], textOf(UNIQUE_AT + 1));
    assert.equal(after.texts.at(-1), textOf(TOTAL - 1));
    const row = page.locator(`li.msg[data-id="${id}"]`);
    await row.waitFor({ timeout: 10_000 });
    assert.match((await row.getAttribute('part')) ?? '', /\bhighlight\b/);
    assert.ok(await row.isVisible(), 'in view');
    await until(
      async () => (await focusedOn(page))?.text.includes('quarterly llama report') ?? false,
      'the row focused',
      10_000,
    );
    assert.equal((await focusedOn(page))?.tag, 'li');
    assert.deepEqual(bob.problems, []);
  });

  it('"All rooms" finds a message of another room, and choosing it opens that room', async () => {
    const page = bob.page;
    await page.getByRole('textbox', { name: 'Room' }).fill(OTHER);
    await page.getByRole('checkbox', { name: 'Public room' }).check();
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await connectedOn(page);
    await say(page, ELSEWHERE);
    await shows(page, ELSEWHERE);
    await page.goto(`${app.server.url}/#room=${ROOM}`);
    await page.getByRole('heading', { level: 1, name: `#${ROOM}` }).waitFor();
    await connectedOn(page);

    await openSearch(page);
    // In this room it is not found; in all rooms it is.
    await search(page, 'pelican', 0);
    await panel(page).getByRole('radio', { name: 'All rooms' }).check();
    await search(page, 'pelican', 1);
    const hit = results(page).first();
    assert.match((await hit.textContent()) ?? '', new RegExp(`#${OTHER}`));
    assert.deepEqual(await hit.locator('mark').allTextContents(), ['pelican']);
    await hit.getByRole('button').click();

    await page.getByRole('heading', { level: 1, name: `#${OTHER}` }).waitFor({ timeout: 15_000 });
    const row = page.locator('li.msg', { hasText: ELSEWHERE });
    await row.waitFor({ timeout: 10_000 });
    await until(
      async () => /\bhighlight\b/.test((await row.getAttribute('part')) ?? ''),
      'the other room’s message highlighted',
      10_000,
    );
    assert.deepEqual(bob.problems, []);
  });
});
