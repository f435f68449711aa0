import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { peerIdFor } from '../../signaling/peer-id.js';
import type { ParleyServer } from '../../signaling/server.js';
import { envelope, quiet, startServer, until, useRelay } from './helpers.js';

const KEY_A = 'a'.repeat(24);
const KEY_B = 'b'.repeat(24);

describe('connection ids that survive reconnection', () => {
  const relay = useRelay();
  const join = (room: string, name: string, key?: unknown, on?: ParleyServer) =>
    relay.join(room, name, { key, url: on?.url });

  it('gives a connection with a key the same id after reconnecting, and on another server', async () => {
    const first = await join('keep', 'Ann', KEY_A);
    first.socket.disconnect();
    const again = await join('keep', 'Ann', KEY_A);
    assert.equal(again.id, first.id, 'same id after a reconnection');
    assert.equal(again.id.length, 24);
    const other = await startServer();
    try {
      const elsewhere = await join('keep', 'Ann', KEY_A, other);
      assert.equal(elsewhere.id, first.id, 'same id on a restarted or other node');
    } finally {
      await other.close();
    }
    const bob = await join('keep', 'Bob', KEY_B);
    assert.notEqual(bob.id, first.id, 'another key, another id');
  });

  it('cannot be made to hand out a chosen id: the id is a hash of the secret', async () => {
    const victim = await join('claim', 'Ann', KEY_A);
    const watcher = await join('claim', 'Wes');
    // Knowing the victim's public id does not help: sent as a key it hashes to something else.
    const thief = await join('claim', 'Eve', victim.id);
    assert.notEqual(thief.id, victim.id);
    thief.socket.emit('relay:emit', 'chat:message', [envelope('claim', 'as Ann?')]);
    await until(() => watcher.events.length === 1, 'the relayed message');
    assert.equal(watcher.events[0]!.from, thief.id, 'stamped with the thief’s own id');
  });

  it('falls back to the Socket.IO id for a missing or unusable key, without harm', async () => {
    for (const key of [undefined, 42, 'short', 'x'.repeat(65), 'bad key with spaces!!!!!', {}]) {
      const c = await join('plain', 'Pat', key);
      assert.equal(c.id, c.socket.id, `key ${JSON.stringify(key)}`);
      assert.equal(c.id.length, 20, 'Socket.IO ids are 20 characters, derived ones 24');
    }
    assert.equal(peerIdFor({ key: KEY_A }, 'sock').length, 24);
    assert.equal(peerIdFor(null, 'sock'), 'sock');
  });

  it('a late leave of an older connection names its join, and the newer one keeps receiving', async () => {
    const watcher = await join('late', 'Wes');
    const old = await join('late', 'Ann', KEY_A);
    const fresh = await join('late', 'Ann', KEY_A); // reconnected before the old one was noticed
    assert.equal(fresh.id, old.id);
    assert.ok(fresh.reply.since >= old.reply.since);
    old.socket.disconnect();
    await until(() => watcher.leaves.length === 1, 'the old connection leaves');
    assert.equal(watcher.leaves[0], old.id);
    assert.equal(watcher.leaveSince[0], old.reply.since, 'the leave names the join it ends');
    watcher.socket.emit('relay:to', fresh.id, 'chat:sync-res', [
      { room: 'late', messages: [envelope('late', 'still here?')] },
    ]);
    await until(() => fresh.events.length === 1, 'direct delivery to the newer connection');
    await quiet();
    assert.deepEqual(watcher.errors, []);
  });

  it('gives one id to one connection: a second with the same key replaces the first', async () => {
    const watcher = await join('one', 'Wes');
    const first = await join('one', 'Ann', KEY_B);
    const gone = new Promise<string>((r) => first.socket.once('disconnect', r));
    const second = await join('one', 'Ann', KEY_B);
    assert.equal(second.id, first.id);
    assert.equal(await gone, 'io server disconnect', 'the older connection is closed');
    watcher.socket.emit('relay:to', second.id, 'chat:sync-res', [
      { room: 'one', messages: [envelope('one', 'just once')] },
    ]);
    await until(() => second.events.length === 1, 'delivery to the newer connection');
    await quiet();
    assert.equal(first.events.length, 0, 'never to the replaced one');
    // The room counts its members once each.
    const third = await join('one', 'Cy');
    assert.deepEqual(third.reply.peers.map((p) => p.name).sort(), ['Ann', 'Wes']);
  });
});
