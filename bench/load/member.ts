/**
 * One load-test client: a socket.io-client connection that joins one room the way Parley's page
 * does (a join proof signed over the connection's id) and sends Parley's wire frames (a strict
 * chat envelope through `relay:emit`). Shared by the load benchmark's clients (`clients.ts`) and
 * the capacity benchmark's (`capacity-clients.ts`), so every server gets the same frames.
 */
import { io, type Socket } from 'socket.io-client';
import { createIdentity, signerOf } from '../../src/protocol/identity.js';
import { proveJoin } from '../../src/protocol/join-proof.js';
import { PROTOCOL_VERSION } from '../../src/protocol/version.js';
import type { RelayClientEvents, RelayServerEvents } from '../../src/protocol/relay-frames.js';

type Client = Socket<RelayServerEvents, RelayClientEvents>;

/** A joined client. */
export interface Member {
  socket: Client;
  /** Index of its room, and the room's name. */
  r: number;
  room: string;
  userId: string;
  name: string;
  /** The member's public key (its `userId` is the key's hash), as envelopes name it. */
  key: string;
  seq: number;
}

/** Where a member's traffic is counted. */
export interface MemberSink {
  /** An app event relayed to this member (called first thing, so the caller's clock is fair). */
  event(event: string, args: unknown[]): void;
  /** A `relay:error` frame, by code. */
  error(code: string): void;
  /** The connection was lost, with socket.io's reason. */
  disconnect(reason: string): void;
}

/**
 * Stands in for each envelope's signature: as long as an Ed25519 one, so frames are the size
 * of real ones. No server here verifies signatures (receivers do), so signing every message
 * would only add the clients' CPU to what is measured.
 */
const SIG = 'S'.repeat(86);
/** A typical chat line. */
const TEXT =
  'Load test: the quick brown fox jumps over the lazy dog, and again, to make a usual line.';
/** Time limit for one connection's open, and for its join, unless told otherwise. */
export const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Opens a connection to `url` and joins room number `r` (named `load-<r>`) as client `i`, each
 * with an identity of its own (a Parley relay refuses joins it cannot check). Rejects when the
 * connection or the join fails, or either takes over `timeoutMs`; the socket is then closed.
 */
export async function openMember(
  url: string,
  r: number,
  i: number,
  sink: MemberSink,
  timeoutMs = CONNECT_TIMEOUT_MS,
) {
  const socket: Client = io(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    timeout: timeoutMs,
  });
  const room = `load-${r}`;
  try {
    const identity = await createIdentity();
    const { id: userId, publicKey: key } = identity;
    const member: Member = { socket, r, room, userId, name: `Load${i}`, key, seq: 0 };
    socket.on('relay:event', (_from, event, args) => sink.event(event, args));
    socket.on('relay:error', (err) => sink.error(err.code));
    // socket.io-client times out the transport's opening only, not the namespace's CONNECT
    // that follows: a server that stalls there would hold this promise forever.
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`client ${i}: no connect within ${timeoutMs} ms`)),
        timeoutMs,
      );
      socket.once('connect', resolve);
      socket.once('connect_error', (err) => reject(new Error(`client ${i}: ${err.message}`)));
    }).finally(() => clearTimeout(timer));
    socket.on('disconnect', (reason) => sink.disconnect(reason));
    // The proof is signed over the connection's id, which the server chose.
    const profile = { userId, name: member.name };
    const proven = await proveJoin(signerOf(identity), socket.id!, room, profile);
    const reply = await socket
      .timeout(timeoutMs)
      .emitWithAck('relay:join', { room, ...proven, v: PROTOCOL_VERSION });
    if (!reply.ok) throw new Error(`client ${i}: join refused: ${reply.error.message}`);
    return member;
  } catch (err) {
    socket.disconnect();
    throw err;
  }
}

/** Sends a chat message with id `id` from `m` to its room. */
export function sendChat(m: Member, id: string): void {
  const envelope = {
    id,
    room: m.room,
    from: { id: m.userId, name: m.name, key: m.key },
    ts: Date.now(),
    seq: m.seq++,
    body: { text: TEXT },
    sig: SIG,
  };
  m.socket.emit('relay:emit', 'chat:message', [envelope]);
}
