/**
 * Peer ids: connection ids that survive reconnection (never to be confused with the Socket.IO
 * session id, which only a join proof signs). A client may send a secret of its own in the
 * handshake (`auth.key`, random per transport, never shown to anyone else); its id is then
 * derived from that secret (a hash), so after a dropped connection, a server restart or a
 * fail-over to another node it is the same id again — the direct links and receipts other
 * members keyed by it stay valid — and nobody without the secret can take that id. A client
 * without a key is known by its Socket.IO id. Derived ids are 24 characters and Socket.IO's are
 * 20, so the two kinds can never meet.
 */
import { createHash } from 'node:crypto';
import type { Logger } from './log.js';
import type { RelayServer, RelaySocket } from './types.js';

/** What a key looks like: base64url, 22–64 characters (the client sends 24). */
const KEY = /^[A-Za-z0-9_-]{22,64}$/;

/** The id a connection with handshake `auth` gets; `socketId` when it brought no usable key. */
export function peerIdFor(auth: unknown, socketId: string): string {
  const key = (auth as { key?: unknown } | null)?.key;
  if (typeof key !== 'string' || !KEY.test(key)) return socketId;
  return createHash('sha256').update(`parley-peer:${key}`).digest('base64url').slice(0, 24);
}

/** The connection's peer id, as members see it (stamped on everything it sends). */
export function peerIdOf(socket: RelaySocket): string {
  return socket.data.peerId ?? socket.id;
}

/** This node's connections by peer id (the newest, if a client is connected twice). */
const local = new WeakMap<RelayServer, Map<string, RelaySocket>>();

/** The local connection with peer id `id`, if any. */
export function localPeer(io: RelayServer, id: string): RelaySocket | undefined {
  return local.get(io)?.get(id);
}

/**
 * Gives every new connection its peer id and a Socket.IO room of that name (so `io.to(id)`
 * reaches it on any node, whichever kind of id it is). Install before the relay.
 *
 * One id, one connection: a client that reconnects before the server noticed its old
 * connection die gets the id, and the old connection (on any node) is closed — newest wins,
 * so two connections never answer to one id.
 */
export function assignPeerIds(io: RelayServer, log: Logger): void {
  const byId = new Map<string, RelaySocket>();
  local.set(io, byId);
  io.on('connection', (socket) => {
    const id = peerIdFor(socket.handshake.auth, socket.id);
    socket.data.peerId = id;
    if (id !== socket.id) {
      // This node's older connections go at once, before this one joins the id's room (a
      // cluster-wide disconnect of the room would come back through Redis after the join).
      io.local.in(id).disconnectSockets(true);
      void socket.join(id);
      // Other nodes' go by their own socket ids, which never name this connection.
      io.in(id)
        .fetchSockets()
        .then((sockets) => sockets.forEach((s) => s.id !== socket.id && s.disconnect(true)))
        .catch((err: unknown) =>
          log('warn', 'replacing a connection failed', { err: String(err) }),
        );
    }
    byId.set(id, socket);
    socket.on('disconnect', () => {
      if (byId.get(id) === socket) byId.delete(id);
    });
  });
}
