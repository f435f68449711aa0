/**
 * Raw Socket.IO clients against a real relay, and what reaches a real SocketIoTransport (the
 * browser's relay transport runs in Node too) on the other side: the relay and the transport's
 * receive check together keep every listener's meta the server's.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { ChatEvents } from '../../src/protocol/chat-events.js';
import type { TransportError } from '../../src/transport/errors.js';
import { SocketIoTransport } from '../../src/transport/socketio.js';
import type { EventMeta } from '../../src/transport/types.js';
import { testSigner } from '../support/identity.js';
import { envelope, quiet, until, useRelay } from './helpers.js';

/** A real relay transport in `room`, recording what its listeners hear. */
async function listener(url: string, room: string, opened: Array<{ close(): void }>) {
  const t = new SocketIoTransport<ChatEvents>({ url, signer: await testSigner() });
  opened.push(t);
  const heard: Array<{ text: unknown; from: string; extra: number }> = [];
  t.on('chat:message', (env, ...rest) => {
    const meta = rest.at(-1) as EventMeta;
    heard.push({
      text: (env.body as { text?: unknown }).text,
      from: meta.from,
      extra: rest.length - 1,
    });
  });
  const errors: TransportError[] = [];
  t.on('error', (e) => errors.push(e));
  await t.connect(room, { userId: 'listener-id', name: 'Listener' });
  return { t, heard, errors };
}

describe('hostile raw clients against the relay and a real transport', () => {
  const relay = useRelay();
  const opened: Array<{ close(): void }> = [];
  after(() => opened.splice(0).forEach((t) => t.close()));

  it('a body the relay passes (40 levels deep) stops at the transport’s receive check', async () => {
    const { heard } = await listener(relay.server.url, 'h1', opened);
    const eve = await relay.join('h1', 'Eve');
    const watcher = await relay.join('h1', 'Watcher');
    let deep: Record<string, unknown> = { text: 'deep' };
    for (let i = 0; i < 40; i++) deep = { inner: deep };
    // The relay checks everything but the body (later ciphertext), so it carries this on.
    eve.socket.emit('relay:emit', 'chat:message', [envelope('h1', 'x', { body: deep })]);
    eve.socket.emit('relay:emit', 'chat:message', [envelope('h1', 'plain')]);
    await until(() => watcher.events.length === 2, 'both relayed to a raw client');
    await until(() => heard.length > 0, 'the plain one at the transport');
    await quiet();
    assert.deepEqual(heard, [{ text: 'plain', from: eve.id, extra: 0 }]);
    assert.equal(eve.errors.length, 0, 'the relay itself refused nothing');
  });

  it('surplus arguments and odd names never get past the relay: the meta stays the server’s', async () => {
    const { heard } = await listener(relay.server.url, 'h2', opened);
    const eve = await relay.join('h2', 'Eve');
    const env = envelope('h2', 'hi');
    eve.socket.emit('relay:emit', 'chat:message', [env, { from: 'someone-else' }]);
    eve.socket.emit('relay:emit', 'chat:message', [env, null]);
    for (const name of [
      'open',
      'peer-leave',
      '__proto__',
      'constructor',
      'hasOwnProperty',
      'toString',
    ])
      eve.socket.emit('relay:emit', name, [env]);
    eve.socket.emit('relay:emit', 'chat:message', [envelope('h2', 'plain')]);
    await until(() => heard.length > 0, 'the plain one');
    await until(() => eve.errors.length === 8, 'eight refusals');
    await quiet();
    assert.deepEqual(heard, [{ text: 'plain', from: eve.id, extra: 0 }]);
    assert.deepEqual(
      eve.errors.map((e) => e.code).sort(),
      ['malformed', 'malformed', ...Array(6).fill('unknown-event')].sort(),
    );
  });

  it('both ends measure the cap alike: exactly 64 KiB of UTF-8 arrives, one byte more is refused', async () => {
    const { heard } = await listener(relay.server.url, 'h3', opened);
    const eve = await relay.join('h3', 'Eve');
    const cap = 64 * 1024;
    const base = JSON.stringify([envelope('h3', '')]).length;
    const fill = cap - base;
    // '€' is 3 bytes in UTF-8 and 1 UTF-16 unit: a measure in characters would be far off.
    const exact = envelope('h3', '€'.repeat(Math.floor(fill / 3)) + 'a'.repeat(fill % 3));
    assert.equal(Buffer.byteLength(JSON.stringify([exact])), cap);
    const over = { ...exact, id: crypto.randomUUID(), body: { text: `${exact.body.text}a` } };
    eve.socket.emit('relay:emit', 'chat:message', [over]);
    eve.socket.emit('relay:emit', 'chat:message', [exact]);
    await until(() => heard.length > 0, 'the frame at the cap');
    await until(() => eve.errors.length === 1, 'the refusal');
    await quiet();
    assert.deepEqual(
      heard.map((h) => h.text),
      [exact.body.text],
    );
    assert.equal(eve.errors[0]!.code, 'too-large');
  });
});

describe('hostile: pacing across a reconnection (a full bucket on every join)', () => {
  // A tight limit: the transport paces at 4.5/s with a burst of 6 (burst − 4).
  const relay = useRelay({ rate: 5, burst: 10 });
  const opened: Array<{ close(): void }> = [];
  after(() => opened.splice(0).forEach((t) => t.close()));

  it('bursts again after the server dropped it, and the server neither slows nor cuts it off', async () => {
    const room = 'pace';
    const watcher = await relay.join(room, 'Watcher');
    const a = new SocketIoTransport<ChatEvents>({
      url: relay.server.url,
      signer: await testSigner(),
    });
    opened.push(a);
    const errors: TransportError[] = [];
    a.on('error', (e) => errors.push(e));
    let opens = 0;
    a.on('open', () => opens++);
    await a.connect(room, { userId: 'a-id', name: 'Ann' });
    const texts = (from: number, n: number) => Array.from({ length: n }, (_, i) => `m${from + i}`);
    // Twice the client's burst each time: 6 go at once, the rest at the client's pace.
    for (const text of texts(0, 12)) a.emit('chat:message', envelope(room, text));
    await until(() => watcher.events.length === 12, 'the first burst', 8000);
    // The server drops the connection; the transport dials again and rejoins.
    for (const s of relay.server.io.sockets.sockets.values())
      if (s.data.peerId === a.selfId) s.disconnect(true);
    await until(() => opens === 2, 'the rejoin', 5000);
    for (const text of texts(12, 12)) a.emit('chat:message', envelope(room, text));
    await until(() => watcher.events.length === 24, 'the second burst', 8000);
    await quiet(300);
    assert.deepEqual(
      watcher.events.map((e) => (e.args[0] as { body: { text: string } }).body.text),
      texts(0, 24),
    );
    const fromServer = errors.filter((e) => e.code !== 'unreachable');
    assert.deepEqual(
      fromServer.map((e) => e.message),
      [],
      'no "slowed down" or "disconnected" from the rate limit',
    );
  });
});
