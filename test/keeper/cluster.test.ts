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
    const env = { REDIS_URL: redis.url };
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
    assert.ok(keeperB.lines.some((l) => l.msg === 'keeping' && l.room === 'two-nodes'));
  });
});
