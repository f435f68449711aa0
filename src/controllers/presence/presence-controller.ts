/**
 * `controllers/presence/` — who is here: this controller, the roster made from the transport,
 * and the contacts (safety codes, verification, namesakes).
 *
 * Presence controller: who is here and who is typing. The roster follows what the live
 * transport reaches (its own hello/heartbeat/goodbye; see roster.ts). Our own typing is
 * announced at most every few seconds while it lasts, and once when it stops; others' notices
 * expire by themselves, so a member who vanishes mid-sentence never stays "typing".
 *
 * Every line of the roster stands for one identity (its id is the hash of its key), with what
 * this account knows of it (safety code, verification, namesakes met before: see
 * contacts-controller.ts). "Is that me" always compares identity ids, never names.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import * as v from 'valibot';
import { TypingSchema } from '../../protocol/chat-events.js';
import { isFresh, signTyping, verifyTyping } from '../../protocol/signed-notices.js';
import { HereBeat, HereLedger, signsHellos, type HereTimes } from './here.js';
import { PerPeerBudget } from '../room/per-peer-budget.js';
import type { ContactsController } from './contacts-controller.js';
import type { Comings } from './comings.js';
import { rosterOf, type RosterMember, type Unconfirmed } from './roster.js';
import type { PeerHello, PeerId } from '../../transport/types.js';
import type { SessionController } from '../session/session-controller.js';
import type { TransportController } from '../connection/transport-controller.js';

/** Least time between two "typing" notices we send, in ms. */
export const TYPING_THROTTLE_MS = 3_000;
/** How long a "typing" notice holds without a refresh, in ms. */
export const TYPING_EXPIRY_MS = 6_000;
/** How long a connection may stay silent (no signed hello) before it is listed anyway, in ms. */
export const SILENT_MS = 3_000;

/** Configuration of the presence controller. */
export interface PresenceConfig {
  session: SessionController;
  transport: TransportController;
  /** The room being shown. */
  room: () => string;
  /**
   * When to load the contacts' chunk (default: at once). A chat passes its load order, so the
   * chunk waits until the first view is up.
   */
  later?: <T>(load: () => Promise<T>) => Promise<T>;
  /** How often we say we are here and how long others' word holds (tests shorten it). */
  here?: HereTimes;
}

