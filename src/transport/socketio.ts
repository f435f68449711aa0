/**
 * The Socket.IO relay transport: app events travel through the Parley server, which relays
 * them to the other members of our room and stamps the sender. It reconnects by itself
 * (backoff with jitter, paused while offline, at once when the network or the tab comes back)
 * and joins the room again after every reconnection.
 */
import { io, type Socket } from 'socket.io-client';
import { BaseTransport } from './base.js';
import { TransportError, type TransportErrorCode } from './errors.js';
import {
  PEER_KEY_BYTES,
  type JoinReply,
  type RelayClientEvents,
  type RelayError,
  type RelayServerEvents,
} from '../protocol/relay-frames.js';
import type {
  EventsMap,
  PeerHello,
  PeerId,
  PeerProfile,
  TransportKind,
  TransportOptions,
} from './types.js';
import { ReservedNames } from './types.js';
import { Pacer } from './pacer.js';
import { Reconnector } from './reconnect.js';
import { Unlisted } from './unlisted.js';

/** Options of the Socket.IO transport. */
export interface SocketIoOptions extends TransportOptions {
  /**
   * Server origin(s), e.g. `http://localhost:8080`; defaults to the page's origin. With a list,
   * the transport fails over to the next server when one dies or shuts down.
   */
  url?: string | readonly string[];
  /** How long to wait for the relay to answer a join, in ms. */
  joinTimeout?: number;
  /**
   * How long a member the server stopped listing is kept for its direct link (see
   * `unlisted.ts`), in ms; tests shorten it.
   */
  unlistedGraceMs?: number;
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

/**
 * A secret of this transport's own, sent only to the server when connecting: the server
 * derives our connection id from it, so the id stays the same across reconnections, server
 * restarts and fail-over (direct links and receipts keyed by it stay valid), and nobody who
 * lacks the secret can take that id.
 */
function newPeerKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(PEER_KEY_BYTES));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
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
  /** The servers to try, in order; the one in use is `urls[current]`. */
  private readonly urls: readonly string[];
  private current = 0;
  /** Servers that failed since the last good join; a full lap backs off. */
  private failedInLap = 0;
  private readonly joinTimeout: number;
  private reconnector: Reconnector | undefined;
  /** Keeps our frames under the server's announced rate limit. */
  protected readonly pacer = new Pacer();
  private room = '';
  private me: PeerProfile = { userId: '', name: '' };
  /** Members the server does not list whom a direct link still reaches (see `unlist`). */
  protected readonly unlisted: Unlisted;
  /** Proves to the server that we are the same connection after a reconnection. */
  private readonly peerKey = newPeerKey();
  private settle: (err?: TransportError) => void = () => {};

  constructor(options: SocketIoOptions = {}) {
    super(options);
    const given = typeof options.url === 'string' ? [options.url] : [...(options.url ?? [])];
    const urls = given.map((u) => u.trim()).filter(Boolean);
    this.urls = urls.length ? urls : [globalThis.location?.origin ?? 'http://localhost:8080'];
    this.joinTimeout = options.joinTimeout ?? 10_000;
    this.unlisted = new Unlisted((id) => this.removePeer(id), options.unlistedGraceMs);
  }

  /** The server in use now. */
  get url(): string {
    return this.urls[this.current]!;
  }

  connect(room: string, me: PeerProfile): Promise<void> {
    if (this.reconnector)
      throw new TransportError('refused', 'already connected', 'make a new transport');
    this.setState('connecting');
    this.room = room;
    this.me = me;
    this.reconnector = new Reconnector(
      () => this.dial(),
      () => {
        // The device says it is offline: believe it at once rather than wait for a timeout.
        if (this.state === 'closed') return;
        this.socket?.disconnect();
        this.goOffline('this device is offline');
        this.reconnector?.schedule();
      },
    );
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      this.settle = (err) => {
        if (settled) return;
        settled = true;
        if (err) reject(err);
        else resolve();
      };
      this.dial();
    });
  }

  /** Opens a fresh connection to the current server and joins the room once connected. */
  private dial(): void {
    if (this.state === 'closed') return;
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    const socket: Socket<RelayServerEvents, RelayClientEvents> = io(this.url, {
      transports: ['websocket', 'polling'],
      // We decide when and where to retry (see reconnect.ts and `failed`); Socket.IO's own
      // loop knows nothing of `navigator.onLine`, the page's visibility or other servers.
      reconnection: false,
      forceNew: true,
      auth: { key: this.peerKey },
    });
    this.socket = socket;
    socket.on('connect', () => {
      socket
        .timeout(this.joinTimeout)
        .emit('relay:join', { room: this.room, me: this.announce(this.me) }, (err, reply) => {
          if (this.state === 'closed' || socket !== this.socket) return;
          if (err) return this.failed('the server did not answer the join in time');
          this.joined(reply);
        });
    });
    socket.on('connect_error', (err) => this.failed(`cannot reach the server (${err.message})`));
    socket.on('disconnect', (reason) => {
      if (reason !== 'io client disconnect') this.failed(REASONS[reason] ?? reason);
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
    socket.on('relay:peer-leave', (id, room, since) => {
      if (typeof id !== 'string' || room !== this.room) return;
      // A leave names the join it ends: a late one must not remove the member's newer join.
      const hello = this.peers.get(id);
      if (!hello || (typeof since === 'number' && since !== hello.since)) return;
      this.unlist(id);
    });
    socket.on('relay:members', (room, ids, at) => this.pruneMembers(room, ids, at));
    socket.on('relay:error', (err) => {
      // A server going down for a restart: move to the next one now, not after a timeout.
      if (err?.code === 'shutting-down') return this.failed(err.message);
      this.fire('error', fromRelayError(err));
    });
    this.listen(socket);
  }

  /**
   * The link to the current server is gone or never came up: go offline, move on to the next
   * server at once if there is one we have not tried in this lap, else back off.
   */
  private failed(reason: string): void {
    if (this.state === 'closed') return;
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.goOffline(reason);
    this.failedInLap++;
    if (this.urls.length > 1) this.current = (this.current + 1) % this.urls.length;
    if (this.urls.length > 1 && this.failedInLap < this.urls.length)
      return this.reconnector?.soon();
    // A whole lap failed: a first connect() gives up waiting (we keep retrying regardless).
    this.failedInLap = 0;
    const where = this.urls.join(', ');
    this.settle(new TransportError('unreachable', `cannot reach ${where}`, 'retrying by itself'));
    this.reconnector?.schedule();
  }

  /**
   * After a server node vanished, the survivors say who is really in the room: members we know
   * who joined before that list was made and are not on it are gone.
   */
  private pruneMembers(room: unknown, ids: unknown, at: unknown): void {
    if (room !== this.room || !Array.isArray(ids) || typeof at !== 'number') return;
    const present = new Set(ids);
    for (const hello of [...this.peers.values()]) {
      if (!present.has(hello.id) && hello.since < at) this.unlist(hello.id);
    }
  }

  /**
   * The server no longer lists `id`: the member is gone, unless a direct link still reaches
   * it — then it stays (see `unlisted.ts`) until that link closes, the server lists it again,
   * or its grace period ends (none runs while our server is away).
   */
  private unlist(id: PeerId): void {
    if (this.reachableWithoutRelay(id)) this.unlisted.add(id, true);
    else this.removePeer(id);
  }

  protected override addPeer(hello: PeerHello): void {
    this.unlisted.delete(hello.id);
    super.addPeer(hello);
  }

  protected override removePeer(id: PeerId): void {
    this.unlisted.delete(id);
    super.removePeer(id);
  }

  /**
   * Whether we still reach `peer` while the server does not (an open direct link): such a
   * member stays while the server is away, or after the server lost it.
   */
  protected reachableWithoutRelay(_peer: PeerId): boolean {
    return false;
  }

  /** How we present ourselves when joining (subclasses add capabilities). */
  protected announce(me: PeerProfile): PeerProfile {
    return { userId: me.userId, name: me.name };
  }

  /** Lets subclasses listen to more frames on the relay connection. */
  protected listen(_socket: Socket<RelayServerEvents, RelayClientEvents>): void {}

  /** Called after every successful (re)join, once peers are known. */
  protected joinedRoom(_reply: JoinReply & { ok: true }): void {}

  private joined(reply: JoinReply): void {
    if (!reply.ok) {
      const err = fromRelayError(reply.error);
      this.fire('error', err);
      this.settle(err);
      this.close();
      return;
    }
    this.reconnector?.connected();
    this.failedInLap = 0;
    this.self = reply.selfId;
    // Who is in the room now; members we still reach directly stay even if not (yet) back.
    const present = new Set(reply.peers.map((h) => h.id));
    for (const id of [...this.peers.keys()]) if (!present.has(id)) this.unlist(id);
    for (const hello of reply.peers) if (isHello(hello)) this.addPeer(hello);
    this.pacer.configure(reply.limits);
    this.pacer.resume();
    this.setState('open');
    this.joinedRoom(reply);
    this.settle();
  }

  /**
   * The server is gone: members we reach only through it are forgotten until the next join.
   * Those we still reach directly stay, and the state says so (`direct`); with nobody left it
   * is `offline`.
   */
  protected goOffline(reason: string): void {
    if (this.state === 'closed' || this.state === 'offline' || this.state === 'direct') return;
    const wasOpen = this.state === 'open';
    this.pacer.pause();
    for (const id of [...this.peers.keys()]) this.unlist(id);
    this.unlisted.holdAll();
    const next = this.peers.size > 0 ? 'direct' : 'offline';
    this.setState(next);
    if (wasOpen && next === 'offline') this.fire('close', reason);
    this.fire('error', new TransportError('unreachable', reason, 'reconnecting by itself'));
  }

  close(): void {
    this.unlisted.clear();
    this.reconnector?.stop();
    this.pacer.stop();
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.finishClose('closed by the app');
  }

  protected send(
    to: PeerId | undefined,
    ev: string,
    args: unknown[],
    json?: string,
    except?: PeerId[],
  ): void {
    // Sent on whichever connection is current when the pacer lets the frame go; an identical
    // frame already waiting (a resend) is not queued twice.
    this.pacer.push({
      key: json === undefined ? undefined : `${to ?? except?.join(',') ?? ''}|${ev}|${json}`,
      send: () => {
        if (to !== undefined) this.socket?.emit('relay:to', to, ev, args);
        else if (except?.length) this.socket?.emit('relay:emit', ev, args, except);
        else this.socket?.emit('relay:emit', ev, args);
      },
    });
  }
}
