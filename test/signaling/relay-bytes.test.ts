/**
 * Issue 23: the relay's binary lane. `relay:bytes` carries a chunk frame (a head and raw bytes,
 * a Socket.IO binary attachment) to one member of the sender's room, under a byte budget per
 * connection of its own; everything else about it is refused to the sender only and never
 * forwarded. Raw Socket.IO clients stand in for hostile members.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Socket } from 'socket.io-client';
import { MAX_CHUNK_FRAME } from '../../src/protocol/file-events.js';
import { quiet, rawSocket, connected, until, useRelay, type Client } from './helpers.js';

const FILE = 'A'.repeat(43);
let rooms = 0;
const freshRoom = () => `bytes-${Date.now().toString(36)}-${rooms++}`;

interface Got {
  from: string;
  head: unknown;
  bytes: Uint8Array;
}

/** Collects the chunk frames `c` receives. */
function chunksOf(c: { socket: Socket }): Got[] {
  const got: Got[] = [];
  c.socket.on('relay:bytes', (from: string, head: unknown, bytes: Uint8Array) =>
    got.push({ from, head, bytes: new Uint8Array(bytes) }),
  );
  return got;
}

const pattern = (n: number, seed: number) =>
  Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 255);
const codes = (c: Client) => c.errors.filter((e) => e.event === 'relay:bytes').map((e) => e.code);

describe('relay:bytes', () => {
  const relay = useRelay({ maxFile: 5_000_000 });

  it('announces the byte budget and the file cap in the join reply', async () => {
    const a = await relay.join(freshRoom());
    const limits = a.reply.limits!;
    assert.ok(limits.bytes && limits.bytes.rate >= 1024 && limits.bytes.burst >= 64 * 1024);
    assert.equal(limits.maxFile, 5_000_000);
  });

  it('carries bytes intact, with their head, to that one member only, in order', async () => {
    const room = freshRoom();
    const [a, b, c] = [await relay.join(room), await relay.join(room), await relay.join(room)];
    const [gotB, gotC] = [chunksOf(b), chunksOf(c)];
    for (let part = 0; part < 5; part++) {
      a.socket.emit(
        'relay:bytes',
        b.id,
        { room, file: FILE, part },
        pattern(MAX_CHUNK_FRAME, part),
      );
    }
    await until(() => gotB.length === 5, 'five chunks at b');
    assert.deepEqual(
      gotB.map((g) => (g.head as { part: number }).part),
      [0, 1, 2, 3, 4],
    );
    gotB.forEach((g, part) => {
      assert.equal(g.from, a.id);
      assert.deepEqual(g.head, { room, file: FILE, part });
      assert.deepEqual(g.bytes, pattern(MAX_CHUNK_FRAME, part));
    });
    await quiet();
    assert.equal(gotC.length, 0, 'the third member got nothing');
    assert.deepEqual(codes(a), []);
  });

  it('refuses a bad head, oversize bytes, non-binary bytes, another room, an unknown peer', async () => {
    const room = freshRoom();
    const other = freshRoom();
    const [a, b, x] = [await relay.join(room), await relay.join(room), await relay.join(other)];
    const [gotB, gotX] = [chunksOf(b), chunksOf(x)];
    const ok = new Uint8Array(100);
    a.socket.emit('relay:bytes', b.id, { room, file: 'short', part: 0 }, ok);
    a.socket.emit('relay:bytes', b.id, { room, file: FILE, part: 0, extra: 1 }, ok);
    a.socket.emit(
      'relay:bytes',
      b.id,
      { room, file: FILE, part: 0 },
      new Uint8Array(MAX_CHUNK_FRAME + 1),
    );
    a.socket.emit('relay:bytes', b.id, { room, file: FILE, part: 0 }, 'not bytes');
    // To a member of a room we are not in, naming that room, then naming ours.
    a.socket.emit('relay:bytes', x.id, { room: other, file: FILE, part: 0 }, ok);
    a.socket.emit('relay:bytes', x.id, { room, file: FILE, part: 0 }, ok);
    a.socket.emit('relay:bytes', 'nobody-here', { room, file: FILE, part: 0 }, ok);
    await until(() => codes(a).length === 7, 'seven refusals');
    assert.deepEqual(codes(a), [
      'malformed',
      'malformed',
      'too-large',
      'malformed',
      'wrong-room',
      'unknown-peer',
      'unknown-peer',
    ]);
    await quiet();
    assert.equal(gotB.length + gotX.length, 0, 'nothing was forwarded');
    assert.ok(a.socket.connected);
  });

  it('refuses chunks before a join', async () => {
    const room = freshRoom();
    const b = await relay.join(room);
    const gotB = chunksOf(b);
    const stranger = rawSocket(relay.server.url);
    const errors: Array<{ code: string }> = [];
    stranger.on('relay:error', (e: { code: string }) => errors.push(e));
    await connected(stranger);
    stranger.emit('relay:bytes', b.id, { room, file: FILE, part: 0 }, new Uint8Array(10));
    await until(() => errors.length === 1, 'a refusal');
    assert.equal(errors[0]!.code, 'not-joined');
    await quiet();
    assert.equal(gotB.length, 0);
    stranger.disconnect();
  });
});

