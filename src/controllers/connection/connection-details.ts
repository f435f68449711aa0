/**
 * Connection details' controller: while the panel is open it measures, every few seconds, the
 * round trip to each member (a `chat:ping` over whatever link reaches them, answered by their
 * `chat:pong`, see ping-answer.ts) and to the server, reads each direct link's candidate pair
 * and bytes, and gathers the refused counts into one {@link ConnectionReport}. It also runs
 * "Test STUN/TURN" and "Copy report". Loaded with the panel, in a chunk of its own.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Ping } from '../../protocol/chat-events.js';
import type { EventMeta, PeerId } from '../../transport/types.js';
import type { IntakeCounts } from '../room/intake.js';
import type { Reach, TransportController } from './transport-controller.js';
import type { CandidateKind, ConnectionReport, PairStats } from './connection-report.js';
import { reportText } from './connection-report.js';
import { testStunTurn, type StunVerdict } from './stun-test.js';

/** How often the round trips are measured while the panel is open, in ms. */
export const MEASURE_EVERY_MS = 5000;
/**
 * Members probed per round at most (those measured longest ago first): each probe through the
 * server spends a frame of our budget there, which our messages need more.
 */
export const PINGS_PER_ROUND = 5;
/** A probe unanswered this long counts as "no answer", in ms. */
export const PING_TIMEOUT_MS = 5000;

/** What the controller reads from the rest of the chat. */
export interface DetailsSources {
  link: TransportController;
  /** The room controller's refused counts. */
  refused: () => Readonly<IntakeCounts>;
  /** The STUN/TURN servers in force. */
  iceServers: () => RTCIceServer[];
}

