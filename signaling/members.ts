/**
 * Room membership as the relay and signaling see it, on one node or many. A member's
 * introduction per room lives in its socket's `data` (which the Redis adapter can read from
 * any node); app rooms are kept under a prefix so no room name can collide with a
 * connection's own id room (Socket.IO puts every socket in a room named after its id).
 */
import type { PeerHello } from '../src/protocol/peer.js';
import { localPeer } from './peer-id.js';
import type { RelayServer, RelaySocketData } from './types.js';

/** The Socket.IO room that carries app room `room` (ids never contain ':'). */
export function roomKey(room: string): string {
  return `room:${room}`;
}

/**
 * Whether `id` can name a connection (Socket.IO ids are base64url). Never a room key, so a
 * directed send cannot turn into a broadcast.
 */
export function isPeerId(id: unknown): id is string {
  return typeof id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(id);
}

/** A fresh, prototype-free map of rooms (room names like "constructor" stay plain keys). */
export function emptyRooms(): Record<string, PeerHello> {
  return Object.create(null) as Record<string, PeerHello>;
}

/** How the connection with `data` introduced itself in `room`, if it is a member. */
export function helloIn(data: RelaySocketData | undefined, room: string): PeerHello | undefined {
  const rooms = data?.rooms;
  return rooms && Object.hasOwn(rooms, room) ? rooms[room] : undefined;
}

/** Names of the rooms the connection with `data` is in. */
export function roomsOf(data: RelaySocketData | undefined): string[] {
  return data?.rooms ? Object.keys(data.rooms) : [];
}

/**
 * Whether the connection with `data` is in any room: asked for every relayed frame, so it
 * stops at the first room instead of listing them all.
 */
export function inAnyRoom(data: RelaySocketData | undefined): boolean {
  const rooms = data?.rooms;
  if (!rooms) return false;
  for (const room in rooms) if (Object.hasOwn(rooms, room)) return true;
  return false;
}

/**
 * Everyone in `room`, on every node, once per id: if a replaced connection of a member has not
 * gone yet, its newest join stands.
 */
export async function membersOf(io: RelayServer, room: string): Promise<PeerHello[]> {
  const sockets = await io.in(roomKey(room)).fetchSockets();
  const byId = new Map<string, PeerHello>();
  for (const socket of sockets) {
    const hello = helloIn(socket.data, room);
    const known = hello && byId.get(hello.id);
    if (hello && (!known || known.since < hello.since)) byId.set(hello.id, hello);
  }
  return [...byId.values()];
}

/**
 * What connection `id` told the server, wherever it is connected; undefined if it is not.
 * Local connections answer at once; others cost one round trip through the adapter.
 */
export async function memberData(
  io: RelayServer,
  id: string,
): Promise<RelaySocketData | undefined> {
  const local = localPeer(io, id);
  if (local) return local.data;
  const [remote] = await io.in(id).fetchSockets();
  return remote?.data;
}

/**
 * Tells each local member of each local room who is really there, so rosters drop members of
 * a node that vanished without goodbyes (see `relay:members`).
 */
export async function sweepRooms(io: RelayServer): Promise<number> {
  const rooms = new Set<string>();
  for (const socket of io.sockets.sockets.values()) {
    for (const room of roomsOf(socket.data)) rooms.add(room);
  }
  for (const room of rooms) {
    const at = Date.now();
    const ids = (await membersOf(io, room)).map((h) => h.id);
    io.local.to(roomKey(room)).emit('relay:members', room, ids, at);
  }
  return rooms.size;
}
