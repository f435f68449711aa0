/**
 * The BroadcastChannel transport: chat between tabs of one browser (same origin), with no
 * server at all. Each tab posts frames on a channel named after the room. There is no one to
 * keep a member list, so tabs announce themselves: a newcomer says hello and asks the others
 * to answer; every tab repeats its hello as a heartbeat, and one that falls silent is dropped,
 * so a crashed or killed tab never lingers as a ghost. Another tab may run an older build, so
 * every incoming frame is checked before it is believed.
 */
import * as v from 'valibot';
import { BaseTransport } from './base.js';
import { PeerByteBuckets } from './byte-bucket.js';
import { BytePacer } from './byte-pacer.js';
import {
  PeerBuckets,
  senderBucket,
  TAB_BUDGET,
  TAB_BYTE_BUDGET,
  TAB_BYTE_PACE,
} from './direct-budget.js';
import type { ChunkHead } from '../protocol/file-events.js';
import { TransportError } from './errors.js';
import { describeIssues } from '../protocol/fields.js';
import { isIdOf, type Signer } from '../protocol/identity.js';
import { parseHello } from '../protocol/peer.js';
import { JoinRequestSchema } from '../protocol/relay-frames.js';
import { compatible, incompatibleMessage, PROTOCOL_VERSION } from '../protocol/version.js';
import {
  canEmit,
  type EventsMap,
  type PeerHello,
  type PeerId,
  type PeerProfile,
  type TransportOptions,
} from './types.js';

/** Options of the BroadcastChannel transport. */
export interface BroadcastOptions extends TransportOptions {
  /** How often each tab repeats its hello, in ms (default 2000). */
  heartbeatMs?: number;
  /** How long a silent tab stays a member, in ms (default 6000). */
  timeoutMs?: number;
  /**
   * How long `connect` listens for the tabs already there before opening when none answers,
   * in ms (default 100); the first tab that answers opens it at once.
   */
  discoveryMs?: number;
  /**
   * How our chunk frames are paced (default `TAB_BYTE_PACE`); tests slow it so a run of chunks
   * surely waits in the lane, however fast the machine posts them.
   */
  bytePace?: { rate: number; burst: number };
}

/** What travels on the channel. `to` marks a frame meant for one tab only. */
type Frame =
  | { t: 'hello'; from: PeerId; to?: PeerId; hello: PeerHello; reply: boolean }
  | { t: 'bye'; from: PeerId }
  | { t: 'event'; from: PeerId; to?: PeerId; ev: string; args: unknown[]; hello?: PeerHello }
  | { t: 'bytes'; from: PeerId; to: PeerId; head: unknown; bytes: Uint8Array };

/** Name of the channel that carries `room`. */
export const channelName = (room: string): string => `parley:room:${room}`;

const isId = (x: unknown): x is string => typeof x === 'string' && x.length > 0 && x.length <= 64;

/** The hello in `value` if it is one and speaks for the tab that sent it. */
function helloFrom(value: unknown, from: string): PeerHello | undefined {
  const hello = parseHello(value);
  return hello?.id === from ? hello : undefined;
}

/** The frame in `data`, or undefined when it is not one we understand. Never throws. */
function parseFrame(data: unknown): Frame | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const f = data as Record<string, unknown>;
  if (!isId(f.from) || (f.to !== undefined && !isId(f.to))) return undefined;
  if (f.t === 'bye') return { t: 'bye', from: f.from };
  const to = f.to as string | undefined;
  // A chunk frame: its head is the door's to check (see `BaseTransport.receiveBytes`).
  if (f.t === 'bytes') {
    if (to === undefined || !(f.bytes instanceof Uint8Array)) return undefined;
    return { t: 'bytes', from: f.from, to, head: f.head, bytes: f.bytes };
  }
  if (f.t === 'hello') {
    const hello = helloFrom(f.hello, f.from);
    return hello && { t: 'hello', from: f.from, to, hello, reply: f.reply === true };
  }
  if (f.t !== 'event' || typeof f.ev !== 'string' || !Array.isArray(f.args)) return undefined;
  const hello = helloFrom(f.hello, f.from);
  return { t: 'event', from: f.from, to, ev: f.ev, args: f.args as unknown[], hello };
}