/** The candidate pair in use and its bytes, from a data channel's WebRTC statistics. */
export function pairStats(report: RTCStatsReport): PairStats | undefined {
  type Stat = Record<string, unknown> & { type: string; id: string };
  const stats = new Map<string, Stat>();
  report.forEach((s: Stat) => stats.set(s.id, s));
  let pair: Stat | undefined;
  for (const s of stats.values()) {
    if (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string')
      pair = stats.get(s.selectedCandidatePairId);
  }
  // Some browsers mark the pair itself instead of naming it on the transport.
  pair ??= [...stats.values()].find(
    (s) => s.type === 'candidate-pair' && (s.selected === true || s.nominated === true),
  );
  if (!pair) return undefined;
  const kind = (id: unknown) => {
    const t = typeof id === 'string' ? stats.get(id)?.candidateType : undefined;
    return t === 'host' || t === 'srflx' || t === 'prflx' || t === 'relay'
      ? (t as CandidateKind)
      : undefined;
  };
  const count = (n: unknown) => (typeof n === 'number' && n >= 0 ? n : 0);
  return {
    local: kind(pair.localCandidateId),
    remote: kind(pair.remoteCandidateId),
    bytesSent: count(pair.bytesSent),
    bytesReceived: count(pair.bytesReceived),
  };
}

/**
 * One connection per person, as the roster shows them: our own other tabs left out, and of a
 * member's connections (tabs, or the one a transport switch is retiring) the one reached
 * directly, else the newest.
 */
export function peopleOf(reach: Reach | undefined): Reach['members'] {
  const byUser = new Map<string, Reach['members'][number]>();
  for (const m of reach?.members ?? []) {
    if (m.hello.userId === reach!.me.userId) continue;
    const known = byUser.get(m.hello.userId);
    const direct = m.link === 'direct';
    const better =
      known && direct === (known.link === 'direct') ? m.hello.since > known.hello.since : direct;
    if (!known || better) byUser.set(m.hello.userId, m);
  }
  return [...byUser.values()];
}

/** Measures and reports the connection while its panel is open; see the module comment. */
export class ConnectionDetails implements ReactiveController {
  /** The last STUN/TURN test's result, and whether one is running. */
  stun: StunVerdict | undefined;
  stunBusy = false;
  /** "Copy report": copied, or the text to copy by hand when the clipboard refused. */
  copied = false;
  copyText = '';
  private n = 0;
  private readonly sent = new Map<PeerId, { n: number; at: number }>();
  private readonly rtt = new Map<PeerId, { ms: number | undefined; noAnswer: boolean }>();
  private readonly pairs = new Map<PeerId, PairStats>();
  /** When each member was last probed (members never probed come first). */
  private readonly measured = new Map<PeerId, number>();
  private server: ConnectionReport['server'];
  private timer: ReturnType<typeof setInterval> | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly from: DetailsSources,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.stop();
  }

  /** The panel opened: measure now and every few seconds until `stop()`. */
  start(): void {
    if (this.timer !== undefined) return;
    this.copied = false;
    this.copyText = '';
    this.unsubscribe = this.from.link.subscribe('chat:pong', this.pong);
    this.timer = setInterval(() => void this.measure(), MEASURE_EVERY_MS);
    void this.measure();
  }

  /** The panel closed: no more probes. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.sent.clear();
  }

  /** Everything the panel shows, as of now. */
  get report(): ConnectionReport {
    const link = this.from.link;
    return {
      transport: link.kind,
      state: link.state,
      servers: link.servers,
      server: this.server,
      members: peopleOf(link.reach()).map(({ hello, link: how }) => ({
        id: hello.id,
        name: hello.name,
        link: how,
        rttMs: this.rtt.get(hello.id)?.ms,
        noAnswer: this.rtt.get(hello.id)?.noAnswer ?? false,
        pair: how === 'direct' ? this.pairs.get(hello.id) : undefined,
      })),
      refused: { ...this.from.refused() },
      unverified: link.current?.unverified ?? 0,
      dropped: link.current && { ...link.current.dropped },
      stun: this.stun,
    };
  }

  /** Probes every member and the server once, and reads the direct links' statistics. */
  async measure(): Promise<void> {
    const link = this.from.link;
    const now = performance.now();
    for (const [peer, probe] of this.sent) {
      if (now - probe.at < PING_TIMEOUT_MS) continue;
      this.sent.delete(peer);
      this.rtt.set(peer, { ms: this.rtt.get(peer)?.ms, noAnswer: true });
    }
    const people = peopleOf(link.reach());
    // One probe out per member at a time, a few per round: under the answerers' budgets.
    const due = people
      .filter(({ hello }) => !this.sent.has(hello.id))
      .sort((a, b) => (this.measured.get(a.hello.id) ?? 0) - (this.measured.get(b.hello.id) ?? 0))
      .slice(0, PINGS_PER_ROUND);
    for (const { hello } of due) {
      const n = this.n++ % 2 ** 31;
      if (link.emitTo(hello.id, 'chat:ping', { room: link.room ?? '', n })) {
        this.sent.set(hello.id, { n, at: performance.now() });
        this.measured.set(hello.id, performance.now());
      }
    }
    for (const { hello, link: how } of people) {
      if (how === 'direct') {
        const stats = await link.current?.linkStats?.(hello.id);
        const pair = stats && pairStats(stats);
        if (pair) this.pairs.set(hello.id, pair);
      }
    }
    this.server = await link.current?.serverInfo?.();
    this.host.requestUpdate();
  }

  /** A member answered one of our probes. */
  private readonly pong = (pong: Ping, meta: EventMeta): void => {
    const probe = this.sent.get(meta.from);
    if (!probe || probe.n !== pong.n) return; // not ours, or too late
    this.sent.delete(meta.from);
    this.rtt.set(meta.from, { ms: performance.now() - probe.at, noAnswer: false });
    this.host.requestUpdate();
  };

  /** "Test STUN/TURN" with the servers in force. */
  async testStun(): Promise<void> {
    if (this.stunBusy) return;
    this.stunBusy = true;
    this.host.requestUpdate();
    try {
      this.stun = await testStunTurn(this.from.iceServers());
    } finally {
      this.stunBusy = false;
      this.host.requestUpdate();
    }
  }

  /** "Copy report": to the clipboard, or shown for copying by hand if the browser refuses. */
  async copyReport(): Promise<void> {
    const text = reportText(this.report);
    try {
      await navigator.clipboard.writeText(text);
      this.copied = true;
      this.copyText = '';
    } catch {
      this.copied = false;
      this.copyText = text;
    }
    this.host.requestUpdate();
  }
}
