/**
 * Directed sends at an absent connection, on two nodes over a real Redis: looking a connection
 * up on the other node costs Redis commands, so a client that sends frame after frame at an id
 * that is not there must cost a bounded number of lookups, not one per frame.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import type { ParleyServer } from '../../signaling/server.js';
import { startRedis, type RedisProcess } from '../support/processes.js';
import { envelope, joinedClient, quiet, startServer, until, type Client } from './helpers.js';

/** Commands Redis has processed so far. */
async function commands(redis: Redis): Promise<number> {
  const info = await redis.info('stats');
  return Number(/total_commands_processed:(\d+)/.exec(info)?.[1]);
}

describe('directed sends at an absent connection (two nodes)', () => {
  let redis: RedisProcess;
  let probe: Redis;
  let a: ParleyServer;
  let b: ParleyServer;
  const clients: Client[] = [];
  before(async () => {
    redis = await startRedis();
    probe = new Redis(redis.url);
    a = await startServer({ redisUrl: redis.url, rate: 1000, burst: 1000 });
    b = await startServer({ redisUrl: redis.url, rate: 1000, burst: 1000 });
  });
  after(async () => {
    clients.forEach((c) => c.socket.disconnect());
    probe?.disconnect();
    await Promise.all([a?.close(), b?.close()]);
    await redis?.stop();
  });

  it('costs a bounded number of Redis commands for 200 frames at one absent id', async () => {
    const eve = await joinedClient(a.url, 'lobby', 'Eve');
    const bob = await joinedClient(b.url, 'lobby', 'Bob');
    clients.push(eve, bob);
    await quiet();
    const quietBefore = await commands(probe);
    await quiet(500);
    // What the two nodes do anyway in half a second (the probe's own INFO included).
    const background = (await commands(probe)) - quietBefore;
    const before = await commands(probe);
    for (let i = 0; i < 200; i++) {
      eve.socket.emit('relay:to', 'nobody-by-this-id', 'chat:sync-res', [
        { room: 'lobby', messages: [envelope('lobby', `${i}`)] },
      ]);
    }
    await until(() => eve.errors.length === 200, 'every frame answered');
    const cost = (await commands(probe)) - before;
    assert.ok(eve.errors.every((e) => e.code === 'unknown-peer'));
    assert.ok(cost <= background + 30, `200 frames at an absent id cost ${cost} commands`);
    // A member who is there is still reached at once.
    eve.socket.emit('relay:to', bob.id, 'chat:sync-res', [
      { room: 'lobby', messages: [envelope('lobby', 'to Bob')] },
    ]);
    await until(() => bob.events.length === 1, 'the directed frame');
  });
});
