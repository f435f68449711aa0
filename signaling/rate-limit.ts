/**
 * Per-connection rate limit: a token bucket in front of every incoming event. Within the
 * burst an event passes at once; past it the event waits in a short queue and is handled as
 * tokens come back (the client is slowed, nothing is lost); a client that overfills the queue
 * is flooding and is disconnected with a reason. Binary chunk frames (`relay:bytes`) pass: they
 * are bounded by the connection's byte budget instead.
 */
import type { RelaySocket } from './types.js';
import { refuse } from './handlers.js';
import type { Logger } from './log.js';
import { TokenBucket } from '../src/protocol/token-bucket.js';
import { BYTES_FRAME } from './relay-bytes.js';

/** Rate settings (see `ServerLimits`). */
export interface RateOptions {
  /** Tokens per second. */
  rate: number;
  /** Bucket size: events allowed at once. */
  burst: number;
  log: Logger;
}

/** How often a slowed client is told so, at most. */
const NOTICE_EVERY_MS = 5000;

/**
 * Installs the limit on one connection (`socket.use`: runs before every event handler).
 * The wait queue holds as many events as the burst.
 */
export function limitRate(socket: RelaySocket, opts: RateOptions): void {
  const bucket = new TokenBucket(opts.rate, opts.burst);
  const waiting: Array<() => void> = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastNotice = -Infinity;
  let flooded = false;

  const drain = () => {
    timer = undefined;
    while (waiting.length && bucket.take()) waiting.shift()!();
    if (waiting.length && socket.connected) timer = setTimeout(drain, bucket.wait());
  };

  socket.use((packet, next) => {
    if (flooded) return; // already on its way out: read nothing more
    // Chunk frames have a byte budget of their own (see `relay-bytes.ts`), not this one.
    if (packet[0] === BYTES_FRAME) return next();
    if (!waiting.length && bucket.take()) return next();
    if (waiting.length >= opts.burst) {
      flooded = true;
      opts.log('warn', 'flood: disconnected', { id: socket.id, rate: opts.rate });
      refuse(
        socket,
        'rate-limited',
        `disconnected: more than ${opts.rate} events per second (burst ${opts.burst})`,
      );
      waiting.length = 0;
      clearTimeout(timer);
      // Let the reason reach the client before the connection goes.
      setTimeout(() => socket.disconnect(true), 50);
      return;
    }
    waiting.push(() => next());
    const now = performance.now();
    if (now - lastNotice > NOTICE_EVERY_MS) {
      lastNotice = now;
      refuse(socket, 'rate-limited', `slowed down: over ${opts.rate} events per second`);
    }
    timer ??= setTimeout(drain, bucket.wait());
  });
  socket.on('disconnect', () => {
    clearTimeout(timer);
    waiting.length = 0;
  });
}
