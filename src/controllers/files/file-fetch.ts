/**
 * One file's fetch: find who holds it, ask them for parts in windows, check each chunk against
 * the signed hash list before it is stored, and check the whole file once every part is here.
 *
 * - Holders are the members who answered `file:have` (their ranges say which parts each has).
 * - Up to {@link WINDOW} parts are in flight per holder, spread over holders (least loaded
 *   first), asked for {@link REFILL} or more at a time; a part that does not come within
 *   {@link PART_TIMEOUT_MS} is asked again, from another holder when there is one.
 * - Bytes are taken only for a part we asked that very member for. A chunk that fails its hash
 *   is dropped, the member is struck (counted by the controller) and avoided for this file, and
 *   the part is asked of someone else.
 * - Checked chunks are written in groups ({@link ChunkWriter}); progress counts only what is
 *   stored, so a reload never loses what was shown. Memory holds the window in flight plus at
 *   most {@link MAX_STORING} checked chunks (no more is asked while the disk lags behind), not
 *   the file. Parts already held are never asked for again, so a fetch cut off anywhere
 *   resumes where it stopped.
 */
import type { TransportController } from '../connection/transport-controller.js';
import type { FileState } from './file-state.js';
import type { ActiveRoom } from './file-serve.js';
import { Speed } from './file-speed.js';
import { ChunkWriter, GROUP } from './chunk-writer.js';
import { plainParts, UnreadableFile } from './file-read.js';
import { LIST_PART, partsOf, type Manifest } from '../../protocol/file-manifest.js';
import { MAX_WANT_PARTS, type FileHave } from '../../protocol/file-events.js';
import {
  WholeHash,
  checkChunk,
  checkList,
  inlineList,
  plainBytesOf,
} from '../../protocol/file-hash.js';
import {
  getFile,
  heldParts,
  markComplete,
  putChunks,
  removeFileBytes,
  setList,
  setWanted,
} from '../../store/files.js';
import type { PeerId } from '../../transport/types.js';

/** Parts in flight per holder. */
export const WINDOW = Math.min(32, MAX_WANT_PARTS);
/**
 * Fewest free places in a holder's window before it is asked for more (unless nothing is in
 * flight from it): one `file:want` carries at least this many parts, so requests stay a few
 * chat-sized events a second (the relay's frame budget) however fast chunks move.
 */
export const REFILL = WINDOW / 2;
/**
 * Most checked chunks waiting for the disk (the group being written and the one gathering)
 * before nothing more is asked: memory stays bounded when IndexedDB is slower than the link.
 */
export const MAX_STORING = 2 * GROUP.chunks;
/** How long a part may take before it is asked again, in ms. */
export const PART_TIMEOUT_MS = 10_000;
/** How long after asking the room we say "fetching" before "waiting" when nobody answered. */
export const ANSWER_WAIT_MS = 3000;
/** How often the room is asked again while nobody who holds the file is reachable, in ms. */
export const ASK_AGAIN_MS = 10_000;
/** Most holders kept per file (one per member; bounded whatever the room's size). */
export const MAX_HOLDERS = 64;
const TICK_MS = 500;

/** What one fetch needs from the files controller. */
export interface FetchConfig {
  transport: TransportController;
  /** The room the file is fetched in (the fetch ends when the room changes). */
  where: ActiveRoom;
  /** The room key named `kid`, to open a sealed file's chunks for the final check. */
  keyOf: (kid: string) => CryptoKey | undefined;
  /** Member `peer` sent bytes that failed their check. */
  strike: (peer: PeerId) => void;
  /** The state changed (progress or phase). */
  changed: () => void;
  /** Asks the room who holds file `id` (the controller puts many files in one `file:who`). */
  who: (id: string) => void;
}

interface Holder {
  all: boolean;
  list: boolean;
  ranges: Array<[number, number]>;
}

