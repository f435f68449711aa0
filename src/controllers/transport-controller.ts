/**
 * Transport controller: owns the live transport of the host, connects it to a room, and
 * exposes its state, peers and errors for display. App-event subscriptions survive a change
 * of transport or room, so the room controller subscribes once.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { TransportError } from '../transport/errors.js';
import { loadTransport, type TransportFactory } from '../transport/index.js';
import { relayedEventSchemas, type ChatEvents } from '../transport/protocol.js';
import type {
  AppListener,
  EventNames,
  EventParams,
  PeerHello,
  PeerProfile,
  Transport,
  TransportKind,
  TransportState,
} from '../transport/types.js';

/** The transport type the app speaks. */
export type ChatTransport = Transport<ChatEvents>;
type ChatEvent = EventNames<ChatEvents>;

/** Configuration, read each time a room is joined. */
export interface TransportConfig {
  kind?: () => TransportKind;
  /** Server origin for the relay; defaults to the page's origin. */
  url?: () => string | undefined;
  /** Replaces the default lazy registry (tests inject memory transports). */
  factory?: () => TransportFactory | undefined;
}

/** Owns which transport is live and what it reports. */
export class TransportController implements ReactiveController {
  state: TransportState = 'idle';
  /** Human-readable description of the last problem, cleared when the link comes up. */
  error: string | undefined;
  peers: PeerHello[] = [];
  private transport: ChatTransport | undefined;
  private readonly appListeners = new Map<ChatEvent, Set<(...args: never[]) => void>>();
  private readonly openListeners = new Set<() => void>();
  private generation = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly config: TransportConfig = {},
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.leave();
  }

  /** The kind of the live transport. */
  get kind(): TransportKind {
    return this.transport?.kind ?? this.config.kind?.() ?? 'socketio';
  }

  /** Joins `room` as `me` over a new transport, replacing the current one. */
  async join(room: string, me: PeerProfile): Promise<void> {
    this.leave();
    const generation = ++this.generation;
    this.update('connecting', undefined);
    let transport: ChatTransport;
    try {
      const factory = this.config.factory?.() ?? loadTransport;
      transport = await factory<ChatEvents>(this.kind, { url: this.config.url?.() });
    } catch (err) {
      this.update('offline', `Could not load the transport: ${String(err)}`);
      return;
    }
    if (generation !== this.generation) return transport.close(); // superseded meanwhile
    this.transport = transport;
    this.wire(transport);
    await transport.connect(room, me).catch((err: unknown) => {
      if (generation === this.generation) this.update(transport.state, describe(err));
    });
  }

  /** Closes the live transport, if any. */
  leave(): void {
    this.generation++;
    const old = this.transport;
    this.transport = undefined;
    old?.close();
    this.peers = [];
    this.update('idle', undefined);
  }

  /** Subscribes to an app event on whichever transport is live; returns the unsubscribe. */
  subscribe<E extends ChatEvent>(ev: E, fn: AppListener<ChatEvents[E]>): () => void {
    let set = this.appListeners.get(ev);
    if (!set) this.appListeners.set(ev, (set = new Set()));
    set.add(fn);
    return () => set.delete(fn);
  }

  /** Calls `fn` each time the link (re)opens. */
  onOpen(fn: () => void): () => void {
    this.openListeners.add(fn);
    return () => this.openListeners.delete(fn);
  }

  /** Sends to the room if the link is open; returns whether it was handed over. */
  emit<E extends ChatEvent>(ev: E, ...args: EventParams<ChatEvents, E>): boolean {
    if (this.transport?.state !== 'open') return false;
    this.transport.emit(ev, ...args);
    return true;
  }

  private wire(t: ChatTransport): void {
    const refreshPeers = () => {
      this.peers = [...t.peers.values()];
      this.host.requestUpdate();
    };
    t.on('state', (state) => this.update(state, state === 'open' ? undefined : this.error));
    t.on('error', (err) => this.update(t.state, err.message.replace(/^parley: /, '')));
    t.on('open', () => this.openListeners.forEach((fn) => fn()));
    t.on('peer-join', refreshPeers);
    t.on('peer-leave', refreshPeers);
    // Every app event of the protocol is forwarded, whoever subscribes and whenever.
    for (const ev of Object.keys(relayedEventSchemas) as ChatEvent[]) {
      t.on(ev, ((...args: never[]) => {
        this.appListeners.get(ev)?.forEach((fn) => fn(...args));
      }) as never);
    }
  }

  private update(state: TransportState, error: string | undefined): void {
    this.state = state;
    this.error = error;
    this.host.requestUpdate();
  }
}

function describe(err: unknown): string {
  if (err instanceof TransportError) return err.message.replace(/^parley: /, '');
  return err instanceof Error ? err.message : String(err);
}

export type { TransportFactory } from '../transport/index.js';
export type { TransportKind } from '../transport/types.js';
