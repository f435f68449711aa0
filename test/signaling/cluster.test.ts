import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort, spawnServer, startRedis, type RedisProcess } from '../support/processes.js';
import type { ParleyServer } from '../../signaling/server.js';
import { envelope, joinedClient, quiet, startServer, until, type Client } from './helpers.js';

/** Two Parley nodes on one real Redis: every room spans both. */
describe('scale-out over Redis', () => {
  let redis: RedisProcess;
  let a: ParleyServer;
  let b: ParleyServer;
  const clients: Client[] = [];
  const join = async (
    server: ParleyServer,
    room: string,
    name: string,
    p2p?: boolean,
    key?: string,
  ) => {
    const c = await joinedClient(server.url, room, name, p2p, key);
    clients.push(c);
    return c;
  };
  before(async () => {
    redis = await startRedis();
    a = await startServer({ redisUrl: redis.url, meshCap: 3, healthDetail: true });
    b = await startServer({ redisUrl: redis.url, meshCap: 3 });
  });
  after(async () => {
    clients.forEach((c) => c.socket.disconnect());
    await Promise.all([a?.close(), b?.close()]);
    await redis?.stop();
  });

  it('reports both nodes in /healthz', async () => {
    const health = (await (await fetch(`${a.url}/healthz`)).json()) as { nodes: number };
    assert.deepEqual(health, { ok: true, connections: 0, nodes: 2, redis: 'up' });
  });

  it('lists members on other nodes, relays both ways and announces joins and leaves', async () => {
    const ann = await join(a, 'lobby', 'Ann');
    const bob = await join(b, 'lobby', 'Bob');
    assert.deepEqual(
      bob.reply.peers.map((p) => p.name),
      ['Ann'],
      'the join lists a member on the other node',
    );
    await until(() => ann.joins.length === 1, 'peer-join across nodes');
    const hi = envelope('lobby', 'from A');
    ann.socket.emit('relay:emit', 'chat:message', [hi]);
    await until(() => bob.events.length === 1, 'A → B');
    assert.deepEqual(bob.events[0], { from: ann.id, event: 'chat:message', args: [hi] });
    bob.socket.emit('relay:to', ann.id, 'chat:sync-res', [
      { room: 'lobby', messages: [envelope('lobby', 'only to Ann')] },
    ]);
    await until(() => ann.events.length === 1, 'B → A, directed');
    assert.equal(ann.events[0]!.from, bob.id);
    bob.socket.disconnect();
    await until(() => ann.leaves.length === 1, 'peer-leave across nodes');
    assert.equal(ann.leaves[0], bob.id);
  });

  it('keeps one connection per id across nodes: the newest, wherever it is, replaces the older', async () => {
    const key = 'k'.repeat(24);
    const old = await join(a, 'keyed', 'Ann', undefined, key);
    const gone = new Promise<string>((r) => old.socket.once('disconnect', r));
    const fresh = await join(b, 'keyed', 'Ann', undefined, key);
    assert.equal(fresh.id, old.id, 'the same id on the other node');
    assert.equal(await gone, 'io server disconnect', 'the older connection, on A, is closed');
    await quiet(300);
    assert.equal(fresh.socket.connected, true, 'the newer one stays');
    const cy = await join(a, 'keyed', 'Cy');
    assert.deepEqual(
      cy.reply.peers.map((p) => p.name),
      ['Ann'],
    );
    cy.socket.emit('relay:to', fresh.id, 'chat:sync-res', [
      { room: 'keyed', messages: [envelope('keyed', 'to the new one')] },
    ]);
    await until(() => fresh.events.length === 1, 'delivery across nodes to the newer connection');
  });

  it('forwards WebRTC signals across nodes, stamped by the server', async () => {
    const ann = await join(a, 'mesh', 'Ann', true);
    const bob = await join(b, 'mesh', 'Bob', true);
    ann.socket.emit('signal:to', bob.id, { type: 'offer', sdp: 'v=0' });
    await until(() => bob.signals.length === 1, 'offer across nodes');
    assert.deepEqual(bob.signals[0], { from: ann.id, data: { type: 'offer', sdp: 'v=0' } });
    bob.socket.emit('signal:to', ann.id, { type: 'answer', sdp: 'v=0' });
    await until(() => ann.signals.length === 1, 'answer back');
  });

  it('keeps rooms apart across nodes: no receiving, injecting, signalling or posing', async () => {
    const ann = await join(a, 'inside', 'Ann', true);
    const eve = await join(b, 'outside', 'Eve', true);
    // A room named after Ann's connection id must not reach what is sent to Ann alone.
    const spy = await join(b, ann.id.replace(/^[^A-Za-z0-9]+/, 'x'), 'Spy');
    eve.socket.emit('relay:emit', 'chat:message', [envelope('inside', 'inject')]);
    eve.socket.emit('relay:to', ann.id, 'chat:sync-res', [
      { room: 'outside', messages: [envelope('outside', 'direct')] },
    ]);
    eve.socket.emit('signal:to', ann.id, { type: 'offer', sdp: 'v=0' });
    eve.socket.emit('signal:to', 'room:inside', { type: 'offer', sdp: 'v=0' });
    await until(() => eve.errors.length === 4, 'four refusals');
    assert.deepEqual(
      eve.errors.map((e) => e.code),
      ['wrong-room', 'unknown-peer', 'unknown-peer', 'unknown-peer'],
    );
    // Posing: whatever the payload says, receivers learn the real connection id.
    const bob = await join(b, 'inside', 'Bob', true);
    bob.socket.emit('relay:emit', 'chat:message', [
      envelope('inside', 'hi', { from: { id: ann.me.userId, name: 'Ann', key: ann.me.key } }),
    ]);
    await until(() => ann.events.length === 1, 'Bob’s message');
    assert.equal(ann.events[0]!.from, bob.id, 'stamped with the sender’s real id');
    await quiet();
    assert.equal(ann.signals.length, 0);
    assert.equal(spy.events.length, 0);
    assert.equal(eve.events.length, 0);
  });

  it('caps the mesh and the members of a room across nodes', async () => {
    const small = await startServer({ redisUrl: redis.url, maxMembers: 3 });
    try {
      await join(a, 'crowd', 'Ann', true);
      await join(b, 'crowd', 'Bob', true);
      await join(small, 'crowd', 'Cy', true);
      await assert.rejects(join(small, 'crowd', 'Dee', true), /"crowd" is full \(3 members\)/);
      const late = await join(a, 'crowd', 'Dee', true);
      assert.deepEqual(late.reply.meshFull, { cap: 3 }, 'mesh cap counts members on every node');
    } finally {
      await small.close();
    }
  });
});