/** Fetches one file; see the module comment. */
export class FileFetch {
  readonly state: FileState;
  /** Parts asked for so far (the hash list included), for diagnostics and tests. */
  requested = 0;
  /** Parts that did not come within {@link PART_TIMEOUT_MS} and were asked again. */
  timedOut = 0;
  private readonly parts: number;
  private list: Uint8Array | undefined;
  private held = new Set<number>();
  private readonly storing = new Set<number>();
  private readonly inflight = new Map<number, { peer: PeerId; at: number }>();
  private readonly load = new Map<PeerId, number>();
  // Who we asked for each part not held yet: only they may send it (late answers included).
  private readonly asked = new Map<number, Set<PeerId>>();
  private readonly slow = new Map<number, Set<PeerId>>();
  private readonly holders = new Map<PeerId, Holder>();
  private readonly avoid = new Set<PeerId>();
  private readonly speed = new Speed();
  private timer: ReturnType<typeof setInterval> | undefined;
  private askedAt = 0;
  private stopped = false;
  private finishing = false;
  // Set once what is held is known: nothing is asked before (a held part is never asked again).
  private ready = false;
  private readonly writer: ChunkWriter;

  constructor(
    readonly m: Manifest,
    private readonly config: FetchConfig,
  ) {
    this.parts = partsOf(m);
    this.state = { id: m.list, phase: 'fetching', done: 0, size: m.size };
    const { db, owner } = config.where;
    this.writer = new ChunkWriter((entries) => putChunks(db, owner, m.list, entries));
  }

  /** Whether the fetch has ended (held, failed or stopped). */
  get over(): boolean {
    return this.stopped;
  }

  /** Loads what is held already, then asks the room who holds the rest. */
  async start(): Promise<void> {
    const { db, owner } = this.config.where;
    const rec = await getFile(db, owner, this.m.list);
    this.list = rec?.list ?? inlineList(this.m);
    if (this.list && !rec?.list) await setList(db, owner, this.m.list, this.list);
    this.held = await heldParts(db, owner, this.m.list);
    for (const part of this.held) this.state.done += plainBytesOf(this.m, part);
    if (this.stopped) return;
    if (this.list && this.held.size >= this.parts) return this.finish();
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.ready = true;
    this.ask();
  }

  /**
   * Asks the room who holds the file (again: a link opened, a member joined). `relink`: our
   * link is new (reconnected, or switched), so what we asked over the old one is asked again —
   * holders answer a connection, and that one is gone.
   */
  ask(relink = false): void {
    if (this.stopped || this.finishing || !this.ready) return;
    if (relink) for (const part of [...this.inflight.keys()]) this.release(part);
    this.askedAt = performance.now();
    this.config.who(this.m.list);
    this.pump();
  }

  /**
   * Stops: nothing more is asked or taken; what is stored stays. Checked chunks not written yet
   * are dropped: they were never shown as received, and "Remove" must not see them land after.
   */
  stop(): void {
    this.stopped = true;
    this.writer.drop();
    clearInterval(this.timer);
    this.inflight.clear();
    this.load.clear();
    this.asked.clear();
  }

  /** Member `peer` holds these parts. */
  have(peer: PeerId, have: FileHave): void {
    if (this.stopped) return;
    if (!this.holders.has(peer) && this.holders.size >= MAX_HOLDERS) return;
    const ranges: Array<[number, number]> = [];
    for (const [from, to] of have.ranges ?? []) {
      const a = Math.max(0, from);
      const b = Math.min(this.parts, to);
      if (a < b) ranges.push([a, b]);
    }
    this.holders.set(peer, { all: have.all === true, list: have.list === true, ranges });
    this.pump();
  }

  /** Only `present` members are reachable now: parts asked of anyone else are asked again. */
  present(present: ReadonlySet<PeerId>): void {
    for (const peer of this.holders.keys()) {
      if (present.has(peer)) continue;
      this.holders.delete(peer);
      for (const [part, f] of this.inflight) if (f.peer === peer) this.release(part);
    }
    this.pump();
  }

