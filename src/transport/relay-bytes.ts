/**
 * A server connection's binary lane (protocol 1.2): chunk frames to one member as `relay:bytes`,
 * the bytes a Socket.IO binary attachment (never base64), paced under the byte budget the
 * server announced (see `byte-pacer.ts`; apart from the JSON frames' pacer, so chat never waits
 * behind a file) and under the WebSocket's own buffer (backpressure); and the chunk frames the
 * server hands us, passed to the transport's door for them. Owned by `relay-link.ts`. The pacer
 * (and its byte bucket) loads with the first chunk sent: a visitor who never sends a file
 * never downloads it.
 */
import type { Socket } from 'socket.io-client';
import type { ChunkHead } from '../protocol/file-events.js';
import { DEFAULT_BYTE_BUDGET } from '../protocol/file-events.js';
import {
  CHUNK_FRAME_COST,
  type RelayClientEvents,
  type RelayServerEvents,
} from '../protocol/relay-frames.js';
import type { TransportPort } from './base.js';
import type { BytePacer } from './byte-pacer.js';
import type { ByteBudget, PeerId } from './types.js';

type RelaySocket = Socket<RelayServerEvents, RelayClientEvents>;

/** Bytes the WebSocket may hold unsent before the next chunk waits. */
const HIGH_WATER = 256 * 1024;

/**
 * Whether the connection can take one more chunk now: nothing of ours waits in Socket.IO's own
 * write buffer (the engine holds what is emitted while a write is under way, and sends it all
 * in order once that write is done — a run of chunks queued there would go before any chat
 * event emitted after them), and the WebSocket under it, when it runs on one, holds less than
 * {@link HIGH_WATER} unsent.
 */
function hasRoom(socket: RelaySocket | undefined): boolean {
  const engine = socket?.io.engine as
    { writeBuffer?: unknown[]; transport?: { ws?: { bufferedAmount?: unknown } } } | undefined;
  if ((engine?.writeBuffer?.length ?? 0) > 0) return false;
  const amount = engine?.transport?.ws?.bufferedAmount;
  return typeof amount === 'number' ? amount < HIGH_WATER : true;
}

/** Bytes of a received attachment as a view, or undefined when it is not binary. */
function viewOf(bytes: unknown): Uint8Array | undefined {
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  if (bytes instanceof Uint8Array)
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return undefined;
}

/** The binary lane of one server connection; see the module comment. */
export class RelayBytes {
  private pacer: BytePacer | undefined;
  private pacerHere: Promise<BytePacer> | undefined;
  /** The budget the server announced at the last join (the default until then). */
  budget: ByteBudget = DEFAULT_BYTE_BUDGET;

  constructor(
    private readonly port: TransportPort,
    /** The connection in use now, if any. */
    private readonly socket: () => RelaySocket | undefined,
  ) {}

  /** A join was answered: its announced budget (a new connection's bucket starts full). */
  configure(budget: ByteBudget | undefined): void {
    this.budget = budget ?? DEFAULT_BYTE_BUDGET;
    this.pacer?.configure(this.budget);
  }

  /** Hands received chunk frames on `socket` to the transport. */
  listen(socket: RelaySocket): void {
    // The engine's write is done: the next chunk may go now, not at the pacer's next look.
    socket.io.on('open', () => socket.io.engine.on('drain', () => this.pacer?.kick()));
    socket.on('relay:bytes', (from, head, bytes) => {
      if (typeof from !== 'string') return;
      // Not binary (no view), a bad head or over the cap: the door drops it and counts it.
      this.port.receiveBytes(head, viewOf(bytes) as Uint8Array, from);
    });
  }

  /**
   * Sends a chunk frame to `to` through the server once the budget and the socket's buffer let
   * it go; `false` at once for a member the server does not list, or once the link drops.
   */
  send(to: PeerId, head: ChunkHead, bytes: Uint8Array): Promise<boolean> {
    if (!this.port.peers.has(to) || !this.socket()?.connected) return Promise.resolve(false);
    // Counted as the relay counts it: the bytes and what a frame costs beyond them.
    return this.loadPacer().then((pacer) =>
      pacer.push(bytes.byteLength + CHUNK_FRAME_COST, () => {
        const socket = this.socket();
        if (!socket?.connected || !this.port.peers.has(to)) return false;
        socket.emit('relay:bytes', to, head, bytes);
        return true;
      }),
    );
  }

  /** The link dropped or closed: waiting chunks are given up (the fetcher asks again). */
  cancel(): void {
    this.pacer?.cancel();
  }

  /** The pacer, loaded with the first chunk sent. */
  private loadPacer(): Promise<BytePacer> {
    this.pacerHere ??= import('./byte-pacer.js').then(
      ({ BytePacer }) => (this.pacer = new BytePacer(this.budget, () => hasRoom(this.socket()))),
    );
    return this.pacerHere;
  }
}
