/**
 * The member cap across nodes: 20 joins at once, spread over two nodes on a real Redis, admit
 * exactly the cap (each node alone would see too few members to refuse any); a leave gives the
 * seat back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ParleyServer } from '../../signaling/server.js';
import type { JoinReply } from '../../src/protocol/relay-frames.js';
import { startRedis, type RedisProcess } from '../support/processes.js';
import { connected, provenJoin, rawSocket, startServer } from './helpers.js';

describe('the member cap across two nodes', () => {
  let redis: RedisProcess;
  let a: ParleyServer;
  let b: ParleyServer;
  const sockets: ReturnType<typeof rawSocket>[] = [];
  before(async () => {
    redis = await startRedis();
    a = await startServer({ redisUrl: redis.url, maxMembers: 5 });
    b = await startServer({ redisUrl: redis.url, maxMembers: 5 });
  });
  after(async () => {
    sockets.forEach((s) => s.disconnect());
    await Promise.all([a?.close(), b?.close()]);
    await redis?.stop();
  });

  it('admits exactly the cap when 20 joins race on two nodes, and a leave frees a seat', async () => {
    const made = Array.from({ length: 20 }, (_, i) => rawSocket((i % 2 ? a : b).url));
    sockets.push(...made);
    await Promise.all(made.map((s) => connected(s)));
    const joins = await Promise.all(made.map((s, i) => provenJoin(s, 'race', `Racer ${i}`)));
    // All at once: every join is sent before any answer comes back.
    const replies = await Promise.all(
      made.map((s, i) => s.emitWithAck('relay:join', joins[i]) as Promise<JoinReply>),
    );
    const admitted = replies.filter((r) => r.ok).length;
    assert.equal(admitted, 5, `${admitted} of 20 admitted`);
    assert.ok(replies.every((r) => r.ok || r.error.code === 'room-full'));
    // One leaves: one more may come in.
    const inside = made[replies.findIndex((r) => r.ok)]!;
    inside.emit('relay:leave', 'race');
    const late = made[replies.findIndex((r) => !r.ok)]!;
    let again: JoinReply | undefined;
    for (let i = 0; i < 20 && !again?.ok; i++) {
      again = (await late.emitWithAck(
        'relay:join',
        await provenJoin(late, 'race', 'Latecomer'),
      )) as JoinReply;
      if (!again.ok) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(again?.ok, true, 'the seat given back is taken');
  });
});
