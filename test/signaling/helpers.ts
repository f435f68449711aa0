/** Starts a real relay on 127.0.0.1 and connects real Socket.IO clients to it. */
import { after, before } from 'node:test';
import { io, type Socket } from 'socket.io-client';
import type { ServerConfig } from '../../signaling/config.js';
import type { ParleyServer } from '../../signaling/server.js';
import type { Identity } from '../../src/protocol/identity.js';
import type { PeerProfile } from '../../src/protocol/peer.js';
import type { JoinReply, RelayError } from '../../src/protocol/relay-frames.js';
import { provenJoin, SIGNATURE_SHAPED, TEST_AUTHOR } from '../support/identity.js';
import { startTestServer } from '../support/server.js';

export { provenJoin } from '../support/identity.js';

/** Starts a server on a free port (production defaults changed by `config`). */
export const startServer = startTestServer;

/** A raw Socket.IO client with the relay frames it received. */
export interface Client {
  socket: Socket;
  id: string;
  events: Array<{ from: string; event: string; args: unknown[] }>;
  signals: Array<{ from: string; data: unknown }>;
  errors: RelayError[];
  joins: unknown[];
  leaves: string[];
  /** The `since` of each leave, in the order of `leaves`. */
  leaveSince: unknown[];
  /** The changes of each `relay:presence` frame that arrived (join storms: frames are few). */
  presenceFrames: unknown[][];
}

/** A raw Socket.IO connection to `url`, not yet connected (with `key` as its handshake secret). */
export function rawSocket(url: string, key?: unknown): Socket {
  return io(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    ...(key === undefined ? {} : { auth: { key } }),
  });
}

/** Resolves once `socket` is connected (its `id`, the join challenge, is then known). */
export function connected(socket: Socket): Promise<void> {
  if (socket.connected) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
}

/**
 * Connects a client and joins `room` as `name` (asking for direct links if `p2p`; with `key`,
 * sending that secret in the handshake, as Parley's transports do), proving the join with
 * `identity` (a fresh one if not given): `me` is the profile it joined with.
 */
export async function joinedClient(
  url: string,
  room: string,
  name = 'Tester',
  p2p?: boolean,
  key?: unknown,
  identity?: Identity,
): Promise<Client & { reply: JoinReply & { ok: true }; me: PeerProfile }> {
  const socket = rawSocket(url, key);
  const client: Client = {
    socket,
    id: '',
    events: [],
    signals: [],
    errors: [],
    joins: [],
    leaves: [],
    leaveSince: [],
    presenceFrames: [],
  };
  socket.on('signal:data', (from: string, data: unknown) => client.signals.push({ from, data }));
  socket.on('relay:event', (from: string, event: string, args: unknown[]) =>
    client.events.push({ from, event, args }),
  );
  socket.on('relay:error', (err: RelayError) => client.errors.push(err));
  socket.on('relay:presence', (_room: string, changes: unknown[]) => {
    client.presenceFrames.push(changes);
    for (const change of changes as Array<{
      join?: { id: string };
      leave?: string;
      since?: number;
    }>) {
      // A joiner hears its own join in the room's next presence frame; others' joins count.
      if (change.join && change.join.id !== client.id) client.joins.push(change.join);
      if (change.leave !== undefined) {
        client.leaves.push(change.leave);
        client.leaveSince.push(change.since);
      }
    }
  });
  await connected(socket);
  const profile = { name, ...(p2p === undefined ? {} : { p2p }) };
  const request = await provenJoin(socket, room, profile, identity);
  const reply = (await socket.timeout(3000).emitWithAck('relay:join', request)) as JoinReply;
  if (!reply.ok) throw new Error(reply.error.message);
  client.id = reply.selfId;
  return { ...client, reply, me: request.me };
}

/**
 * An envelope the relay's schema takes (its author a fixed key, its `sig` only shaped like a
 * signature: the relay never verifies signatures).
 */
export function envelope(room: string, text: string, extra: Record<string, unknown> = {}) {
  return {
    id: crypto.randomUUID(),
    room,
    from: { id: TEST_AUTHOR.id, name: 'Tester', key: TEST_AUTHOR.key },
    ts: Date.now(),
    seq: 0,
    body: { text },
    sig: SIGNATURE_SHAPED,
    ...extra,
  };
}

/** Waits until `check` holds, polling; fails after `ms`. */
export async function until(check: () => boolean, what: string, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Gives the server time to (not) deliver something (well past a presence window). */
export const quiet = (ms = 300) => new Promise((r) => setTimeout(r, ms));

/** A relay for one suite, started before its tests and stopped after, with its clients. */
export interface SuiteRelay {
  server: ParleyServer;
  /** Joins `room` on this relay (or the server at `opts.url`); the client is closed after. */
  join(
    room: string,
    name?: string,
    opts?: { p2p?: boolean; key?: unknown; url?: string; identity?: Identity },
  ): ReturnType<typeof joinedClient>;
}

/** Starts a relay with `config` for the enclosing suite (call inside `describe`). */
export function useRelay(config: Partial<ServerConfig> = {}): SuiteRelay {
  const clients: Client[] = [];
  const suite: SuiteRelay = {
    server: undefined as unknown as ParleyServer,
    async join(room, name, opts = {}) {
      const url = opts.url ?? suite.server.url;
      const c = await joinedClient(url, room, name, opts.p2p, opts.key, opts.identity);
      clients.push(c);
      return c;
    },
  };
  before(async () => {
    suite.server = await startTestServer(config);
  });
  after(async () => {
    clients.forEach((c) => c.socket.disconnect());
    await suite.server.close();
  });
  return suite;
}