describe('relay:bytes over the byte budget', () => {
  const RATE = 256 * 1024;
  const relay = useRelay({ bytesRate: RATE, bytesBurst: 256 * 1024 });

  it('drops what is over the budget, tells the sender, and keeps it connected', async () => {
    const room = freshRoom();
    const [a, b] = [await relay.join(room), await relay.join(room)];
    const gotB = chunksOf(b);
    const started = Date.now();
    // 4 MiB at once: sixteen times the burst; 64 frames, more than the frame limiter's queue.
    for (let part = 0; part < 64; part++)
      a.socket.emit('relay:bytes', b.id, { room, file: FILE, part }, new Uint8Array(64 * 1024));
    await until(() => codes(a).includes('rate-limited'), 'the sender to be told');
    await quiet(500);
    const elapsed = (Date.now() - started) / 1000;
    const received = gotB.reduce((n, g) => n + g.bytes.byteLength, 0);
    assert.ok(received >= 3 * 64 * 1024, `the burst went through (${received} bytes)`);
    assert.ok(received <= 256 * 1024 + RATE * elapsed, `at most the budget went (${received})`);
    assert.ok(gotB.length < 64, 'frames over the budget were dropped');
    // Told once a second at most, not once per dropped frame.
    assert.ok(codes(a).filter((c) => c === 'rate-limited').length <= 1 + elapsed);
    assert.ok(a.socket.connected, 'the sender stays connected');
    // JSON frames have their own budget: a ping is answered at once.
    const pong = await a.socket.timeout(1000).emitWithAck('relay:ping');
    assert.ok(typeof (pong as { t: number }).t === 'number');
  });

  it('does not count chunks against the 20 frames per second limit', async () => {
    const room = freshRoom();
    const [a, b] = [await relay.join(room), await relay.join(room)];
    const gotB = chunksOf(b);
    // 150 tiny chunks at once: the frame limiter (burst 40, queue 40) would cut the sender off.
    for (let part = 0; part < 150; part++)
      a.socket.emit('relay:bytes', b.id, { room, file: FILE, part }, new Uint8Array(16));
    await until(() => gotB.length === 150, 'every tiny chunk');
    await quiet();
    assert.ok(a.socket.connected);
    assert.ok(!a.errors.some((e) => e.code === 'rate-limited'));
  });
});

describe('a member that does not read', () => {
  const relay = useRelay({ bytesRate: 64 * 1024 * 1024, bytesBurst: 64 * 1024 * 1024 });

  it('is not disconnected because of chunks: they are dropped while it is behind', async () => {
    const room = freshRoom();
    const [a, slow, watcher] = [
      await relay.join(room),
      await relay.join(room),
      await relay.join(room),
    ];
    const engine = (
      slow.socket.io.engine as unknown as {
        transport: { ws: { _socket: { pause(): void }; send(d: string): void; terminate(): void } };
      }
    ).transport.ws;
    engine._socket.pause();
    // It keeps answering pings blindly, as a stalled tab's network stack would.
    const pongs = setInterval(() => engine.send('3'), 500);
    try {
      // 16 MiB of chunks at it, sixteen times the slow-reader cap, paced by our own buffer.
      const ws = (
        a.socket.io.engine as unknown as { transport: { ws: { bufferedAmount: number } } }
      ).transport.ws;
      for (let part = 0; part < 256; part++) {
        while (ws.bufferedAmount > 512 * 1024) await quiet(2);
        a.socket.emit(
          'relay:bytes',
          slow.id,
          { room, file: FILE, part },
          new Uint8Array(64 * 1024),
        );
        if (part % 16 === 0) await quiet(5);
      }
      await quiet(1000);
      assert.ok(!watcher.leaves.includes(slow.id), 'the room did not see it leave');
      assert.ok(a.socket.connected, 'the sender is still connected');
    } finally {
      clearInterval(pongs);
      engine.terminate();
    }
  });
});
