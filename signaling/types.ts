/**
 * The typed Socket.IO server and connection every server module works with, declared once so
 * the relay, signaling, membership and cluster modules share them without importing each other.
 */
import type { Server, Socket } from 'socket.io';
import type { PeerHello } from '../src/protocol/peer.js';
import type { RelayClientEvents, RelayServerEvents } from '../src/protocol/relay-frames.js';

/**
 * What the server remembers per connection: how it introduced itself in each room it joined.
 * A plain object (not a Map) because the Redis adapter serialises it for other nodes.
 */
export interface RelaySocketData {
  /** The connection's peer id, as members see it (see `peer-id.ts`). */
  peerId?: string;
  rooms?: Record<string, PeerHello>;
}

/** A connection as the relay and signaling handlers see it. */
export type RelaySocket = Socket<RelayClientEvents, RelayServerEvents, object, RelaySocketData>;

/** The typed Socket.IO server the relay runs on. */
export type RelayServer = Server<RelayClientEvents, RelayServerEvents, object, RelaySocketData>;
