/**
 * Serving files to the room: answering "who holds these?" (`file:who`) with what we hold, and
 * sending the parts a member asks for (`file:want`) as binary chunk frames, one at a time and
 * awaited (the transport's byte budget and backpressure pace us; one chunk is in memory).
 *
 * What one member can make us do is bounded: at most {@link MAX_WANT_PARTS} parts queued for
 * it (a want beyond that is cut), members are served in turn (one part each, round robin), and
 * storage is read only for a file of the active room that this browser knows (`serves`), never
 * for any other room or a file named at random.
 */
import type { TransportController } from '../connection/transport-controller.js';
import { LIST_PART, partsOf, type Manifest } from '../../protocol/file-manifest.js';
import {
  MAX_HAVE_RANGES,
  MAX_WANT_PARTS,
  type FileHave,
  type FileWant,
  type FileWho,
} from '../../protocol/file-events.js';
import type { ParleyDb } from '../../store/db.js';
import { getChunk, getFile, heldParts, type FileRecord } from '../../store/files.js';
import type { PeerId } from '../../transport/types.js';

/** The room on screen: whose database, which room. */
export interface ActiveRoom {
  owner: string;
  room: string;
  db: ParleyDb;
}

/** What the server needs from the files controller. */
export interface ServeConfig {
  transport: TransportController;
  /** The active room (undefined outside one); compared by identity to drop stale work. */
  active: () => ActiveRoom | undefined;
  /** Whether file `id` is one of the active room's that we know here and serve now. */
  serves: (id: string) => boolean;
  /** `bytes` of file `m` went to a member. */
  sent: (m: Manifest, bytes: number) => void;
}

/** How long a file's record is trusted before it is read again, in ms. */
const RECORD_TTL_MS = 1000;

interface Queued {
  where: ActiveRoom;
  file: string;
  part: number;
}

/**
 * `held` as half-open ranges `[from, to)`, at most {@link MAX_HAVE_RANGES} of them (a holder
 * with a very scattered set tells the first ones; the asker learns the rest later).
 */
export function rangesOf(held: ReadonlySet<number>): Array<[number, number]> {
  const sorted = [...held].sort((a, b) => a - b);
  const ranges: Array<[number, number]> = [];
  for (const part of sorted) {
    const last = ranges.at(-1);
    if (last && last[1] === part) last[1] = part + 1;
    else if (ranges.length === MAX_HAVE_RANGES) break;
    else ranges.push([part, part + 1]);
  }
  return ranges;
}

/** Answers `file:who` and `file:want` for the active room. */
export class FileServer {
  // Per member, the parts it asked for and we have not sent yet (insertion order = turn order).
  private readonly queues = new Map<PeerId, Queued[]>();
  private readonly records = new Map<
    string,
    { at: number; rec: Promise<FileRecord | undefined> }
  >();
  private running = false;

  constructor(private readonly config: ServeConfig) {}

  /** Parts waiting to be sent, over all members (tests, diagnostics). */
  get queued(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.length;
    return n;
  }

  /** Tells `asker` which of the files it names we hold, and how much of each. */
  async who(who: FileWho, asker: PeerId): Promise<void> {
    const where = this.config.active();
    if (!where || who.room !== where.room) return;
    for (const id of new Set(who.files)) {
      if (!this.config.serves(id)) continue;
      const rec = await this.record(where, id);
      if (!rec || this.config.active() !== where) continue;
      let have: FileHave;
      if (rec.complete) have = { room: where.room, file: id, all: true, list: true };
      else {
        const held = rec.held > 0 ? await heldParts(where.db, where.owner, id) : new Set<number>();
        const ranges = rangesOf(held);
        if (ranges.length === 0 && !rec.list) continue;
        have = { room: where.room, file: id, ranges, ...(rec.list ? { list: true as const } : {}) };
      }
      this.config.transport.emitTo(asker, 'file:have', have);
    }
  }

  /** Queues the parts `from` asks for (bounded) and serves them in turn with other members'. */
  want(want: FileWant, from: PeerId): void {
    const where = this.config.active();
    if (!where || want.room !== where.room || !this.config.serves(want.file)) return;
    const queue = this.queues.get(from) ?? [];
    for (const part of want.parts) {
      if (queue.length >= MAX_WANT_PARTS) break;
      if (queue.some((q) => q.file === want.file && q.part === part)) continue;
      queue.push({ where, file: want.file, part });
    }
    if (queue.length > 0) this.queues.set(from, queue);
    void this.run();
  }

  /** Stops sending file `id` (Cancel while sending): its queued parts are dropped. */
  drop(id: string): void {
    for (const [peer, queue] of this.queues) {
      const rest = queue.filter((q) => q.file !== id);
      if (rest.length > 0) this.queues.set(peer, rest);
      else this.queues.delete(peer);
    }
    this.records.delete(id);
  }

  /** Forgets what we read of file `id` (it changed: finished, removed). */
  forget(id: string): void {
    this.records.delete(id);
  }

  /** Drops every queue and cached record (the room changed, or the host went away). */
  reset(): void {
    this.queues.clear();
    this.records.clear();
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let next = this.take(); next; next = this.take()) {
        await this.serve(next.peer, next.item).catch(() => undefined);
      }
    } finally {
      this.running = false;
    }
  }

  /** The next member's next part, moving that member to the back of the line. */
  private take(): { peer: PeerId; item: Queued } | undefined {
    for (const [peer, queue] of this.queues) {
      const item = queue.shift();
      this.queues.delete(peer);
      if (queue.length > 0) this.queues.set(peer, queue);
      if (item) return { peer, item };
    }
    return undefined;
  }

  private async serve(peer: PeerId, { where, file, part }: Queued): Promise<void> {
    if (this.config.active() !== where || !this.config.serves(file)) return;
    const rec = await this.record(where, file);
    if (!rec || part >= partsOf(rec.manifest)) return;
    const bytes = part === LIST_PART ? rec.list : await getChunk(where.db, where.owner, file, part);
    if (!bytes || this.config.active() !== where || !this.config.serves(file)) return;
    const went = await this.config.transport.sendBytes(
      peer,
      { room: where.room, file, part },
      bytes,
    );
    // A member we cannot reach any more gets nothing else we had queued for it.
    if (!went) this.queues.delete(peer);
    else if (part !== LIST_PART) this.config.sent(rec.manifest, bytes.length);
  }

  /** File `id`'s record if it is one of `where`'s room (read again after a moment). */
  private record(where: ActiveRoom, id: string): Promise<FileRecord | undefined> {
    const now = performance.now();
    const cached = this.records.get(id);
    if (cached && now - cached.at < RECORD_TTL_MS) return cached.rec;
    const rec = getFile(where.db, where.owner, id).then((r) =>
      r && r.room === where.room ? r : undefined,
    );
    // Bounded: only files `serves` accepts get here, and the cache is cleared with the room.
    this.records.set(id, { at: now, rec });
    return rec;
  }
}
