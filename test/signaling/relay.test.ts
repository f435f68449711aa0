import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '../../src/protocol/version.js';
import { envelope, quiet, until, useRelay } from './helpers.js';

describe('relay', () => {
  const relay = useRelay();
  const join = (room: string, name?: string) => relay.join(room, name);

  it('relays to the other members of the room only, with the sender stamped by the server', async () => {
    const [a, b, c] = [
      await join('alpha', 'Ann'),
      await join('alpha', 'Bob'),
      await join('beta', 'Cy'),
    ];
    const env = envelope('alpha', 'hello');
    a.socket.emit('relay:emit', 'chat:message', [env]);
    await until(() => b.events.length === 1, 'delivery to b');
    assert.deepEqual(b.events[0], { from: a.id, event: 'chat:message', args: [env] });
    await quiet();
    assert.equal(a.events.length, 0, 'the sender does not get its own event');
    assert.equal(c.events.length, 0, 'another room hears nothing');
  });

  it('announces peer-join and peer-leave, and lists members on join', async () => {
    const a = await join('gamma', 'Ann');
    const b = await join('gamma', 'Bob');
    await until(() => a.joins.length === 1, 'peer-join');
    assert.equal((a.joins[0] as { id: string; name: string }).id, b.id);
    assert.equal((a.joins[0] as { name: string }).name, 'Bob');
    b.socket.disconnect();
    await until(() => a.leaves.length === 1, 'peer-leave');
    assert.equal(a.leaves[0], b.id);
  });

  it('cannot inject into, or direct a message into, a room it has not joined', async () => {
    const insider = await join('delta', 'Ann');
    const outsider = await join('epsilon', 'Eve');
    outsider.socket.emit('relay:emit', 'chat:message', [envelope('delta', 'sneaky')]);
    outsider.socket.emit('relay:to', insider.id, 'chat:sync-res', [
      { room: 'epsilon', messages: [envelope('epsilon', 'direct')] },
    ]);
    await until(() => outsider.errors.length === 2, 'two errors');
    assert.deepEqual(
      outsider.errors.map((e) => e.code),
      ['wrong-room', 'unknown-peer'],
    );
    await quiet();
    assert.equal(insider.events.length, 0);
  });

  it('delivers relay:to to the named member only', async () => {
    const [a, b, c] = [await join('zeta'), await join('zeta'), await join('zeta')];
    a.socket.emit('relay:to', b.id, 'chat:sync-res', [
      { room: 'zeta', messages: [envelope('zeta', 'psst')] },
    ]);
    await until(() => b.events.length === 1, 'direct delivery');
    assert.equal(b.events[0]!.from, a.id);
    await quiet();
    assert.equal(c.events.length, 0);
  });

  it('answers oversized and malformed events with an error to the sender only, and keeps serving', async () => {
    const [a, b] = [await join('eta', 'Ann'), await join('eta', 'Bob')];
    const cases: Array<[string, ...unknown[]]> = [
      ['relay:emit', 'chat:message', [envelope('eta', 'x'.repeat(70 * 1024))]],
      ['relay:emit', 'chat:message', 'not an array'],
      ['relay:emit', 'chat:nonsense', [{}]],
      ['relay:emit', 'chat:message', [{ ...envelope('eta', 'hi'), ts: 'yesterday' }]],
      ['relay:emit', 'chat:message', [envelope('eta', 'hi'), 'surplus']],
      ['relay:emit', 'open', []],
      ['made-up-frame', 1, 2],
      ['relay:join', { room: '../etc', me: { userId: 'u', name: 'Eve' }, v: PROTOCOL_VERSION }],
      // No version: a client from before versions, told so in words.
      ['relay:join', null],
    ];
    for (const [frame, ...args] of cases) a.socket.emit(frame, ...args);
    await until(() => a.errors.length === cases.length, `${cases.length} errors`);
    // Frames are checked by different handlers, so replies may come in another order.
    assert.deepEqual(
      a.errors.map((e) => e.code).sort(),
      [
        'too-large',
        'malformed',
        'unknown-event',
        'malformed',
        'malformed',
        'unknown-event',
        'unknown-event',
        'invalid-room',
        'incompatible',
      ].sort(),
    );
    assert.match(a.errors.find((e) => e.code === 'too-large')!.message, /over the 65536-byte cap/);
    assert.ok(a.errors.every((e) => e.message.length > 0));
    assert.equal(b.errors.length, 0, 'nobody else is told');
    assert.equal(b.events.length, 0, 'nothing bad was relayed');
    // The join failures above did not move `a` out of its room; the server still relays.
    a.socket.emit('relay:emit', 'chat:message', [envelope('eta', 'still fine')]);
    await until(() => b.events.length === 1, 'delivery after bad frames');
  });

  it('refuses app events before a join', async () => {
    const c = await join('theta');
    const { io } = await import('socket.io-client');
    const stranger = io(relay.server.url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    const errors: Array<{ code: string }> = [];
    stranger.on('relay:error', (e: { code: string }) => errors.push(e));
    stranger.emit('relay:emit', 'chat:message', [envelope('theta', 'hi')]);
    await until(() => errors.length === 1, 'not-joined error');
    assert.equal(errors[0]!.code, 'not-joined');
    stranger.disconnect();
    await quiet();
    assert.equal(c.events.length, 0);
  });

  it('survives garbage frames on the raw WebSocket', async () => {
    const [a, b] = [await join('iota'), await join('iota')];
    const port = new URL(relay.server.url).port;
    const ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    for (const frame of [
      '{not json',
      '40',
      '42["relay:emit",',
      '42[1,2,3]',
      '4',
      '\u0000\u0001',
      '42{"a":1}',
      '451-["x",{"_placeholder":true,"num":0}]',
    ]) {
      if (ws.readyState === WebSocket.OPEN) ws.send(frame);
    }
    ws.send(Buffer.from([0xff, 0x00, 0x13]));
    await quiet(300);
    ws.terminate();
    a.socket.emit('relay:emit', 'chat:message', [envelope('iota', 'alive')]);
    await until(() => b.events.length === 1, 'delivery after garbage');
  });
});
