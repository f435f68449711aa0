/**
 * Write timeouts for every TCP connection of the HTTP server (page files, long-polling
 * responses, WebSockets): a connection with bytes waiting to be written that has not passed
 * one of them to the kernel for `writeTimeoutMs` is reset. Node has no timeout for a response
 * the peer never reads (the `timeout` of an http server counts reads too, and is off), so a
 * client that opens requests and never reads their answers would hold each socket, and what
 * it waits to send, for ever. A reset (not a close) also frees what the kernel holds for it.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** Settings for the write timeout (see `ServerLimits.writeTimeout`). */
export interface WriteStallOptions {
  /** How long a connection may hold unwritten bytes without writing any, in ms. */
  writeTimeoutMs: number;
}

/** What we last saw of a socket: bytes passed on, and since when that number stands. */
interface Progress {
  sent: number;
  since: number;
}

/** Sockets reset for stalling (read by `slow-readers.ts`: a stalled poll drops its reader). */
const cut = new WeakSet<Socket>();

/** Whether `socket` was reset because it could not write for the write timeout. */
export function cutForStalling(socket: Socket): boolean {
  return cut.has(socket);
}

/** Bytes the socket has passed to the kernel (`bytesWritten` counts queued bytes too). */
function sentBytes(socket: Socket): number {
  return socket.bytesWritten - socket.writableLength;
}

/**
 * Watches every connection `server` accepts; returns a function that stops watching (the
 * sweep's timer never keeps the process alive either way).
 */
export function cutStalledWrites(server: Server, opts: WriteStallOptions): () => void {
  const watched = new Map<Socket, Progress>();
  server.on('connection', (socket: Socket) => {
    watched.set(socket, { sent: 0, since: Date.now() });
    socket.once('close', () => watched.delete(socket));
  });
  // A sweep a few times per timeout: a stall is cut between 1 and 1.25 timeouts after it began.
  const every = Math.max(50, Math.min(1000, Math.floor(opts.writeTimeoutMs / 4)));
  const timer = setInterval(() => {
    const now = Date.now();
    for (const [socket, seen] of watched) {
      const sent = sentBytes(socket);
      if (socket.writableLength === 0 || sent !== seen.sent) {
        seen.sent = sent;
        seen.since = now;
      } else if (now - seen.since >= opts.writeTimeoutMs) {
        watched.delete(socket);
        cut.add(socket);
        socket.resetAndDestroy();
      }
    }
  }, every);
  timer.unref();
  return () => clearInterval(timer);
}
