/**
 * Join storms: one connection re-joining its room in a loop, within its event rate, must not
 * make the server talk to everyone at its will. A re-join soon after the last is refused as too
 * soon (before its proof is even checked), and an unchanged re-join is answered without
 * telling the others; a leave/join loop is held to the same gap; and however many connections
 * come and go at once, the others get their changes gathered into a few presence frames.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REJOIN_GAP_MS } from '../../signaling/relay.js';
import { createIdentity } from '../../src/protocol/identity.js';
import type { JoinReply } from '../../src/protocol/relay-frames.js';
import { connected, provenJoin, quiet, rawSocket, until, useRelay } from './helpers.js';

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

  it('holds a leave/join loop to the same gap', async () => {
    const watcher = await relay.join('loop', 'Watcher');
    const eve = await createIdentity();
    const stormer = await relay.join('loop', 'Eve', { identity: eve });
    await quiet();
    const before = watcher.joins.length;
    const replies: JoinReply[] = [];
    for (let i = 0; i < 50; i++) {
      stormer.socket.emit('relay:leave', 'loop');
      const join = await provenJoin(stormer.socket, 'loop', 'Eve', eve);
      replies.push((await stormer.socket.emitWithAck('relay:join', join)) as JoinReply);
    }
    await quiet();
    assert.ok(replies.every((r) => !r.ok && r.error.code === 'rate-limited'));
    assert.equal(watcher.joins.length, before, 'no join was announced');
    assert.equal(watcher.leaves.length, 1, 'one leave, the first');
  });

  it('gathers many connections coming and going into a few presence frames', async () => {
    const watcher = await relay.join('crowd', 'Watcher');
    await quiet();
    const framesBefore = watcher.presenceFrames.length;
    const crowd = Array.from({ length: 24 }, () => rawSocket(relay.server.url));
    try {
      await Promise.all(crowd.map((s) => connected(s)));
      const joins = await Promise.all(crowd.map((s, i) => provenJoin(s, 'crowd', `Guest ${i}`)));
      // All at once, as a reconnecting crowd or a connect loop would.
      const replies = await Promise.all(
        crowd.map((s, i) => s.emitWithAck('relay:join', joins[i]) as Promise<JoinReply>),
      );
      assert.ok(replies.every((r) => r.ok));
      for (const s of crowd) s.disconnect();
      await until(() => watcher.leaves.length === crowd.length, 'every leave');
      assert.equal(watcher.joins.length, crowd.length, 'every join');
      const frames = watcher.presenceFrames.length - framesBefore;
      // 48 changes; one frame per window at most (4 windows' slack for a slow machine).
      assert.ok(frames <= 6, `${frames} presence frames for ${crowd.length * 2} changes`);
    } finally {
      for (const s of crowd) s.disconnect();
    }
  });
});
