import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { io } from 'socket.io-client';
import WebSocket from 'ws';
import type { ParleyServer } from '../../signaling/server.js';
import { createIdentity } from '../../src/protocol/identity.js';
import type { JoinReply } from '../../src/protocol/relay-frames.js';
import {
  connected,
  envelope,
  joinedClient,
  provenJoin,
  quiet,
  startServer,
  until,
  type Client,
} from './helpers.js';

describe('limits', () => {
  const servers: ParleyServer[] = [];
  const clients: Client[] = [];
  const serve = async (config: Parameters<typeof startServer>[0] = {}) => {
    const s = await startServer(config);
    servers.push(s);
    return s;
  };
  const join = async (url: string, room: string, name?: string) => {
    const c = await joinedClient(url, room, name);
    clients.push(c);
    return c;
  };
  after(async () => {
    clients.forEach((c) => c.socket.disconnect());
    await Promise.all(servers.map((s) => s.close()));
  });

  it('slows a client past its burst without losing its events', async () => {
    const server = await serve({ rate: 20, burst: 10 });
    const [a, b] = [await join(server.url, 'pace', 'Ann'), await join(server.url, 'pace', 'Bob')];
    // The join took a token: 9 pass at once, 9 wait (the queue holds as many as the burst).
    const sent = Array.from({ length: 18 }, (_, i) => envelope('pace', `m${i}`));
    const start = Date.now();
    for (const env of sent) a.socket.emit('relay:emit', 'chat:message', [env]);
    await until(() => b.events.length === 18, 'all 18 events', 5000);
    assert.ok(Date.now() - start >= 350, 'the 9 past the burst waited for tokens (20/s)');
    assert.deepEqual(
      b.events.map((e) => (e.args[0] as { id: string }).id),
      sent.map((e) => e.id),
      'in order, none lost',
    );
    assert.deepEqual(
      a.errors.map((e) => e.code),
      ['rate-limited'],
      'told once that it was slowed',
    );
    assert.match(a.errors[0]!.message, /slowed down: over 20 events per second/);
  });

  it('disconnects a flooding client with a reason; others keep chatting', async () => {
    const server = await serve({ rate: 20, burst: 40 });
    const flooder = await join(server.url, 'flood', 'Eve');
    const calm = await join(server.url, 'flood', 'Ann');
    const other = await join(server.url, 'flood', 'Bob');
    let gone = '';
    flooder.socket.on('disconnect', (reason) => (gone = reason));
    for (let i = 0; i < 500; i++) {
      flooder.socket.emit('relay:emit', 'chat:message', [envelope('flood', `spam ${i}`)]);
    }
    await until(() => gone !== '', 'the flooder to be disconnected');
    assert.equal(gone, 'io server disconnect');
    const last = flooder.errors.at(-1)!;
    assert.equal(last.code, 'rate-limited');
    assert.match(last.message, /disconnected: more than 20 events per second \(burst 40\)/);
    assert.ok(
      calm.events.length <= 80,
      `the flood was cut short (${calm.events.length} got through)`,
    );
    const before = other.events.length;
    calm.socket.emit('relay:emit', 'chat:message', [envelope('flood', 'still here')]);
    await until(() => other.events.length === before + 1, 'a calm message');
  });

  it('caps rooms per connection', async () => {
    const server = await serve({ maxRooms: 2 });
    const a = await join(server.url, 'one', 'Ann');
    const ann = await createIdentity();
    const ask = async (room: string) =>
      (await a.socket.emitWithAck(
        'relay:join',
        await provenJoin(a.socket, room, 'Ann', ann),
      )) as JoinReply;
    const second = await ask('two');
    assert.equal(second.ok, true);
    const third = await ask('three');
    assert.equal(third.ok, false);
    assert.deepEqual(!third.ok && third.error, {
      code: 'too-many',
      message: 'join refused: a connection may be in at most 2 rooms',
      event: 'relay:join',
    });
    // Leaving one makes room for another; joining one again is not a new room (refused, so
    // soon after the last join, only as too soon).
    a.socket.emit('relay:leave', 'one');
    const again = await ask('two');
    assert.equal(!again.ok && again.error.code, 'rate-limited');
    const swap = await ask('three');
    assert.equal(swap.ok, true);
  });

  it('keeps the room cap when joins arrive all at once', async () => {
    const server = await serve({ maxRooms: 3 });
    const socket = io(server.url, { transports: ['websocket'], forceNew: true });
    await connected(socket);
    // Proofs first, so the joins themselves still leave together.
    const who = await createIdentity();
    const requests = await Promise.all(
      Array.from({ length: 10 }, (_, i) => provenJoin(socket, `burst${i}`, 'Tester', who)),
    );
    const replies = (await Promise.all(
      requests.map((request) => socket.timeout(3000).emitWithAck('relay:join', request)),
    )) as JoinReply[];
    assert.equal(replies.filter((r) => r.ok).length, 3);
    assert.equal(replies.filter((r) => !r.ok && r.error.code === 'too-many').length, 7);
    socket.disconnect();
  });

  it('caps members per room', async () => {
    const server = await serve({ maxMembers: 2 });
    await join(server.url, 'small', 'Ann');
    await join(server.url, 'small', 'Bob');
    await assert.rejects(join(server.url, 'small', 'Cy'), /"small" is full \(2 members\)/);
    await join(server.url, 'other', 'Cy');
  });

  it('refuses bad room names with the rule', async () => {
    const server = await serve({ maxRoomName: 10 });
    const socket = io(server.url, { transports: ['websocket'], forceNew: true });
    await connected(socket);
    const who = await createIdentity();
    // The room is checked before the proof, so a bad name is refused for its name.
    const ask = async (room: unknown) =>
      (await socket
        .timeout(2000)
        .emitWithAck(
          'relay:join',
          await provenJoin(socket, room as string, 'Tester', who),
        )) as JoinReply;
    const bad: Array<[unknown, RegExp]> = [
      ['', /a room needs a name/],
      ['eleven-char', /at most 10 characters here/],
      ['x'.repeat(65), /at most 64 characters/],
      ['has space', /letters, digits, "_", "." or "-"/],
      ['_hidden', /starts with a letter or digit/],
      ['__proto__', /starts with a letter or digit/],
      ['a/b', /letters, digits/],
      [42, /a room name must be text/],
    ];
    for (const [room, why] of bad) {
      const reply = await ask(room);
      assert.equal(reply.ok, false, `"${String(room)}" refused`);
      if (!reply.ok) {
        assert.equal(reply.error.code, 'invalid-room');
        assert.match(reply.error.message, why);
      }
    }
    for (const room of ['prototype', 'Café-2', 'a.b_c']) {
      assert.equal((await ask(room)).ok, true, `"${room}" accepted`);
    }
    socket.disconnect();
  });

  it('refuses WebSocket upgrades and polling from origins off the allowlist', async () => {
    const server = await serve({ origins: ['https://good.example'] });
    const wsUrl = `ws://127.0.0.1:${server.port}/socket.io/?EIO=4&transport=websocket`;
    const attempt = (origin: string) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(wsUrl, { headers: { origin } });
        ws.once('message', (d) => {
          resolve(`open ${String(d).slice(0, 1)}`);
          ws.close();
        });
        ws.once('unexpected-response', (_req, res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += String(d)));
          res.on('end', () => resolve(`refused ${res.statusCode} ${body}`));
        });
        ws.once('error', (err) => resolve(`error ${err.message}`));
      });
    // engine.io answers a refused upgrade with 400 and the reason, a refused poll with 403.
    assert.equal(await attempt('https://evil.example'), 'refused 400 Forbidden');
    assert.equal(await attempt('https://good.example'), 'open 0');
    const poll = `${server.url}/socket.io/?EIO=4&transport=polling`;
    const res = await fetch(poll, { headers: { origin: 'https://evil.example' } });
    assert.equal(res.status, 403);
    assert.match(await res.text(), /Forbidden/);
  });

  it('on shutdown: /healthz says so, clients are told to reconnect and let go', async () => {
    const server = await startServer();
    const a = await joinedClient(server.url, 'bye', 'Ann');
    let reason = '';
    a.socket.on('disconnect', (r) => (reason = r));
    const closed = server.close();
    await closed;
    await until(() => reason !== '', 'disconnect');
    assert.equal(reason, 'io server disconnect');
    assert.deepEqual(a.errors, [
      { code: 'shutting-down', message: 'the server is restarting; reconnecting' },
    ]);
    await assert.rejects(fetch(`${server.url}/healthz`), 'no longer listening');
    await quiet(50);
  });
});
