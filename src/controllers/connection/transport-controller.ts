/**
 * `controllers/connection/` — the connection: which transport is live and what it reports.
 *
 * Transport controller: owns the live transport of the host, connects it to a room, and
 * switches to another transport **make-before-break**: the new one connects while the old one
 * keeps carrying messages, and the old one closes only a moment after the new one is open
 * (anything that arrives twice meanwhile is dropped by id in the room controller). App-event
 * subscriptions survive every switch, so the room controller subscribes once. Problems keep
 * their code next to their sentence (see problem.ts).
 */
import type { Signer } from '../../protocol/identity.js';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { Emitter } from '../../internal/emitter.js';
import {
  loadTransport,
  type AnyTransportOptions,
  type TransportFactory,
} from '../../transport/index.js';
import {
  FILE_EVENTS,
  isWellFormed,
  relayedEventSchemas,
  type ChatEvents,
} from '../../protocol/chat-events.js';
import type { ChunkHead } from '../../protocol/file-events.js';
import type {
  AppListener,
  EventNames,
  EventParams,
  LinkKind,
  PeerHello,
  PeerId,
  PeerProfile,
  ReservedEvents,
  Transport,
  TransportKind,
  TransportState,
} from '../../transport/types.js';
import { canEmit } from '../../transport/types.js';
import { DEFAULT_MAX_PAYLOAD } from '../../protocol/limits.js';
import { problemOf, type Problem } from '../shared/problem.js';
import type { PingAnswer } from './ping-answer.js';

/** The transport type the app speaks. */
export type ChatTransport = Transport<ChatEvents>;
type ChatEvent = EventNames<ChatEvents>;

/** How long the old transport keeps delivering after the new one is open, in ms. */
export const SWITCH_OVERLAP_MS = 1500;

/** Configuration, read each time a room is joined or the transport is switched. */
export interface TransportConfig {
  kind?: () => TransportKind;
  /** Options for the next transport (server URL, ICE servers). */
  options?: () => AnyTransportOptions;
  /** Replaces the default lazy registry (tests inject memory transports). */
  factory?: () => TransportFactory | undefined;
}

/** Who the live transport reaches now, and as whom we joined (see `reach()`). */
export interface Reach {
  selfId: PeerId;
  me: PeerProfile;
  kind: TransportKind;
  /** Every member it lists, with how we reach them. */
  members: Array<{ hello: PeerHello; link: LinkKind }>;
}

/** The link's own events, apart from the room's app events. */
interface LinkEvents {
  open: () => void;
  bytes: ReservedEvents['bytes'];
  'peer-join': (peer: PeerId) => void;
  reach: () => void;
}

/** The room's app events, as subscribers of the controller hear them. */
type AppEvents = { [E in ChatEvent]: AppListener<ChatEvents[E]> };

