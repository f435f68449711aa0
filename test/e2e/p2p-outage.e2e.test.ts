import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  allDelivered,
  chooseTransport,
  connectedOn,
  numbered,
  openUser,
  ownStatuses,
  rosterShows,
  say,
  shownTexts,
  signUp,
  spawnServer,
  waitForCount,
  type User,
  useServerProcessAndBrowser,
} from './harness.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const series = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, k) => `${prefix}${String(k + 1).padStart(2, '0')}`);

/** The roster's names, ourselves included. */
async function rosterNames(page: Page): Promise<string[]> {
  return page.locator('parley-roster li .name').allTextContents();
}

describe('WebRTC chat outlives its server', { timeout: 240_000 }, () => {
  const suite = useServerProcessAndBrowser();

  async function user(room: string, name: string, webrtc: boolean): Promise<User> {
    const u = await openUser(suite.browser, `${suite.server.url}/#room=${room}`);
    await signUp(u.page, name);
    if (webrtc) await chooseTransport(u.page, 'WebRTC (peer-to-peer)');
    return u;
  }

  it('two users on WebRTC exchange 20 messages each way through a kill -9; a newcomer gets the history after the restart', async () => {
    const ann = await user('outage', 'Ann', true);
    const ben = await user('outage', 'Ben', true);
    await rosterShows(ann.page, 'Ben', 'direct');
    await rosterShows(ben.page, 'Ann', 'direct');
    await say(ann.page, 'before the outage');
    await waitForCount(ben, 'before', 1);

    await suite.server.kill(); // SIGKILL: no goodbyes from the server
    for (const u of [ann, ben]) {
      await u.page.locator('.conn', { hasText: 'Direct · 2 here' }).waitFor({ timeout: 20_000 });
      await u.page.getByText('The server is unreachable').waitFor();
    }
    const [fromAnn, fromBen] = [series('ann-', 20), series('ben-', 20)];
    for (let k = 0; k < 20; k++) {
      await say(ann.page, fromAnn[k]!);
      await say(ben.page, fromBen[k]!);
    }
    await waitForCount(ben, 'ann-', 20);
    await waitForCount(ann, 'ben-', 20);
    await pause(500); // room for a duplicate to show up, if any
    for (const u of [ann, ben]) {
      assert.deepEqual(await numbered(u, 'ann-'), fromAnn, 'all of Ann’s, once, in order');
      assert.deepEqual(await numbered(u, 'ben-'), fromBen, 'all of Ben’s, once, in order');
      await allDelivered(u.page);
      assert.deepEqual((await rosterNames(u.page)).sort(), ['Ann', 'Ben']);
      assert.equal(await u.page.locator('.conn', { hasText: 'Offline' }).count(), 0);
    }

    suite.server = await spawnServer(suite.server.port);
    await connectedOn(ann.page, 30_000);
    await connectedOn(ben.page, 30_000);
    const cat = await user('outage', 'Cat', false); // over the relay
    await waitForCount(cat, 'ann-', 20);
    await waitForCount(cat, 'ben-', 20);
    await pause(500);
    assert.deepEqual(await numbered(cat, 'ann-'), fromAnn);
    assert.deepEqual(await numbered(cat, 'ben-'), fromBen);
    assert.equal((await shownTexts(cat.page)).filter((t) => t === 'before the outage').length, 1);
    // The link between Ann and Ben never dropped, and nothing came twice when the server returned.
    await rosterShows(ann.page, 'Ben', 'direct');
    for (const u of [ann, ben]) {
      assert.equal((await numbered(u, 'ann-')).length, 20);
      assert.equal((await numbered(u, 'ben-')).length, 20);
      assert.deepEqual(u.problems, []);
    }
    await Promise.all([ann, ben, cat].map((u) => u.context.close()));
  });

  it('a mixed room: the relay-only member’s messages wait for the server, then arrive once; ours reach it too', async () => {
    const dee = await user('mixed', 'Dee', true);
    const eve = await user('mixed', 'Eve', true);
    const fay = await user('mixed', 'Fay', false); // relay only
    await rosterShows(dee.page, 'Eve', 'direct');
    await rosterShows(dee.page, 'Fay', 'relay');
    await rosterShows(fay.page, 'Dee', 'relay');

    await suite.server.kill();
    await dee.page.locator('.conn', { hasText: 'Direct · 2 here' }).waitFor({ timeout: 20_000 });
    await fay.page.locator('.conn', { hasText: 'Offline' }).waitFor({ timeout: 20_000 });
    const [fromFay, fromDee] = [series('fay-', 5), series('dee-', 5)];
    for (const text of fromFay) await say(fay.page, text);
    for (const text of fromDee) await say(dee.page, text);
    await waitForCount(eve, 'dee-', 5);
    await allDelivered(dee.page); // Eve acknowledged them directly
    await pause(1000);
    assert.deepEqual(await numbered(dee, 'fay-'), [], 'Fay’s wait for the server');
    assert.deepEqual([...new Set(await ownStatuses(fay.page))], ['queued']);

    suite.server = await spawnServer(suite.server.port);
    for (const u of [dee, eve]) await waitForCount(u, 'fay-', 5, 40_000);
    await waitForCount(fay, 'dee-', 5, 40_000);
    await pause(1000);
    for (const u of [dee, eve, fay]) {
      assert.deepEqual(await numbered(u, 'fay-'), fromFay, 'Fay’s, once, in order');
      assert.deepEqual(await numbered(u, 'dee-'), fromDee, 'Dee’s, once, in order');
      assert.deepEqual(u.problems, []);
    }
    await allDelivered(fay.page);
    await Promise.all([dee, eve, fay].map((u) => u.context.close()));
  });
});
