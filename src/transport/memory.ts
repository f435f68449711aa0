/**
 * In-page transport: every transport made by one {@link MemoryHub} can talk to the others in
 * the same room. Frames are copied through JSON and delivered asynchronously, in order, so
 * components see the same semantics as over a real network. Used by component tests.
 */
import type { ChunkHead } from '../protocol/file-events.js';
import type { Signer } from '../protocol/identity.js';
import { PROTOCOL_VERSION } from '../protocol/version.js';
import { BaseTransport } from './base.js';
import {
  canEmit,
  type EventsMap,
  type PeerHello,
  type PeerId,
  type PeerProfile,
  type TransportOptions,
} from './types.js';

/** A switchboard shared by the memory transports of one test or page. */
export class MemoryHub {
  private readonly rooms = new Map<string, Set<MemoryTransport<EventsMap>>>();

  /** Makes a new, unconnected transport attached to this hub. */
  transport<L extends EventsMap, E extends EventsMap = L>(
    options?: TransportOptions,
  ): MemoryTransport<L, E> {
    return new MemoryTransport<L, E>(this, options);
  }

  /** @internal Members of `room`. */
  members(room: string): Set<MemoryTransport<EventsMap>> {
    let set = this.rooms.get(room);
    if (!set) this.rooms.set(room, (set = new Set()));
    return set;
  }
}

/** The memory implementation of the transport contract. */
export class MemoryTransport<
  Listen extends EventsMap,
  Emit extends EventsMap = Listen,
> extends BaseTransport<Listen, Emit> {
  /** Where we joined and how we introduced ourselves; unset until connected. */
  private joined: { room: string; me: PeerProfile; since: number } | undefined;
  /** Our identity: the hello we announce carries its id and key. */
  private readonly signer: Signer | undefined;

  constructor(
    private readonly hub: MemoryHub,
    options?: TransportOptions,
  ) {
    super('memory', 'memory', options);
    this.signer = options?.signer;
  }

  async connect(room: string, me: PeerProfile): Promise<void> {
    this.assertFresh();
    this.setState('connecting');
    await Promise.resolve();
    if (this.state === 'closed') return;
    this.self = crypto.randomUUID();
    this.joined = { room, me, since: Date.now() };
    const members = this.hub.members(room);
    for (const other of members) {
      this.addPeer(other.hello());
      other.later(() => other.addPeer(this.hello()));
    }
    members.add(this as unknown as MemoryTransport<EventsMap>);
    this.setState('open');
  }

  close(): void {
    if (this.joined) {
      const members = this.hub.members(this.joined.room);
      members.delete(this as unknown as MemoryTransport<EventsMap>);
      for (const other of members) other.later(() => other.removePeer(this.self));
    }
    this.finishClose('closed by the app');
  }

  protected send(to: PeerId | undefined, ev: string, _args: unknown[], frame: string): void {
    for (const other of this.hub.members(this.joined?.room ?? '')) {
      if (other === (this as unknown)) continue;
      if (to !== undefined && other.selfId !== to) continue;
      other.later(() => other.receive(ev, JSON.parse(frame), this.self));
    }
  }

  /** Hands a copy of `bytes` to `peer`, in order with everything else we send it. */
  sendBytes(peer: PeerId, head: ChunkHead, bytes: Uint8Array): Promise<boolean> {
    const other = [...this.hub.members(this.joined?.room ?? '')].find(
      (m) => m !== (this as unknown) && m.selfId === peer,
    );
    if (!other || !canEmit(this.state)) return Promise.resolve(false);
    const copy = bytes.slice();
    const from = this.self;
    other.later(() => other.receiveBytes(structuredClone(head), copy, from));
    return Promise.resolve(true);
  }

  /**
   * @internal Our announcement, as peers see it. With a signer it speaks as the signer's
   * identity (its id and key), as a relay join would, so members see the same on every
   * transport.
   */
  hello(): PeerHello {
    const key = this.signer?.publicKey ?? this.joined?.me.key;
    return {
      id: this.self,
      userId: this.signer?.id ?? this.joined?.me.userId ?? '',
      name: this.joined?.me.name ?? '',
      since: this.joined?.since ?? 0,
      v: PROTOCOL_VERSION,
      ...(key !== undefined && { key }),
    };
  }

  /** @internal Runs `fn` asynchronously if we still carry events by then. */
  later(fn: () => void): void {
    queueMicrotask(() => {
      if (canEmit(this.state)) fn();
    });
  }
}
