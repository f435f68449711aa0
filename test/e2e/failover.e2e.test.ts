import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { startRedis, type RedisProcess } from '../support/processes.js';
import {
  allDelivered,
  chooseTransport,
  connectedOn,
  freePort,
  launchChromium,
  numbered,
  openUser,
  rosterShows,
  say,
  signUp,
  spawnServer,
  waitForCount,
  type ServerProcess,
  type User,
} from './harness.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Two server processes on one real Redis, users spread over both. */
describe('two nodes over Redis, one dies', { timeout: 240_000 }, () => {
  let redis: RedisProcess;
  let nodeA: ServerProcess;
  let nodeB: ServerProcess;
  let browser: Browser;
  before(async () => {
    redis = await startRedis();
    nodeA = await spawnServer(await freePort(), { REDIS_URL: redis.url });
    nodeB = await spawnServer(await freePort(), { REDIS_URL: redis.url });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await Promise.all([nodeA?.kill(), nodeB?.kill()]);
    await redis?.stop();
  });

  /** A user whose page came from `home`, with both nodes listed, `home` first. */
  async function userOn(home: ServerProcess, room: string, name: string, webrtc = false) {
    const other = home === nodeA ? nodeB : nodeA;
    const u = await openUser(browser, `${home.url}/#room=${room}`);
    await signUp(u.page, name);
    const label = webrtc ? 'WebRTC (peer-to-peer)' : 'Socket.IO relay';
    await chooseTransport(u.page, label, [home.url, other.url]);
    await connectedOn(u.page);
    return u;
  }

  it('over WebRTC: users on different nodes are introduced and link directly', async () => {
    const cy = await userOn(nodeA, 'mesh', 'Cy', true);
    const dee = await userOn(nodeB, 'mesh', 'Dee', true);
    await rosterShows(cy.page, 'Dee', 'direct');
    await rosterShows(dee.page, 'Cy', 'direct');
    await say(cy.page, 'p2p-1');
    await waitForCount(dee, 'p2p-', 1);
    await Promise.all([cy, dee].map((u) => u.context.close()));
  });

  it('over WebRTC: A dies and its user fails over to B; the direct link carries on meanwhile', async () => {
    const eli = await userOn(nodeA, 'mesh-failover', 'Eli', true);
    const fox = await userOn(nodeB, 'mesh-failover', 'Fox', true);
    await rosterShows(eli.page, 'Fox', 'direct');
    await rosterShows(fox.page, 'Eli', 'direct');
    const badges = new Set<string>();
    let watching = true;
    const watch = (async () => {
      while (watching) {
        const badge = eli.page.locator('parley-roster li', { hasText: 'Fox' }).locator('.badge');
        badges.add(
          (await badge.count()) ? ((await badge.getAttribute('aria-label')) ?? '') : 'gone',
        );
        await pause(50);
      }
    })();
    await nodeA.kill();
    const sent = Array.from({ length: 10 }, (_, k) => `hop-${String(k + 1).padStart(2, '0')}`);
    for (const text of sent) {
      await say(eli.page, text);
      await pause(100);
    }
    await connectedOn(eli.page, 20_000); // on B now
    await waitForCount(fox, 'hop-', 10);
    watching = false;
    await watch;
    assert.deepEqual([...badges], ['directly'], 'Fox stayed linked directly the whole time');
    await pause(500);
    assert.deepEqual(await numbered(fox, 'hop-'), sent, 'once each, in order');
    await allDelivered(eli.page, 20_000);
    await Promise.all([eli, fox].map((u) => u.context.close()));
    nodeA = await spawnServer(nodeA.port, { REDIS_URL: redis.url });
  });

  it('over Socket.IO: users on A and B chat; A is killed and its users move to B, losing nothing', async () => {
    const ann = await userOn(nodeA, 'relay', 'Ann');
    const bob = await userOn(nodeB, 'relay', 'Bob');
    await rosterShows(ann.page, 'Bob', 'relay');
    await rosterShows(bob.page, 'Ann', 'relay');
    const users: User[] = [ann, bob];
    const label = (i: number, k: number) => `f-${i ? 'b' : 'a'}${String(k).padStart(2, '0')}`;
    const senders = users.map(async (u, i) => {
      for (let k = 1; k <= 40; k++) {
        await say(u.page, label(i, k));
        await pause(40);
      }
    });
    await waitForCount(bob, 'f-a', 10);
    await nodeA.kill();
    await Promise.all(senders);
    const all = users.flatMap((_, i) => Array.from({ length: 40 }, (_, k) => label(i, k + 1)));
    for (const u of users) await waitForCount(u, 'f-', 80, 60_000);
    await pause(500);
    const lists = await Promise.all(users.map((u) => numbered(u, 'f-')));
    for (const list of lists) {
      assert.equal(list.length, 80, 'every message exactly once');
      assert.deepEqual([...list].sort(), [...all].sort());
      assert.deepEqual(list, lists[0], 'same order for both');
    }
    // Ann is on B now; Bob's roster lost her old connection and shows her once.
    await rosterShows(bob.page, 'Ann', 'relay');
    const anns = await bob.page.locator('parley-roster li', { hasText: 'Ann' }).count();
    assert.equal(anns, 1, 'Ann listed once');
    for (const u of users) {
      await allDelivered(u.page, 30_000);
      assert.deepEqual(u.problems, []);
    }
  });
});
