import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  allDelivered,
  chooseTransport,
  connectedOn,
  holdMessageStores,
  numbered,
  openUser,
  ownStatuses,
  rosterLines,
  rosterShows,
  say,
  shownTexts,
  signUp,
  spawnServer,
  useAppAndBrowser,
  waitForCount,
  type User,
  useServerProcessAndBrowser,
} from './harness.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const label = (i: number, k: number) => `u${i}-${String(k).padStart(3, '0')}`;

describe('no message lost when the server is killed', { timeout: 240_000 }, () => {
  const suite = useServerProcessAndBrowser();

  it('three users keep sending through a kill -9 and restart: all 300 messages, once each, same order', async () => {
    const users: User[] = [];
    for (const name of ['Lea', 'Max', 'Ned']) {
      const u = await openUser(suite.browser, `${suite.server.url}/#room=outage`);
      await signUp(u.page, name);
      users.push(u);
    }
    await rosterShows(users[0]!.page, 'Ned', 'relay');
    let outage = false;
    const queuedSeen = new Set<number>();
    const senders = users.map(async (u, i) => {
      for (let k = 1; k <= 100; k++) {
        await say(u.page, label(i, k));
        if (outage && (await ownStatuses(u.page)).includes('queued')) queuedSeen.add(i);
        await pause(15);
      }
    });
    await waitForCount(users[0]!, 'u0-', 30);
    await suite.server.kill();
    outage = true;
    await users[0]!.page.locator('.conn', { hasText: 'Offline' }).waitFor();
    await pause(1500);
    suite.server = await spawnServer(suite.server.port);
    outage = false;
    await Promise.all(senders);
    const all = users.flatMap((_, i) => Array.from({ length: 100 }, (_, k) => label(i, k + 1)));
    for (const [i, u] of users.entries()) {
      await waitForCount(u, 'u', 300, 60_000).catch(async (err: Error) => {
        const have = new Set(await numbered(u, 'u'));
        const missing = all.filter((m) => !have.has(m));
        throw new Error(`user ${i}: ${err.message}; missing ${missing.join(' ')}`, { cause: err });
      });
    }
    await pause(500);
    const lists = await Promise.all(users.map((u) => numbered(u, 'u')));
    for (const list of lists) {
      assert.equal(list.length, 300, 'exactly once');
      assert.deepEqual([...list].sort(), [...all].sort());
      assert.deepEqual(list, lists[0], 'same order for everyone');
    }
    assert.ok(queuedSeen.size > 0, 'messages written during the outage showed as queued');
    for (const u of users) {
      await allDelivered(u.page, 30_000);
    }
  });
});

