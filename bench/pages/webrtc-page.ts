/**
 * Browser side of the WebRTC latency benchmark (`bench/latency-webrtc.ts`). Bundled with
 * esbuild and loaded into two headless Chromium pages; Node drives it through `window.bench`.
 *
 * Each page holds three long-lived links to its partner, each in its own room on the same
 * Parley server:
 * - `parley`: Parley's `WebRtcTransport` (simple-peer data channel, payload checks, emitter…);
 * - `raw`: a bare `RTCPeerConnection` + `createDataChannel`, signaled by hand over a bare
 *   socket.io-client socket with the relay's `signal:to`/`signal:data` frames;
 * - `socketio`: Parley's `SocketIoTransport`, for the side-by-side with the relay.
 * The measuring loop and the echo are shared code: only the link differs between contenders.
 *
 * It also times fresh joins: from calling `connect()` to the data channel being open.
 */
import { io, type Socket } from 'socket.io-client';
import { isWellFormed, type ChatEvents, type Envelope } from '../../src/protocol/chat-events.js';
import type { Signer } from '../../src/protocol/identity.js';
import { proveJoin } from '../../src/protocol/join-proof.js';
import { PROTOCOL_VERSION } from '../../src/protocol/version.js';
import {
  parsePresence,
  type JoinReply,
  type RelayClientEvents,
  type RelayServerEvents,
} from '../../src/protocol/relay-frames.js';
import { SocketIoTransport } from '../../src/transport/socketio.js';
import type { PeerHello, PeerProfile } from '../../src/transport/types.js';
import { WebRtcTransport } from '../../src/transport/webrtc.js';
import {
  measureRounds,
  pageSigner,
  speakingAs,
  type MeasurePlan,
  type TimedLink,
} from './round-trips.js';

/** Which implementation carries the messages. */
export type Contender = 'parley' | 'raw' | 'socketio';
/** The contenders that make a direct data channel. */
export type DirectKind = 'parley' | 'raw';

/** How one fresh join went, timed from just before `connect()` on the joining page. */
export interface JoinTiming {
  /** Until the relay's join reply (`connect()` resolved), in ms. */
  joined: number;
  /** Until the data channel to the one other member is open, in ms. */
  open: number;
  /** Whether this page made the offer (the smaller connection id dials). */
  dialed: boolean;
}

/** Frame counters of Parley's WebRTC link (`WebRtcTransport.sent`). */
export interface SentCounters {
  direct: number;
  relayed: number;
}

/** What Node may call on `window.bench`. */
export interface WebRtcPageApi {
  /**
   * Opens the long-lived `kind` link, joins `room` as `me` and, with `echo`, sends every
   * received message straight back. Resolves with the number of other members listed.
   */
  join(kind: Contender, url: string, room: string, me: PeerProfile, echo: boolean): Promise<number>;
  /** Resolves once the long-lived `kind` link reaches its one peer over an open data channel. */
  waitDirect(kind: DirectKind, timeoutMs: number): Promise<void>;
  /** Parley's WebRTC frame counters, to prove the measured frames went direct. */
  sent(): SentCounters;
  /** How the raw link's selected ICE candidate pair runs, e.g. `udp host 10.77.0.1 → …`. */
  rawPath(): Promise<string>;
  /**
   * Times round trips over the long-lived links of `pair`, one in flight at a time, each round
   * one trip per link, in turns (see {@link pairOrders}); resolves with the counted times in ms.
   */
  measure(
    plan: MeasurePlan,
    pair: readonly [Contender, Contender],
  ): Promise<Record<Contender, number[]>>;
  /** Whether the raw contender checks each message as the chat does (see `rawChecks`). */
  checkRaw(on: boolean): void;
  /** Closes every long-lived link. */
  closeAll(): void;
  /** Joins `room` with a fresh `kind` link (kept until `closeFresh()`), without waiting. */
  host(kind: DirectKind, url: string, room: string, me: PeerProfile): Promise<void>;
  /** Joins `room` with a fresh `kind` link and times it until the channel is open. */
  timedJoin(
    kind: DirectKind,
    url: string,
    room: string,
    me: PeerProfile,
    timeoutMs: number,
  ): Promise<JoinTiming>;
  /** Closes the fresh links of `host()` and `timedJoin()`. */
  closeFresh(): void;
  /** Whether the page is cross-origin isolated, i.e. `performance.now()` has fine resolution. */
  isolated(): boolean;
}

