/**
 * Who is here, on their own word (protocol 1.4): every member signs a hello (`chat:here`) for
 * its connection when a link opens, again every half minute, and for each member who joins;
 * everyone else counts it as here only while such a hello is fresh. The relay's own hellos
 * still route frames (who the server says is connected), and its goodbyes remove a member at
 * once — but the relay can no longer keep someone "here" who left: it holds nobody's key, and
 * a copy of an old hello is seen as old (its time is not newer than the last one heard).
 *
 * {@link HereBeat} sends ours; {@link HereLedger} checks and keeps the others'. The browser's
 * presence controller, its background room watch and the Node client use both.
 */
import * as v from 'valibot';
import { HereSchema, type Here } from '../../protocol/chat-events.js';
import type { Signer } from '../../protocol/identity.js';
import { NOTICE_SKEW_MS, signHere, verifyHere } from '../../protocol/signed-notices.js';
import { parseVersion } from '../../protocol/version.js';
import type { PeerHello, PeerId, Transport } from '../../transport/types.js';
import type { ChatEvents } from '../../protocol/chat-events.js';
import { PerPeerBudget } from '../room/per-peer-budget.js';

/** How often a member says it is here, and how long one hello holds, in ms. */
export interface HereTimes {
  every: number;
  ttl: number;
}

/**
 * Every 30 s; a hello holds 75 s, so one lost heartbeat does not drop anyone and a member whose
 * browser vanished without a goodbye is gone within 75 s of its last word — and one whose hellos
 * a relay held back and let through late, within 75 s plus the 30 s skew a hello's time may have
 * (see {@link HereLedger.take}).
 */
export const HERE_TIMES: HereTimes = { every: 30_000, ttl: 75_000 };

/** How long an identity counts as "was here" after its last hello ran out (late receipts). */
const WAS_HERE_MS = 120_000;
/** Least time between two names one connection's hellos may show (a rename storm redraws). */
const RENAME_MS = 30_000;

/** Hellos to newcomers at once (then one a second): a join storm cannot spend our rate. */
const GREET_BURST = 4;
const GREET_PER_S = 1;

/** What a {@link HereBeat} sends through. */
export interface BeatLink {
  room: () => string;
  /** Our connection's peer id now (undefined outside a room). */
  selfId: () => PeerId | undefined;
  name: () => string;
  signer: () => Signer | undefined;
  /** To the whole room; false when nothing carries it now. */
  emit: (here: Here) => boolean;
  /** To one member. */
  emitTo: (peer: PeerId, here: Here) => boolean;
}

/** Sends our signed hello: at each {@link start}, every `times.every`, and to newcomers. */
export class HereBeat {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private tokens = GREET_BURST;
  private refilled = Date.now();

  constructor(
    private readonly link: BeatLink,
    private readonly times: HereTimes = HERE_TIMES,
  ) {}

  /** A link opened (or the room changed): say so now, then keep saying it. */
  start(): void {
    this.stop();
    void this.send(undefined);
    const next = () => {
      // ±10%: members who joined together do not all speak in the same instant.
      const delay = this.times.every * (0.9 + Math.random() * 0.2);
      this.timer = setTimeout(() => {
        void this.send(undefined);
        next();
      }, delay);
    };
    next();
  }

  /** Stops the heartbeat (the room was left, the link closed). */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Member `peer` joined: it hears from us at once (within a budget), not at our next beat. */
  greet(peer: PeerId): void {
    if (this.timer === undefined) return;
    const now = Date.now();
    this.tokens = Math.min(GREET_BURST, this.tokens + ((now - this.refilled) / 1000) * GREET_PER_S);
    this.refilled = now;
    if (this.tokens < 1) return; // it hears our next beat
    this.tokens -= 1;
    void this.send(peer);
  }

  private async send(to: PeerId | undefined): Promise<void> {
    const { link } = this;
    const signer = link.signer();
    const peer = link.selfId();
    if (!signer || !peer) return;
    const room = link.room();
    const here = await signHere(signer, { room, peer, name: link.name(), at: Date.now() });
    // Signing took a moment: the link may have moved on meanwhile.
    if (link.room() !== room || link.selfId() !== peer) return;
    try {
      if (to === undefined) link.emit(here);
      else link.emitTo(to, here);
    } catch {
      // The member left or the link dropped: our next beat says it again.
    }
  }
}

/**
 * A {@link HereBeat} for transport `t` in `room` as `name`, signed by `signer`: it starts each
 * time the link opens (at once if it is open), greets each member who joins and stops when the
 * link closes. What a background room, a bot or a test member uses (the presence controller
 * goes through the transport controller instead).
 */
export function beatOn(
  t: Transport<ChatEvents>,
  room: string,
  name: string,
  signer: Signer,
  times?: HereTimes,
): HereBeat {
  const beat = new HereBeat(
    {
      room: () => room,
      selfId: () => (t.state === 'closed' ? undefined : t.selfId),
      name: () => name,
      signer: () => signer,
      emit: (here) => (t.emit('chat:here', here), true),
      emitTo: (peer, here) => (t.emitTo(peer, 'chat:here', here), true),
    },
    times,
  );
  t.on('open', () => beat.start());
  t.on('peer-join', (hello) => beat.greet(hello.id));
  t.on('close', () => beat.stop());
  if (t.state === 'open') beat.start();
  return beat;
}

