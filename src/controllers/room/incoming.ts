/**
 * The one door every incoming message passes, for the room controller: checked by the intake
 * (shape, room, time, the author's signature — and, live, that the author is the identity the
 * sending connection proved), de-duplicated by id, opened, shown, stored, and acknowledged to
 * the connection that brought it. Sealed messages no key opens are stored and held aside (by
 * id and header, within byte budgets: past them they are neither stored nor acknowledged).
 *
 * A message shows as soon as it is verified and opened; storing it follows in the room's
 * queue (a live one in the next task, once its row is rendered), and its receipt waits for
 * the commit ("delivered" means stored). A catch-up page shown
 * lets its frame be painted before the pages checked meanwhile are shown, together (see
 * `paint-gate.ts`): the newest page, which comes first, is on screen without waiting for the rest.
 */
import type { Envelope } from '../../protocol/chat-events.js';
import { addMessages } from '../../store/history.js';
import type { PeerId } from '../../transport/types.js';
import type { Delivery } from './delivery.js';
import { Intake, type AuthorBudget, type IntakeCounts } from './intake.js';
import type { MessageReport } from './message-report.js';
import { markedReport } from './message-marks.js';
import type { ActiveRoom, RoomServices } from './room-context.js';
import type { RoomSealing } from './room-sealing.js';
import { nextTask, PaintGate } from './paint-gate.js';
import { phase, type PhaseName } from './phase-marks.js';

/**
 * How a message we take in is stored: our own words can come back (another tab of ours, or a
 * peer's copy after a catch-up) and are delivered; everyone else's are received.
 */
export function statusOf(env: Envelope, self: { id: string }) {
  return env.from.id === self.id ? ('delivered' as const) : ('received' as const);
}

/** What the incoming side needs of the room controller. */
export interface IncomingServices extends RoomServices {
  sealing: RoomSealing;
  delivery: Delivery;
  /** Stops taking catch-up answers from a member whose answer held a forgery. */
  distrust: (peer: PeerId) => void;
  /** Whether `active` is still the room being shown. */
  current: (active: ActiveRoom) => boolean;
  /** Told of every new message shown. */
  arrived?: (reports: MessageReport[]) => void;
  /** Told of the new messages just stored. */
  stored?: (active: ActiveRoom, added: Envelope[]) => void;
  /** Resolves once what was just shown has been painted (default: the next frame). */
  painted?: () => Promise<void>;
}

/** Takes in what other members send. */
export class Incoming {
  private readonly intake: Intake;
  /** New messages between passing the intake and being shown (so a copy meanwhile is known). */
  private readonly inflight = new Map<string, Envelope>();
  /** Catch-up pages wait for the last one shown to be painted (see `paint-gate.ts`). */
  private readonly gate: PaintGate;

  constructor(
    private readonly s: IncomingServices,
    budget?: AuthorBudget,
  ) {
    this.intake = new Intake(budget);
    this.gate = new PaintGate(s.painted);
  }

  /** What was refused so far, by reason (diagnostics). */
  get counts(): Readonly<IntakeCounts> {
    return this.intake.counts;
  }

  /** Counts a refused payload of another kind (a malformed receipt or request). */
  refused(): void {
    this.intake.refused();
  }

  /** Counts a receipt whose signature did not check out. */
  forgedNotice(): void {
    this.intake.forgedNotice();
  }

