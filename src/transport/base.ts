/**
 * What every transport shares: listener bookkeeping, the state machine, the peer table, the
 * checks on what is sent, and the one door every received app event passes through. An
 * implementation extends it and only moves frames; parts it owns (such as the relay link)
 * drive it through its {@link TransportPort}.
 */
import { Emitter } from '../internal/emitter.js';
import { TransportError } from './errors.js';
import { checkOutgoing, refusal } from './payload.js';
import { DEFAULT_MAX_PAYLOAD } from '../protocol/limits.js';
import { DEFAULT_BYTE_BUDGET } from '../protocol/file-events.js';
import { MAX_CHUNK_FRAME, readChunkHead, type ChunkHead } from '../protocol/file-events.js';
import type {
  ByteBudget,
  DropCounts,
  EventMeta,
  EventNames,
  EventParams,
  EventsMap,
  LinkKind,
  ListenerOf,
  PeerHello,
  PeerId,
  PeerProfile,
  ReservedEvents,
  ReservedName,
  Transport,
  TransportKind,
  TransportOptions,
  TransportState,
} from './types.js';
import { canEmit } from './types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyListener = (...args: any[]) => void;

/**
 * What a transport lets the parts it owns do (a part cannot call protected members): read its
 * state and peers, move its state machine, change its peer table, hand it received events.
 * Calls go to the transport's own (possibly overridden) methods.
 */
export interface TransportPort {
  readonly state: TransportState;
  readonly peers: ReadonlyMap<PeerId, PeerHello>;
  setSelf(id: PeerId): void;
  setState(next: TransportState): void;
  fire<E extends ReservedName>(ev: E, ...args: Parameters<ReservedEvents[E]>): void;
  addPeer(hello: PeerHello): void;
  removePeer(id: PeerId): void;
  receive(ev: unknown, args: unknown, from: PeerId): void;
  /** Hands a received binary chunk frame to the door every one passes (`receiveBytes`). */
  receiveBytes(head: unknown, bytes: Uint8Array, from: PeerId): void;
  /** Adopts the payload cap the server announced, for what we send and what we accept. */
  setMaxPayload(bytes: number): void;
  close(): void;
}

/** Shared core of every transport; see {@link Transport} for the contract. */
export abstract class BaseTransport<
  Listen extends EventsMap,
  Emit extends EventsMap = Listen,