/** How long a relay join may take before we give up (the whole benchmark fails then). */
const JOIN_TIMEOUT_MS = 10_000;
/** The frame name both WebRTC contenders put on the wire: `[event, args]` as JSON. */
const EVENT = 'chat:message';

/** The little each contender must do; everything else is shared. */
interface Link extends TimedLink {
  /** Resolves once the link to the one peer is a direct data channel (never, for socketio). */
  direct(timeoutMs: number): Promise<void>;
  close(): void;
}

/** Rejects after `ms` with `what` in the message, unless `promise` settles first. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * Parley's WebRTC transport, not connected yet. `opened` resolves at the first `peer-update`
 * that finds the peer direct, stamped with `performance.now()` right there.
 */
function parleyRtc(url: string, signer: Signer) {
  const t = new WebRtcTransport<ChatEvents>({
    url,
    iceServers: [],
    joinTimeout: JOIN_TIMEOUT_MS,
    signer,
    accept: isWellFormed, // as the chat makes its transports
  });
  let stamp!: (at: number) => void;
  const opened = new Promise<number>((resolve) => (stamp = resolve));
  // Subscribed before connect(), so no peer-update can slip past.
  t.on('peer-update', (id) => {
    const now = performance.now();
    if (t.linkOf(id) === 'direct') stamp(now);
  });
  return { t, opened };
}

/** Joins with `t`; a failed join closes it, which stops its own retrying. */
async function connectOrClose(
  t: SocketIoTransport<ChatEvents> | WebRtcTransport<ChatEvents>,
  room: string,
  me: PeerProfile,
) {
  try {
    await t.connect(room, me);
  } catch (err) {
    t.close();
    throw err;
  }
}

/** The only member besides us, or an error: every link here is a pair. */
function onlyPeer(peers: ReadonlyMap<string, PeerHello>): string {
  if (peers.size !== 1) throw new Error(`expected 1 peer, the room lists ${peers.size}`);
  return [...peers.keys()][0]!;
}

function parleyLink(
  t: WebRtcTransport<ChatEvents> | SocketIoTransport<ChatEvents>,
  room: string,
  me: TimedLink['me'],
  opened?: Promise<number>,
): Link {
  return {
    room,
    me,
    send: (env) => t.emit(EVENT, env),
    onMessage: (fn) => t.on(EVENT, (env) => fn(env)),
    direct: (ms) => {
      if (!opened) return Promise.reject(new Error('the socket.io link never goes direct'));
      return within(opened, ms, 'parley data channel').then(() => {
        if (t.linkOf(onlyPeer(t.peers)) !== 'direct') throw new Error('parley link is not direct');
      });
    },
    close: () => t.close(),
  };
}

/**
 * A bare WebRTC pair: one `RTCPeerConnection` with one default (reliable, ordered) data
 * channel to the one other member of the room, signaled over a bare socket.io-client socket
 * that joins with `p2p: true` and speaks `signal:to`/`signal:data` itself. Like Parley, the
 * member with the smaller connection id dials; candidates trickle.
 */
class RawRtc {
  private readonly socket: Socket<RelayServerEvents, RelayClientEvents>;
  private pc: RTCPeerConnection | undefined;
  private channel: RTCDataChannel | undefined;
  private peer: string | undefined;
  private selfId = '';
  /** Candidates that arrived before the remote description. */
  private pending: RTCIceCandidateInit[] = [];
  private readonly listeners = new Set<(frame: string) => void>();
  private stamp!: (at: number) => void;
  private fail!: (err: Error) => void;
  /** Resolves with `performance.now()` at the channel's open. */
  readonly opened = new Promise<number>((resolve, reject) => {
    this.stamp = resolve;
    this.fail = reject;
  });
  /** Whether this side made the offer. */
  dialed = false;

