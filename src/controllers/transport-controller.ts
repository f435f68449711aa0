/**
 * Transport controller: owns the live transport of the host, connects it to a room, and
 * switches to another transport **make-before-break**: the new one connects while the old one
 * keeps carrying messages, and the old one closes only a moment after the new one is open
 * (anything that arrives twice meanwhile is dropped by id in the room controller). App-event
 * subscriptions survive every switch, so the room controller subscribes once.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { TransportError } from '../transport/errors.js';
import {
  loadTransport,
  type AnyTransportOptions,
  type TransportFactory,
} from '../transport/index.js';
import { relayedEventSchemas, type ChatEvents } from '../protocol/chat-events.js';
import type {
  AppListener,
  EventNames,
  EventParams,
  LinkKind,
  PeerId,
  PeerProfile,
  Transport,
  TransportKind,
  TransportState,
} from '../transport/types.js';
import { canEmit } from '../transport/types.js';
import type { RosterMember } from './settings.js';

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

const SELF_LINK: Record<TransportKind, LinkKind> = {
  socketio: 'relay',
  webrtc: 'direct',
  broadcast: 'tab',
  memory: 'memory',
};

/** A problem in words for people: the transport's "what — hint", without the API prefix. */
function describe(err: unknown): string {
  if (err instanceof TransportError) return err.message.replace(/^parley: /, '');
  return err instanceof Error ? err.message : String(err);
}

