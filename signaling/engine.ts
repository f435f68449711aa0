/**
 * The parts of engine.io (`io.engine` and its connections) the server's guards use, typed
 * here once: the cap per address, the cap on queued bytes and the one-socket rule.
 */
import type { IncomingMessage } from 'node:http';

/** An engine.io connection (`socket.conn`), as far as the guards read it. */
export interface EngineConnection {
  id: string;
  request: IncomingMessage;
  /** `open`, `closing` or `closed`. */
  readyState: string;
  /**
   * The transport now in use: `websocket` (its `ws` socket) or `polling` (the poll request
   * waiting for data, if any).
   */
  transport: { name: string; socket?: unknown; req?: IncomingMessage | null };
  on(event: 'packetCreate', fn: (packet: { data?: unknown }) => void): unknown;
  on(event: 'packet', fn: (packet: { type: string; data?: unknown }) => void): unknown;
  on(event: 'flush', fn: () => void): unknown;
  once(event: 'close', fn: () => void): unknown;
  removeAllListeners(event: 'data'): unknown;
  close(discard?: boolean): unknown;
}

/** The engine.io server (`io.engine`), as far as the guards use it. */
export interface EngineServer {
  on(event: 'connection', fn: (conn: EngineConnection) => void): unknown;
  on(event: 'connection_error', fn: (err: { req: IncomingMessage }) => void): unknown;
}

/** The `ws` socket's own buffers, as far as the guards use them. */
export interface WsLike {
  bufferedAmount: number;
  terminate(): void;
}

/** The `ws` socket under a WebSocket transport, or undefined (long-polling). */
export function wsOf(conn: EngineConnection): WsLike | undefined {
  const ws = conn.transport.name === 'websocket' ? conn.transport.socket : undefined;
  return ws && typeof (ws as WsLike).bufferedAmount === 'number' ? (ws as WsLike) : undefined;
}