  constructor(
    url: string,
    private readonly signer: Signer,
  ) {
    // Same engine options as Parley's transports; `forceNew` keeps it off their managers.
    this.socket = io(url, {
      transports: ['websocket', 'polling'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
      forceNew: true,
    });
    // Nothing may fail silently: an unhandled rejection is reported, a caught one is the caller's.
    this.opened.catch(() => {});
    this.socket.on('signal:data', (from, data) => this.onSignal(from, data));
    this.socket.on('relay:presence', (_room, changes) => {
      // Our own join comes back in the room's presence frame too.
      for (const change of parsePresence(changes))
        if ('join' in change && change.join.id !== this.selfId) this.meet(change.join);
    });
    this.socket.on('relay:error', (err) => this.fail(new Error(`raw: relay error ${err.message}`)));
  }

  /** Connects and joins; resolves with the join reply's peers. */
  async join(room: string, me: PeerProfile): Promise<PeerHello[]> {
    await new Promise<void>((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('connect_error', (err) =>
        reject(new Error(`raw: cannot connect (${err.message})`)),
      );
    });
    // Proven like the transport's join: signed over this connection's id.
    const proven = await proveJoin(this.signer, this.socket.id!, room, { ...me, p2p: true });
    const reply: JoinReply = await this.socket
      .timeout(JOIN_TIMEOUT_MS)
      .emitWithAck('relay:join', { room, ...proven, v: PROTOCOL_VERSION });
    if (!reply.ok) throw new Error(`raw: join refused (${reply.error.message})`);
    this.selfId = reply.selfId;
    for (const hello of reply.peers) this.meet(hello);
    return reply.peers;
  }

  /** A member is there: remember it and, with the smaller id, dial it. */
  private meet(hello: PeerHello): void {
    if (!hello.p2p) return;
    if (this.peer !== undefined && this.peer !== hello.id) {
      this.fail(new Error('raw: a second peer joined; the raw link is a pair only'));
      return;
    }
    this.peer = hello.id;
    if (this.selfId && this.selfId < hello.id && !this.pc) void this.dial();
  }

  private makePc(peer: string): RTCPeerConnection {
    const pc = new RTCPeerConnection({ iceServers: [] });
    this.pc = pc;
    pc.onicecandidate = (e) => {
      const c = e.candidate;
      if (!c?.candidate) return; // end of candidates: nothing to tell
      this.socket.emit('signal:to', peer, {
        type: 'candidate',
        candidate: { candidate: c.candidate, sdpMLineIndex: c.sdpMLineIndex, sdpMid: c.sdpMid },
      });
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'failed') this.fail(new Error('raw: connection failed'));
    };
    pc.ondatachannel = (e) => this.useChannel(e.channel);
    return pc;
  }

  private useChannel(channel: RTCDataChannel): void {
    this.channel = channel;
    channel.onmessage = (e: MessageEvent<string>) => {
      for (const fn of this.listeners) fn(e.data);
    };
    if (channel.readyState === 'open') this.stamp(performance.now());
    else channel.onopen = () => this.stamp(performance.now());
  }

  private async dial(): Promise<void> {
    const peer = this.peer!;
    this.dialed = true;
    try {
      const pc = this.makePc(peer);
      this.useChannel(pc.createDataChannel('bench'));
      const offer = await pc.createOffer();
      await pc.setLocalDescription(offer);
      this.socket.emit('signal:to', peer, { type: 'offer', sdp: offer.sdp });
    } catch (err) {
      this.fail(new Error(`raw: cannot dial (${String(err)})`));
    }
  }

  private onSignal(from: string, data: unknown): void {
    void this.handleSignal(from, data).catch((err: unknown) =>
      this.fail(new Error(`raw: bad signal (${String(err)})`)),
    );
  }

  private async handleSignal(from: string, data: unknown): Promise<void> {
    if (from !== this.peer) return;
    const signal = data as { type?: string; sdp?: string; candidate?: RTCIceCandidateInit };
    const pc = this.pc ?? this.makePc(from);
    if (signal.type === 'candidate' && signal.candidate) {
      if (pc.remoteDescription) await pc.addIceCandidate(signal.candidate);
      else this.pending.push(signal.candidate);
      return;
    }
    if (signal.type === 'offer' || signal.type === 'answer') {
      await pc.setRemoteDescription({ type: signal.type, sdp: signal.sdp ?? '' });
      for (const c of this.pending.splice(0)) await pc.addIceCandidate(c);
      if (signal.type === 'offer') {
        const answer = await pc.createAnswer();
        await pc.setLocalDescription(answer);
        this.socket.emit('signal:to', from, { type: 'answer', sdp: answer.sdp });
      }
    }
  }