/** `text` as a sentence: a capital letter first, a full stop last. */
function sentence(text: string): string {
  const s = text.trim();
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}${/[.!?…]$/.test(s) ? '' : '.'}`;
}

/** Owns which transport is live and what it reports. */
export class TransportController implements ReactiveController {
  state: TransportState = 'idle';
  /** Human-readable description of the last problem, cleared when the link comes up. */
  error: string | undefined;
  // Lasting remarks per transport (e.g. its mesh was full), so a switch takes them along.
  private readonly notices = new WeakMap<ChatTransport, string>();
  /** Whether a switch is in progress. */
  switching = false;
  /** Who is in the room, ourselves first, one line per person. */
  roster: RosterMember[] = [];
  private transport: ChatTransport | undefined;
  private target: { room: string; me: PeerProfile } | undefined;
  private readonly appListeners = new Map<ChatEvent, Set<(...args: never[]) => void>>();
  private readonly openListeners = new Set<() => void>();
  private readonly joinListeners = new Set<(peer: PeerId) => void>();
  private readonly retiring = new Set<ChatTransport>();
  private generation = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly config: TransportConfig = {},
  ) {
    host.addController(this);
  }

  // Saying goodbye on `pagehide` removes us from others' rosters at once; a page restored from
  // the back/forward cache joins again.
  private hidden: { room: string; me: PeerProfile } | undefined;
  private readonly onPageHide = () => {
    const target = this.target;
    if (!target) return;
    this.leave();
    this.hidden = target;
  };
  private readonly onPageShow = (e: PageTransitionEvent) => {
    const target = this.hidden;
    this.hidden = undefined;
    if (e.persisted && target && !this.target) void this.join(target.room, target.me);
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

  /** The kind of the live transport (or the configured one before any). */
  get kind(): TransportKind {
    return this.transport?.kind ?? this.config.kind?.() ?? 'socketio';
  }

  /** A lasting remark about the live transport (e.g. the mesh was full). */
  get notice(): string | undefined {
    return this.transport && this.notices.get(this.transport);
  }

  /** Our connection id on the live transport. */
  get selfId(): PeerId {
    return this.transport?.selfId ?? '';
  }

  /** Joins `room` as `me`, replacing any current transport at once. */
  async join(room: string, me: PeerProfile): Promise<void> {
    this.leave();
    this.target = { room, me };
    await this.connectNext();
  }

  /**
   * Moves the same room to a transport made from the current configuration, make-before-break.
   * Resolves once the new transport is live, or the switch failed (the old one stays).
   */
  async switchTransport(): Promise<void> {
    if (!this.target) return;
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
    this.roster = [];
    this.update('idle', undefined);
  }

  /** Subscribes to an app event on whichever transport is live; returns the unsubscribe. */
  subscribe<E extends ChatEvent>(ev: E, fn: AppListener<ChatEvents[E]>): () => void {
    let set = this.appListeners.get(ev);
    if (!set) this.appListeners.set(ev, (set = new Set()));
    set.add(fn);
    return () => set.delete(fn);
  }

  /** Calls `fn` each time a link (re)opens, including after a switch. */
  onOpen(fn: () => void): () => void {
    this.openListeners.add(fn);
    return () => this.openListeners.delete(fn);
  }

  /** Calls `fn` with the connection id of every member who joins the live transport's room. */
  onPeerJoin(fn: (peer: PeerId) => void): () => void {
    this.joinListeners.add(fn);
    return () => this.joinListeners.delete(fn);
  }

  /** The servers the visitor or the page chose, in order (empty: the page's own). */
  get servers(): string[] {
    const url = this.config.options?.().url;
    return url === undefined ? [] : typeof url === 'string' ? [url] : [...url];
  }

  /** The live transport, if it carries events now (to everyone, or to direct links only). */
  private get carrier(): ChatTransport | undefined {
    const t = this.transport;
    return t && canEmit(t.state) ? t : undefined;
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
      next = await factory<ChatEvents>(
        this.config.kind?.() ?? 'socketio',
        this.config.options?.() ?? {},
      );
    } catch (err) {
      this.switching = false;
      this.update(
        old?.state ?? 'offline',
        sentence(`Could not load the transport: ${describe(err)}`),
      );
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
      this.update(old.state, sentence(`Could not switch: ${describe(failure ?? 'no connection')}`));
      return;
    }
    if (failure !== undefined) this.update(next.state, sentence(describe(failure)));
    if (!old) return;
    this.transport = next;
    this.switching = false;
    this.retire(old);
    this.refreshRoster();
    this.update(next.state, undefined);
    this.openListeners.forEach((fn) => fn());
  }

  /** Keeps `old` delivering for a moment after a switch, then closes it. */
  private retire(old: ChatTransport): void {
    this.retiring.add(old);
    setTimeout(() => {
      this.retiring.delete(old);
      old.close();
      this.refreshRoster();
    }, SWITCH_OVERLAP_MS);
  }

  private wire(t: ChatTransport): void {
    const live = () => t === this.transport;
    t.on(
      'state',
      (state) => live() && this.update(state, state === 'open' ? undefined : this.error),
    );
    t.on('error', (err) => {
      if (err.code === 'mesh-full') this.notices.set(t, sentence(describe(err)));
      if (live()) this.update(t.state, sentence(describe(err)));
    });
    t.on('open', () => live() && this.openListeners.forEach((fn) => fn()));
    for (const ev of ['peer-join', 'peer-leave', 'peer-update'] as const) {
      t.on(ev, () => live() && this.refreshRoster());
    }
    t.on('peer-join', (hello) => live() && this.joinListeners.forEach((fn) => fn(hello.id)));
    // Every app event of the protocol is forwarded, from the live transport and from one
    // being retired (duplicates are dropped by id downstream).
    for (const ev of Object.keys(relayedEventSchemas) as ChatEvent[]) {
      t.on(ev, ((...args: never[]) => {
        this.appListeners.get(ev)?.forEach((fn) => fn(...args));
      }) as never);
    }
  }

  private refreshRoster(): void {
    const t = this.transport;
    if (!t || !this.target) return void (this.roster = []);
    const byUser = new Map<string, RosterMember>();
    // Our own connection that is being retired after a switch is not somebody else.
    const ours = new Set([...this.retiring].map((r) => r.selfId));
    for (const hello of t.peers.values()) {
      if (ours.has(hello.id)) continue;
      const link = t.linkOf(hello.id);
      const known = byUser.get(hello.userId);
      // One line per person; a direct link wins over a relayed one.
      if (!known || (known.link !== 'direct' && link === 'direct')) {
        byUser.set(hello.userId, { id: hello.id, name: hello.name, self: false, link });
      }
    }
    const self: RosterMember = {
      id: t.selfId,
      name: this.target.me.name,
      self: true,
      link: SELF_LINK[t.kind],
    };
    this.roster = [self, ...byUser.values()];
    this.host.requestUpdate();
  }

  private update(state: TransportState, error: string | undefined): void {
    this.state = state;
    this.error = error;
    if (state === 'open' || state === 'direct' || state === 'idle') this.refreshRoster();
    this.host.requestUpdate();
  }
}

export type { TransportFactory } from '../transport/index.js';
export type { TransportKind } from '../transport/types.js';
