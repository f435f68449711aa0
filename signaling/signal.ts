/**
 * The WebRTC signaling server: forwards offers, answers and ICE candidates between two
 * members of a room they share, both taking direct links, with the sender stamped by the
 * server. Room membership comes from the relay's join (one connection does both); the target
 * may be on another node (Redis adapter). Every frame is checked and size-capped; a bad one
 * is answered with an error to its sender and never crashes the process.
 */
import * as v from 'valibot';
import { guardedOn, refuse } from './handlers.js';
import { SignalSchema } from '../src/protocol/relay-frames.js';
import { jsonSize } from '../src/protocol/limits.js';
import type { Logger } from './log.js';
import { helloIn, isPeerId, memberData, roomsOf } from './members.js';
import { peerIdOf } from './peer-id.js';
import type { RelayServer, RelaySocketData } from './types.js';

/** Signaling settings. */
export interface SignalOptions {
  /** Largest signal in bytes (an SDP offer is a few KiB). */
  maxSignal: number;
  log: Logger;
}

/** Default cap of one signal. */
export const DEFAULT_MAX_SIGNAL = 16 * 1024;

/** Whether two connections share a room in which both take direct links. */
function shareMeshRoom(a: RelaySocketData | undefined, b: RelaySocketData | undefined): boolean {
  return roomsOf(a).some((room) => helloIn(a, room)?.p2p && helloIn(b, room)?.p2p);
}

/** Installs signaling on the relay's Socket.IO server. */
export function attachSignaling(io: RelayServer, opts: SignalOptions): void {
  io.on('connection', (socket) => {
    guardedOn(socket, opts.log, 'signal:to', (to, data) => {
      const size = jsonSize(data);
      if (size === undefined)
        return refuse(socket, 'malformed', 'a signal must be JSON', 'signal:to');
      if (size > opts.maxSignal) {
        return refuse(
          socket,
          'too-large',
          `a signal is at most ${opts.maxSignal} bytes`,
          'signal:to',
        );
      }
      if (!roomsOf(socket.data).some((room) => helloIn(socket.data, room)?.p2p)) {
        return refuse(socket, 'not-joined', 'join a room with direct links first', 'signal:to');
      }
      const parsed = v.safeParse(SignalSchema, data);
      if (!parsed.success) return refuse(socket, 'malformed', 'not a WebRTC signal', 'signal:to');
      const noPeer = () =>
        refuse(
          socket,
          'unknown-peer',
          'no such peer taking direct links in this room',
          'signal:to',
        );
      const from = peerIdOf(socket);
      if (!isPeerId(to) || to === from) return noPeer();
      memberData(io, to).then(
        (target) => {
          if (!shareMeshRoom(socket.data, target)) return noPeer();
          // `from` is ours to say: the receiver learns who really sent it.
          io.to(to).emit('signal:data', from, parsed.output);
        },
        (err: unknown) => opts.log('warn', 'member lookup failed', { err: String(err) }),
      );
    });
  });
}