/** One member's word that it is here. */
export interface HereProof {
  userId: string;
  name: string;
  key: string;
  /** Its time (the member's clock). */
  at: number;
  /** Until when it holds (our clock). */
  until: number;
  /** When its name last changed (our clock). */
  renamed: number;
}

/**
 * Whether a member introduced by `hello` speaks a version that signs its hellos (1.4 on):
 * one that does not is shown as the server lists it, marked as not confirmed.
 */
export function signsHellos(hello: Pick<PeerHello, 'v'>): boolean {
  const v = parseVersion(hello.v);
  return v !== undefined && (v.major > 1 || (v.major === 1 && v.minor >= 4));
}

/** The others' hellos, checked, each held until it runs out. */
export class HereLedger {
  private readonly proofs = new Map<PeerId, HereProof>();
  /** The time of the newest hello taken from each connection: a copy of an older one is old. */
  private readonly newest = new Map<PeerId, number>();
  /** Until when each identity counts as having been here (see {@link wasHere}), bounded. */
  private readonly seen = new Map<string, number>();
  private readonly checking = new Set<PeerId>();
  /**
   * Signature checks per connection: an honest one sends a hello every `times.every` and one to
   * each newcomer (4 at once, then one a second — or two per beat, when beats are faster).
   */
  private readonly checks: PerPeerBudget;
  private sweep: ReturnType<typeof setTimeout> | undefined;

  /** `changed` is called when someone comes, goes or is renamed by their own hello. */
  constructor(
    private readonly changed: () => void,
    private readonly times: HereTimes = HERE_TIMES,
  ) {
    this.checks = new PerPeerBudget(4, Math.max(1, 2000 / times.every));
  }

  /**
   * Takes a hello from connection `from` of `room`. Believed only when it speaks for `from`
   * (the relay's stamp), the relay lists `from` as that identity (`hello`), its time is within
   * 30 s of ours and newer than the last one from `from`, and its signature checks out. One check per
   * connection at a time, a few a second at most; what arrives meanwhile is dropped (a
   * heartbeat repeats anyway).
   * Resolves with whether it was taken.
   */
  async take(payload: unknown, from: PeerId, room: string, hello: PeerHello | undefined) {
    const parsed = v.safeParse(HereSchema, payload);
    if (!parsed.success) return false;
    const here = parsed.output;
    if (here.room !== room || here.peer !== from || hello?.userId !== here.userId) return false;
    const now = Date.now();
    if (Math.abs(now - here.at) > NOTICE_SKEW_MS) return false;
    if (here.at <= (this.newest.get(from) ?? -1)) return false;
    if (this.checking.has(from) || !this.checks.take(from)) return false;
    this.checking.add(from);
    try {
      if (!(await verifyHere(here))) return false;
    } finally {
      this.checking.delete(from);
    }
    // Checked while another of its hellos may have been taken: only a newer one counts.
    if (here.at <= (this.newest.get(from) ?? -1)) return false;
    this.newest.set(from, here.at);
    if (this.newest.size > 4096) this.newest.delete(this.newest.keys().next().value!);
    const before = this.proofs.get(from);
    const { userId, key, at } = here;
    const taken = Date.now();
    // A new name at most every 30 s: each one redraws the roster and is written to contacts.
    const renaming = before !== undefined && before.name !== here.name;
    const name = renaming && taken - before.renamed < RENAME_MS ? before.name : here.name;
    const renamed = before && name === before.name ? before.renamed : taken;
    // It holds its time to live from when it came — and never past that measured from when it
    // was made (plus the skew): a hello a relay held back and let through late holds less.
    const until = Math.min(taken + this.times.ttl, at + NOTICE_SKEW_MS + this.times.ttl);
    this.proofs.set(from, { userId, name, key, at, until, renamed });
    this.seen.delete(userId);
    this.seen.set(userId, until + WAS_HERE_MS);
    if (this.seen.size > 4096) this.seen.delete(this.seen.keys().next().value!);
    this.arm();
    if (!before || before.name !== name) this.changed();
    return true;
  }

  /**
   * Whether identity `userId` said it was here lately: its hello holds, or ran out less than two
   * minutes ago (a receipt may come just after its sender left).
   */
  wasHere(userId: string): boolean {
    return (this.seen.get(userId) ?? 0) > Date.now();
  }

  /** Connection `peer`'s word that it is here, while it holds. */
  proof(peer: PeerId): HereProof | undefined {
    const p = this.proofs.get(peer);
    return p && p.until > Date.now() ? p : undefined;
  }

  /** Forgets connections the link no longer lists (they left: the relay may say that). */
  keepOnly(listed: (peer: PeerId) => boolean): void {
    for (const peer of this.proofs.keys()) if (!listed(peer)) this.proofs.delete(peer);
  }

  /** Forgets everyone (the room was left or changed). */
  clear(): void {
    clearTimeout(this.sweep);
    this.sweep = undefined;
    this.proofs.clear();
    // `newest` stays: a copy of an hello heard before is still old when we come back.
  }

  /** Wakes up when the next hello runs out, to drop it. */
  private arm(): void {
    clearTimeout(this.sweep);
    const next = Math.min(...[...this.proofs.values()].map((p) => p.until));
    if (!Number.isFinite(next)) return;
    this.sweep = setTimeout(
      () => {
        const now = Date.now();
        let gone = false;
        for (const [peer, p] of this.proofs) {
          if (p.until <= now) {
            this.proofs.delete(peer);
            gone = true;
          }
        }
        this.arm();
        if (gone) this.changed();
      },
      Math.max(0, next - Date.now()),
    );
  }
}
