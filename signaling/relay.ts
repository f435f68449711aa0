/**
 * The Socket.IO relay: rooms, relaying app events to the other members of the sender's room,
 * `peer-join`/`peer-leave` announcements. Every frame from a client is untrusted: it is
 * validated against the shared schemas, size-capped, and a bad one is answered with an error
 * to its sender only. Nothing is stored.
 */
import type { Server } from 'socket.io';
import * as v from 'valibot';
import { describeIssues, isRelayedEvent, relayedEventSchemas } from '../src/transport/protocol.js';
import {
  JoinRequestSchema,
  type JoinReply,
  type RelayClientEvents,
  type RelayServerEvents,
} from '../src/transport/relay-wire.js';
import type { PeerHello } from '../src/transport/types.js';
import { payloadSize } from './limits.js';
import type { Logger } from './log.js';
import { guardedOn, refuse, type RelaySocket, type RelaySocketData } from './handlers.js';

/** The typed Socket.IO server the relay runs on. */
export type RelayServer = Server<RelayClientEvents, RelayServerEvents, object, RelaySocketData>;

/** Relay settings. */
export interface RelayOptions {
  maxPayload: number;
  /** Most members of one room that may take direct (WebRTC) links. */
  meshCap: number;
  log: Logger;
}

const CLIENT_FRAMES = new Set(['relay:join', 'relay:emit', 'relay:to', 'signal:to']);
const ExceptSchema = v.optional(
  v.pipe(v.array(v.pipe(v.string(), v.maxLength(64))), v.maxLength(64)),
);

function leaveRoom(socket: RelaySocket): void {
  const { room, hello } = socket.data;
  if (room === undefined || hello === undefined) return;
  socket.to(room).emit('relay:peer-leave', hello.id);
  void socket.leave(room);
  socket.data = {};
}

async function join(
  io: RelayServer,
  socket: RelaySocket,
  opts: RelayOptions,
  req: unknown,
  ack: unknown,
) {
  const reply = (r: JoinReply) => {
    if (typeof ack === 'function') (ack as (r: JoinReply) => void)(r);
    else if (!r.ok) socket.emit('relay:error', r.error);
  };
  const parsed = v.safeParse(JoinRequestSchema, req);
  if (!parsed.success) {
    const code = parsed.issues.some((i) => v.getDotPath(i) === 'room')
      ? 'invalid-room'
      : 'malformed';
    const message = `join refused: ${describeIssues(parsed.issues)}`;
    return reply({ ok: false, error: { code, message, event: 'relay:join' } });
  }
  leaveRoom(socket);
  const { room, me } = parsed.output;
  const members = await io.in(room).fetchSockets();
  const peers = members
    .map((m) => m.data.hello)
    .filter((h): h is PeerHello => h !== undefined && h.id !== socket.id);
  // The mesh cap: past it, a newcomer who asked for direct links is told and relayed instead.
  const meshFull = me.p2p === true && peers.filter((p) => p.p2p).length >= opts.meshCap;
  const hello: PeerHello = {
    id: socket.id,
    userId: me.userId,
    name: me.name,
    since: Date.now(),
    p2p: me.p2p === true && !meshFull,
  };
  socket.data = { room, hello };
  await socket.join(room);
  socket.to(room).emit('relay:peer-join', hello);
  reply({
    ok: true,
    selfId: socket.id,
    since: hello.since,
    peers,
    ...(meshFull ? { meshFull: { cap: opts.meshCap } } : {}),
  });
}

/** Checks one app event from `socket`; returns its room when it may be relayed. */
function checkAppEvent(
  socket: RelaySocket,
  opts: RelayOptions,
  frame: string,
  event: unknown,
  args: unknown,
): string | undefined {
  const size = payloadSize(args);
  if (size === undefined || !Array.isArray(args)) {
    refuse(socket, 'malformed', 'arguments must be a JSON array', frame);
    return undefined;
  }
  if (size > opts.maxPayload) {
    const name = typeof event === 'string' ? event.slice(0, 64) : frame;
    refuse(
      socket,
      'too-large',
      `payload is ${size} bytes, over the ${opts.maxPayload}-byte cap`,
      name,
    );
    return undefined;
  }
  if (!isRelayedEvent(event)) {
    refuse(socket, 'unknown-event', `no such event: ${String(event).slice(0, 64)}`, frame);
    return undefined;
  }
  const room = socket.data.room;
  if (room === undefined) {
    refuse(socket, 'not-joined', 'join a room first', event);
    return undefined;
  }
  const parsed = v.safeParse(relayedEventSchemas[event], args);
  if (!parsed.success) {
    refuse(socket, 'malformed', describeIssues(parsed.issues), event);
    return undefined;
  }
  // Envelopes name their room; one addressed elsewhere must not leak into ours.
  const env = parsed.output[0] as { room?: unknown };
  if (env.room !== room) {
    refuse(socket, 'wrong-room', `this connection is in "${room}"`, event);
    return undefined;
  }
  return room;
}

/** Installs the relay on a Socket.IO server. */
export function attachRelay(io: RelayServer, opts: RelayOptions): void {
  io.on('connection', (socket) => {
    // Handlers take `unknown`: the typed signatures describe honest clients, not every client.
    const on = (ev: keyof RelayClientEvents, fn: (...a: unknown[]) => void) =>
      guardedOn(socket, opts.log, ev, fn);

    on('relay:join', (req, ack) => {
      join(io, socket, opts, req, ack).catch((err: unknown) => {
        opts.log('error', 'join failed', { err: String(err) });
        refuse(socket, 'malformed', 'join failed', 'relay:join');
      });
    });

    on('relay:emit', (event, args, except) => {
      const room = checkAppEvent(socket, opts, 'relay:emit', event, args);
      if (room === undefined) return;
      // Members already reached over a direct link are left out.
      const skip = v.safeParse(ExceptSchema, except);
      if (!skip.success)
        return refuse(socket, 'malformed', 'except: a list of peer ids', 'relay:emit');
      socket
        .to(room)
        .except(skip.output ?? [])
        .emit('relay:event', socket.id, event as string, args as unknown[]);
    });

    on('relay:to', (to, event, args) => {
      const room = checkAppEvent(socket, opts, 'relay:to', event, args);
      if (room === undefined) return;
      const target = typeof to === 'string' ? io.sockets.sockets.get(to) : undefined;
      if (!target || target.data.room !== room) {
        return refuse(socket, 'unknown-peer', 'no such peer in this room', event as string);
      }
      target.emit('relay:event', socket.id, event as string, args as unknown[]);
    });

    socket.onAny((event: unknown) => {
      if (typeof event !== 'string' || !CLIENT_FRAMES.has(event)) {
        refuse(socket, 'unknown-event', `no such frame: ${String(event).slice(0, 64)}`);
      }
    });

    socket.on('disconnect', () => leaveRoom(socket));
  });
}