  send(frame: string): void {
    this.channel!.send(frame);
  }

  onFrame(fn: (frame: string) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  isOpen(): boolean {
    return this.channel?.readyState === 'open';
  }

  /**
   * The selected candidate pair, as `udp host → host`, with addresses where Chromium tells
   * them (it hides host addresses from pages that have no media permission).
   */
  async path(): Promise<string> {
    const stats = await this.pc!.getStats();
    const byId = new Map<string, Record<string, unknown>>();
    stats.forEach((s: Record<string, unknown>) => byId.set(s.id as string, s));
    const end = (c?: Record<string, unknown>) =>
      [c?.candidateType, c?.address].filter((v) => typeof v === 'string' && v).join(' ');
    for (const s of byId.values()) {
      if (s.type !== 'transport' || typeof s.selectedCandidatePairId !== 'string') continue;
      const pair = byId.get(s.selectedCandidatePairId);
      const local = byId.get(pair?.localCandidateId as string);
      const remote = byId.get(pair?.remoteCandidateId as string);
      return `${String(local?.protocol)} ${end(local)} → ${end(remote)}`;
    }
    return 'unknown (no selected candidate pair)';
  }

  close(): void {
    this.socket.removeAllListeners();
    this.socket.disconnect();
    if (this.channel) this.channel.onmessage = null;
    this.channel?.close();
    this.pc?.close();
    this.listeners.clear();
  }
}

/**
 * Whether the raw contender also checks each message with the chat's own check
 * (`isWellFormed`, what Parley's transports are given as `accept`), as an app that takes
 * nothing from a peer unchecked would; see `checkRaw`.
 */
let rawChecks = false;

/**
 * The raw contender's frames: `[event, args]` as JSON, exactly what Parley's WebRTC transport
 * writes, read back with the same shape checks (JSON, two entries, a string and an array) and,
 * with `rawChecks`, the chat's check of the message.
 */
function rawLink(raw: RawRtc, room: string, me: TimedLink['me']): Link {
  return {
    room,
    me,
    send: (env) => raw.send(JSON.stringify([EVENT, [env]])),
    onMessage: (fn) =>
      raw.onFrame((frame) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(frame);
        } catch {
          return;
        }
        if (!Array.isArray(parsed) || parsed.length !== 2) return;
        const [ev, args] = parsed as [unknown, unknown];
        if (ev !== EVENT || !Array.isArray(args)) return;
        if (!rawChecks || isWellFormed(ev, args)) fn(args[0] as Envelope);
      }),
    direct: (ms) =>
      within(raw.opened, ms, 'raw data channel').then(() => {
        if (!raw.isOpen()) throw new Error('raw data channel is not open');
      }),
    close: () => raw.close(),
  };
}

const links = new Map<Contender, Link>();
let parleyT: WebRtcTransport<ChatEvents> | undefined;
let rawRtc: RawRtc | undefined;
/** Links opened by `host()`/`timedJoin()`, closed by `closeFresh()`. */
const fresh: { close(): void }[] = [];

function linkOf(kind: Contender): Link {
  const link = links.get(kind);
  if (!link) throw new Error(`no ${kind} link: call join() first`);
  return link;
}

/**
 * The rounds' orders for two links `a` and `b`: `a, b` then `b, a`, over and over. Each link's
 * trip then follows a trip of its own link as often as one of the other's, and comes first in
 * its round as often as second: whatever one trip leaves behind (the network thread still busy,
 * a delayed acknowledgement, a socket's buffers) lands on both alike.
 *
 * Two links per measurement, not all three at once: a WebRTC trip right after a Socket.IO trip
 * is ~0.25 ms slower (p50, measured on both WebRTC links alike). With the three links in the
 * six orders of before, Parley's link followed Socket.IO in half its trips and the raw one in a
 * third, which made Parley look ~0.1 ms slower than it is; an order that evens that out still
 * leaves half of each link's trips in that slow state, and its p50 falls between the two.
 */