  /**
   * Takes `payloads` from connection `from` into `active`'s room; `live` when they came as
   * `chat:message` (a member sends only its own words live), not in a catch-up answer.
   */
  async receive(
    active: ActiveRoom,
    payloads: readonly unknown[],
    from: PeerId,
    live: boolean,
  ): Promise<void> {
    const { s } = this;
    // When a live message came (a catch-up page's are old by nature): kept with it, so one
    // dated well before its arrival says so and counts as new by it (see `late.ts`).
    const arrival = live ? { arrived: Date.now() } : {};
    // The app-latency benchmark's marks follow live messages (a catch-up has its own benchmark).
    const mark = live
      ? (name: PhaseName, envs: readonly { id: string }[]) => envs.forEach((e) => phase(name, e.id))
      : () => {};
    if (live) mark('in-wire', payloads.filter(hasId));
    // A catch-up page that comes while the one before is being painted is checked after that
    // frame: its signatures, parsing and opening would otherwise delay the newest on screen.
    if (!live) await this.gate.ready();
    // A connection nobody lists has proven nothing: '' matches no author.
    const author = live ? (s.transport.helloOf(from)?.userId ?? '') : undefined;
    // What is held sealed first: its row in the list carries no body to compare.
    const known = (id: string) =>
      s.sealing.lockedOne(id) ?? s.list.get(id) ?? this.inflight.get(id);
    const claim = (env: Envelope) => this.inflight.set(env.id, env);
    const { fresh, verified, forged } = await this.intake.check(
      { room: active.room, known, claim, cap: s.transport.payloadCap },
      payloads,
      author,
    );
    mark('in-verified', fresh);
    if (!s.current(active)) return;
    if (!live && forged > 0) s.distrust(from);
    const freshIds = new Set(fresh.map((e) => e.id));
    // Acknowledge repeats too: the sender may not have heard our first receipt.
    for (const id of verified) {
      if (!freshIds.has(id)) s.delivery.acknowledge(active, from, id, s.list.get(id)?.unreadable);
    }
    if (fresh.length === 0) return;
    // Heard while only this browser's tabs are used: it stays in this browser, like ours.
    const tabsOnly = s.transport.kind === 'broadcast';
    // What is stored: all that is new but sealed messages no key opens past the held budgets.
    let kept: Envelope[] = fresh;
    // A receipt says "stored": it waits for the commit (showing does not), so a reload or a
    // crash right after can never lose what its sender already counts as delivered.
    const store = () =>
      new Promise<boolean>((done) =>
        s.enqueue(async () => {
          try {
            const added = await addMessages(
              active.db,
              active.owner,
              kept,
              (e) => statusOf(e, active.self),
              { local: tabsOnly, ...arrival },
            );
            done(true);
            mark('in-stored', kept);
            s.stored?.(active, added);
            // A live one dated well before it came is unread by its arrival (loaded at first use).
            if (arrival.arrived !== undefined && added.length > 0) {
              const at = arrival.arrived;
              void import('./late.js')
                .then((l) => l.noteLateArrivals(active, added, at))
                .catch(() => {}); // not noted: the row still says so
            }
          } catch (err) {
            done(false); // not acknowledged: its sender tries again
            throw err;
          }
        }, from),
      );
    const stored = fresh.map((env) => ({
      ...env,
      owner: active.owner,
      status: statusOf(env, active.self),
      ...(tabsOnly ? { local: 'tabs' as const } : {}),
      ...arrival,
    }));
    // A live message meets every held budget; a catch-up page we asked for only the count.
    const { shown, refused } = await s.sealing.openArriving(stored, live);
    if (refused.size > 0) {
      this.intake.heldOverBudget(refused.size);
      kept = fresh.filter((env) => !refused.has(env.id));
    }
    mark('in-opened', shown);
    // A catch-up page waits for the frame of the one shown before it (the newest comes first).
    if (!live) await this.gate.ready();
    // Stored once shown: writing (IndexedDB copies every message into its request) must not
    // hold up the render. A live message is written in the next task, once the renders it
    // asks for below (microtasks) have put its row in the DOM; a catch-up page at once, its
    // frame being already asked for.
    const committed =
      kept.length === 0 ? Promise.resolve(true) : live ? nextTask().then(store) : store();
    fresh.forEach((env) => this.inflight.delete(env.id));
    // Once written (or not), the bodies of those held unopened are storage's alone.
    void committed.then(() => s.sealing.settled(kept.map((env) => env.id)));
    if (!s.current(active)) return;
    s.list.upsertMany(shown);
    mark('in-listed', shown);
    s.changed();
    if (!live) this.gate.shown();
    // New ones are acknowledged once opened and stored: the receipt says which no key of ours
    // opens.
    const locked = new Set(shown.filter((m) => m.unreadable).map((m) => m.id));
    void committed.then((ok) => {
      if (!ok || !s.current(active)) return;
      for (const env of kept) s.delivery.acknowledge(active, from, env.id, locked.has(env.id));
    });
    // Only words someone can read count as new (not a "can't read" line, not a room notice,
    // not an edit or a reaction).
    const news = shown.filter((m) => !m.unreadable && m.note === undefined && !m.event);
    // With their marks (not encrypted, another key, the fingerprint) for the page and notifications.
    if (news.length > 0) s.arrived?.(news.map((m) => markedReport(m, 'in')));
  }

  /** Forgets what was being taken in (the room was left). */
  clear(): void {
    this.inflight.clear();
    this.gate.clear();
  }
}

/** Whether a payload carries a string id (to mark it before it is checked). */
function hasId(payload: unknown): payload is { id: string } {
  return typeof (payload as { id?: unknown } | null)?.id === 'string';
}
