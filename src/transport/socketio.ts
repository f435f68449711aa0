/**
 * The Socket.IO relay transport: app events travel through the Parley server, which relays
 * them to the other members of our room and stamps the sender. It reconnects by itself
 * (backoff with jitter, paused while offline, at once when the network or the tab comes back)
 * and joins the room again after every reconnection.
 */
import { io, type Socket } from 'socket.io-client';
import { BaseTransport } from './base.js';
import { TransportError, type TransportErrorCode } from './errors.js';
import type { JoinReply, RelayClientEvents, RelayError, RelayServerEvents } from './relay-wire.js';
import type {
  EventsMap,
  PeerHello,
  PeerId,
  PeerProfile,
  TransportKind,
  TransportOptions,
} from './types.js';
import { ReservedNames } from './types.js';
import { Reconnector } from './reconnect.js';

/** Options of the Socket.IO transport. */
export interface SocketIoOptions extends TransportOptions {
  /** Server origin, e.g. `http://localhost:8080`; defaults to the page's origin. */
  url?: string;
  /** How long to wait for the relay to answer a join, in ms. */
  joinTimeout?: number;
}

const REASONS: Record<string, string> = {
  'transport close': 'the connection to the server was lost',
  'transport error': 'the connection to the server failed',
  'ping timeout': 'the server stopped answering',
  'io server disconnect': 'the server closed the connection',
  'parse error': 'the server sent something unreadable',
};

/** Whether a value from the wire looks like a {@link PeerHello}. */
export function isHello(value: unknown): value is PeerHello {
  const h = value as PeerHello | null;
  return (
    typeof h === 'object' &&
    h !== null &&
    typeof h.id === 'string' &&
    typeof h.userId === 'string' &&
    typeof h.name === 'string' &&
    typeof h.since === 'number'
  );
}

function fromRelayError(err: RelayError): TransportError {
  const code: TransportErrorCode =
    err.code === 'too-large' ? 'too-large' : err.code === 'invalid-room' ? 'refused' : 'server';
  const what = err.event ? `the server refused "${err.event}"` : 'the server reported a problem';
  return new TransportError(code, what, err.message);
}

/** Socket.IO implementation of the transport contract. */
export class SocketIoTransport<
  Listen extends EventsMap,
  Emit extends EventsMap = Listen,
> extends BaseTransport<Listen, Emit> {
  readonly kind: TransportKind = 'socketio';
  /** The relay connection (the WebRTC transport signals over it too). */
  protected socket: Socket<RelayServerEvents, RelayClientEvents> | undefined;
  private readonly url: string;
  private readonly joinTimeout: number;
  private reconnector: Reconnector | undefined;

  constructor(options: SocketIoOptions = {}) {
    super(options);
    this.url = options.url ?? globalThis.location?.origin ?? 'http://localhost:8080';
    this.joinTimeout = options.joinTimeout ?? 10_000;
  }

  connect(room: string, me: PeerProfile): Promise<void> {
    if (this.socket)
      throw new TransportError('refused', 'already connected', 'make a new transport');
    this.setState('connecting');
    const socket: Socket<RelayServerEvents, RelayClientEvents> = io(this.url, {
      transports: ['websocket', 'polling'],
      // We decide when to retry (see reconnect.ts); Socket.IO's own loop knows nothing of
      // `navigator.onLine` or the page's visibility.
      reconnection: false,
      forceNew: true,
    });
    this.socket = socket;
    const reconnector = new Reconnector(
      () => socket.connect(),
      () => {
        // The device says it is offline: believe it at once rather than wait for a timeout.
        if (this.state === 'closed') return;
        socket.disconnect();
        this.goOffline('this device is offline');
        reconnector.schedule();
      },
    );
    this.reconnector = reconnector;

    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (err?: TransportError) => {
        if (settled) return;
        settled = true;
        if (err) reject(err);
        else resolve();
      };

      socket.on('connect', () => {
        socket
          .timeout(this.joinTimeout)
          .emit('relay:join', { room, me: this.announce(me) }, (err, reply) => {
            if (this.state === 'closed') return;
            if (err) {
              this.goOffline('the server did not answer the join in time');
              socket.disconnect();
              return reconnector.schedule();
            }
            reconnector.connected();
            this.joined(reply, settle);
          });
      });
      socket.on('connect_error', (err) => {
        const first = !settled;
        this.goOffline(`cannot reach the server (${err.message})`);
        reconnector.schedule();
        if (first) {
          settle(
            new TransportError('unreachable', `cannot reach ${this.url}`, 'retrying by itself'),
          );
        }
      });
      socket.on('disconnect', (reason) => {
        if (reason === 'io client disconnect') return;
        this.goOffline(REASONS[reason] ?? reason);
        reconnector.schedule();
      });
      socket.on('relay:event', (from, ev, args) => {
        // A reserved name from the wire must never reach reserved listeners.
        if (typeof from !== 'string' || typeof ev !== 'string' || ReservedNames.has(ev)) return;
        if (!Array.isArray(args)) return;
        this.deliver(ev, args, from);
      });
      socket.on('relay:peer-join', (hello) => {
        if (isHello(hello)) this.addPeer(hello);
      });
      socket.on('relay:peer-leave', (id) => {
        if (typeof id === 'string') this.removePeer(id);
      });
      socket.on('relay:error', (err) => this.fire('error', fromRelayError(err)));
      this.listen(socket);
    });
  }

  /** How we present ourselves when joining (subclasses add capabilities). */
  protected announce(me: PeerProfile): PeerProfile {
    return { userId: me.userId, name: me.name };
  }

  /** Lets subclasses listen to more frames on the relay connection. */
  protected listen(_socket: Socket<RelayServerEvents, RelayClientEvents>): void {}

  /** Called after every successful (re)join, once peers are known. */
  protected joinedRoom(_reply: JoinReply & { ok: true }): void {}

  private joined(reply: JoinReply, settle: (err?: TransportError) => void): void {
    if (!reply.ok) {
      const err = fromRelayError(reply.error);
      this.fire('error', err);
      settle(err);
      this.close();
      return;
    }
    this.self = reply.selfId;
    this.dropPeers();
    for (const hello of reply.peers) if (isHello(hello)) this.addPeer(hello);
    this.setState('open');
    this.joinedRoom(reply);
    settle();
  }

  /** Marks the link down; peers are forgotten until the next join. */
  protected goOffline(reason: string): void {
    if (this.state === 'closed' || this.state === 'offline') return;
    const wasOpen = this.state === 'open';
    this.dropPeers();
    this.setState('offline');
    if (wasOpen) this.fire('close', reason);
    this.fire('error', new TransportError('unreachable', reason, 'reconnecting by itself'));
  }

  close(): void {
    this.reconnector?.stop();
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.finishClose('closed by the app');
  }

  protected send(
    to: PeerId | undefined,
    ev: string,
    args: unknown[],
    _json?: string,
    except?: PeerId[],
  ): void {
    if (to !== undefined) this.socket?.emit('relay:to', to, ev, args);
    else if (except?.length) this.socket?.emit('relay:emit', ev, args, except);
    else this.socket?.emit('relay:emit', ev, args);
  }
}
