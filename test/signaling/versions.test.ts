/**
 * Protocol versions at the relay (see `src/protocol/version.ts`): a join names the version its
 * client speaks and every join reply names the server's; another major — or none, a client from
 * before versions — is refused in words, never with silence. Within a major, what a newer minor
 * adds is tolerated: unknown fields of a join are ignored, and a message carrying fields this
 * server does not know (in its body, or beside it) is relayed as it was sent.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JoinReply } from '../../src/protocol/relay-frames.js';
import { PROTOCOL_MAJOR, PROTOCOL_VERSION } from '../../src/protocol/version.js';
import { provenJoin } from '../support/identity.js';
import { connected, envelope, rawSocket, until, useRelay } from './helpers.js';

describe('protocol versions at the relay', () => {
  const relay = useRelay();

  async function ask(version: unknown, extra: Record<string, unknown> = {}) {
    const socket = rawSocket(relay.server.url);
    await connected(socket);
    const { v: _ours, ...request } = await provenJoin(socket, 'versions', 'Vic');
    const join = version === undefined ? request : { ...request, v: version };
    const reply = (await socket
      .timeout(3000)
      .emitWithAck('relay:join', { ...join, ...extra })) as JoinReply;
    socket.disconnect();
    return reply;
  }

  it('refuses another major, or none, in plain words, and names its own version', async () => {
    for (const [theirs, said] of [
      [undefined, /speaks Parley protocol 1; this page speaks 0 — reload to update/],
      [`${PROTOCOL_MAJOR + 1}.0`, /speaks Parley protocol 1; this page speaks 2 — the server/],
    ] as const) {
      const reply = await ask(theirs);
      assert.equal(reply.ok, false, `${theirs}: refused`);
      if (reply.ok) continue;
      assert.equal(reply.error.code, 'incompatible');
      assert.match(reply.error.message, said);
      assert.equal(reply.v, PROTOCOL_VERSION, 'the refusal names the server’s version');
    }
  });

  it('takes a newer minor with fields it does not know, and names its version', async () => {
    const reply = await ask(`${PROTOCOL_MAJOR}.7`, { colour: 'teal' });
    assert.equal(reply.ok, true, JSON.stringify(reply));
    assert.equal(reply.v, PROTOCOL_VERSION);
  });

  it('relays a message with fields a newer minor adds, unchanged', async () => {
    const a = await relay.join('newer', 'Ann');
    const b = await relay.join('newer', 'Bob');
    const env = {
      ...envelope('newer', 'hi'),
      body: { text: 'hi', format: 'plain', kind: 'text' },
      thread: 'x',
    };
    const poll = { ...envelope('newer', ''), body: { kind: 'poll', question: 'Tea?' } };
    a.socket.emit('relay:emit', 'chat:message', [env]);
    a.socket.emit('relay:emit', 'chat:message', [poll]);
    a.socket.emit('relay:emit', 'chat:typing', [
      { room: 'newer', userId: a.me.userId, name: 'Ann', typing: true, mood: 'happy' },
    ]);
    await until(() => b.events.length === 3, 'three frames');
    assert.deepEqual(
      b.events.map((e) => e.args[0]),
      [env, poll, { room: 'newer', userId: a.me.userId, name: 'Ann', typing: true, mood: 'happy' }],
    );
    assert.deepEqual(a.errors, []);
  });

  it('answers relay:ping at once', async () => {
    const a = await relay.join('ping', 'Ann');
    const reply = (await a.socket.timeout(3000).emitWithAck('relay:ping')) as { t: number };
    assert.equal(typeof reply.t, 'number');
  });
});

/**
 * The page's side: a server of another major version — a newer one, or one from before
 * versions (which answers a versioned join "malformed" and names no version) — is refused by
 * the client for good, in words, whatever the server says beside it. The servers here are
 * stand-ins that answer every join as such a server would.
 */
describe('protocol versions at the client', () => {
  async function standIn(answer: unknown) {
    const { createServer } = await import('node:http');
    const { Server } = await import('socket.io');
    const http = createServer();
    const io = new Server(http);
    io.on('connection', (socket) =>
      socket.on('relay:join', (_req: unknown, ack: (r: unknown) => void) => ack(answer)),
    );
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const { port } = http.address() as { port: number };
    return {
      url: `http://127.0.0.1:${port}`,
      close: () => new Promise<void>((r) => io.close(() => r())),
    };
  }

  for (const [what, answer, said] of [
    [
      'a newer major',
      { ok: true, v: '2.0', selfId: 'x'.repeat(24), since: 1, peers: [] },
      'This server speaks Parley protocol 2; this page speaks 1 — reload to update.',
    ],
    [
      'a server from before versions',
      { ok: false, error: { code: 'malformed', message: 'join refused: v: Invalid key' } },
      'This server speaks Parley protocol 0; this page speaks 1 — the server needs an update.',
    ],
  ] as const) {
    it(`refuses ${what} in words and stops`, async () => {
      const server = await standIn(answer);
      const { SocketIoTransport } = await import('../../src/transport/socketio.js');
      const { testSigner } = await import('../support/identity.js');
      const t = new SocketIoTransport({ url: server.url, signer: await testSigner() });
      const err = (await t.connect('versions', { userId: 'u', name: 'Vic' }).catch((e) => e)) as {
        code: string;
        message: string;
      };
      assert.equal(err.code, 'incompatible');
      assert.equal(err.message, `parley: ${said}`);
      assert.equal(t.state, 'closed');
      await server.close();
    });
  }
});