/** BroadcastChannel implementation of the transport contract: tabs of one browser. */
export class BroadcastTransport<
  Listen extends EventsMap,
  Emit extends EventsMap = Listen,
> extends BaseTransport<Listen, Emit> {
  private channel: BroadcastChannel | undefined;
  private hello: PeerHello | undefined;
  private readonly heartbeatMs: number;
  private readonly timeoutMs: number;
  private readonly discoveryMs: number;
  private readonly lastSeen = new Map<PeerId, number>();
  private lastPosted = 0;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private discovery: ReturnType<typeof setTimeout> | undefined;
  private settle: (() => void) | undefined;
  /** Each tab's budget for the events it posts (see `direct-budget.ts`). */
  private readonly buckets = new PeerBuckets(TAB_BUDGET);
  /** Paces the events we post under the same budget; those waiting for a token, oldest first. */
  private readonly pace = senderBucket(TAB_BUDGET);
  private readonly outbox: Frame[] = [];
  private pacing: ReturnType<typeof setTimeout> | undefined;
  /** Each tab's chunk frames to us, against the tab byte budget. */
  private readonly byteBuckets = new PeerByteBuckets(TAB_BYTE_BUDGET);
  /** Our chunk frames, a little under that budget, after every waiting event (chat first). */
  private readonly bytesOut: BytePacer;
  /** Our identity: the hello we announce carries its id and key. */
  private readonly signer: Signer | undefined;
  /**
   * Frames waiting for their hello's id to be checked against its key (a hash, so async);
   * they are handled one after another so a tab's frames keep their order.
   */
  private inbox: Promise<void> = Promise.resolve();
  private readonly onPageHide = () => this.post({ t: 'bye', from: this.self });
  private readonly onPageShow = (e: PageTransitionEvent) => {
    // Back from the back/forward cache: the others dropped us on pagehide; introduce us again.
    if (e.persisted && this.hello) this.sayHello(true);
  };

  /** Makes an unconnected transport; `options` mainly tune presence timing (tests). */
  constructor(options: BroadcastOptions = {}) {
    super('broadcast', 'tab', options);
    this.heartbeatMs = options.heartbeatMs ?? 2000;
    this.timeoutMs = options.timeoutMs ?? 6000;
    this.discoveryMs = options.discoveryMs ?? 100;
    this.signer = options.signer;
    this.byteBudget = TAB_BYTE_BUDGET;
    this.bytesOut = new BytePacer(
      options.bytePace ?? TAB_BYTE_PACE,
      () => this.outbox.length === 0,
    );
  }

  /**
   * Joins `room`; resolves as soon as a tab already in it answers our hello, or, alone, once
   * the others had a moment to answer. The tabs that answer after the first are members as they
   * come (peer-join), like anyone who joins later: waiting for all of them would keep a tab with
   * company as slow to open as a lone one.
   */
  connect(room: string, me: PeerProfile): Promise<void> {
    this.assertFresh();
    if (typeof BroadcastChannel !== 'function') {
      const err = new TransportError('unreachable', 'this browser has no BroadcastChannel');
      this.fire('error', err);
      this.finishClose(err.message);
      return Promise.reject(err);
    }
    // With a signer we are its identity, whatever id the caller passed: other tabs check that
    // an announced key and id belong together.
    const userId = this.signer?.id ?? me.userId;
    const key = this.signer?.publicKey;
    // The same rules the relay applies to a join, so a room works on every transport.
    const join = v.safeParse(JoinRequestSchema, { room, me: { userId, name: me.name } });
    if (!join.success) {
      const err = new TransportError('refused', 'cannot join', describeIssues(join.issues));
      this.fire('error', err);
      this.finishClose(err.message);
      return Promise.reject(err);
    }
    this.setState('connecting');
    this.self = crypto.randomUUID();
    this.hello = {
      id: this.self,
      userId,
      name: me.name,
      since: Date.now(),
      ...(key && { key }),
      v: PROTOCOL_VERSION,
    };
    const channel = new BroadcastChannel(channelName(room));
    this.channel = channel;
    channel.onmessage = (e: MessageEvent) => this.enqueue(e.data);
    if (typeof window !== 'undefined') {
      window.addEventListener('pagehide', this.onPageHide);
      window.addEventListener('pageshow', this.onPageShow);
    }
    this.sayHello(true);
    this.heartbeat = setInterval(() => this.beat(), this.heartbeatMs);
    return new Promise<void>((resolve) => {
      this.settle = resolve;
      this.discovery = setTimeout(this.opened, this.discoveryMs);
    });
  }

  /** Ends discovery: open, and `connect` resolves (once: the timer or the first tab heard). */
  private readonly opened = (): void => {
    const settle = this.settle;
    if (!settle) return;
    this.settle = undefined;
    clearTimeout(this.discovery);
    this.setState('open');
    settle();
  };

  /** Says goodbye to the other tabs and releases the channel; final. */
  close(): void {
    clearInterval(this.heartbeat);
    clearTimeout(this.discovery);
    if (typeof window !== 'undefined') {
      window.removeEventListener('pagehide', this.onPageHide);
      window.removeEventListener('pageshow', this.onPageShow);
    }
    if (this.channel) {
      this.post({ t: 'bye', from: this.self });
      this.channel.onmessage = null;
      this.channel.close();
      this.channel = undefined;
    }
    this.lastSeen.clear();
    this.buckets.clear();
    this.byteBuckets.clear();
    this.bytesOut.cancel();
    clearTimeout(this.pacing);
    this.outbox.length = 0;
    this.finishClose('closed by the app');
    // A close during discovery ends connect() quietly, as the memory transport does.
    this.settle?.();
    this.settle = undefined;
  }

  protected send(to: PeerId | undefined, ev: string, args: unknown[]): void {
    // Our hello rides along, so a tab that dropped us (we were frozen) takes us back at once.
    const frame: Frame = { t: 'event', from: this.self, to, ev, args, hello: this.hello };
    if (this.outbox.length === 0 && this.pace.take()) return this.post(frame);
    this.outbox.push(frame);
    this.pacing ??= setTimeout(this.drainOutbox, Math.max(1, this.pace.wait()));
  }

  /** Posts the events that waited for a token, as tokens come; then chunk frames may go. */
  private readonly drainOutbox = (): void => {
    this.pacing = undefined;
    while (this.outbox.length > 0 && this.pace.take()) this.post(this.outbox.shift()!);
    if (this.outbox.length > 0)
      this.pacing = setTimeout(this.drainOutbox, Math.max(1, this.pace.wait()));
    else this.bytesOut.kick();
  };

  /** Posts a chunk frame to one tab (structured clone), paced; see the contract. */
  sendBytes(peer: PeerId, head: ChunkHead, bytes: Uint8Array): Promise<boolean> {
    if (!canEmit(this.state) || !this.peers.has(peer)) return Promise.resolve(false);
    return this.bytesOut.push(bytes.byteLength, () => {
      if (!this.channel || !this.peers.has(peer)) return false;
      this.post({ t: 'bytes', from: this.self, to: peer, head, bytes });
      return true;
    });
  }

  /** Heartbeat tick: repeat our hello and drop the tabs that went silent. */
  private beat(): void {
    this.sayHello(false);
    const now = performance.now();
    for (const [id, seen] of this.lastSeen) {
      if (now - seen > this.timeoutMs) this.forget(id);
    }
  }

  private sayHello(reply: boolean, to?: PeerId): void {
    if (this.hello) this.post({ t: 'hello', from: this.self, to, hello: this.hello, reply });
  }

  private post(frame: Frame): void {
    try {
      this.channel?.postMessage(frame);
      if (!('to' in frame) || frame.to === undefined) this.lastPosted = performance.now();
    } catch {
      // Closed channel or an uncloneable value: emit() already refused non-JSON, so only a
      // race with close() lands here, and then there is no one left to tell.
    }
  }

  /** Tabs of another major version we told the visitor about (once each). */
  private readonly foreign = new Set<PeerId>();

  private otherVersion(id: PeerId, version: unknown): void {
    if (this.foreign.has(id) || this.foreign.size >= 64) return;
    this.foreign.add(id);
    this.fire('error', new TransportError('incompatible', incompatibleMessage('tab', version)));
  }

  private forget(id: PeerId): void {
    this.lastSeen.delete(id);
    this.buckets.forget(id);
    this.byteBuckets.forget(id);
    this.removePeer(id);
  }

  /**
   * Takes a frame off the channel: once its hello (if any) checks out and every frame before
   * it was handled, it is handled. A hello that shows a key whose id is not the `userId` it
   * claims speaks for somebody else's identity, and its frame is dropped (a hello without a
   * key comes from a tab without an identity, which same-origin trust lets in).
   */
  private enqueue(data: unknown): void {
    const frame = parseFrame(data);
    if (!frame || frame.from === this.self) return;
    // An event over its tab's budget is dropped before its hello is even checked.
    const forUs = frame.t === 'event' && (frame.to === undefined || frame.to === this.self);
    if (frame.t === 'bytes') {
      if (frame.to !== this.self) return;
      // Chunk frames cost the tab's byte budget, never its event budget.
      if (!this.byteBuckets.take(frame.from, frame.bytes.byteLength)) {
        this.dropped.chunks = (this.dropped.chunks ?? 0) + 1;
        return;
      }
    } else if (forUs && !this.buckets.take(frame.from)) {
      this.dropped.rateLimited++;
      return;
    }
    const hello = frame.t === 'bye' || frame.t === 'bytes' ? undefined : frame.hello;
    const valid = hello?.key === undefined ? true : isIdOf(hello.userId, hello.key);
    this.inbox = this.inbox
      .then(async () => {
        if (await valid) this.onFrame(frame);
      })
      .catch(() => {
        // A hash that failed is a frame we cannot vouch for; the queue goes on.
      });
  }

  private onFrame(frame: Frame): void {
    if (this.state === 'closed') return;
    if ('to' in frame && frame.to !== undefined && frame.to !== this.self) return;
    if (frame.t === 'bye') return this.forget(frame.from);
    // From a tab we know (its hello checked), to us: to the door for chunk frames.
    if (frame.t === 'bytes') {
      if (this.peers.has(frame.from)) this.receiveBytes(frame.head, frame.bytes, frame.from);
      return;
    }
    // A tab of another major version (an old build still open, or a newer one): nothing it
    // says can be understood. It is never a member, and the visitor is told once.
    if (frame.hello && !compatible(frame.hello.v))
      return this.otherVersion(frame.from, frame.hello.v);
    this.lastSeen.set(frame.from, performance.now());
    // Timers of hidden tabs are throttled (to once a minute in Chrome) but their message
    // handlers are not, so a tab whose heartbeat is overdue answers the others' instead.
    if (performance.now() - this.lastPosted >= this.heartbeatMs) this.sayHello(false);
    if (frame.t === 'hello') {
      this.addPeer(frame.hello);
      if (frame.reply) this.sayHello(false, frame.from);
      // A tab is here: open now, it is a member already (joined before open, as on the relay).
      return this.opened();
    }
    if (frame.hello) {
      this.addPeer(frame.hello);
      this.opened();
    }
    this.receive(frame.ev, frame.args, frame.from);
  }
}
