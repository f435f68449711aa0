/**
 * A cap on what the server holds for one connection that does not read: every packet bound
 * for a client waits first in engine.io's `writeBuffer`, then (WebSocket) in the `ws` socket's
 * buffers until the kernel takes it. A client that stops reading but keeps answering pings is
 * never timed out, so without a cap each frame relayed to it stays in memory. Past `maxQueued`
 * bytes the connection is dropped ("too slow"); its rooms see it leave as after any disconnect.
 */
import type { IncomingMessage } from 'node:http';
import type { Logger } from './log.js';

/** What this module reads of an engine.io connection (`io.engine`'s `Socket`). */
export interface EngineConnection {
  id: string;
  request: IncomingMessage;
  transport: { name: string; socket?: unknown };
  on(event: 'packetCreate', fn: (packet: { data?: unknown }) => void): unknown;
  on(event: 'flush', fn: () => void): unknown;
  once(event: 'close', fn: () => void): unknown;
  close(discard?: boolean): unknown;
}

/** The engine.io server (`io.engine`), as far as this module and `conn-per-ip.ts` use it. */
export interface EngineServer {
  on(event: 'connection', fn: (conn: EngineConnection) => void): unknown;
  on(event: 'connection_error', fn: (err: { req: IncomingMessage }) => void): unknown;
}

/** Settings for the cap (see `ServerLimits.maxQueued`). */
export interface QueueOptions {
  maxQueued: number;
  log: Logger;
}

/** The `ws` socket's own buffers, as far as we use them. */
interface WsLike {
  bufferedAmount: number;
  terminate(): void;
}

function wsOf(conn: EngineConnection): WsLike | undefined {
  const ws = conn.transport.name === 'websocket' ? conn.transport.socket : undefined;
  return ws && typeof (ws as WsLike).bufferedAmount === 'number' ? (ws as WsLike) : undefined;
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
 * engine's buffer (emptied at each flush to the transport) plus what the WebSocket still holds;
 * past `maxQueued` the connection is closed at once, its buffers discarded.
 */
export function capQueue(conn: EngineConnection, opts: QueueOptions): void {
  let waiting = 0; // bytes in engine.io's writeBuffer
  let dropping = false;
  queues.set(conn, () => waiting + (wsOf(conn)?.bufferedAmount ?? 0));
  conn.on('flush', () => {
    waiting = 0;
  });
  conn.on('packetCreate', (packet) => {
    if (dropping) return;
    waiting += sizeOf(packet.data);
    const queued = waiting + (wsOf(conn)?.bufferedAmount ?? 0);
    if (queued <= opts.maxQueued) return;
    dropping = true;
    opts.log('warn', 'too slow: disconnected', {
      id: conn.id,
      reason: 'too slow',
      queued,
      maxQueued: opts.maxQueued,
    });
    // Not from inside engine.io's send: close on the next tick, before any more I/O.
    process.nextTick(() => {
      const ws = wsOf(conn);
      conn.close(true); // discard what waits; Socket.IO sees the close and tells the rooms
      ws?.terminate(); // and free what the WebSocket holds now, not after a close handshake
    });
  });
}

/** Caps the queue of every connection `engine` accepts from now on. */
export function dropSlowReaders(engine: EngineServer, opts: QueueOptions): void {
  engine.on('connection', (conn) => capQueue(conn, opts));
}
