/**
 * The connection to a Parley server, owned by every transport that uses one (Socket.IO relay,
 * WebRTC signaling): the socket, the fail-over list, reconnection (see `reconnect.ts`), pacing
 * under the server's rate limit (see `pacer.ts`) and joining the room again after every
 * reconnection. It keeps its owner's peer table in step with what the server says — who
 * joined, who left, who is really there after a rejoin or a node's death — except for members
 * its owner still reaches without the server (see `unlisted.ts`), and it moves the owner's
 * state between `open`, `direct` and `offline`. What the relay's answers mean (a join reply's
 * outcome, errors in words) is `relay-words.ts`.
 */
import { io, type Socket } from 'socket.io-client';
import * as v from 'valibot';
import { toBase64Url } from '../protocol/encoding.js';
import type { Signer } from '../protocol/identity.js';
import { proveJoin } from '../protocol/join-proof.js';
import { parseHello } from '../protocol/peer.js';
import { PROTOCOL_VERSION } from '../protocol/version.js';
import {
  PEER_KEY_BYTES,
  RelayErrorSchema,
  type RelayClientEvents,
  type RelayError,
  type RelayServerEvents,
  parsePresence,
} from '../protocol/relay-frames.js';
import type { TransportPort } from './base.js';
import { TransportError } from './errors.js';
import {
  DISCONNECT_REASONS,
  fromRelayError,
  readJoinReply,
  type JoinAccepted,
} from './relay-words.js';
import { Pacer } from './pacer.js';
import { RelayBytes } from './relay-bytes.js';
import type { ChunkHead } from '../protocol/file-events.js';
import { backoff, Reconnector } from './reconnect.js';
import type { PeerHello, PeerId, PeerProfile } from './types.js';
import { Unlisted } from './unlisted.js';

/** The event that serves others' history in bulk (see `PacedFrame.later`). */
const CATCH_UP_ANSWER = 'chat:sync-res';

/** Options of a server connection. */
export interface RelayLinkOptions {
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
  /**
   * Proves every join: the relay refuses a join that is not signed over the connection's session id
   * (see `join-proof.ts`). Without one the join goes out unproven and is refused.
   */
  signer?: Signer;
  /**
   * The server's keeper token, for the keeper's own connections only (never a page's): the
   * relay then tells members this is its keeper (protocol 1.5, `keeper` in the hello).
   */
  keeperToken?: string;
}

export type { JoinAccepted };

/** What the owning transport adds to the connection. */
export interface RelayLinkHooks {
  /** How we present ourselves when joining (the WebRTC transport offers direct links). */
  announce(me: PeerProfile): PeerProfile;
  /** Whether `peer` is still reached without the server (an open direct link). */
  reachableWithoutRelay?(peer: PeerId): boolean;
  /** After every successful (re)join, once peers are known. */
  joined?(reply: JoinAccepted): void;
  /** The server is gone, before members are looked at again. */
  down?(): void;
  /** A WebRTC signal from `from`, stamped by the server. */
  signal?(from: PeerId, data: unknown): void;
}

type RelaySocket = Socket<RelayServerEvents, RelayClientEvents>;

/**
 * A secret of this connection's own, sent only to the server when connecting: the server
 * derives our peer id from it, so the id stays the same across reconnections, server
 * restarts and fail-over (direct links and receipts keyed by it stay valid), and nobody who
 * lacks the secret can take that id.
 */
function newPeerKey(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(PEER_KEY_BYTES)));
}

/** One transport's connection to a Parley server; see the module comment. */
export class RelayLink {
  /** The Socket.IO connection in use. */
  private socket: RelaySocket | undefined;
  /** The servers to try, in order; the one in use is `urls[current]`. */
  private readonly urls: readonly string[];
  private current = 0;
  /** Servers that failed since the last good join; a full lap backs off. */
  private failedInLap = 0;
  private readonly joinTimeout: number;
  private reconnector: Reconnector | undefined;
  /** Keeps our frames under the server's announced rate limit. */
  private readonly pacer = new Pacer();
  private room = '';
  private me: PeerProfile = { userId: '', name: '' };
  /** Members the server does not list whom a direct link still reaches. */
  private readonly unlisted: Unlisted;
  /** Proves to the server that we are the same connection after a reconnection. */
  private readonly peerKey = newPeerKey();
  private readonly signer: Signer | undefined;
  private readonly keeperToken: string | undefined;
  private settle: (err?: TransportError) => void = () => {};
  /** Joins the server refused for a while in a row (room full, too many rooms, too fast). */
  private joinAttempts = 0;
  private joinTimer: ReturnType<typeof setTimeout> | undefined;
  /** The limits the server announced at the last join. */
  private announced: JoinAccepted['limits'];
  /** Chunk frames (files), under their own byte budget; see `relay-bytes.ts`. */
  private readonly lane: RelayBytes;

