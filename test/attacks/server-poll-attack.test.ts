/**
 * Issue 26, item 5: the queued-bytes cap did not hold over long-polling. Each poll empties
 * engine.io's buffer into an HTTP response, and a client that sends each poll on a new TCP
 * connection and never reads the answers was never dropped, while the server held every one
 * of those sockets and what it could not write to them. Now:
 * - bytes the server still holds in a connection's poll answers count against
 *   `PARLEY_MAX_QUEUED` ("too slow");
 * - a socket that cannot write for `PARLEY_WRITE_TIMEOUT` is reset, and a poll reader so cut
 *   is dropped ("not reading");
 * - TCP connections per address are capped (`PARLEY_MAX_TCP_PER_IP`): the next is reset;
 * and a long-polling client that reads gets a flood of large messages and stays.
 */
import assert from 'node:assert/strict';
import { connect, type Socket as NetSocket } from 'node:net';
import { after, describe, it } from 'node:test';
import { io, type Socket } from 'socket.io-client';
import { configFromEnv, type ServerConfig } from '../../signaling/config.js';
import type { Logger } from '../../signaling/log.js';
import { startParleyServer, type ParleyServer } from '../../signaling/server.js';
import { provenJoin } from '../support/identity.js';
import { connected, envelope, joinedClient, quiet, until } from '../signaling/helpers.js';
import { NeverReadingPoller } from './server-poll-attacker.js';

const ROOM = 'poll-attack';
/**
 * Text of each flooded message in the attacks: more than the kernel takes in for a fresh
 * loopback connection that is not read (about 2 to 4 MB here), so the server holds it.
 */
const BIG = 6_000_000;

/** A relay with `overrides`, whose warnings are kept (the reason a connection was dropped). */
async function relay(overrides: Partial<ServerConfig>) {
  const warnings: Array<{ msg: string; reason?: unknown }> = [];
  const log: Logger = (level, msg, fields) => {
    if (level === 'warn') warnings.push({ msg, ...fields });
  };
  const config = { ...configFromEnv({}), port: 0, staticDir: undefined, ...overrides };
  const server = await startParleyServer(config, log);
  return { server, warnings };
}

/** A message of `size` to the room every `gapMs` from a member that reads, until `stop()`. */
function flood(url: string, size: number, gapMs: number) {
  let stopped = false;
  const done = (async () => {
    const sender = await joinedClient(url, ROOM, 'Sender');
    while (!stopped) {
      sender.socket.emit('relay:emit', 'chat:message', [envelope(ROOM, 'x'.repeat(size))]);
      await quiet(gapMs);
    }
    sender.socket.disconnect();
  })();
  return {
    stop: () => {
      stopped = true;
      return done;
    },
  };
}

describe('a long-polling client that never reads', () => {
  const servers: ParleyServer[] = [];
  const cleanups: Array<() => unknown> = [];
  after(async () => {
    for (const c of cleanups) await c();
    await Promise.all(servers.map((s) => s.close()));
  });

  /** Runs the never-reading poller against a relay with `overrides` until it is dropped. */
  async function attack(overrides: Partial<ServerConfig>) {
    const { server, warnings } = await relay({ maxPayload: 8 * 1024 * 1024, ...overrides });
    servers.push(server);
    const poller = new NeverReadingPoller(server.port, ROOM);
    cleanups.push(() => poller.stop());
    await poller.join('Poller');
    const sender = flood(server.url, BIG, 500);
    cleanups.push(() => sender.stop());
    const running = poller.run();
    await until(() => poller.stats.dropped, 'the poller to be dropped', 20_000);
    poller.stop();
    await running;
    await sender.stop();
    return { poller, warnings };
  }

  it('is dropped as too slow once its unread poll answers pass PARLEY_MAX_QUEUED', async () => {
    // No write timeout and no TCP cap to speak of, and room in the queue for two messages
    // waiting for a poll: only the bytes held in its poll answers can drop it.
    const { warnings } = await attack({
      writeTimeout: 3600,
      maxTcpPerIp: 100_000,
      maxQueued: 16 * 1024 * 1024,
    });
    const drop = warnings.find((w) => w.reason === 'too slow');
    assert.ok(drop, `dropped as too slow (${JSON.stringify(warnings)})`);
  });

  it('is dropped as not reading once a poll answer cannot be written for the write timeout', async () => {
    // A queue cap it cannot reach: only the write timeout can drop it.
    const { warnings } = await attack({
      writeTimeout: 1,
      maxQueued: 1024 * 1024 * 1024,
      maxTcpPerIp: 100_000,
    });
    assert.ok(
      warnings.some((w) => w.reason === 'not reading'),
      `dropped as not reading (${JSON.stringify(warnings)})`,
    );
  });
});

describe('TCP connections per address', () => {
  const sockets: NetSocket[] = [];
  const servers: ParleyServer[] = [];
  after(async () => {
    sockets.forEach((s) => s.destroy());
    await Promise.all(servers.map((s) => s.close()));
  });

  /** Opens a TCP connection and sends a request for `/healthz`; resolves with its fate. */
  function request(server: ParleyServer): Promise<'answered' | 'refused'> {
    return new Promise((resolve) => {
      const socket = connect(server.port, '127.0.0.1');
      sockets.push(socket);
      socket.on('error', () => {});
      socket.once('data', () => resolve('answered'));
      socket.once('close', () => resolve('refused'));
      socket.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    });
  }

  it('refuses the 33rd connection at once, and takes one again after one closes', async () => {
    const { server } = await relay({ maxTcpPerIp: 32 });
    servers.push(server);
    for (let i = 0; i < 32; i++) assert.equal(await request(server), 'answered', `#${i + 1}`);
    assert.equal(await request(server), 'refused', 'the 33rd is reset');
    sockets[0]!.destroy();
    await quiet(100);
    assert.equal(await request(server), 'answered', 'a seat is free again');
    assert.equal(await request(server), 'refused', 'and then full again');
  });

  it('is off behind a trusted proxy (every connection comes from the proxy)', async () => {
    const { server } = await relay({ maxTcpPerIp: 4, trustProxy: true });
    servers.push(server);
    for (let i = 0; i < 8; i++) assert.equal(await request(server), 'answered', `#${i + 1}`);
  });
});

describe('a long-polling client that reads', () => {
  let server: ParleyServer | undefined;
  let socket: Socket | undefined;
  after(async () => {
    socket?.disconnect();
    await server?.close();
  });

  it('takes a flood of messages near the payload cap and stays connected', async () => {
    ({ server } = await relay({}));
    socket = io(server.url, { transports: ['polling'], reconnection: false, forceNew: true });
    let received = 0;
    socket.on('relay:event', () => received++);
    await connected(socket);
    const reply = (await socket
      .timeout(3000)
      .emitWithAck('relay:join', await provenJoin(socket, ROOM, 'Reader'))) as { ok: boolean };
    assert.ok(reply.ok);
    const sender = flood(server.url, 60_000, 50);
    await until(() => received >= 50, '50 messages', 20_000).finally(() => sender.stop());
    assert.ok(socket.connected, 'still connected');
  });
});
