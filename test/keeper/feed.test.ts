/**
 * The keeper's feed (signaling/keeper-feed.ts): only a connection with the server's keeper
 * token learns which rooms exist. A browser-like client — no token, a wrong one, a guess of
 * the same length — is refused at the handshake and hears no room name; a server started
 * without a token has no feed at all.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { io, type Socket } from 'socket.io-client';
import { KEEPER_ROOM, KEEPER_ROOMS } from '../../signaling/keeper-feed.js';
import type { ParleyServer } from '../../signaling/server.js';
import type { ParleyClient } from '../../src/node/index.js';
import { startTestServer } from '../support/server.js';
import { bot } from '../node/helpers.js';
import { startKeptServer, TOKEN } from './helpers.js';

/** Connects to `/keeper` on `url` with `auth`; resolves with what happened first. */
function tryFeed(
  url: string,
  auth: object,
): Promise<{ socket: Socket; ok: boolean; error?: string; rooms: string[] }> {
  const socket = io(`${url}/keeper`, { auth, forceNew: true, transports: ['websocket'] });
  const rooms: string[] = [];
  socket.on(KEEPER_ROOMS, (names: string[]) => rooms.push(...names));
  socket.on(KEEPER_ROOM, (name: string) => rooms.push(name));
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ socket, ok: true, rooms }));
    socket.once('connect_error', (err) => {
      socket.close();
      resolve({ socket, ok: false, error: err.message, rooms });
    });
  });
}

describe('keeper feed', () => {
  let server: ParleyServer;
  const clients: ParleyClient[] = [];
  const sockets: Socket[] = [];

  before(async () => {
    server = await startKeptServer();
    const member = await bot(server.url, 'member');
    clients.push(member);
    await member.join('secret-room-name');
  });
  after(async () => {
    sockets.forEach((s) => s.close());
    clients.forEach((c) => c.close());
    await server.close();
  });

  it('refuses a client without the token, or with a wrong one', async () => {
    const guesses: object[] = [
      {},
      { token: '' },
      { token: 'keeper' },
      { token: 'x'.repeat(TOKEN.length) },
      { token: `${TOKEN}x` },
      { token: TOKEN.slice(1) },
      { token: [TOKEN] },
    ];
    for (const auth of guesses) {
      const r = await tryFeed(server.url, auth);
      assert.equal(r.ok, false, `let in with ${JSON.stringify(auth)}`);
      assert.equal(r.error, 'not the keeper');
      assert.deepEqual(r.rooms, []);
    }
  });

  it('tells the keeper the rooms there are, and each new one', async () => {
    const r = await tryFeed(server.url, { token: TOKEN });
    sockets.push(r.socket);
    assert.equal(r.ok, true);
    const first = new Promise<string>((resolve) => r.socket.once(KEEPER_ROOMS, resolve));
    await (r.rooms.length ? Promise.resolve() : first);
    assert.ok(r.rooms.includes('secret-room-name'), 'the room there is');
    const next = new Promise<string>((resolve) => r.socket.once(KEEPER_ROOM, resolve));
    const other = await bot(server.url, 'other');
    clients.push(other);
    await other.join('a-new-room');
    assert.equal(await next, 'a-new-room');
  });

  it('has no feed on a server started without a token', async () => {
    delete process.env.PARLEY_KEEPER_TOKEN;
    const plain = await startTestServer({ host: '127.0.0.1' });
    try {
      const r = await tryFeed(plain.url, { token: TOKEN });
      assert.equal(r.ok, false);
      assert.equal(r.error, 'Invalid namespace');
    } finally {
      await plain.close();
    }
  });
});