/** Owns who is in the room and who is typing. */
export class PresenceController implements ReactiveController {
  /** Who is in the room, ourselves first, one line per identity (empty outside a room). */
  roster: RosterMember[] = [];
  /**
   * Contacts of the logged-in account: `setVerified(userId, verified)` for the roster's
   * "Mark as verified", `ownCode` for Settings. Loaded in a chunk of its own once the first
   * view is up (see `PresenceConfig.later`); undefined until then, when the roster's lines are
   * drawn without what is known of each identity (and nobody counts as verified), then again
   * with it.
   */
  contacts: ContactsController | undefined;
  /** Who joined and left the room on screen (see comings.ts); loaded with the contacts. */
  comings: Comings | undefined;
  /** Resolves with {@link contacts} once loaded. */
  readonly contactsReady: Promise<ContactsController>;
  private readonly others = new Map<string, { name: string; until: number }>();
  /** The time of the newest typing notice taken from each identity: an older copy is stale. */
  private readonly typedAt = new Map<string, number>();
  /** When each connection was first listed (for {@link unconfirmedWhy}), bounded. */
  private readonly listedAt = new Map<PeerId, number>();
  private silentLook: ReturnType<typeof setTimeout> | undefined;
  /** Signature checks of typing notices per connection (an honest one sends one every 3 s). */
  private readonly typingChecks = new PerPeerBudget(6, 2);
  /** Others' signed word that they are here, and ours (see here.ts). */
  private readonly ledger: HereLedger;
  private readonly beat: HereBeat;
  private lastSent = 0;
  private announced = false;
  private sweep: ReturnType<typeof setTimeout> | undefined;
  private readonly offs: Array<() => void> = [];

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly config: PresenceConfig,
  ) {
    host.addController(this);
    const t = config.transport;
    this.ledger = new HereLedger(() => this.refreshRoster(), config.here);
    this.beat = new HereBeat(
      {
        room: config.room,
        selfId: () => (t.room === undefined ? undefined : t.selfId || undefined),
        name: () => config.session.profile?.name ?? '',
        signer: () => t.signer,
        emit: (here) => t.emit('chat:here', here),
        emitTo: (peer, here) => t.emitTo(peer, 'chat:here', here),
      },
      config.here,
    );
    const later = config.later ?? ((load) => load());
    this.contactsReady = later(() => import('./contacts-controller.js')).then(
      ({ ContactsController, Comings }) => {
        this.comings = new Comings();
        const contacts = new ContactsController(host, {
          session: config.session,
          changed: () => this.retrust(),
        });
        this.contacts = contacts;
        this.retrust();
        host.requestUpdate();
        return contacts;
      },
    );
  }

  /**
   * Names of the members typing now, sorted. A name someone else in the room also shows (us
   * included) comes with its short fingerprint, so namesakes are told apart here too (the
   * contacts know fingerprints; see `ContactsController.typingName`).
   */
  get typing(): string[] {
    const named = (userId: string, name: string) =>
      this.contacts?.typingName(userId, name, this.roster) ?? name;
    // Only who is here now: a member whose hello ran out is not typing either.
    const here = new Set(this.roster.map((m) => m.userId));
    return [...this.others]
      .filter(([id]) => here.has(id))
      .map(([id, o]) => named(id, o.name))
      .sort((a, b) => a.localeCompare(b));
  }

  /**
   * Whether identity `userId` said, signed, that it is here — now or in the last two minutes:
   * only such a member's receipt counts (a receipt signed by anyone else says nothing).
   */
  wasHere(userId: string): boolean {
    return this.ledger.wasHere(userId);
  }

  /** Our identity's id: what our hello, typing notices and receipts carry. */
  private get ownId(): string | undefined {
    const profile = this.config.session.profile;
    // An account's identity is made at its login; the account id only stands in before that.
    return profile && (profile.identity?.id ?? profile.id);
  }

  hostConnected(): void {
    const t = this.config.transport;
    this.offs.push(
      t.subscribe('chat:typing', (payload, meta) => void this.heard(payload, meta.from)),
      t.subscribe(
        'chat:here',
        (payload, meta) =>
          void this.ledger.take(payload, meta.from, this.config.room(), t.helloOf(meta.from)),
      ),
      t.onOpen(() => this.beat.start()),
      t.onPeerJoin((peer) => this.beat.greet(peer)),
      t.onReach(() => this.refreshRoster()),
    );
  }

  /** Nobody can be heard typing without a link: a notice from before it dropped is stale. */
  hostUpdate(): void {
    if (this.others.size > 0 && !this.config.transport.live) {
      this.others.clear();
      clearTimeout(this.sweep);
    }
    // Out of the room: nobody's word holds, and ours is not given.
    if (!this.config.transport.reach()) {
      this.beat.stop();
      this.ledger.clear();
    }
  }

  hostDisconnected(): void {
    this.offs.splice(0).forEach((off) => off());
    clearTimeout(this.sweep);
    clearTimeout(this.silentLook);
    this.others.clear();
    this.beat.stop();
    this.ledger.clear();
  }

  /** Our composer changed: announce typing (throttled) or its end, signed (1.4). */
  setTyping(typing: boolean): void {
    const profile = this.config.session.profile;
    const t = this.config.transport;
    const signer = t.signer;
    if (!profile || !signer || !t.live) return;
    const now = Date.now();
    if (typing && this.announced && now - this.lastSent < TYPING_THROTTLE_MS) return;
    if (!typing && !this.announced) return;
    // Taken as said now (signing takes a moment): the next keystroke must not sign another.
    this.announced = typing;
    this.lastSent = now;
    const room = this.config.room();
    void signTyping(signer, { room, name: profile.name, typing, at: now }).then((notice) => {
      if (this.config.room() !== room) return;
      if (!t.emit('chat:typing', notice) && typing) this.announced = false;
    });
  }

  private refreshRoster(): void {
    const reach = this.config.transport.reach();
    // One look per connection, not a scan of the room for each (a room may hold 500).
    const peers = new Set(reach?.members.map((m) => m.hello.id));
    if (reach) this.ledger.keepOnly((peer) => peers.has(peer));
    const lines = reach
      ? rosterOf(
          reach,
          (peer) => this.ledger.proof(peer),
          (hello) => this.unconfirmedWhy(hello),
        )
      : [];
    // We join with our key in the signer, not the profile: our own line takes it from the account.
    const identity = this.config.session.profile?.identity;
    const self = lines[0];
    if (self && !self.key && identity && identity.id === self.userId) self.key = identity.publicKey;
    this.roster = this.contacts ? this.contacts.withTrust(lines) : lines;
    const t = this.config.transport;
    const listed = new Set(reach?.members.map((m) => m.hello.userId));
    this.comings?.look(this.config.room(), lines, t.state === 'open' && !t.switching, listed);
    this.host.requestUpdate();
  }

  /**
   * Why connection `hello` is listed without its own word, if it is to be listed so: an older
   * app cannot sign; a 1.4 one that said nothing for {@link SILENT_MS} is shown anyway (a
   * listener nobody sees would hear everything), until then it is left out while its hello is
   * on its way (and the roster looks again when that time is up).
   */
  private unconfirmedWhy(hello: PeerHello): Unconfirmed | undefined {
    if (!signsHellos(hello)) return 'older';
    const now = Date.now();
    let first = this.listedAt.get(hello.id);
    if (first === undefined) {
      this.listedAt.set(hello.id, (first = now));
      if (this.listedAt.size > 4096) this.listedAt.delete(this.listedAt.keys().next().value!);
    }
    if (now - first >= SILENT_MS) return 'silent';
    clearTimeout(this.silentLook);
    this.silentLook = setTimeout(() => this.refreshRoster(), first + SILENT_MS - now);
    return undefined;
  }

  /** Something about an identity became known: the same lines, drawn with it. */
  private retrust(): void {
    if (this.roster.length > 0) this.refreshRoster();
  }

  /**
   * A typing notice from connection `from` (1.4: signed): believed only when that connection's
   * own signed hello says it is here as the notice's identity, the notice is signed with that
   * hello's key, near our time and newer than the last one from it; shown under the name the
   * hello signed, never one the notice claims. A notice from an older app (unsigned) is not
   * shown: nothing but the server would vouch for it.
   */
  private async heard(payload: unknown, from: PeerId): Promise<void> {
    const parsed = v.safeParse(TypingSchema, payload);
    if (!parsed.success || parsed.output.room !== this.config.room()) return;
    const notice = parsed.output;
    const { userId, typing, at } = notice;
    const here = this.ledger.proof(from);
    if (!here || here.userId !== userId || userId === this.ownId || at === undefined) return;
    if (!isFresh(at) || at <= (this.typedAt.get(userId) ?? -1)) return;
    if (!this.typingChecks.take(from) || !(await verifyTyping(notice, here.key))) return;
    if (at <= (this.typedAt.get(userId) ?? -1)) return; // a newer one was taken meanwhile
    this.typedAt.set(userId, at);
    if (this.typedAt.size > 1024) this.typedAt.delete(this.typedAt.keys().next().value!);
    if (typing) this.others.set(userId, { name: here.name, until: Date.now() + TYPING_EXPIRY_MS });
    else this.others.delete(userId);
    this.expire();
    this.host.requestUpdate();
  }

  /** Drops notices that ran out, and wakes up for the next one. */
  private expire(): void {
    clearTimeout(this.sweep);
    const now = Date.now();
    for (const [id, o] of this.others) if (o.until <= now) this.others.delete(id);
    const next = Math.min(...[...this.others.values()].map((o) => o.until));
    if (Number.isFinite(next)) {
      this.sweep = setTimeout(() => {
        this.expire();
        this.host.requestUpdate();
      }, next - now);
    }
  }
}
