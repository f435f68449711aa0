/**
 * A short wait line of chunk frames in front of one receiving connection. A receiver that is
 * behind (its bytes waiting past a threshold, see `slow-readers.ts`) is not handed chunks — so
 * chunks never make the slow-reader rule drop it — but a moment's lag (a busy tab, the kernel's
 * buffers still growing) should not cost a chunk either: frames wait here, in order, looked at
 * every few milliseconds, and go as soon as the receiver caught up. The line is bounded; what
 * does not fit is dropped (the fetcher asks again). Memory only, released when it empties or
 * the connection goes: the relay keeps nothing.
 */
import type { ChunkHead } from '../src/protocol/file-events.js';
import { queuedBytes } from './slow-readers.js';
import type { RelaySocket } from './types.js';

/** A chunk frame as the relay passes it on: sender, head, bytes. */
export type ChunkArgs = [string, ChunkHead, Uint8Array | ArrayBuffer];

/** How often a waiting line looks at its receiver again, in ms. */
const POLL_MS = 5;

interface Line {
  frames: Array<{ args: ChunkArgs; size: number }>;
  bytes: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

const lines = new WeakMap<RelaySocket, Line>();

/** Limits of the line: the receiver's threshold and the line's own size, in bytes. */
export interface LineLimits {
  /** Bytes waiting for the receiver past which it gets no chunk now. */
  maxBehind: number;
  /** Most chunk bytes waiting in the line. */
  maxHeld: number;
}

const behind = (socket: RelaySocket, size: number, limits: LineLimits) =>
  (queuedBytes(socket.conn) ?? 0) + size > limits.maxBehind;

/**
 * Hands a chunk frame to `socket` now, or puts it at the end of its line; false when the line
 * is full and the frame dropped.
 */
export function handChunk(
  socket: RelaySocket,
  args: ChunkArgs,
  size: number,
  limits: LineLimits,
): boolean {
  let line = lines.get(socket);
  if (!line?.frames.length && !behind(socket, size, limits)) {
    socket.emit('relay:bytes', ...args);
    return true;
  }
  if (!line) {
    const made: Line = { frames: [], bytes: 0, timer: undefined };
    lines.set(socket, (line = made));
    socket.once('disconnect', () => {
      clearTimeout(made.timer);
      made.frames.length = 0;
      lines.delete(socket);
    });
  }
  if (line.bytes + size > limits.maxHeld) return false;
  line.frames.push({ args, size });
  line.bytes += size;
  const waiting = line;
  line.timer ??= setTimeout(() => drain(socket, waiting, limits), POLL_MS);
  return true;
}

/** Hands on what the receiver can take now; looks again later while frames wait. */
function drain(socket: RelaySocket, line: Line, limits: LineLimits): void {
  line.timer = undefined;
  if (!socket.connected) return;
  while (line.frames.length > 0 && !behind(socket, line.frames[0]!.size, limits)) {
    const { args, size } = line.frames.shift()!;
    line.bytes -= size;
    socket.emit('relay:bytes', ...args);
  }
  if (line.frames.length > 0) line.timer = setTimeout(() => drain(socket, line, limits), POLL_MS);
}
