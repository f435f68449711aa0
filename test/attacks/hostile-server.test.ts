/**
 * A hostile server against the Node client (a bot): a fake Socket.IO server on 127.0.0.1
 * that takes the join, then sends crafted relay frames. A bot is a Node process: anything that
 * throws out of a socket listener is an uncaught exception, and that kills it. Each test fails
 * when the attack works.
 */
import assert from 'node:assert/strict';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import { Server, type Socket } from 'socket.io';
import { createIdentity } from '../../src/protocol/identity.js';
import { connect, type ParleyClient } from '../../src/node/index.js';
import { PROTOCOL_VERSION } from '../../src/protocol/version.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('attack: a hostile server against a bot', () => {
  let http: HttpServer;
  let io: Server;
  let url = '';
  /** What the fake server does with each connection once it has accepted its join. */
  let script: (socket: Socket) => void = () => {};
  /** The join reply the fake server gives. */
  let reply: (socket: Socket) => unknown = () => ({});
  const crashes: unknown[] = [];
  const onCrash = (e: unknown) => crashes.push(e);
  const clients: ParleyClient[] = [];
  let listeners: NodeJS.UncaughtExceptionListener[] = [];

  before(async () => {
    http = createServer();
    io = new Server(http, { cors: { origin: '*' } });
    io.on('connection', (socket) => {
      socket.on('relay:join', (_req: unknown, ack: (r: unknown) => void) => {
        ack(reply(socket));
        setTimeout(() => script(socket), 50);
      });
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    // node:test turns an uncaught exception into a failure of its own; we want to count them.
    listeners = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
  });
  afterEach(() => clients.splice(0).forEach((c) => c.close()));
  after(async () => {
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    for (const l of listeners) process.on('uncaughtException', l);
    io.close();
    await new Promise((r) => http.close(r));
  });

  const okReply = (socket: Socket) => ({
    ok: true,
    v: PROTOCOL_VERSION,
    selfId: socket.id,
    since: Date.now(),
    peers: [],
  });

  async function joinedBot(room: string) {
    const c = await connect(url, {
      name: 'victim',
      identity: await createIdentity(),
      joinTimeout: 3000,
    });
    clients.push(c);
    const r = await c.join(room);
    const errors: Error[] = [];
    r.on('error', (e) => errors.push(e));
    return { c, r, errors };
  }

  it('absurd limits, junk peers and junk presence neither crash the bot nor make it refuse', async () => {
    crashes.length = 0;
    reply = (socket) => ({
      ...okReply(socket),
      v: '1.9999',
      limits: { rate: -1, burst: 1e30, maxPayload: 1e15 },
      peers: [null, 1, 'x', { id: { toString: 1 } }, { id: 'p', me: { name: { toString: 1 } } }],
      meshFull: { cap: 3 },
      extra: { toString: 1 },
    });
    script = (socket) => {
      socket.emit('relay:presence', 'junk-limits', [
        null,
        { join: { toString: 1 } },
        { leave: {} },
      ]);
      socket.emit('relay:presence', { toString: 1 }, []);
      socket.emit('relay:members', 'junk-limits', { toString: 1 }, { valueOf: 1 });
      socket.emit('relay:event', 'p', 'chat:message', [{ toString: 1 }]);
      socket.emit('relay:event', 'p', { toString: 1 }, { toString: 1 });
      socket.emit('relay:event', { toString: 1 }, 'chat:ping', [{ room: 'junk-limits', n: 1 }]);
      socket.emit('signal:data', 'p', { toString: 1 });
    };
    const { r } = await joinedBot('junk-limits');
    await sleep(500);
    assert.deepEqual(
      crashes.map((e) => String(e)),
      [],
    );
    assert.notEqual(r.state, 'closed');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const cap = (r as any).transport.payloadCap as number;
    assert.equal(cap, 64 * 1024, 'a cap out of reason is ignored (the default stays)');
  });

  it('an ok reply naming another major is refused', async () => {
    crashes.length = 0;
    script = () => {};
    reply = (socket) => ({ ...okReply(socket), v: '2.0' });
    const c = await connect(url, {
      name: 'victim',
      identity: await createIdentity(),
      joinTimeout: 2000,
    });
    clients.push(c);
    await assert.rejects(c.join('other-major')); // the wording: see hostile-server-words
    assert.deepEqual(
      crashes.map((e) => String(e)),
      [],
    );
  });

  it('a relay:error frame with odd fields neither crashes the bot nor closes its room', async () => {
    crashes.length = 0;
    reply = okReply;
    script = (socket) => {
      for (const err of [
        null,
        'just a string',
        { code: 'x', message: { deep: 1 } },
        { code: 'x', message: 'm', event: { toString: 1 } },
        { code: { toString: 1 }, message: 'm' },
        { code: 'too-large', message: 'x'.repeat(100_000), event: 'chat:message' },
      ]) {
        socket.emit('relay:error', err);
      }
    };
    const { r } = await joinedBot('odd-errors');
    await sleep(500);
    assert.deepEqual(
      crashes.map((e) => String(e)),
      [],
      'a relay:error from the server threw out of the socket listener (a bot process dies): ' +
        crashes.map((e) => (e as Error).stack?.split('\n').slice(0, 3).join(' / ')).join(' ; '),
    );
    assert.notEqual(r.state, 'closed');
  });
});
