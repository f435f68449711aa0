/**
 * The WebRTC transport: app events travel over data channels directly between browsers (a
 * full mesh, one simple-peer connection per member). The Parley server only introduces peers:
 * room membership and offer/answer/ICE go over the same Socket.IO connection as the relay.
 * A member we have no open channel to yet (still connecting, or one who chose the relay, or
 * a room past its mesh cap) is reached through the relay, so a mixed room still works and a
 * switch between transports loses nothing.
 *
 * Offers and answers are signed by their sender's identity and checked against the key its
 * hello announced (see `signed-signal.ts`): a description that does not check out is never
 * applied, the member stays on the relay and the app is told. Which members may be linked at
 * all is the app's choice (`directTo`): a direct link shows each side the other's IP address.
 */
import Peer from '@thaunknown/simple-peer/lite.js';
import { BaseTransport } from './base.js';
import { ChannelWriter } from './channel-writer.js';
import { isChunkFrame } from './chunk-codec.js';
import { DirectIntake, DirectLane, type BinaryPeer } from './direct-bytes.js';
import type { ChunkHead } from '../protocol/file-events.js';
import { directBudget, PeerBuckets, senderBucket } from './direct-budget.js';
import { TransportError } from './errors.js';
import { RelayLink, type JoinAccepted, type RelayLinkOptions } from './relay-link.js';
import { SignalSeal } from './signed-signal.js';
import {
  canEmit,
  type EventsMap,
  type LinkKind,
  type PeerHello,
  type PeerId,
  type PeerProfile,
  type ServerInfo,
  type TransportOptions,
} from './types.js';

/** Options of the WebRTC transport. */
export interface WebRtcOptions extends TransportOptions, RelayLinkOptions {
  /** STUN/TURN servers; `[]` uses none (direct links on one network only). */
  iceServers?: RTCIceServer[];
  /** A link that delivers nothing (not even a heartbeat) for this long is dropped, in ms. */
  silenceMs?: number;
  /**
   * Whether we may link directly to this member (offer or accept a link): a direct link shows
   * each side the other's IP address, so the visitor chooses with whom. A member refused here
   * is reached through the relay. Without it, everyone who takes direct links may be linked.
   */
  directTo?: (hello: PeerHello) => boolean;
  /**
   * `false`: take no direct links at all ("Connect directly to: nobody"). We join without a seat
   * in the room's mesh (the server's mesh cap counts only members who take direct links), and
   * every member is reached through the relay.
   */
  directLinks?: boolean;
}

const HEARTBEAT = '\u0000hb';
/** Said on every open link when we leave on purpose, so peers need not wait for silence. */
const GOODBYE = '\u0000bye';
/** How long a closing link gets to deliver the goodbye before it is torn down, in ms. */
const GOODBYE_GRACE_MS = 250;
/** Room for the event name and brackets around a frame's arguments, in bytes. */
const FRAME_OVERHEAD = 1024;

/**
 * The data channel simple-peer keeps (`_channel`, binary messages as ArrayBuffers), once it
 * exists; simple-peer ships no types for it.
 */
function channelOf(peer: Peer): RTCDataChannel | undefined {
  const channel = (peer as { _channel?: unknown })._channel;
  return channel instanceof RTCDataChannel ? channel : undefined;
}

interface Link {
  peer: Peer;
  open: boolean;
  lastHeard: number;
  /** Our frames on this link, in order, under backpressure and the member's budget for us. */
  out: ChannelWriter;
  /** Our chunk frames on this link, after the JSON ones, under the byte budget. */
  bytes: DirectLane;
}

/** WebRTC mesh implementation of the transport contract. */
export class WebRtcTransport<
  Listen extends EventsMap,
  Emit extends EventsMap = Listen,