/** Owns which transport is live and what it reports. */
export class TransportController implements ReactiveController {
  state: TransportState = 'idle';
  /** The last problem (sentence and code), cleared when the link comes up. */
  problem: Problem | undefined;
  // Lasting remarks per transport (its mesh was full, a member's direct-connection offer did
  // not check out), so a switch takes them along.
  private readonly notices = new WeakMap<ChatTransport, string[]>();
  /** Whether a switch is in progress. */
  switching = false;
  private transport: ChatTransport | undefined;
  private target: { room: string; me: PeerProfile; signer?: Signer } | undefined;
  private readonly app = new Emitter<AppEvents>();
  private readonly link = new Emitter<LinkEvents>();
  /** Checks file events once the files controller is here (see `acceptFileEvents`). */
  private fileCheck: ((ev: string, args: readonly unknown[]) => boolean) | undefined;
  private readonly retiring = new Set<ChatTransport>();
  private generation = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly config: TransportConfig = {},
  ) {
    host.addController(this);
    // Others' round-trip probes are answered always (bounded), not only while our panel is open;
    // the answerer is loaded with the first probe (it is not part of the first download).
    let answer: Promise<PingAnswer['heard']> | undefined;
    this.subscribe('chat:ping', (ping, meta) => {
      answer ??= import('./ping-answer.js').then(
        ({ PingAnswer }) =>
          new PingAnswer({
            room: () => this.room,
            pong: (peer, pong) => this.emitTo(peer, 'chat:pong', pong),
          }).heard,
      );
      void answer.then((heard) => heard(ping, meta));
    });
  }

  // Saying goodbye on `pagehide` removes us from others' rosters at once; a page restored from
  // the back/forward cache joins again.
  private hidden: { room: string; me: PeerProfile; signer?: Signer } | undefined;
  private readonly onPageHide = () => {
    const target = this.target;
    if (!target) return;
    this.leave();
    this.hidden = target;
  };
  private readonly onPageShow = (e: PageTransitionEvent) => {
    const target = this.hidden;
    this.hidden = undefined;
    if (e.persisted && target && !this.target)
      void this.join(target.room, target.me, target.signer);
  };

  hostConnected(): void {
    window.addEventListener('pagehide', this.onPageHide);
    window.addEventListener('pageshow', this.onPageShow);
  }

  hostDisconnected(): void {
    window.removeEventListener('pagehide', this.onPageHide);
    window.removeEventListener('pageshow', this.onPageShow);
    this.leave();
  }

  /** Human-readable description of the last problem, cleared when the link comes up. */
  get error(): string | undefined {
    return this.problem?.message;
  }

  /** The kind of the live transport (or the configured one before any). */
  get kind(): TransportKind {
    return this.transport?.kind ?? this.config.kind?.() ?? 'socketio';
  }

  /** Lasting remarks about the live transport (e.g. the mesh was full), in one line. */
  get notice(): string | undefined {
    return (this.transport && this.notices.get(this.transport))?.join(' ');
  }

  /** The room we are in (or joining); undefined outside one. */
  get room(): string | undefined {
    return this.target?.room;
  }

  /** Our connection id on the live transport. */
  get selfId(): PeerId {
    return this.transport?.selfId ?? '';
  }

  /**
   * Joins `room` as `me`, replacing any current transport at once. `signer` signs as our
   * identity (the join's proof, WebRTC offers and answers); `me.userId` is then its id.
   */
  async join(room: string, me: PeerProfile, signer?: Signer): Promise<void> {
    this.leave();
    this.target = { room, me, signer };
    await this.connectNext();
  }

  /**
   * Moves the same room to a transport made from the current configuration, make-before-break:
   * resolves once the new transport is live, or the switch failed (the old one stays). With
   * `replace` (the visitor saved servers that did not answer, "Save anyway") the old link goes
   * first: the state is then the new configuration's, never a connection it does not have.
   */
  async switchTransport(replace = false): Promise<void> {
    if (!this.target) return;
    if (replace) {
      this.generation++;
      this.transport?.close();
      this.transport = undefined;
    }
    await this.connectNext();
  }

  /** Closes every transport. */
  leave(): void {
    this.generation++;
    this.target = undefined;
    const old = this.transport;
    this.transport = undefined;
    old?.close();
    this.retiring.forEach((t) => t.close());
    this.retiring.clear();
    this.switching = false;
    this.update('idle', undefined);
  }

  /** Subscribes to an app event on whichever transport is live; returns the unsubscribe. */
  subscribe<E extends ChatEvent>(ev: E, fn: AppListener<ChatEvents[E]>): () => void {
    return this.app.on(ev, fn as AppEvents[E]);
  }

  /** Calls `fn` each time a link (re)opens, including after a switch. */
  onOpen(fn: () => void): () => void {
    return this.link.on('open', fn);
  }

  /** Calls `fn` with the connection id of every member who joins the live transport's room. */
  onPeerJoin(fn: (peer: PeerId) => void): () => void {
    return this.link.on('peer-join', fn);
  }

  /**
   * Calls `fn` whenever what `reach()` tells may have changed: a member came, went or is
   * reached another way, the link came up or was left, or a switch finished.
   */
  onReach(fn: () => void): () => void {
    return this.link.on('reach', fn);
  }

  /**
   * Who the live transport lists now, with how we reach each, leaving out our own connection
   * that a switch is retiring (it is not somebody else); undefined outside a room.
   */
  reach(): Reach | undefined {
    const t = this.transport;
    if (!t || !this.target) return undefined;
    const ours = new Set([...this.retiring].map((r) => r.selfId));
    const members = [...t.peers.values()]
      .filter((hello) => !ours.has(hello.id))
      .map((hello) => ({ hello, link: t.linkOf(hello.id) }));
    return { selfId: t.selfId, me: this.target.me, kind: t.kind, members };
  }

  /**
   * How connection `peer` introduced itself when it joined — on the live transport, or on one
   * being retired — so what it says can be bound to who it is; undefined if nobody lists it.
   */
  helloOf(peer: PeerId): PeerHello | undefined {
    for (const t of [this.transport, ...this.retiring]) {
      const hello = t?.peers.get(peer);
      if (hello) return hello;
    }
    return undefined;
  }

  /** What signs as us in the room we joined (undefined outside a room, or for a keyless join). */
  get signer(): Signer | undefined {
    return this.target?.signer;
  }

  /** The servers the visitor or the page chose, in order (empty: the page's own). */
  get servers(): string[] {
    const url = this.config.options?.().url;
    return url === undefined ? [] : typeof url === 'string' ? [url] : [...url];
  }

  /**
   * The live transport, for diagnostics only (Connection details reads its counts, server and
   * link statistics); events go through `emit`, `emitTo` and `subscribe`.
   */
  get current(): Readonly<ChatTransport> | undefined {
    return this.transport;
  }

  /** The live transport, if it carries events now (to everyone, or to direct links only). */
  private get carrier(): ChatTransport | undefined {
    const t = this.transport;
    return t && canEmit(t.state) ? t : undefined;
  }

  /**
   * The payload cap of the live link, in bytes: what the server announced when we joined (the
   * protocol's default before any link).
   */
  get payloadCap(): number {
    return this.transport?.payloadCap ?? DEFAULT_MAX_PAYLOAD;
  }

  /** Whether the link carries events now (to everyone, or to direct links only). */
  get live(): boolean {
    return this.carrier !== undefined;
  }

  /**
   * Whether what we emit now reaches the whole room: false while the server is unreachable and
   * only direct links carry our messages (members reached through the server miss them).
   */
  get reachesEveryone(): boolean {
    return this.transport?.state === 'open';
  }

  /**
   * Sends to the room if the link carries events; returns whether it was handed over. In the
   * `direct` state that reaches only the members linked directly (see `reachesEveryone`).
   */
  emit<E extends ChatEvent>(ev: E, ...args: EventParams<ChatEvents, E>): boolean {
    const t = this.carrier;
    if (!t) return false;
    t.emit(ev, ...args);
    return true;
  }

  /** Sends to one member if the link is open and knows it; returns whether it was handed over. */
  emitTo<E extends ChatEvent>(peer: PeerId, ev: E, ...args: EventParams<ChatEvents, E>): boolean {
    const t = this.carrier;
    if (!t?.peers.has(peer)) return false;
    t.emitTo(peer, ev, ...args);
    return true;
  }

  /**
   * Sends a binary chunk frame to one member on the live link (see `Transport.sendBytes`);
   * resolves `false` when there is no live link to it.
   */
  sendBytes(peer: PeerId, head: ChunkHead, bytes: Uint8Array): Promise<boolean> {
    const t = this.carrier;
    if (!t?.peers.has(peer)) return Promise.resolve(false);
    return t.sendBytes(peer, head, bytes);
  }

  /** Calls `fn` with every binary chunk frame, from the live transport or one being retired. */
  onBytes(fn: ReservedEvents['bytes']): () => void {
    return this.link.on('bytes', fn);
  }

  /**
   * Lets the file events through, checked by `check` (the files controller brings the file
   * schemas in its own chunk; until then no file event reaches the room).
   */
  acceptFileEvents(check: (ev: string, args: readonly unknown[]) => boolean): void {
    this.fileCheck = check;
  }

  private async connectNext(): Promise<void> {
    const target = this.target!;
    const generation = ++this.generation;
    const old = this.transport;
    this.switching = old !== undefined;
    if (!old) this.update('connecting', undefined);
    else this.host.requestUpdate();
    let next: ChatTransport;
    try {
      const factory = this.config.factory?.() ?? loadTransport;
      // Only the protocol's events, with exactly their arguments, reach the room.
      next = await factory<ChatEvents>(this.config.kind?.() ?? 'socketio', {
        ...this.config.options?.(),
        accept: (ev, args) => isWellFormed(ev, args) || this.fileCheck?.(ev, args) === true,
        ...(target.signer ? { signer: target.signer } : {}),
      });
    } catch (err) {
      this.switching = false;
      const frame = (text: string) => `Could not load the transport: ${text}`;
      this.update(old?.state ?? 'offline', problemOf(err, 'load-failed', frame));
      return;
    }
    if (generation !== this.generation) return next.close(); // superseded meanwhile
    this.wire(next);
    if (!old) this.transport = next; // first link: show its progress from the start
    let failure: unknown;
    await next.connect(target.room, target.me).catch((err: unknown) => (failure = err));
    if (generation !== this.generation) return next.close();
    if (old && (failure !== undefined || next.state !== 'open')) {
      // Make-before-break: the new link never came up, so the old one stays.
      next.close();
      this.switching = false;
      const frame = (text: string) => `Could not switch: ${text}`;
      this.update(old.state, problemOf(failure ?? 'no connection', 'unreachable', frame));
      return;
    }
    if (failure !== undefined) this.update(next.state, problemOf(failure, 'unreachable'));
    if (!old) return;
    this.transport = next;
    this.switching = false;
    this.retire(old);
    this.link.emit('reach');
    this.update(next.state, undefined);
    this.link.emit('open');
  }

  /** Keeps `old` delivering for a moment after a switch, then closes it. */
  private retire(old: ChatTransport): void {
    this.retiring.add(old);
    setTimeout(() => {
      this.retiring.delete(old);
      old.close();
      this.link.emit('reach');
    }, SWITCH_OVERLAP_MS);
  }

  private wire(t: ChatTransport): void {
    const live = () => t === this.transport;
    t.on(
      'state',
      (state) => live() && this.update(state, state === 'open' ? undefined : this.problem),
    );
    t.on('error', (err) => {
      const problem = problemOf(err, err.code);
      // These stay true while this link lives: shown as a notice, not only until the next change.
      if (err.code === 'mesh-full' || err.code === 'unverified') {
        const notes = this.notices.get(t) ?? [];
        if (!notes.includes(problem.message)) this.notices.set(t, [...notes, problem.message]);
      }
      if (live()) this.update(t.state, problem);
    });
    t.on('open', () => live() && this.link.emit('open'));
    // Chunks still arriving on a link being retired are as good as any (checked by hash).
    t.on('bytes', (head, bytes, meta) => this.link.emit('bytes', head, bytes, meta));
    for (const ev of ['peer-join', 'peer-leave', 'peer-update'] as const) {
      t.on(ev, () => live() && this.link.emit('reach'));
    }
    t.on('peer-join', (hello) => live() && this.link.emit('peer-join', hello.id));
    // Every app event of the protocol is forwarded, from the live transport and from one
    // being retired (duplicates are dropped by id downstream): its one payload and the meta,
    // the transport's last argument whatever came before it — so even a transport made
    // without `accept` cannot be fooled into naming a sender.
    const forward = this.app.emit.bind(this.app) as (e: ChatEvent, ...a: unknown[]) => void;
    for (const ev of [...Object.keys(relayedEventSchemas), ...FILE_EVENTS] as ChatEvent[]) {
      t.on(ev, ((...args: unknown[]) => forward(ev, args[0], args.at(-1))) as never);
    }
  }

  private update(state: TransportState, problem: Problem | undefined): void {
    this.state = state;
    this.problem = problem;
    if (state === 'open' || state === 'direct' || state === 'idle') this.link.emit('reach');
    this.host.requestUpdate();
  }
}

export type { TransportFactory } from '../../transport/index.js';
export type { TransportKind } from '../../transport/types.js';
