/**
 * A cap on what the server holds for one connection that does not read: every packet bound
 * for a client waits first in engine.io's `writeBuffer`, then in the TCP socket it is written
 * to — the WebSocket's (`ws` buffers), or over long-polling each poll response's — until the
 * kernel takes it. A client that stops reading but keeps answering pings is never timed out,
 * so without a cap each frame relayed to it stays in memory. Past `maxQueued` bytes the
 * connection is dropped ("too slow"); its rooms see it leave as after any disconnect.
 *
 * Long-polling: each poll empties engine.io's buffer into an HTTP response, so that buffer
 * alone says nothing; a client that opens each poll on a new TCP connection and never reads
 * leaves the bytes in those sockets. They are counted (the bytes Node still holds for every
 * socket a poll of this connection was answered on), and a poll socket reset because it could
 * not write for the write timeout (`write-stall.ts`) drops its connection too.
 */
import type { Socket as NetSocket } from 'node:net';
import { wsOf, type EngineConnection, type EngineServer } from './engine.js';
import type { Logger } from './log.js';
import { cutForStalling } from './write-stall.js';

/** Settings for the cap (see `ServerLimits.maxQueued`). */
export interface QueueOptions {
  maxQueued: number;
  log: Logger;
}

/** Bytes a packet's data takes (its frame adds a byte or two, counted as one). */
function sizeOf(data: unknown): number {
  if (typeof data === 'string') return Buffer.byteLength(data) + 1;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength + 1;
  return 1;
}

/** What waits to be written to each watched connection, in bytes (see {@link queuedBytes}). */
const queues = new WeakMap<object, () => number>();

/**
 * Bytes the server holds for `conn` (an engine.io connection, `socket.conn`) right now, or
 * undefined when it is not watched. The relay reads it before it hands a receiver a chunk
 * frame: one behind is skipped (the fetcher asks again), so chunks never make the server drop
 * a slow reader — only the frames every member must get can.
 */
export function queuedBytes(conn: object): number | undefined {
  return queues.get(conn)?.();
}

/**
 * Watches one engine.io connection: each outgoing packet adds its bytes to what waits in the
 * engine's buffer (emptied at each flush to the transport) plus what the WebSocket or the
 * poll responses' sockets still hold; past `maxQueued` the connection is closed at once, its
 * buffers discarded.
 */
export function capQueue(conn: EngineConnection, opts: QueueOptions): void {
  let waiting = 0; // bytes in engine.io's writeBuffer
  let dropping = false;
  /** TCP sockets this connection's polls were answered on, until they close. */
  const pollSockets = new Set<NetSocket>();
  const held = () => {
    let bytes = waiting + (wsOf(conn)?.bufferedAmount ?? 0);
    for (const s of pollSockets) bytes += s.writableLength;
    return bytes;
  };
  queues.set(conn, held);

  /** Closes the connection at once; `reason` is logged ("too slow" or "not reading"). */
  const drop = (queued: number, reason: 'too slow' | 'not reading') => {
    if (dropping) return;
    dropping = true;
    opts.log('warn', `${reason}: disconnected`, {
      id: conn.id,
      reason,
      queued,
      maxQueued: opts.maxQueued,
    });
    // Not from inside engine.io's send: close on the next tick, before any more I/O.
    process.nextTick(() => {
      const ws = wsOf(conn);
      conn.close(true); // discard what waits; Socket.IO sees the close and tells the rooms
      ws?.terminate(); // and free what the WebSocket holds now, not after a close handshake
      for (const s of pollSockets) s.destroy(); // and the unread poll answers
    });
  };

  const watchPollSocket = (socket: NetSocket) => {
    if (pollSockets.has(socket) || socket.destroyed) return;
    pollSockets.add(socket);
    socket.once('close', () => {
      pollSockets.delete(socket);
      // A poll answer that could not get out: its reader does not read.
      if (cutForStalling(socket)) drop(held(), 'not reading');
    });
  };

  conn.on('flush', () => {
    waiting = 0;
    // Over long-polling the buffer goes out as the answer to the poll waiting now.
    const socket = conn.transport.name === 'polling' ? conn.transport.req?.socket : undefined;
    if (socket) watchPollSocket(socket);
  });
  conn.on('packetCreate', (packet) => {
    if (dropping) return;
    waiting += sizeOf(packet.data);
    const queued = held();
    if (queued > opts.maxQueued) drop(queued, 'too slow');
  });
  conn.once('close', () => pollSockets.clear());
}

/** Caps the queue of every connection `engine` accepts from now on. */
export function dropSlowReaders(engine: EngineServer, opts: QueueOptions): void {
  engine.on('connection', (conn) => capQueue(conn, opts));
}