> implements Transport<Listen, Emit> {
  /** The payload cap: the option's, until a server announces its own (see `setMaxPayload`). */
  protected maxPayload: number;
  private readonly accept: TransportOptions['accept'];
  // App and reserved events share one emitter; reserved names cannot be emitted by users.
  private readonly events = new Emitter<Record<string, AnyListener>>();
  private currentState: TransportState = 'idle';
  private readonly peerTable = new Map<PeerId, PeerHello>();
  protected self: PeerId = '';
  /** Received frames dropped so far: over the size cap, or over a direct link's budget. */
  readonly dropped: DropCounts = { oversize: 0, rateLimited: 0, chunks: 0 };
  /** The byte budget of chunk frames; a server's announcement replaces the default. */
  byteBudget: ByteBudget = DEFAULT_BYTE_BUDGET;

  /** The handle parts owned by this transport drive it with. */
  protected readonly port: TransportPort = this.makePort();

  constructor(
    /** Which implementation this is. */
    readonly kind: TransportKind,
    /** How members are reached, unless the transport knows better per member (`linkOf`). */
    protected readonly linkKind: LinkKind,
    options: TransportOptions = {},
  ) {
    this.maxPayload = options.maxPayload ?? DEFAULT_MAX_PAYLOAD;
    this.accept = options.accept;
  }

  get state(): TransportState {
    return this.currentState;
  }

  private makePort(): TransportPort {
    // The getters need the transport, not the object literal they live in.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const t = this;
    return {
      get state() {
        return t.currentState;
      },
      get peers() {
        return t.peerTable;
      },
      setSelf: (id) => (t.self = id),
      setState: (next) => t.setState(next),
      fire: (ev, ...args) => t.fire(ev, ...args),
      addPeer: (hello) => t.addPeer(hello),
      removePeer: (id) => t.removePeer(id),
      receive: (ev, args, from) => t.receive(ev, args, from),
      receiveBytes: (head, bytes, from) => t.receiveBytes(head, bytes, from),
      setMaxPayload: (bytes) => (t.maxPayload = bytes),
      close: () => t.close(),
    };
  }

  get selfId(): PeerId {
    return this.self;
  }

  /** The largest payload (bytes of an event's JSON arguments) sent or accepted now. */
  get payloadCap(): number {
    return this.maxPayload;
  }

  get peers(): ReadonlyMap<PeerId, PeerHello> {
    return this.peerTable;
  }

  abstract connect(room: string, me: PeerProfile): Promise<void>;
  abstract close(): void;
  /**
   * Moves one checked app event to everyone (`to` undefined) or to one peer; `json` is the
   * arguments' JSON, already made by the checks.
   */
  protected abstract send(to: PeerId | undefined, ev: string, args: unknown[], json: string): void;

  abstract sendBytes(peer: PeerId, head: ChunkHead, bytes: Uint8Array): Promise<boolean>;

  emit<E extends EventNames<Emit>>(ev: E, ...args: EventParams<Emit, E>): void {
    this.send(undefined, ev, args, this.checkSend(ev, args));
  }

  emitTo<E extends EventNames<Emit>>(peer: PeerId, ev: E, ...args: EventParams<Emit, E>): void {
    const json = this.checkSend(ev, args);
    if (!this.peerTable.has(peer)) {
      throw new TransportError('unknown-peer', `no peer "${peer}" in this room`, 'see `peers`');
    }
    this.send(peer, ev, args, json);
  }

  linkOf(_peer: PeerId): LinkKind {
    return this.linkKind;
  }

  on<E extends EventNames<Listen> | ReservedName>(ev: E, fn: ListenerOf<Listen, E>): () => void {
    return this.events.on(ev, fn as AnyListener);
  }

  private checkSend(ev: string, args: unknown[]): string {
    const json = checkOutgoing(ev, args, this.maxPayload);
    if (!canEmit(this.currentState)) {
      throw new TransportError(
        'not-open',
        `cannot emit "${ev}" while the transport is ${this.currentState}`,
        'wait for the "open" event',
      );
    }
    return json;
  }

  /** Throws unless this transport was never connected: one transport joins one room, once. */
  protected assertFresh(): void {
    if (this.currentState === 'idle') return;
    const what = this.currentState === 'closed' ? 'this transport is closed' : 'already connected';
    throw new TransportError('refused', what, 'make a new transport');
  }

  /** Announces a reserved event. */
  protected fire<E extends ReservedName>(ev: E, ...args: Parameters<ReservedEvents[E]>): void {
    this.events.emit(ev, ...args);
  }

  /**
   * The one door for received app events, whatever carried them: a frame that breaks the
   * rules `emit` applies (reserved or bad name, arguments not a list of plain JSON, over the
   * size cap, counted in `dropped.oversize`) or that the app does not accept (`options.accept`: an unknown event, a wrong
   * argument list) is dropped; one that passes reaches its listeners with the sender, as the
   * carrier stamped it, in the meta — never a sender named inside the payload.
   */
  protected receive(ev: unknown, args: unknown, from: PeerId): void {
    if (this.currentState === 'closed') return;
    const refused = refusal(ev, args, this.maxPayload);
    if (refused === 'too-large') this.dropped.oversize++;
    if (refused) return;
    const name = ev as string;
    const list = args as unknown[];
    if (this.accept && !this.accept(name, list)) return;
    const meta: EventMeta = { from };
    this.events.emit(name, ...list, meta);
  }

  /**
   * The one door for received binary chunk frames: one with a head that is not a
   * `ChunkHead`, or bytes over `MAX_CHUNK_FRAME`, is dropped and counted (`dropped.chunks`);
   * the sender in the meta is the carrier's stamp. Byte budgets are the carrier's to apply
   * before this (it knows the link).
   */
  protected receiveBytes(head: unknown, bytes: Uint8Array, from: PeerId): void {
    if (this.currentState === 'closed') return;
    const checked = readChunkHead(head);
    if (!checked || !(bytes instanceof Uint8Array) || bytes.byteLength > MAX_CHUNK_FRAME) {
      this.dropped.chunks = (this.dropped.chunks ?? 0) + 1;
      return;
    }
    const meta: EventMeta = { from };
    this.events.emit('bytes', checked, bytes, meta);
  }

  /** Moves to `next` and tells listeners (no event if nothing changed). */
  protected setState(next: TransportState): void {
    if (this.currentState === next) return;
    this.currentState = next;
    this.fire('state', next);
    if (next === 'open') this.fire('open');
  }

  protected addPeer(hello: PeerHello): void {
    if (hello.id === this.self) return;
    const known = this.peerTable.has(hello.id);
    this.peerTable.set(hello.id, hello);
    if (!known) this.fire('peer-join', hello);
  }

  protected removePeer(id: PeerId): void {
    if (this.peerTable.delete(id)) this.fire('peer-leave', id);
  }

  /** Forgets every peer (the link dropped), announcing each departure. */
  protected dropPeers(): void {
    for (const id of [...this.peerTable.keys()]) this.removePeer(id);
  }

  /** Common tail of `close()`: final state, peers gone, listeners released. */
  protected finishClose(reason: string): void {
    if (this.currentState === 'closed') return;
    this.dropPeers();
    this.setState('closed');
    this.fire('close', reason);
    this.events.clear();
  }
}