  constructor(
    private readonly port: TransportPort,
    private readonly hooks: RelayLinkHooks,
    options: RelayLinkOptions = {},
  ) {
    const given = typeof options.url === 'string' ? [options.url] : [...(options.url ?? [])];
    const urls = given.map((u) => u.trim()).filter(Boolean);
    this.urls = urls.length ? urls : [globalThis.location?.origin ?? 'http://localhost:8080'];
    this.joinTimeout = options.joinTimeout ?? 10_000;
    this.signer = options.signer;
    this.keeperToken = options.keeperToken;
    this.unlisted = new Unlisted((id) => this.port.removePeer(id), options.unlistedGraceMs);
    this.lane = new RelayBytes(port, () => this.socket);
  }

  /** The server in use now. */
  get url(): string {
    return this.urls[this.current]!;
  }

  /**
   * Connects and joins `room` as `me`; settles like `Transport.connect`. Once per link: the
   * owner refuses a second call (and one after `close()`).
   */
  connect(room: string, me: PeerProfile): Promise<void> {
    this.port.setState('connecting');
    this.room = room;
    this.me = me;
    this.reconnector = new Reconnector(
      () => this.dial(),
      () => {
        // The device says it is offline: believe it at once rather than wait for a timeout.
        if (this.port.state === 'closed') return;
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

  /** Hangs up for good and releases every timer and listener. */
  close(): void {
    this.unlisted.clear();
    clearTimeout(this.joinTimer);
    this.reconnector?.stop();
    this.pacer.stop();
    this.lane.cancel();
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
  }

  /**
   * Relays an app event to one member (`to`), or to every member but those in `except`. Sent
   * on whichever connection is current when the pacer lets it go; an identical frame already
   * waiting (a resend) is not queued twice.
   */
  relay(to: PeerId | undefined, ev: string, args: unknown[], json: string, except?: PeerId[]) {
    this.pacer.push({
      key: `${to ?? except?.join(',') ?? ''}|${ev}|${json}`,
      // Answers to others' catch-up requests wait behind our own messages and receipts.
      later: ev === CATCH_UP_ANSWER,
      send: () => {
        if (to !== undefined) this.socket?.emit('relay:to', to, ev, args);
        else if (except?.length) this.socket?.emit('relay:emit', ev, args, except);
        else this.socket?.emit('relay:emit', ev, args);
      },
    });
  }

  /**
   * Sends a binary chunk frame to `to` through the server, paced under the announced byte
   * budget; see `Transport.sendBytes`.
   */
  bytes(to: PeerId, head: ChunkHead, bytes: Uint8Array): Promise<boolean> {
    return this.lane.send(to, head, bytes);
  }

  /** The byte budget the server announced at the last join (the default until one did). */
  get byteBudget(): { rate: number; burst: number } {
    return this.lane.budget;
  }

  /** Sends a WebRTC signal to `to`; meaningless after a reconnection, so never kept waiting. */
  signal(to: PeerId, data: unknown): void {
    this.pacer.push({ send: () => this.socket?.emit('signal:to', to, data), transient: true });
  }

  /** Whether `id` is kept only by its direct link (the server does not list it). */
  isUnlisted(id: PeerId): boolean {
    return this.unlisted.has(id);
  }

  /**
   * The direct link to `id`, a member the server does not list, is gone: it cannot be reached
   * at all now. When the last one goes while the server is away, we are offline.
   */
  unreachable(id: PeerId): void {
    this.remove(id);
    if (this.port.state !== 'direct' || this.port.peers.size > 0) return;
    this.port.setState('offline');
    this.port.fire('close', 'the server is unreachable and no direct link is left');
  }

  /** Opens a fresh connection to the current server and joins the room once connected. */
  private dial(): void {
    if (this.port.state === 'closed') return;
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    const socket: RelaySocket = io(this.url, {
      transports: ['websocket', 'polling'],
      // We decide when and where to retry (see reconnect.ts and `failed`); Socket.IO's own
      // loop knows nothing of `navigator.onLine`, the page's visibility or other servers.
      reconnection: false,
      forceNew: true,
      auth: this.keeperToken
        ? { key: this.peerKey, keeper: this.keeperToken }
        : { key: this.peerKey },
    });
    this.socket = socket;
    socket.on('connect', () => void this.join(socket));
    socket.on('connect_error', (err) => this.failed(`cannot reach the server (${err.message})`));
    socket.on('disconnect', (reason) => {
      if (reason !== 'io client disconnect') this.failed(DISCONNECT_REASONS[reason] ?? reason);
    });
    socket.on('relay:event', (from, ev, args) => {
      if (typeof from === 'string') this.port.receive(ev, args, from);
    });
    this.lane.listen(socket);
    socket.on('relay:presence', (room, changes) => {
      if (room !== this.room) return;
      for (const change of parsePresence(changes)) {
        if ('join' in change) this.add(change.join);
        // A leave names the join it ends: a late one must not remove the member's newer join.
        else if (this.port.peers.get(change.leave)?.since === change.since)
          this.unlist(change.leave);
      }
    });
    socket.on('relay:members', (room, ids, at) => this.pruneMembers(room, ids, at));
    socket.on('relay:error', (frame) => {
      // From the server, but checked all the same: an odd field must not throw in here.
      const parsed = v.safeParse(RelayErrorSchema, frame);
      if (!parsed.success) return;
      const err = parsed.output as RelayError;
      // A server going down for a restart: move to the next one now, not after a timeout.
      if (err.code === 'shutting-down') return this.failed(err.message);
      this.port.fire('error', fromRelayError(err));
    });
    socket.on('signal:data', (from, data) => {
      if (typeof from === 'string') this.hooks.signal?.(from, data);
    });
  }

  /**
   * Joins the room on `socket`, which just connected. With a signer the join carries a proof
   * signed over this connection's session id; signing is asynchronous, and meanwhile the socket may
   * have dropped, been replaced by a newer dial, or the transport closed — then the proof is
   * worthless (it names this connection only) and nothing is sent.
   */
  private async join(socket: RelaySocket): Promise<void> {
    const announced = this.hooks.announce(this.me);
    let request: { room: string; me: PeerProfile; proof?: string; v: string } = {
      room: this.room,
      me: announced,
      v: PROTOCOL_VERSION,
    };
    if (this.signer && socket.id !== undefined) {
      try {
        const proven = await proveJoin(this.signer, socket.id, this.room, announced);
        request = { room: this.room, ...proven, v: PROTOCOL_VERSION };
      } catch (err) {
        if (this.port.state === 'closed' || socket !== this.socket) return;
        // A key that cannot sign will not sign on the next connection either: give up.
        return this.refused(
          new TransportError('refused', 'cannot prove who we are to the server', String(err)),
        );
      }
    }
    if (this.port.state === 'closed' || socket !== this.socket || !socket.connected) return;
    socket.timeout(this.joinTimeout).emit('relay:join', request, (err, reply) => {
      if (this.port.state === 'closed' || socket !== this.socket) return;
      if (err) return this.failed('the server did not answer the join in time');
      this.joined(socket, reply);
    });
  }

  /**
   * The server refused our join for a while only (see {@link TEMPORARY}): we say so, and ask
   * again on the same connection after a backoff delay (the first `connect()` settles with the
   * refusal meanwhile, as for an unreachable server).
   */
  private retryJoin(socket: RelaySocket, words: string, err: RelayError): void {
    const problem = new TransportError('busy', words, 'trying again…');
    this.port.fire('error', problem);
    this.settle(problem);
    const wait = err.code === 'rate-limited' ? 3000 : backoff(this.joinAttempts++, 1000, 30_000);
    clearTimeout(this.joinTimer);
    this.joinTimer = setTimeout(() => {
      if (this.port.state !== 'closed' && socket === this.socket && socket.connected)
        void this.join(socket);
    }, wait);
  }

  /**
   * Measures the round trip to the server in use, in ms: the time its `relay:ping` answer
   * takes. Undefined when it does not answer within 5 s or we are not connected.
   */
  ping(): Promise<number | undefined> {
    const socket = this.socket;
    if (!socket?.connected) return Promise.resolve(undefined);
    const started = performance.now();
    return new Promise((resolve) => {
      socket.timeout(5000).emit('relay:ping', (err) => {
        resolve(err ? undefined : performance.now() - started);
      });
    });
  }

  /**
   * What the server in use announced at the last join: its rate limit and payload cap, its
   * byte budget and file cap.
   */
  get limits(): JoinAccepted['limits'] {
    return this.announced;
  }

  /** The server will never take our join: tell the app, settle `connect()`, and stop. */
  private refused(err: TransportError): void {
    this.port.fire('error', err);
    this.settle(err);
    this.port.close();
  }

  /**
   * The link to the current server is gone or never came up: go offline, move on to the next
   * server at once if there is one we have not tried in this lap, else back off.
   */
  private failed(reason: string): void {
    if (this.port.state === 'closed') return;
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

  private joined(socket: RelaySocket, reply: unknown): void {
    const outcome = readJoinReply(reply);
    if ('refused' in outcome) return this.refused(outcome.refused);
    if ('garbled' in outcome) return this.failed(outcome.garbled);
    if ('retry' in outcome) return this.retryJoin(socket, outcome.retry.words, outcome.retry.error);
    const answer = outcome.ok;
    this.joinAttempts = 0;
    this.announced = answer.limits;
    if (this.announced) this.port.setMaxPayload(this.announced.maxPayload);
    this.reconnector?.connected();
    this.failedInLap = 0;
    this.port.setSelf(answer.selfId);
    // Who is in the room now; members we still reach directly stay even if not (yet) back.
    const peers = answer.peers.map(parseHello);
    const present = new Set(peers.map((h) => h?.id));
    for (const id of [...this.port.peers.keys()]) if (!present.has(id)) this.unlist(id);
    for (const hello of peers) if (hello) this.add(hello);
    this.pacer.configure(this.announced);
    this.pacer.resume();
    this.lane.configure(this.announced?.bytes);
    this.port.setState('open');
    this.hooks.joined?.(answer);
    this.settle();
  }

  /**
   * After a server node vanished, the survivors say who is really in the room: members we know
   * who joined before that list was made and are not on it are gone.
   */
  private pruneMembers(room: unknown, ids: unknown, at: unknown): void {
    if (room !== this.room || !Array.isArray(ids) || typeof at !== 'number') return;
    const present = new Set(ids);
    for (const hello of [...this.port.peers.values()]) {
      if (!present.has(hello.id) && hello.since < at) this.unlist(hello.id);
    }
  }

  /** The server lists `hello`: it is a member again, whatever kept it before. */
  private add(hello: PeerHello): void {
    this.unlisted.delete(hello.id);
    this.port.addPeer(hello);
  }

  private remove(id: PeerId): void {
    this.unlisted.delete(id);
    this.port.removePeer(id);
  }

  /**
   * The server no longer lists `id`: the member is gone, unless a direct link still reaches
   * it — then it stays (see `unlisted.ts`) until that link closes, the server lists it again,
   * or its grace period ends (none runs while our server is away).
   */
  private unlist(id: PeerId): void {
    if (this.hooks.reachableWithoutRelay?.(id)) this.unlisted.add(id, true);
    else this.remove(id);
  }

  /**
   * The server is gone: members we reach only through it are forgotten until the next join.
   * Those we still reach directly stay, and the state says so (`direct`); with nobody left it
   * is `offline`.
   */
  private goOffline(reason: string): void {
    const state = this.port.state;
    if (state === 'closed' || state === 'offline' || state === 'direct') return;
    this.hooks.down?.();
    this.pacer.pause();
    this.lane.cancel();
    for (const id of [...this.port.peers.keys()]) this.unlist(id);
    this.unlisted.holdAll();
    const next = this.port.peers.size > 0 ? 'direct' : 'offline';
    this.port.setState(next);
    if (state === 'open' && next === 'offline') this.port.fire('close', reason);
    this.port.fire('error', new TransportError('unreachable', reason, 'reconnecting by itself'));
  }
}
