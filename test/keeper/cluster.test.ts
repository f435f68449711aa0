/**
 * Two nodes sharing Redis, each with its keeper (REDIS_URL: the keepers share their store in
 * Redis): a message sent to node A while its reader is away reaches the reader when she
 * connects to node B, after the keeper of node A was killed with SIGKILL — node B's keeper,
 * started only then, serves it from what the keepers share.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ParleyServer } from '../../signaling/server.js';
import type { BotMessage, ParleyClient } from '../../src/node/index.js';
import { startRedis, type RedisProcess } from '../support/processes.js';
import { startTestServer } from '../support/server.js';
import { bot, tempDir, waitFor } from '../node/helpers.js';
import { acknowledgedBy, allOf, startKeeper, TOKEN, type KeeperProcess } from './helpers.js';

describe('keepers of two nodes with Redis', () => {
  let redis: RedisProcess;
  let a: ParleyServer;
  let b: ParleyServer;
  let dir: string;
  let remove: () => Promise<void>;
  const clients: ParleyClient[] = [];
  const keepers: KeeperProcess[] = [];

  before(async () => {
    ({ dir, remove } = await tempDir());
    redis = await startRedis();
    process.env.PARLEY_KEEPER_TOKEN = TOKEN;
    a = await startTestServer({ host: '127.0.0.1', redisUrl: redis.url });
    b = await startTestServer({ host: '127.0.0.1', redisUrl: redis.url });
  });
  after(async () => {
    clients.forEach((c) => c.close());
    for (const k of keepers) await k.stop();
    await a?.close();
    await b?.close();
    await redis?.stop();
    await remove();
  });

  it("serves on node B what node A's keeper kept, after that keeper was killed", async () => {
    // A dead keeper's claim on the room lapses after 3 s (60 by default).
    const env = { REDIS_URL: redis.url, PARLEY_KEEPER_CLAIM_SECONDS: '3' };
    const keeperA = startKeeper(a.url, `${dir}/a`, env);
    keepers.push(keeperA);
    const idA = await keeperA.id();

    const sender = await bot(a.url, 'sender');
    clients.push(sender);
    const room = await sender.join('two-nodes');
    await keeperA.keeping('two-nodes');
    const kept = acknowledgedBy(room, () => idA);
    const id = await room.send('kept across nodes');
    await allOf(kept, [id], (fn) => room.on('delivered', fn), "node A's keeper's receipt");
    await keeperA.kill();
    sender.close();
    // Node B's keeper starts only now: all it can know of the message is what A's shared.
    const keeperB = startKeeper(b.url, `${dir}/b`, env);
    keepers.push(keeperB);
    await keeperB.id();

    const reader = await bot(b.url, 'reader');
    clients.push(reader);
    const r = await reader.join('two-nodes');
    const got = await waitFor(
      (fn: (m: BotMessage) => void) => r.on('message', fn),
      (m) => m.id === id,
      30_000,
      "the message from node B's keeper",
    );
    assert.equal(got.text, 'kept across nodes');
    await keeperB.keeping('two-nodes'); // it was node B's keeper that served it
  });
});

describe('one keeper per room with Redis', () => {
  let redis: RedisProcess;
  let a: ParleyServer;
  let b: ParleyServer;
  let dir: string;
  let remove: () => Promise<void>;
  const clients: ParleyClient[] = [];
  const keepers: KeeperProcess[] = [];

  before(async () => {
    ({ dir, remove } = await tempDir());
    redis = await startRedis();
    process.env.PARLEY_KEEPER_TOKEN = TOKEN;
    a = await startTestServer({ host: '127.0.0.1', redisUrl: redis.url });
    b = await startTestServer({ host: '127.0.0.1', redisUrl: redis.url });
  });
  after(async () => {
    clients.forEach((c) => c.close());
    for (const k of keepers) await k.stop();
    await a?.close();
    await b?.close();
    await redis?.stop();
    await remove();
  });

  it('keeps a room once, and another node takes it over when its keeper dies', async () => {
    const env = { REDIS_URL: redis.url, PARLEY_KEEPER_CLAIM_SECONDS: '3' };
    const keeperA = startKeeper(a.url, `${dir}/a`, env);
    const keeperB = startKeeper(b.url, `${dir}/b`, env);
    keepers.push(keeperA, keeperB);
    const ids = new Map([
      [await keeperA.id(), keeperA],
      [await keeperB.id(), keeperB],
    ]);
    const sender = await bot(a.url, 'sender');
    clients.push(sender);
    const room = await sender.join('once-room');
    // Both hear of the room; one holds it, the other says another keeper does.
    const holder = await Promise.race(
      [keeperA, keeperB].map((k) => k.keeping('once-room').then(() => k)),
    );
    const other = holder === keeperA ? keeperB : keeperA;
    await other.line((l) => l.msg === 'kept elsewhere' && l.room === 'once-room', 'kept elsewhere');
    assert.ok(
      !other.lines.some((l) => l.msg === 'keeping' && l.room === 'once-room'),
      'both keepers keep the room',
    );
    const holderId = [...ids].find(([, k]) => k === holder)![0];
    const otherId = [...ids].find(([, k]) => k === other)![0];

    const byHolder = acknowledgedBy(room, () => holderId);
    const first = await room.send('before the holder died');
    await allOf(byHolder, [first], (fn) => room.on('delivered', fn), "the holder's receipt");
    await holder.kill();

    // Its claim lapses; the other keeper takes the room and what the holder shared.
    await other.keeping('once-room');
    const byOther = acknowledgedBy(room, () => otherId);
    const second = await room.send('after');
    await allOf(byOther, [second], (fn) => room.on('delivered', fn), "the new holder's receipt");
    sender.close();

    const reader = await bot(b.url, 'reader');
    clients.push(reader);
    const r = await reader.join('once-room');
    const got = new Set<string>();
    await waitFor(
      (fn: (m: BotMessage) => void) => r.on('message', fn),
      (m) => (got.add(m.id), got.has(first) && got.has(second)),
      30_000,
      'both messages from the new holder',
    );
  });
});
