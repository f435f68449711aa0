/**
 * Join storms: one connection re-joining its room in a loop, within its event rate, must not
 * make the server talk to everyone at its will. A re-join soon after the last is refused as too
 * soon (before its proof is even checked), and an unchanged re-join is answered without
 * telling the others.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REJOIN_GAP_MS } from '../../signaling/relay.js';
import { createIdentity } from '../../src/protocol/identity.js';
import type { JoinReply } from '../../src/protocol/relay-frames.js';
import { provenJoin, quiet, useRelay } from './helpers.js';

describe('join storms', () => {
  const relay = useRelay({ rate: 1000, burst: 1000 });

  it('answers a re-join loop with "too soon" and tells the others nothing', async () => {
    const watcher = await relay.join('storm', 'Watcher');
    const eve = await createIdentity();
    const stormer = await relay.join('storm', 'Eve', { identity: eve });
    await quiet();
    const heard = () => watcher.joins.length + watcher.leaves.length;
    const before = heard();
    const replies: JoinReply[] = [];
    for (let i = 0; i < 200; i++) {
      // Alternating names: each would be a new introduction for everyone to hear.
      const join = await provenJoin(stormer.socket, 'storm', i % 2 ? 'Eve' : 'Eve again', eve);
      replies.push((await stormer.socket.emitWithAck('relay:join', join)) as JoinReply);
    }
    await quiet();
    assert.equal(heard() - before, 0, 'no join or leave reached the others');
    assert.ok(replies.every((r) => !r.ok && r.error.code === 'rate-limited'));
  });

  it('lets a changed introduction through once the gap has passed, an unchanged one quietly', async () => {
    const watcher = await relay.join('calm', 'Watcher');
    const ann = await createIdentity();
    const a = await relay.join('calm', 'Ann', { identity: ann });
    await new Promise((r) => setTimeout(r, REJOIN_GAP_MS + 50));
    const before = watcher.joins.length;
    const same = await provenJoin(a.socket, 'calm', 'Ann', ann);
    const quietly = (await a.socket.emitWithAck('relay:join', same)) as JoinReply;
    assert.equal(quietly.ok, true);
    assert.ok(quietly.ok && quietly.peers.some((p) => p.name === 'Watcher'));
    await quiet();
    assert.equal(watcher.joins.length, before, 'an unchanged introduction is not announced');
    await new Promise((r) => setTimeout(r, REJOIN_GAP_MS + 50));
    const renamed = await provenJoin(a.socket, 'calm', 'Ann B.', ann);
    assert.equal(((await a.socket.emitWithAck('relay:join', renamed)) as JoinReply).ok, true);
    await quiet();
    assert.equal(watcher.joins.length, before + 1, 'the new name is announced');
  });
});
