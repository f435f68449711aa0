/**
 * The relay names its keeper (protocol 1.5): a member whose connection presents the server's
 * keeper token is `keeper: true` in its hello, so members show its receipts as *kept*, not
 * *delivered*. Nobody else can be: not with a wrong token, not by saying so in its profile,
 * and not on a server without a keeper token.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { io, type Socket } from 'socket.io-client';
import type { ParleyServer } from '../../signaling/server.js';
import type { JoinReply } from '../../src/protocol/relay-frames.js';
import { createIdentity } from '../../src/protocol/identity.js';
import { startKeptServer, TOKEN } from '../keeper/helpers.js';
import { connected, joinedClient, provenJoin, startServer, until } from './helpers.js';

/** A raw connection with handshake `auth`, joined to `room` as `name` (profile `extra` added). */
async function joinWith(
  url: string,
  room: string,
  name: string,
  auth: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Promise<Socket> {
  const socket = io(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: { key: randomBytes(18).toString('base64url'), ...auth },
  });
  await connected(socket);
  const request = await provenJoin(socket, room, { name }, await createIdentity());
  const me = { ...request.me, ...extra };
  const reply = (await socket
    .timeout(3000)
    .emitWithAck('relay:join', { ...request, me })) as JoinReply;
  assert.ok(reply.ok, 'joined');
  return socket;
}

describe('the relay names its keeper in hellos (1.5)', () => {
  const sockets: Socket[] = [];
  const servers: ParleyServer[] = [];
  after(async () => {
    sockets.forEach((s) => s.close());
    await Promise.all(servers.map((s) => s.close()));
    delete process.env.PARLEY_KEEPER_TOKEN;
  });

  it('marks the connection with the token, and only it', async () => {
    const server = await startKeptServer();
    servers.push(server);
    const watcher = await joinedClient(server.url, 'kept', 'Watcher');
    sockets.push(watcher.socket);
    sockets.push(await joinWith(server.url, 'kept', 'Keeper', { keeper: TOKEN }));
    sockets.push(await joinWith(server.url, 'kept', 'Pretender', { keeper: 'x'.repeat(43) }));
    sockets.push(await joinWith(server.url, 'kept', 'Claimer', {}, { keeper: true }));
    await until(() => watcher.joins.length === 3, 'three joins');
    const byName = new Map(
      (watcher.joins as Array<{ name: string; keeper?: boolean }>).map((h) => [h.name, h]),
    );
    assert.equal(byName.get('Keeper')?.keeper, true);
    assert.equal(byName.get('Pretender')?.keeper, undefined);
    assert.equal(byName.get('Claimer')?.keeper, undefined);
  });

  it('marks nobody on a server without a keeper token', async () => {
    delete process.env.PARLEY_KEEPER_TOKEN;
    const server = await startServer({ host: '127.0.0.1' });
    servers.push(server);
    const watcher = await joinedClient(server.url, 'plain', 'Watcher');
    sockets.push(watcher.socket);
    sockets.push(await joinWith(server.url, 'plain', 'Keeper', { keeper: TOKEN }));
    await until(() => watcher.joins.length === 1, 'the join');
    assert.equal((watcher.joins[0] as { keeper?: boolean }).keeper, undefined);
  });
});