export function pairOrders<K extends string>(a: K, b: K): K[][] {
  return [
    [a, b],
    [b, a],
  ];
}

async function openLink(kind: Contender, url: string, room: string, me: PeerProfile) {
  const signer = await pageSigner();
  // Envelopes name who we joined as: the identity's id and key.
  const as = speakingAs(me, signer);
  if (kind === 'raw') {
    const raw = new RawRtc(url, signer);
    try {
      const peers = await raw.join(room, me);
      return { link: rawLink(raw, room, as), peers: peers.length, raw };
    } catch (err) {
      raw.close();
      throw err;
    }
  }
  if (kind === 'parley') {
    const { t, opened } = parleyRtc(url, signer);
    await connectOrClose(t, room, me);
    return { link: parleyLink(t, room, as, opened), peers: t.peers.size, parley: t };
  }
  const t = new SocketIoTransport<ChatEvents>({
    url,
    joinTimeout: JOIN_TIMEOUT_MS,
    signer,
    accept: isWellFormed,
  });
  await connectOrClose(t, room, me);
  return { link: parleyLink(t, room, as), peers: t.peers.size };
}

const api: WebRtcPageApi = {
  async join(kind, url, room, me, echo) {
    if (links.has(kind)) throw new Error(`the ${kind} link is already open`);
    const opened = await openLink(kind, url, room, me);
    links.set(kind, opened.link);
    if (opened.parley) parleyT = opened.parley;
    if (opened.raw) rawRtc = opened.raw;
    const link = opened.link;
    // The echo side answers at once, synchronously in its receive handler, for every link alike.
    if (echo) link.onMessage((env) => link.send(env));
    return opened.peers;
  },
  waitDirect: (kind, timeoutMs) => linkOf(kind).direct(timeoutMs),
  sent: () => ({ ...(parleyT?.sent ?? { direct: 0, relayed: 0 }) }),
  rawPath: () => (rawRtc ? rawRtc.path() : Promise.resolve('no raw link')),
  measure: (plan, [a, b]) => measureRounds(links, pairOrders(a, b), plan),
  checkRaw(on) {
    rawChecks = on;
  },
  closeAll() {
    for (const link of links.values()) link.close();
    links.clear();
    parleyT = undefined;
    rawRtc = undefined;
  },
  async host(kind, url, room, me) {
    const signer = await pageSigner();
    if (kind === 'raw') {
      const raw = new RawRtc(url, signer);
      fresh.push(raw);
      await raw.join(room, me);
    } else {
      const { t } = parleyRtc(url, signer);
      fresh.push(t);
      await t.connect(room, me);
    }
  },
  async timedJoin(kind, url, room, me, timeoutMs) {
    // The identity exists before the clock starts (an account has it long before it joins);
    // signing the join is timed, for both contenders alike.
    const signer = await pageSigner();
    // The clock starts before the transport exists: making it is part of joining.
    const started = performance.now();
    if (kind === 'raw') {
      const raw = new RawRtc(url, signer);
      fresh.push(raw);
      const peers = await within(raw.join(room, me), timeoutMs, 'raw join');
      const joined = performance.now() - started;
      if (peers.length !== 1) throw new Error(`raw: expected 1 peer, got ${peers.length}`);
      const open = (await within(raw.opened, timeoutMs, 'raw data channel')) - started;
      return { joined, open, dialed: raw.dialed };
    }
    const { t, opened } = parleyRtc(url, signer);
    fresh.push(t); // closed by closeFresh() even when the join fails
    await within(t.connect(room, me), timeoutMs, 'parley join');
    const joined = performance.now() - started;
    const peer = onlyPeer(t.peers);
    const open = (await within(opened, timeoutMs, 'parley data channel')) - started;
    if (t.linkOf(peer) !== 'direct')
      throw new Error('parley: the link dropped right after opening');
    return { joined, open, dialed: t.selfId < peer };
  },
  closeFresh() {
    for (const link of fresh.splice(0)) link.close();
  },
  isolated: () => globalThis.crossOriginIsolated === true,
};

(globalThis as unknown as { bench: WebRtcPageApi }).bench = api;
