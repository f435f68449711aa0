/**
 * Writes chunks to IndexedDB in groups. One transaction costs about as much as several chunks
 * (measured: ~5.6 ms for one 64 KiB chunk alone, ~2.7 ms each when 16 share one), so chunks are
 * gathered and written together: a group goes when it holds {@link GROUP} `chunks` or `bytes`,
 * or `idleMs` after its first chunk came, whichever is first. One group is written at a time;
 * chunks that come meanwhile gather into the next (a busy disk makes groups larger by itself).
 *
 * Memory: the group being written plus the one gathering. A producer that can outrun the disk
 * waits on {@link ChunkWriter.room} before it makes more.
 */
import type { ChunkEntry } from '../../store/files.js';

/** When a group is written. */
export interface GroupLimits {
  /** Most chunks in one group. */
  chunks: number;
  /** A group is written once it holds this many bytes. */
  bytes: number;
  /** Longest a gathered chunk waits for others, in ms. */
  idleMs: number;
}

/** 16 chunks or 1 MiB, or 20 ms after the first. */
export const GROUP: GroupLimits = { chunks: 16, bytes: 1 << 20, idleMs: 20 };

interface Waiting extends ChunkEntry {
  resolve: (stored: boolean) => void;
  reject: (error: unknown) => void;
}

/** Gathers chunks and writes them a group at a time with `write`; see the module comment. */
export class ChunkWriter {
  private gathering: Waiting[] = [];
  private gathered = 0;
  private writing: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private due = false;
  private failed: { error: unknown } | undefined;
  private inWrite = 0;

  constructor(
    private readonly write: (entries: ChunkEntry[]) => Promise<void>,
    private readonly limits: GroupLimits = GROUP,
  ) {}

  /** Chunks gathered or being written, not stored yet. */
  get queued(): number {
    return this.gathering.length + this.inWrite;
  }

  /**
   * Queues `bytes` as part `part`. Resolves true once its group is stored, false when it was
   * dropped ({@link drop}) before being written; rejects with the error its group's write had.
   * After a failed write nothing more is taken: what was gathered and what is added later
   * rejects with that error (a full disk stays full).
   */
  add(part: number, bytes: Uint8Array): Promise<boolean> {
    if (this.failed) return Promise.reject(this.failed.error);
    return new Promise<boolean>((resolve, reject) => {
      this.gathering.push({ part, bytes, resolve, reject });
      this.gathered += bytes.length;
      this.kick();
    });
  }

  /**
   * Resolves once the gathering group has room for another chunk (at once when it has);
   * rejects with the first write error seen, so a producer stops at the first failure.
   */
  async room(): Promise<void> {
    while (!this.failed && this.full() && this.writing) await this.writing;
    if (this.failed) throw this.failed.error;
  }

  /**
   * Writes what is gathered without waiting for more; resolves once everything queued so far
   * is stored, rejects with the first write error seen.
   */
  async flush(): Promise<void> {
    while (!this.failed && (this.writing || this.gathering.length > 0)) {
      this.due = true;
      this.kick();
      await this.writing;
    }
    if (this.failed) throw this.failed.error;
  }

  /** Forgets what is gathered and not being written (each resolves false). */
  drop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.due = false;
    const dropped = this.gathering;
    this.gathering = [];
    this.gathered = 0;
    for (const w of dropped) w.resolve(false);
  }

  private full(): boolean {
    return this.gathering.length >= this.limits.chunks || this.gathered >= this.limits.bytes;
  }

  /** Starts writing a group when one is ready and none is being written. */
  private kick(): void {
    if (this.writing || this.failed || this.gathering.length === 0) return;
    if (this.due || this.full()) return this.start();
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.due = true;
      this.kick();
    }, this.limits.idleMs);
  }

  private start(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.due = false;
    let [count, bytes] = [0, 0];
    // A group ends with the chunk that reaches the byte limit (at most one chunk over it).
    while (
      count < this.gathering.length &&
      count < this.limits.chunks &&
      bytes < this.limits.bytes
    ) {
      bytes += this.gathering[count]!.bytes.length;
      count++;
    }
    const group = this.gathering.splice(0, count);
    this.gathered -= bytes;
    const entries = group.map(({ part, bytes: b }) => ({ part, bytes: b }));
    this.inWrite = group.length;
    this.writing = new Promise<void>((resolve) => resolve(this.write(entries))).then(
      () => group.forEach((w) => w.resolve(true)),
      (error: unknown) => {
        this.failed ??= { error };
        const gathered = this.gathering;
        clearTimeout(this.timer);
        this.timer = undefined;
        this.gathering = [];
        this.gathered = 0;
        for (const w of [...group, ...gathered]) w.reject(error);
      },
    );
    void this.writing.finally(() => {
      this.writing = undefined;
      this.inWrite = 0;
      // What gathered during the write has waited already: it goes as soon as it is due.
      this.kick();
    });
  }
}