  /** Bytes `peer` sent for `part`: taken only if we asked it, stored only if they check out. */
  async bytes(peer: PeerId, part: number, bytes: Uint8Array): Promise<void> {
    if (this.stopped || !this.asked.get(part)?.has(peer)) return;
    if (part === LIST_PART) return this.takeList(peer, bytes);
    if (!this.list || this.held.has(part) || this.storing.has(part)) return;
    this.storing.add(part);
    if (this.inflight.get(part)?.peer === peer) this.release(part);
    try {
      if (!(await checkChunk(this.m, this.list, part, bytes))) {
        this.storing.delete(part);
        this.bad(peer);
        return;
      }
      if (this.stopped) return void this.storing.delete(part);
      const stored = this.writer.add(part, bytes);
      // Nothing else is coming soon: the group need not wait for more.
      if (this.inflight.size === 0) void this.writer.flush().catch(() => undefined);
      if (!(await stored)) return void this.storing.delete(part);
    } catch (err) {
      this.storing.delete(part);
      if (this.stopped) return;
      return this.fail(messageOf(err), false);
    }
    this.storing.delete(part);
    if (this.stopped) return;
    this.release(part); // asked again of another meanwhile: that one need not send it now
    this.held.add(part);
    this.asked.delete(part);
    this.slow.delete(part);
    const plain = plainBytesOf(this.m, part);
    this.state.done += plain;
    this.speed.add(plain);
    this.state.speed = this.speed.rate();
    this.config.changed();
    if (this.held.size >= this.parts) return this.finish();
    this.pump();
  }

  private async takeList(peer: PeerId, bytes: Uint8Array): Promise<void> {
    if (this.list) return;
    this.release(LIST_PART);
    if (!(await checkList(this.m, bytes))) return this.bad(peer);
    if (this.stopped || this.list) return;
    this.list = bytes.slice();
    this.asked.delete(LIST_PART);
    const { db, owner } = this.config.where;
    try {
      await setList(db, owner, this.m.list, this.list);
    } catch (err) {
      return this.fail(messageOf(err), false);
    }
    if (this.held.size >= this.parts) return this.finish();
    this.pump();
  }

  /** `peer` sent something that failed its check: counted, and not asked again for this file. */
  private bad(peer: PeerId): void {
    this.config.strike(peer);
    this.avoid.add(peer);
    for (const [part, f] of this.inflight) if (f.peer === peer) this.release(part);
    this.pump();
  }

  private release(part: number): void {
    const f = this.inflight.get(part);
    if (!f) return;
    this.inflight.delete(part);
    this.load.set(f.peer, Math.max(0, (this.load.get(f.peer) ?? 1) - 1));
  }

  private tick(): void {
    if (this.stopped) return;
    const now = performance.now();
    for (const [part, f] of this.inflight) {
      if (now - f.at < PART_TIMEOUT_MS) continue;
      this.release(part);
      this.timedOut++;
      const slow = this.slow.get(part) ?? new Set<PeerId>();
      slow.add(f.peer);
      this.slow.set(part, slow);
    }
    if (this.usable().length === 0 && now - this.askedAt > ASK_AGAIN_MS) this.ask();
    else this.pump();
  }

  private usable(): PeerId[] {
    return [...this.holders.keys()].filter((p) => !this.avoid.has(p));
  }

  private holds(peer: PeerId, part: number): boolean {
    const h = this.holders.get(peer);
    if (!h) return false;
    if (part === LIST_PART) return h.list || h.all;
    return h.all || h.ranges.some(([a, b]) => part >= a && part < b);
  }

