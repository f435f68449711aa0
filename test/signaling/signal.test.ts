import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ParleyServer } from '../../signaling/server.js';
import { envelope, joinedClient, quiet, startServer, until } from './helpers.js';

const offer = { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' };

describe('signaling', () => {
  let server: ParleyServer;
  const sockets: Array<{ socket: { disconnect(): void } }> = [];
  const join = async (room: string, name: string, p2p = true) => {
    const c = await joinedClient(server.url, room, name, p2p);
    sockets.push(c);
    return c;
  };
  before(async () => {
    server = await startServer({ meshCap: 3 });
  });
  after(async () => {
    sockets.forEach((c) => c.socket.disconnect());
    await server.close();
  });

  it('forwards a signal to a member of the same room, with the sender stamped by the server', async () => {
    const [a, b] = [await join('s1', 'Ann'), await join('s1', 'Bob')];
    // A forged `from` inside the payload is refused; the envelope's `from` is always the server's.
    a.socket.emit('signal:to', b.id, { ...offer, from: b.id });
    a.socket.emit('signal:to', b.id, offer);
    await until(() => b.signals.length === 1 && a.errors.length === 1, 'one signal, one error');
    assert.deepEqual(b.signals[0], { from: a.id, data: offer });
    assert.equal(a.errors[0]!.code, 'malformed');
  });

  it('cannot signal a peer in another room, or one that takes no direct links', async () => {
    const a = await join('s2', 'Ann');
    const other = await join('s3', 'Eve');
    const relayOnly = await join('s2', 'Rel', false);
    a.socket.emit('signal:to', other.id, offer);
    a.socket.emit('signal:to', relayOnly.id, offer);
    a.socket.emit('signal:to', 'no-such-socket', offer);
    relayOnly.socket.emit('signal:to', a.id, offer);
    await until(() => a.errors.length === 3 && relayOnly.errors.length === 1, 'errors');
    assert.deepEqual(
      a.errors.map((e) => e.code),
      ['unknown-peer', 'unknown-peer', 'unknown-peer'],
    );
    assert.equal(relayOnly.errors[0]!.code, 'not-joined');
    await quiet();
    assert.equal(other.signals.length + relayOnly.signals.length + a.signals.length, 0);
  });

  it('answers malformed and oversized signals with an error and keeps serving', async () => {
    const [a, b] = [await join('s4', 'Ann'), await join('s4', 'Bob')];
    const bad: unknown[] = [
      null,
      'offer',
      { type: 'offer', sdp: 42 },
      { type: 'bogus' },
      { type: 'candidate', candidate: 'x' },
      { type: 'offer', sdp: 'x'.repeat(20 * 1024) },
      // Renegotiation is never used (one data channel per pair, no tracks): refused as simple-peer
      // sends it, and as older simple-peer versions did.
      { type: 'renegotiate', renegotiate: true },
      { renegotiate: true },
      { type: 'transceiverRequest', transceiverRequest: { kind: 'audio', init: {} } },
    ];
    for (const data of bad) a.socket.emit('signal:to', b.id, data);
    await until(() => a.errors.length === bad.length, `${bad.length} errors`);
    assert.deepEqual(
      a.errors.map((e) => e.code).sort(),
      [...Array<string>(8).fill('malformed'), 'too-large'].sort(),
    );
    assert.equal(b.signals.length, 0);
    a.socket.emit('signal:to', b.id, {
      type: 'candidate',
      candidate: { candidate: 'candidate:1 1 udp 1 10.0.0.1 9 typ host', sdpMid: '0' },
    });
    await until(() => b.signals.length === 1, 'a good signal after bad ones');
    a.socket.emit('relay:emit', 'chat:message', [envelope('s4', 'relay still fine')]);
    await until(() => b.events.length === 1, 'relay after bad signals');
  });

  it('caps the mesh: past it a newcomer is told and joins as relay-only', async () => {
    const members = [await join('s5', 'One'), await join('s5', 'Two'), await join('s5', 'Three')];
    assert.ok(members.every((m) => m.reply.meshFull === undefined));
    const late = await join('s5', 'Four');
    assert.deepEqual(late.reply.meshFull, { cap: 3 });
    await until(() => members[0]!.joins.length === 3, 'peer-join of the newcomer');
    assert.equal((members[0]!.joins.at(-1) as { p2p: boolean }).p2p, false);
    late.socket.emit('signal:to', members[0]!.id, offer);
    await until(() => late.errors.length === 1, 'newcomer cannot signal');
  });

  it('leaves out the members named in `except`', async () => {
    const [a, b, c] = [await join('s6', 'Ann'), await join('s6', 'Bob'), await join('s6', 'Cy')];
    a.socket.emit('relay:emit', 'chat:message', [envelope('s6', 'not for bob')], [b.id]);
    await until(() => c.events.length === 1, 'delivery to c');
    await quiet();
    assert.equal(b.events.length, 0);
    a.socket.emit('relay:emit', 'chat:message', [envelope('s6', 'x')], 'everyone');
    await until(() => a.errors.length === 1, 'bad except refused');
  });
});
