/**
 * The keeper's feed: how the server tells its keeper (keeper/, a member of the rooms it keeps)
 * which rooms exist, without the keeper guessing names or reading anything but room names.
 *
 * - Off unless the server was started with `PARLEY_KEEPER_TOKEN` (at least 32 characters; `npm
 *   start` makes a random one and hands it to the keeper it starts). Without it the namespace
 *   does not exist and Socket.IO refuses any connection to it.
 * - The feed is the Socket.IO namespace `/keeper`. A connection must present the token in its
 *   handshake (`auth.token`); it is compared in constant time, and a wrong or missing token is
 *   refused before the connection is made. A browser has no way to learn the token: it lives in
 *   the environment of the server and keeper processes only, never in a page.
 * - On connecting, a keeper gets the rooms there are now (`keeper:rooms`: of every node, with
 *   Redis); afterwards, each room that gets its first member on a node (`keeper:room`; with
 *   Redis the adapter carries it to the keepers of every node). It sends nothing: any frame
 *   from it is ignored.
 *
 * The keeper then joins those rooms as any member does (a proven identity, the relay's limits),
 * so the feed grants it nothing in a room that any visitor does not have.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Server } from 'socket.io';
import type { Adapter } from 'socket.io-adapter';
import type { Logger } from './log.js';
import type { RelayServer } from './types.js';

/** The feed's namespace. */
export const KEEPER_NAMESPACE = '/keeper';
/** Frame: the rooms this node holds now (a list of names), sent once per connection. */
export const KEEPER_ROOMS = 'keeper:rooms';
/** Frame: one room that just got its first member on this node (its name). */
export const KEEPER_ROOM = 'keeper:room';
/** The shortest token accepted (a random 32-byte token in base64url is 43 characters). */
export const MIN_KEEPER_TOKEN = 32;
/** Most room names sent at once; a keeper keeps far fewer. */
export const MAX_FEED_ROOMS = 10_000;
/** Most keeper connections at once (one per keeper; a few for restarts that overlap). */
const MAX_KEEPERS = 4;

/** The prefix `members.ts` gives app rooms in the adapter (`room:<name>`). */
const ROOM_PREFIX = 'room:';

/**
 * The adapter's rooms now: of every node with the Redis adapter (one round trip), else of
 * this node; this node's alone when the others do not answer.
 */
async function roomsNow(adapter: Adapter): Promise<Iterable<string>> {
  const all = (adapter as Adapter & { allRooms?: () => Promise<Set<string>> }).allRooms;
  if (typeof all !== 'function') return adapter.rooms.keys();
  try {
    return await all.call(adapter);
  } catch {
    return adapter.rooms.keys();
  }
}

/** Whether `given` is `token`, compared in constant time (digests have one length). */
function sameToken(given: unknown, token: string): boolean {
  if (typeof given !== 'string' || given.length > 1024) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

/**
 * Whether a connection's handshake `auth` carries the keeper's token (`keeper`): the keeper's
 * own member connections present it, so the relay marks their hellos `keeper` (1.5) and members
 * say "kept" for its receipts, not "delivered". Always false without `PARLEY_KEEPER_TOKEN`.
 */
export function keeperAuth(env: NodeJS.ProcessEnv = process.env): (auth: unknown) => boolean {
  const token = env.PARLEY_KEEPER_TOKEN;
  if (!token || token.length < MIN_KEEPER_TOKEN) return () => false;
  return (auth) => sameToken((auth as { keeper?: unknown } | undefined)?.keeper, token);
}

/**
 * Opens the keeper's feed on `io` when `env.PARLEY_KEEPER_TOKEN` is set (see the module
 * comment); a token shorter than {@link MIN_KEEPER_TOKEN} is refused with an error.
 */
export function attachKeeperFeed(
  io: RelayServer,
  log: Logger,
  env: NodeJS.ProcessEnv = process.env,
): void {
  const token = env.PARLEY_KEEPER_TOKEN;
  if (!token) return;
  if (token.length < MIN_KEEPER_TOKEN) {
    throw new Error(`parley: PARLEY_KEEPER_TOKEN needs at least ${MIN_KEEPER_TOKEN} characters`);
  }
  // Its own frames, outside the relay's typed events.
  const feed = (io as unknown as Server).of(KEEPER_NAMESPACE);
  feed.use((socket, next) => {
    const auth = socket.handshake.auth as { token?: unknown } | undefined;
    if (!sameToken(auth?.token, token)) {
      log('warn', 'keeper feed refused', { id: socket.id, reason: 'wrong token' });
      return next(new Error('not the keeper'));
    }
    if (feed.sockets.size >= MAX_KEEPERS) return next(new Error('too many keepers'));
    next();
  });
  const local = io.of('/').adapter;
  feed.on('connection', (socket) => {
    log('info', 'keeper connected', { id: socket.id });
    void roomsNow(local).then((keys) => {
      const names: string[] = [];
      for (const key of keys) {
        if (names.length >= MAX_FEED_ROOMS) break;
        if (key.startsWith(ROOM_PREFIX)) names.push(key.slice(ROOM_PREFIX.length));
      }
      socket.emit(KEEPER_ROOMS, names);
    });
  });
  // The adapter creates a room when its first member on this node joins (a connection's own
  // id room has no prefix and is left out).
  local.on('create-room', (key: string) => {
    // Sent even with no keeper on this node: with Redis, the keepers of other nodes hear it.
    if (key.startsWith(ROOM_PREFIX)) feed.emit(KEEPER_ROOM, key.slice(ROOM_PREFIX.length));
  });
}