  /** Fills every usable holder's window with parts it has that nobody is sending us. */
  private pump(): void {
    if (this.stopped || this.finishing || !this.ready) return;
    // The disk is behind: what is in flight is enough until a group is written.
    if (this.storing.size >= MAX_STORING) return this.phase();
    const usable = this.usable().filter((p) => {
      const load = this.load.get(p) ?? 0;
      return load === 0 || WINDOW - load >= REFILL;
    });
    const batches = new Map<PeerId, number[]>();
    const room = (p: PeerId) => WINDOW - (this.load.get(p) ?? 0) - (batches.get(p)?.length ?? 0);
    const want = this.list ? this.missing() : this.inflight.has(LIST_PART) ? [] : [LIST_PART];
    for (const part of want) {
      const open = usable.filter((p) => room(p) > 0 && this.holds(p, part));
      if (open.length === 0) {
        if (usable.every((p) => room(p) <= 0)) break;
        continue;
      }
      const slow = this.slow.get(part);
      const fresh = open.filter((p) => !slow?.has(p));
      const pick = (fresh.length > 0 ? fresh : open).reduce((a, b) => (room(b) > room(a) ? b : a));
      batches.set(pick, [...(batches.get(pick) ?? []), part]);
    }
    const now = performance.now();
    for (const [peer, parts] of batches) {
      const sent = this.config.transport.emitTo(peer, 'file:want', {
        room: this.config.where.room,
        file: this.m.list,
        parts,
      });
      if (!sent) {
        this.holders.delete(peer);
        continue;
      }
      this.requested += parts.length;
      this.load.set(peer, (this.load.get(peer) ?? 0) + parts.length);
      for (const part of parts) {
        this.inflight.set(part, { peer, at: now });
        const asked = this.asked.get(part) ?? new Set<PeerId>();
        asked.add(peer);
        this.asked.set(part, asked);
      }
    }
    this.phase();
  }

  /** Parts neither held, being stored, nor in flight, in order. */
  private *missing(): Generator<number> {
    for (let part = 0; part < this.parts; part++) {
      if (!this.held.has(part) && !this.storing.has(part) && !this.inflight.has(part)) yield part;
    }
  }

  private phase(): void {
    const moving = this.inflight.size > 0 || this.storing.size > 0 || this.usable().length > 0;
    const answering = performance.now() - this.askedAt < ANSWER_WAIT_MS;
    const phase = moving || answering ? 'fetching' : 'waiting';
    const speed = this.speed.rate();
    if (phase === this.state.phase && speed === this.state.speed) return;
    this.state.phase = phase;
    this.state.speed = speed;
    this.config.changed();
  }

  /** Every part is here: the whole file is checked against its SHA-256 before it counts. */
  private async finish(): Promise<void> {
    if (this.finishing) return;
    this.finishing = true;
    clearInterval(this.timer);
    await this.verify().catch((err: unknown) =>
      this.fail(`${this.m.name} could not be finished: ${messageOf(err)}`, false),
    );
  }

  private async verify(): Promise<void> {
    const { db, owner, room } = this.config.where;
    const id = this.m.list;
    const key = this.m.sealed !== undefined ? this.config.keyOf(this.m.sealed) : undefined;
    // Without the room key the plaintext cannot be hashed; every chunk was checked against the
    // signed hash list, so the copy is whole and can be served to members who hold the key.
    if (this.m.sealed === undefined || key) {
      const whole = new WholeHash();
      try {
        for await (const plain of plainParts(this.config.where, this.m, key)) whole.update(plain);
      } catch (err) {
        if (!(err instanceof UnreadableFile)) throw err;
        return this.fail(`${this.m.name} could not be read back from this browser.`);
      }
      if (whole.digest() !== this.m.sha256) {
        await removeFileBytes(db, owner, id);
        return this.fail(`${this.m.name} did not match its checksum, so its bytes were dropped.`);
      }
    }
    await markComplete(db, owner, id);
    await setWanted(db, owner, id, false);
    this.stopped = true;
    this.state.phase = 'held';
    this.state.done = this.m.size;
    this.state.speed = undefined;
    this.config.transport.emit('file:have', { room, file: id, all: true, list: true });
    this.config.changed();
  }

  private async fail(error: string, dropped = true): Promise<void> {
    this.stop();
    const { db, owner } = this.config.where;
    await setWanted(db, owner, this.m.list, false).catch(() => undefined);
    this.state.phase = 'failed';
    this.state.error = error;
    this.state.speed = undefined;
    if (dropped) this.state.done = 0;
    this.config.changed();
  }
}

/** What `err` says, as a sentence. */
function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
