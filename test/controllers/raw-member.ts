/**
 * A raw Socket.IO member for attack and compatibility tests: joined to a room on the real relay
 * with a valid proof for an identity of its own, and then free to send whatever it likes — the
 * whole toolkit of a member who does not run Parley.
 */
import { io, type Socket } from 'socket.io-client';
import type { JoinReply } from '../../src/protocol/relay-frames.js';
import type { author } from '../support/envelopes.js';
import { provenJoin } from '../support/identity.js';
import { signsHellos } from '../../src/controllers/presence/here.js';
import { signHere } from '../../src/protocol/signed-notices.js';

/** An identity a raw member signs with (see `support/envelopes.ts`). */
export type RawAuthor = Awaited<ReturnType<typeof author>>;

/** A raw member joined to its room. */
export interface RawMember {
  socket: Socket;
  /** Connection id of the member called `name`, from the join reply. */
  idOf(name: string): string | undefined;
  /** Sends `payload` as a live message to the whole room. */
  send(payload: unknown): void;
  /** Sends event `ev` with `payload` to the whole room. */
  emit(ev: string, payload: unknown): void;
  /** Sends event `ev` with `payload` to one member (`relay:to`). */
  to(peer: string, ev: string, payload: unknown): void;
}

/**
 * Joins `room` on the relay at `url` as `who`, with `join` added to the join request (a
 * version, say); the socket goes in `sockets`, for the test to disconnect.
 */
export async function rawMember(
  url: string,
  room: string,
  who: RawAuthor,
  sockets: Socket[],
  join: Record<string, unknown> = {},
): Promise<RawMember> {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  sockets.push(socket);
  await new Promise((resolve) => socket.once('connect', () => resolve(undefined)));
  const request = { ...(await provenJoin(socket, room, who.name, who)), ...join };
  const reply = await new Promise<JoinReply>((resolve) =>
    socket.emit('relay:join', request, resolve),
  );
  if (!reply.ok) throw new Error(`join refused: ${reply.error.message}`);
  // A member of 1.4 (the default) says it is here with its own signed hello, to the room and
  // to each member who joins, as the app does; an older one (`join.v`) cannot.
  if (signsHellos({ v: request.v })) {
    const here = () => signHere(who, { room, peer: reply.selfId, name: who.name, at: Date.now() });
    void here().then((h) => socket.emit('relay:emit', 'chat:here', [h]));
    socket.on('relay:presence', (_room: string, changes: Array<{ join?: { id: string } }>) => {
      for (const c of changes) {
        if (c.join) void here().then((h) => socket.emit('relay:to', c.join!.id, 'chat:here', [h]));
      }
    });
  }
  return {
    socket,
    idOf: (name) => reply.peers.find((p) => p.name === name)?.id,
    send: (payload) => socket.emit('relay:emit', 'chat:message', [payload]),
    emit: (ev, payload) => socket.emit('relay:emit', ev, [payload]),
    to: (peer, ev, payload) => socket.emit('relay:to', peer, ev, [payload]),
  };
}
