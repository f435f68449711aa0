/**
 * The keeper's side of the server's feed (signaling/keeper-feed.ts): one Socket.IO connection
 * per server to its `/keeper` namespace, with the token. Every name it hears is checked as a
 * room name before the keeper acts on it (the server is trusted with names, not with shapes).
 */
import * as v from 'valibot';
import { io, type Socket } from 'socket.io-client';
import { RoomNameSchema } from '../src/protocol/fields.js';
import {
  KEEPER_NAMESPACE,
  KEEPER_ROOM,
  KEEPER_ROOMS,
  MAX_FEED_ROOMS,
} from '../signaling/keeper-feed.js';

const RoomsSchema = v.pipe(v.array(v.unknown()), v.maxLength(MAX_FEED_ROOMS));

/** What the feed tells. */
export interface FeedEvents {
  /** A room to keep (a checked name). */
  room: (name: string) => void;
  /** The server refused the token: this keeper can never use that server. */
  refused: (url: string, why: string) => void;
}

/** A feed from each server in `servers`; `close()` ends them. */
export function openFeeds(
  servers: readonly string[],
  token: string,
  on: FeedEvents,
): { close: () => void } {
  const sockets: Socket[] = servers.map((url) => {
    const socket = io(`${url}${KEEPER_NAMESPACE}`, {
      auth: { token },
      forceNew: true,
      transports: ['websocket'],
      reconnectionDelayMax: 10_000,
    });
    const take = (name: unknown) => {
      if (v.is(RoomNameSchema, name)) on.room(name);
    };
    socket.on(KEEPER_ROOMS, (names: unknown) => {
      const list = v.safeParse(RoomsSchema, names);
      if (list.success) list.output.forEach(take);
    });
    socket.on(KEEPER_ROOM, take);
    socket.on('connect_error', (err) => {
      // A refusal by the namespace's check is final (Socket.IO does not retry it); a network
      // error is retried by Socket.IO itself.
      if (!socket.active) on.refused(url, err.message);
    });
    return socket;
  });
  return { close: () => sockets.forEach((s) => s.close()) };
}
