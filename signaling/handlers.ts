/**
 * Safe plumbing for untrusted Socket.IO frames, shared by the relay and the signaling server:
 * handlers take `unknown` arguments, can never throw out into Socket.IO (which would take the
 * process down), and errors go to the offending client only.
 */
import type { Socket } from 'socket.io';
import type {
  RelayClientEvents,
  RelayError,
  RelayErrorCode,
  RelayServerEvents,
} from '../src/transport/relay-wire.js';
import type { PeerHello } from '../src/transport/types.js';
import type { Logger } from './log.js';

/**
 * What the server remembers per connection: how it introduced itself in each room it joined.
 * A plain object (not a Map) because the Redis adapter serialises it for other nodes.
 */
export interface RelaySocketData {
  /** The connection's id as members see it (see `peer-id.ts`). */
  peerId?: string;
  rooms?: Record<string, PeerHello>;
}

/** A connection as the relay and signaling handlers see it. */
export type RelaySocket = Socket<RelayClientEvents, RelayServerEvents, object, RelaySocketData>;

/** Tells `socket` (and nobody else) why its frame was refused. */
export function refuse(
  socket: RelaySocket,
  code: RelayErrorCode,
  message: string,
  event?: string,
): void {
  const err: RelayError = event === undefined ? { code, message } : { code, message, event };
  socket.emit('relay:error', err);
}

/** Registers a handler for frame `ev` whose failures are logged and answered, never thrown. */
export function guardedOn(
  socket: RelaySocket,
  log: Logger,
  ev: keyof RelayClientEvents,
  fn: (...args: unknown[]) => void,
): void {
  (socket.on as (ev: string, fn: (...a: unknown[]) => void) => void)(ev, (...args) => {
    try {
      fn(...args);
    } catch (err) {
      log('error', 'handler failed', { event: ev, err: String(err) });
      refuse(socket, 'malformed', 'the server could not read this frame', ev);
    }
  });
}