/** Real processes: one is killed, its members' goodbyes never come. */
describe('a node dies', () => {
  let redis: RedisProcess;
  after(async () => {
    await redis?.stop();
  });

  it('tells the members on other nodes who is left, and the rest keeps working', async () => {
    redis = await startRedis();
    const env = { REDIS_URL: redis.url, PARLEY_STATIC_DIR: '/nonexistent' };
    const nodeA = await spawnServer(await freePort(), env);
    const nodeB = await spawnServer(await freePort(), env);
    const members: string[][] = [];
    try {
      const ann = await joinedClient(nodeA.url, 'vigil', 'Ann');
      const bob = await joinedClient(nodeB.url, 'vigil', 'Bob');
      bob.socket.on('relay:members', (_room: string, ids: string[]) => members.push(ids));
      await until(() => ann.joins.length === 1, 'Bob seen by Ann');
      await nodeA.kill();
      await until(() => members.some((ids) => !ids.includes(ann.id)), 'a roster without Ann', 8000);
      assert.ok(members.at(-1)!.includes(bob.id));
      const cy = await joinedClient(nodeB.url, 'vigil', 'Cy');
      assert.deepEqual(
        cy.reply.peers.map((p) => p.name),
        ['Bob'],
        'Ann is not listed',
      );
      cy.socket.emit('relay:emit', 'chat:message', [envelope('vigil', 'after')]);
      await until(() => bob.events.length === 1, 'chat goes on');
      [ann, bob, cy].forEach((c) => c.socket.disconnect());
    } finally {
      await Promise.all([nodeA.kill(), nodeB.kill()]);
    }
  });
});
