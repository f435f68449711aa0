/**
 * Safe plumbing for untrusted Socket.IO frames, shared by the relay and the signaling server:
 * handlers take `unknown` arguments, can never throw out into Socket.IO (which would take the
 * process down), and errors go to the offending client only.
 */
import type {
  RelayClientEvents,
  RelayError,
  RelayErrorCode,
} from '../src/protocol/relay-frames.js';
import type { Logger } from './log.js';
import type { RelaySocket } from './types.js';

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
