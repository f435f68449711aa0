/**
 * One Socket.IO socket per engine.io connection. Socket.IO 4.8 makes a socket for every CONNECT
 * packet that arrives before the first one has finished connecting, so one write carrying
 * "40" thousands of times made thousands of sockets on one connection, past the per-address
 * cap (which counts connections). Parley's client opens one namespace ("/") once per
 * connection, so a second CONNECT is hostile: the connection is closed at once, before
 * Socket.IO decodes that packet, and nothing after it in the same write is read.
 */
import { wsOf, type EngineServer } from './engine.js';
import type { Logger } from './log.js';

/**
 * Whether an engine.io message is a Socket.IO CONNECT packet (type 0, any namespace): its
 * text starts with the digit 0. Binary messages are attachments, never a CONNECT.
 */
export function isConnectPacket(data: unknown): boolean {
  return typeof data === 'string' && data.charCodeAt(0) === 48; // '0'
}

/**
 * Closes any connection of `engine` that sends a second CONNECT packet. Works from the
 * engine's `packet` event, which comes before the `data` event Socket.IO decodes, so the
 * refused CONNECT never becomes a socket; the first one's socket, if still connecting, is
 * dropped by Socket.IO when it sees the connection closed.
 */
export function oneSocketPerConnection(engine: EngineServer, log: Logger): void {
  engine.on('connection', (conn) => {
    let connects = 0;
    conn.on('packet', (packet) => {
      if (packet.type !== 'message' || !isConnectPacket(packet.data)) return;
      if (++connects === 1) return;
      log('warn', 'second socket on one connection: disconnected', {
        id: conn.id,
        reason: 'second connect',
      });
      const ws = wsOf(conn);
      // Discarding closes at once (the `close` event is synchronous), so Socket.IO stops
      // listening for `data` before this packet reaches it.
      conn.close(true);
      // Should the transport have been closing already, close() does not fire `close` now:
      // then Socket.IO's reader is taken off here, so this packet is still never decoded.
      if (conn.readyState !== 'closed') conn.removeAllListeners('data');
      ws?.terminate(); // free what the WebSocket holds now, not after a close handshake
    });
  });
}