describe('offline, reload, history catch-up and presence', { timeout: 240_000 }, () => {
  const app = useAppAndBrowser();

  it('20 messages written offline survive a reload and are delivered exactly once', async () => {
    // A reload right after the last message shows as queued must lose nothing, even when
    // storage is slow: the app's writes are held up for a while by a transaction of ours.
    const [ola, pia] = [
      await openUser(app.browser, `${app.server.url}/#room=offline`),
      await openUser(app.browser, `${app.server.url}/#room=offline`),
    ];
    await signUp(ola.page, 'Ola');
    await signUp(pia.page, 'Pia');
    await ola.page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await ola.context.setOffline(true);
    await ola.page.locator('.conn', { hasText: 'Offline' }).waitFor();
    const hold = await holdMessageStores(ola.page);
    for (let k = 1; k <= 20; k++) await say(ola.page, `off-${String(k).padStart(2, '0')}`);
    const statuses = await ownStatuses(ola.page);
    assert.deepEqual(new Set(statuses), new Set(['saving']), 'saving while storage is busy');
    await hold.release();
    // What the chat shows as queued is stored: reload the moment all 20 say so.
    await ola.page.waitForFunction(
      () => {
        const chat = document.querySelector('parley-chat');
        const list = chat?.shadowRoot?.querySelector('parley-messages') as
          (Element & { messages: Array<{ status: string }> }) | null;
        const own = list?.messages ?? [];
        return own.length === 20 && own.every((m) => m.status === 'queued');
      },
      undefined,
      { timeout: 15_000 },
    );
    await ola.page.reload(); // still offline: the service worker serves the app
    assert.deepEqual(ola.problems, [], 'no "leave page?" question: nothing was left unsaved');
    await waitForCount(ola, 'off-', 20);
    assert.deepEqual([...new Set(await ownStatuses(ola.page))], ['queued']);
    await ola.context.setOffline(false);
    await connectedOn(ola.page);
    await waitForCount(pia, 'off-', 20);
    await pause(500);
    const want = Array.from({ length: 20 }, (_, k) => `off-${String(k + 1).padStart(2, '0')}`);
    assert.deepEqual(await numbered(pia, 'off-'), want);
    await allDelivered(ola.page, 20_000);
  });

  for (const transport of ['Socket.IO relay', 'WebRTC (peer-to-peer)'] as const) {
    it(`over ${transport}: a returning user catches up 50 messages from a peer, a newcomer gets the history`, async () => {
      const room = transport.startsWith('Socket') ? 'catchup-sio' : 'catchup-rtc';
      const [quin, rex, sue] = [
        await openUser(app.browser, `${app.server.url}/#room=${room}`),
        await openUser(app.browser, `${app.server.url}/#room=${room}`),
        await openUser(app.browser, `${app.server.url}/#room=${room}`),
      ];
      for (const [u, name] of [
        [quin, 'Quin'],
        [rex, 'Rex'],
        [sue, 'Sue'],
      ] as const) {
        await signUp(u.page, name);
        if (transport.startsWith('WebRTC')) await chooseTransport(u.page, transport);
      }
      await say(sue.page, 'before the break');
      await rex.page.locator('li.msg', { hasText: 'before the break' }).waitFor();
      // Sue goes away (tab closed); the server keeps nothing for her.
      const sueContext = sue.context;
      await sue.page.close();
      await rosterShows(quin.page, 'Rex', transport.startsWith('WebRTC') ? 'direct' : 'relay');
      for (let k = 1; k <= 50; k++) await say(quin.page, `away-${String(k).padStart(2, '0')}`);
      await waitForCount(rex, 'away-', 50);
      // She comes back: her history is in her browser, the rest comes from a peer.
      const back = await sueContext.newPage();
      await back.goto(`${app.server.url}/#room=${room}`);
      await connectedOn(back);
      const sueAgain: User = { context: sueContext, page: back, problems: [] };
      await waitForCount(sueAgain, 'away-', 50);
      assert.deepEqual(
        await numbered(sueAgain, 'away-'),
        Array.from({ length: 50 }, (_, k) => `away-${String(k + 1).padStart(2, '0')}`),
      );
      assert.equal((await shownTexts(back)).filter((t) => t === 'before the break').length, 1);
      // A newcomer receives the recent history.
      const tim = await openUser(app.browser, `${app.server.url}/#room=${room}`);
      await signUp(tim.page, 'Tim');
      await waitForCount(tim, 'away-', 50);
      assert.equal((await shownTexts(tim.page)).length, 51);
    });
  }

  it('closing a tab removes its user from the roster; reloads leave no duplicates', async () => {
    const [uma, vic] = [
      await openUser(app.browser, `${app.server.url}/#room=presence`),
      await openUser(app.browser, `${app.server.url}/#room=presence`),
    ];
    await signUp(uma.page, 'Uma');
    await signUp(vic.page, 'Vic');
    await rosterShows(uma.page, 'Vic', 'relay');
    for (let i = 0; i < 3; i++) {
      await vic.page.reload();
      await connectedOn(vic.page);
    }
    await pause(300);
    const lines = () => rosterLines(uma.page);
    assert.deepEqual(await lines(), ['Uma (you)', 'Vic · via the server']);
    await vic.page.close();
    await uma.page
      .locator('parley-roster li', { hasText: 'Vic' })
      .waitFor({ state: 'detached', timeout: 15_000 });
    assert.deepEqual(await lines(), ['Uma (you)']);
  });

  it('shows "… is typing" and clears it by itself', async () => {
    const [wes, xia] = [
      await openUser(app.browser, `${app.server.url}/#room=typing`),
      await openUser(app.browser, `${app.server.url}/#room=typing`),
    ];
    await signUp(wes.page, 'Wes');
    await signUp(xia.page, 'Xia');
    await rosterShows(wes.page, 'Xia', 'relay');
    await xia.page.getByRole('textbox', { name: 'Message' }).fill('half a thought');
    await wes.page.getByText('Xia is typing…').waitFor();
    await wes.page.getByText('Xia is typing…').waitFor({ state: 'detached', timeout: 15_000 });
  });
});