> extends BaseTransport<Listen, Emit> {
  /** The server connection: membership, signaling, and the relay for members without a link. */
  private readonly relay: RelayLink;
  private readonly links = new Map<PeerId, Link>();
  /**
   * Members the server still lists who said goodbye on their link: we do not dial them again
   * (they reach us through the relay until they rejoin or the server says they left).
   */
  private readonly farewells = new Set<PeerId>();
  /**
   * Members whose offer or answer failed its signature check: never linked again (nor warned
   * about again) until they join anew; the relay carries their messages.
   */
  private readonly distrusted = new Set<PeerId>();
  /** Signs our offers and answers, checks the members'. */
  private readonly seal: SignalSeal;
  private readonly directTo: (hello: PeerHello) => boolean;
  private room = '';
  private readonly iceServers: RTCIceServer[];
  private readonly silenceMs: number;
  /** Whether we take direct links now: not when the visitor said nobody, nor past the mesh cap. */
  private p2p: boolean;
  /** Whether the visitor lets us take direct links at all. */
  private readonly wantsLinks: boolean;
  /** `close()` is under way: links dropped now are not "lost". */
  private closing = false;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  /**
   * Each member's budget for frames over its data channel: the relay's rate (as announced when
   * we joined, else its defaults), with a larger burst; see `direct-budget.ts`.
   */
  private budget = directBudget();
  private readonly buckets = new PeerBuckets(this.budget);
  /** Each member's chunk frames to us, against the byte budget (see `direct-bytes.ts`). */
  private readonly intake = new DirectIntake(this.byteBudget);
  /** Frames sent over data channels and through the relay (for tests and the roster). */
  readonly sent = { direct: 0, relayed: 0 };

  constructor(options: WebRtcOptions = {}) {
    super('webrtc', 'relay', options);
    this.iceServers = options.iceServers ?? [];
    this.silenceMs = options.silenceMs ?? 15_000;
    this.seal = new SignalSeal(options.signer, () => ({ room: this.room, self: this.selfId }));
    this.directTo = options.directTo ?? (() => true);
    this.wantsLinks = options.directLinks !== false;
    this.p2p = this.wantsLinks;
    this.relay = new RelayLink(
      this.port,
      {
        announce: ({ userId, name, key }) => ({
          userId,
          name,
          ...(key ? { key } : {}),
          p2p: options.directLinks !== false,
        }),
        // An open data channel needs no server: it outlives the relay connection.
        reachableWithoutRelay: (peer) => this.links.get(peer)?.open === true,
        joined: (reply) => this.joinedRoom(reply),
        down: () => this.serverDown(),
        signal: (from, data) => this.signalFrom(from, data),
      },
      options,
    );
  }

  /** The server in use now. */
  get url(): string {
    return this.relay.url;
  }

  /** The largest file the server's rooms carry, as it announced at the last join. */
  get fileCap(): number | undefined {
    return this.relay.limits?.maxFile;
  }

  override linkOf(peer: PeerId): LinkKind {
    return this.links.get(peer)?.open ? 'direct' : this.linkKind;
  }

  /** Members whose offer or answer failed its signature check, so far. */
  unverified = 0;

  /** The open data channel's statistics with `peer` (candidate pair, bytes); see the contract. */
  async linkStats(peer: PeerId): Promise<RTCStatsReport | undefined> {
    const link = this.links.get(peer);
    // simple-peer keeps its RTCPeerConnection as `_pc`; it ships no types for it.
    const pc = (link?.peer as { _pc?: RTCPeerConnection } | undefined)?._pc;
    return link?.open && pc ? pc.getStats().catch(() => undefined) : undefined;
  }

  /** The server in use, its round trip now and its announced limits; see the contract. */
  async serverInfo(): Promise<ServerInfo> {
    const { url, limits } = this.relay;
    return { url, rttMs: await this.relay.ping(), limits };
  }

  connect(room: string, me: PeerProfile): Promise<void> {
    this.assertFresh();
    this.room = room;
    const joined = this.relay.connect(room, me);
    this.heartbeat ??= setInterval(() => this.beat(), Math.max(1000, this.silenceMs / 3));
    return joined;
  }

  /** Whether a direct link to `hello` may be accepted now (and offered, unless it said bye). */
  private mayLink(hello: PeerHello): boolean {
    const ok = this.p2p && hello.p2p === true && !this.distrusted.has(hello.id);
    return ok && this.directTo(hello);
  }

  /**
   * Offer, answer or ICE from a member, through the server, applied once it checks out: with
   * an identity of our own, an offer or answer must be signed by the member's key (see
   * `signed-signal.ts`); one that is not was changed or made on the way, so the member is
   * never linked and stays on the relay.
   */
  private signalFrom(from: PeerId, data: unknown): void {
    const hello = this.peers.get(from);
    if (!hello || !this.mayLink(hello)) return;
    // The check takes a moment: meanwhile we may close, the member leave or be refused.
    const current = () => {
      const now = this.peers.get(from);
      return !this.closing && this.state !== 'closed' && now && this.mayLink(now) ? now : undefined;
    };
    const apply = (checked: unknown) => {
      if (!current()) return;
      const link = this.links.get(from) ?? this.makeLink(from, false);
      try {
        link.peer.signal(checked);
      } catch {
        this.dropLink(from);
      }
    };
    this.seal.receive(hello, data, apply, () => {
      const now = current();
      if (now) this.distrust(now);
    });
  }

  /** `hello`'s offer or answer did not check out: no link to it, and the visitor is told why. */
  private distrust(hello: PeerHello): void {
    if (!this.distrusted.has(hello.id)) this.unverified++;
    this.distrusted.add(hello.id);
    this.dropLink(hello.id);
    this.fire(
      'error',
      new TransportError(
        'unverified',
        `could not verify ${hello.name}'s direct-connection offer`,
        'messages to them go through the server',
      ),
    );
  }

  private joinedRoom(reply: JoinAccepted): void {
    this.p2p = this.wantsLinks && !reply.meshFull;
    this.budget = directBudget(reply.limits);
    this.buckets.configure(this.budget);
    this.byteBudget = this.relay.byteBudget;
    this.intake.configure(this.byteBudget);
    if (reply.meshFull) {
      this.fire(
        'error',
        new TransportError(
          'mesh-full',
          `this room's peer-to-peer mesh is full (${reply.meshFull.cap} members)`,
          'you are connected through the relay instead',
        ),
      );
    }
    for (const hello of this.peers.values()) this.maybeDial(hello);
  }

  protected override addPeer(hello: PeerHello): void {
    // A new join of someone who said goodbye: they want links again.
    if (this.peers.get(hello.id)?.since !== hello.since) {
      this.farewells.delete(hello.id);
      this.distrusted.delete(hello.id);
    }
    super.addPeer(hello);
    if (this.state === 'open') this.maybeDial(hello);
  }

  protected override removePeer(id: PeerId): void {
    this.farewells.delete(id);
    this.distrusted.delete(id);
    this.buckets.forget(id);
    this.intake.forget(id);
    this.dropLink(id);
    super.removePeer(id);
  }

  /** The member with the smaller id dials, so two members never offer to each other at once. */
  private maybeDial(hello: PeerHello): void {
    const wanted = this.mayLink(hello) && !this.farewells.has(hello.id);
    if (wanted && !this.links.has(hello.id) && this.selfId < hello.id) {
      this.makeLink(hello.id, true);
    }
  }

  private makeLink(id: PeerId, initiator: boolean): Link {
    const peer = new Peer({
      initiator,
      trickle: true,
      objectMode: true,
      config: { iceServers: this.iceServers },
    });
    const out = new ChannelWriter(
      peer,
      senderBucket(this.budget),
      (frame) => frame === HEARTBEAT,
      () => this.dropLink(id),
      () => link.bytes.nudge(),
    );
    // simple-peer's send takes binary too (simple-peer.d.ts declares only the text we use).
    const binary = peer as unknown as BinaryPeer;
    const bytes = new DirectLane(binary, this.byteBudget, () => out.waiting > 0);
    const link: Link = { peer, open: false, lastHeard: Date.now(), out, bytes };
    this.links.set(id, link);
    const mine = () => this.links.get(id) === link;
    const signal = this.seal.sender(
      id,
      (data) => mine() && this.relay.signal(id, data),
      () => mine() && this.dropLink(id), // a key that cannot sign cannot set up a link
    );
    peer.on('signal', signal);
    peer.on('connect', () => {
      link.open = true;
      this.listenDirectly(id, link);
      link.bytes.opened();
      link.lastHeard = Date.now();
      this.fire('peer-update', id);
    });
    // Until the link is open (and our listener is on the channel), frames come this way.
    peer.on('data', (data: string | Uint8Array) => this.dataFrom(id, link, data));
    peer.on('close', () => this.dropLink(id));
    peer.on('error', () => this.dropLink(id));
    return link;
  }

  /**
   * Takes the open link's messages straight from its data channel: simple-peer would pass each
   * through its stream first (a queue and a microtask per message, on the path every message
   * takes to the screen). Frames that came before, already in that stream, are delivered
   * before any later message event, so the order holds.
   */
  private listenDirectly(id: PeerId, link: Link): void {
    const channel = channelOf(link.peer);
    if (!channel) return; // not simple-peer's shape: its stream carries on
    channel.onmessage = (event: MessageEvent<string | ArrayBuffer>) => {
      if (this.links.get(id) !== link) return; // dropped: its last messages mean nothing now
      const data = event.data;
      this.dataFrom(id, link, typeof data === 'string' ? data : new Uint8Array(data));
    };
  }

  /** One message from `id`'s data channel: a chunk frame, or a JSON frame for the door. */
  private dataFrom(id: PeerId, link: Link, data: string | Uint8Array): void {
    link.lastHeard = Date.now();
    if (typeof data === 'string') return this.receiveFrame(id, data);
    // Chunk frames have their own budget and door; they never cost a JSON frame's token.
    if (isChunkFrame(data)) return this.chunkFrom(id, data);
    // Bytes far over the cap are not even decoded.
    if (data.byteLength > this.maxPayload + FRAME_OVERHEAD) {
      this.dropped.oversize++;
      return;
    }
    this.receiveFrame(id, new TextDecoder().decode(data));
  }

  /** A chunk frame from `from`: within its byte budget and well-formed, to the door. */
  private chunkFrom(from: PeerId, data: Uint8Array): void {
    const inbound = this.intake.take(from, data);
    if ('dropped' in inbound) this.dropped.chunks = (this.dropped.chunks ?? 0) + 1;
    else this.receiveBytes(inbound.head, inbound.bytes, from);
  }

  /**
   * Sends a chunk frame over the open data channel to `peer`, or through the relay to a member
   * without one; see the contract.
   */
  sendBytes(peer: PeerId, head: ChunkHead, bytes: Uint8Array): Promise<boolean> {
    if (!canEmit(this.state) || !this.peers.has(peer)) return Promise.resolve(false);
    const link = this.links.get(peer);
    if (link?.open) return link.bytes.send(head, bytes);
    return this.relay.bytes(peer, head, bytes);
  }

  private receiveFrame(from: PeerId, frame: string): void {
    if (frame === HEARTBEAT) return;
    if (frame === GOODBYE) return this.goodbye(from);
    // A frame far over the cap is not even parsed (its UTF-8 is at least as long as it is).
    if (frame.length > this.maxPayload + FRAME_OVERHEAD) {
      this.dropped.oversize++;
      return;
    }
    // Nor is one over the member's budget: a flood costs a comparison per frame.
    if (!this.buckets.take(from)) {
      this.dropped.rateLimited++;
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(frame);
    } catch {
      return; // a peer speaking nonsense is ignored, never trusted
    }
    if (!Array.isArray(parsed) || parsed.length !== 2) return;
    this.receive(parsed[0], parsed[1], from);
  }

  private dropLink(id: PeerId): void {
    const link = this.links.get(id);
    if (!link) return;
    this.links.delete(id);
    link.out.stop();
    link.bytes.stop();
    link.peer.removeAllListeners();
    link.peer.destroy();
    if (link.open) this.fire('peer-update', id);
    if (this.relay.isUnlisted(id) && !this.closing) return this.relay.unreachable(id);
    // Still in the room? Try again shortly; meanwhile the relay carries its messages.
    if (this.peers.has(id) && this.state === 'open') {
      setTimeout(() => {
        const hello = this.peers.get(id);
        if (hello && this.state === 'open') this.maybeDial(hello);
      }, 2000);
    }
  }

  /**
   * A member said goodbye on its link. Only the server decides who is in the room: a member it
   * still lists keeps its place (and hears us through the relay, so it cannot listen unseen),
   * just without a link; one it does not list (or any, while our server is away) is gone.
   */
  private goodbye(from: PeerId): void {
    // While our server is away every member left is unlisted.
    if (this.relay.isUnlisted(from)) return this.relay.unreachable(from);
    this.farewells.add(from);
    this.dropLink(from);
  }

  /** Keeps links alive and drops the ones that went silent (a crashed or frozen peer). */
  private beat(): void {
    const now = Date.now();
    for (const [id, link] of this.links) {
      if (!link.open) continue;
      if (now - link.lastHeard > this.silenceMs) this.dropLink(id);
      else link.out.write(HEARTBEAT);
    }
  }

  /** Links still being set up need the server to finish; open ones carry on without it. */
  private serverDown(): void {
    for (const [id, link] of [...this.links]) if (!link.open) this.dropLink(id);
  }

  close(): void {
    this.closing = true;
    clearInterval(this.heartbeat);
    for (const [id, link] of [...this.links]) {
      if (!link.open) continue;
      // Closing the connection at once could drop the goodbye: it gets a moment first.
      this.links.delete(id);
      link.out.stop();
      link.bytes.stop();
      link.peer.removeAllListeners();
      link.peer.on('error', () => {});
      try {
        link.peer.send(GOODBYE);
      } catch {
        // already closing: the peer will notice the silence instead
      }
      setTimeout(() => link.peer.destroy(), GOODBYE_GRACE_MS);
    }
    for (const id of [...this.links.keys()]) this.dropLink(id);
    this.relay.close();
    this.finishClose('closed by the app');
  }

  protected send(to: PeerId | undefined, ev: string, args: unknown[], json: string): void {
    const frame = `[${JSON.stringify(ev)},${json}]`;
    if (to !== undefined) {
      const link = this.links.get(to);
      if (link?.open) {
        link.out.write(frame);
        this.sent.direct++;
      } else {
        this.relay.relay(to, ev, args, json);
        this.sent.relayed++;
      }
      return;
    }
    // Plain loops: this runs for every message, on the way to the other screen.
    let directIds: PeerId[] | undefined;
    for (const id of this.peers.keys()) {
      const link = this.links.get(id);
      if (!link?.open) continue;
      link.out.write(frame);
      this.sent.direct++;
      (directIds ??= []).push(id);
    }
    const reached = directIds?.length ?? 0;
    if (reached < this.peers.size && this.state === 'open') {
      this.relay.relay(undefined, ev, args, json, directIds ?? []);
      this.sent.relayed++;
    }
  }
}
