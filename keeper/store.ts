/**
 * The keeper's embedded store: the signed envelopes of the rooms it keeps, in one SQLite file
 * (better-sqlite3), exactly as their authors signed them. In a sealed room that is the sealed
 * body (ciphertext): the keeper holds no room key, so there is nothing else it could write.
 *
 * Why SQLite through better-sqlite3: it needs no other service; a commit in WAL mode with
 * `synchronous=FULL` is on disk (fsynced) when the call returns, and a `kill -9` at any moment
 * leaves the last committed state (the WAL is replayed at the next open); its calls are
 * synchronous, which is what the keeper needs: a write finishes before the Node client's
 * receipt for it can be sent (see keeper.ts). It is one of the most used embedded stores (SQLite
 * itself is tested beyond almost any other library), it builds from source at `npm ci` with the
 * local Node headers (no download, offline), and retention is a few indexed DELETEs. LevelDB
 * (classic-level) and LMDB (lmdb) are as durable but their writes are asynchronous or their
 * sync-to-disk depends on flags, and retention by room, author, age and size would be indexes
 * kept by hand.
 *
 * Bounds (see {@link StoreBounds}) are kept on every write; what goes first is written there.
 * Each drop is reported to `onDrop` (the keeper logs it).
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Envelope } from '../src/node/index.js';

/** What the store may hold; every field is a keeper setting (see config.ts). */
export interface StoreBounds {
  /** Most messages kept per room; past it the room's oldest go. */
  roomMessages: number;
  /** Most messages of one author kept per room; past it that author's oldest there go. */
  authorMessages: number;
  /** Oldest message kept, in ms of age (by its date); older ones go. */
  maxAgeMs: number;
  /**
   * Most envelope bytes kept in all (the file is somewhat larger: indexes, free pages); past
   * it the oldest messages of the room that holds the most bytes go.
   */
  maxBytes: number;
}

/** Why messages were dropped. */
export type DropReason = 'age' | 'author' | 'room' | 'disk';

/** A drop: `count` messages of `room` went, for `why`. */
export interface Drop {
  room: string;
  count: number;
  why: DropReason;
}

/** The store's file name inside the keeper's folder. */
export const STORE_FILE = 'keeper.sqlite';

interface RoomTotals {
  count: number;
  bytes: number;
}

/** The keeper's store; see the module comment. */
export class KeeperStore {
  private readonly db: Database.Database;
  private readonly totals = new Map<string, RoomTotals>();
  private bytes = 0;
  private readonly insert: Database.Statement;
  private readonly authorCount: Database.Statement;

  /** Opens (or makes) the store in folder `dir`. */
  constructor(
    dir: string,
    private readonly bounds: StoreBounds,
    private readonly onDrop: (drop: Drop) => void = () => {},
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.db = new Database(join(dir, STORE_FILE));
    this.db.pragma('journal_mode = WAL');
    // Every commit is fsynced before it returns: a receipt never outruns the disk.
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS messages (
        room TEXT NOT NULL,
        id TEXT NOT NULL,
        author TEXT NOT NULL,
        ts INTEGER NOT NULL,
        kept INTEGER NOT NULL,
        bytes INTEGER NOT NULL,
        envelope TEXT NOT NULL,
        PRIMARY KEY (room, id)
      );
      CREATE INDEX IF NOT EXISTS messages_by_time ON messages (room, ts, id);
      CREATE INDEX IF NOT EXISTS messages_by_author ON messages (room, author, ts);
      CREATE INDEX IF NOT EXISTS messages_by_age ON messages (ts);
    `);
    this.insert = this.db.prepare(
      'INSERT OR IGNORE INTO messages (room, id, author, ts, kept, bytes, envelope) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.authorCount = this.db.prepare(
      'SELECT count(*) AS n FROM messages WHERE room = ? AND author = ?',
    );
    const rows = this.db
      .prepare('SELECT room, count(*) AS count, sum(bytes) AS bytes FROM messages GROUP BY room')
      .all() as { room: string; count: number; bytes: number }[];
    for (const r of rows) {
      this.totals.set(r.room, { count: r.count, bytes: r.bytes });
      this.bytes += r.bytes;
    }
  }

  /** Messages held in all. */
  get count(): number {
    let n = 0;
    for (const t of this.totals.values()) n += t.count;
    return n;
  }

  /** Envelope bytes held in all. */
  get size(): number {
    return this.bytes;
  }

  /** Messages held of `room`. */
  countOf(room: string): number {
    return this.totals.get(room)?.count ?? 0;
  }

  /**
   * Writes the envelopes of `room` (verified by the caller) in one transaction, durable when
   * this returns, then applies the bounds; the ones that were new.
   */
  put(room: string, envelopes: readonly Envelope[], now = Date.now()): Envelope[] {
    const oldest = now - this.bounds.maxAgeMs;
    const added: Envelope[] = [];
    const authors = new Set<string>();
    this.db.transaction(() => {
      for (const env of envelopes) {
        if (env.room !== room || env.ts < oldest) continue; // past retention already
        const text = JSON.stringify(env);
        const bytes = Buffer.byteLength(text);
        const r = this.insert.run(room, env.id, env.from.id, env.ts, now, bytes, text);
        if (r.changes === 0) continue;
        added.push(env);
        authors.add(env.from.id);
        const t = this.totals.get(room) ?? { count: 0, bytes: 0 };
        t.count++;
        t.bytes += bytes;
        this.totals.set(room, t);
        this.bytes += bytes;
      }
      if (added.length === 0) return;
      for (const author of authors) this.trimAuthor(room, author);
      this.trimRoom(room);
      this.trimDisk();
    })();
    return added;
  }

  /** The envelopes held of `room`, oldest first (the newest `limit`). */
  load(room: string, limit = this.bounds.roomMessages): unknown[] {
    const rows = this.db
      .prepare(
        'SELECT envelope FROM (SELECT envelope, ts, id FROM messages WHERE room = ? ORDER BY ts DESC, id DESC LIMIT ?) ORDER BY ts, id',
      )
      .all(room, limit) as { envelope: string }[];
    return rows.map((r) => JSON.parse(r.envelope) as unknown);
  }

  /** The ids held of `room` (tests and diagnostics). */
  ids(room: string): string[] {
    const rows = this.db
      .prepare('SELECT id FROM messages WHERE room = ? ORDER BY ts, id')
      .all(room) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** The rooms held, the one written to most recently first (at most `limit`). */
  rooms(limit: number): string[] {
    const rows = this.db
      .prepare('SELECT room FROM messages GROUP BY room ORDER BY max(kept) DESC LIMIT ?')
      .all(limit) as { room: string }[];
    return rows.map((r) => r.room);
  }

  /** Drops what is older than the age bound, in every room (run now and then). */
  expire(now = Date.now()): void {
    const oldest = now - this.bounds.maxAgeMs;
    const gone = this.db
      .prepare(
        'SELECT room, count(*) AS count, sum(bytes) AS bytes FROM messages WHERE ts < ? GROUP BY room',
      )
      .all(oldest) as { room: string; count: number; bytes: number }[];
    if (gone.length === 0) return;
    this.db.prepare('DELETE FROM messages WHERE ts < ?').run(oldest);
    for (const g of gone) this.forget(g.room, g.count, g.bytes, 'age');
  }

  /** Closes the file. */
  close(): void {
    this.db.close();
  }

  /** One author past its share of a room: its oldest there go. */
  private trimAuthor(room: string, author: string): void {
    const { n } = this.authorCount.get(room, author) as { n: number };
    const over = n - this.bounds.authorMessages;
    if (over <= 0) return;
    this.dropOldest(room, over, 'author', author);
  }

  /** A room past its count: its oldest go. */
  private trimRoom(room: string): void {
    const over = this.countOf(room) - this.bounds.roomMessages;
    if (over > 0) this.dropOldest(room, over, 'room');
  }

  /** The store past its bytes: the oldest of the largest room go, until it fits. */
  private trimDisk(): void {
    // Bounded: each pass drops at least one message, and there are finitely many.
    while (this.bytes > this.bounds.maxBytes && this.totals.size > 0) {
      let largest = '';
      let most = -1;
      for (const [room, t] of this.totals) {
        if (t.bytes > most) [largest, most] = [room, t.bytes];
      }
      // About what must go, in one step (at least one message).
      const t = this.totals.get(largest)!;
      const each = t.bytes / Math.max(1, t.count);
      const n = Math.max(1, Math.ceil((this.bytes - this.bounds.maxBytes) / each));
      this.dropOldest(largest, Math.min(n, t.count), 'disk');
    }
  }

  private dropOldest(room: string, n: number, why: DropReason, author?: string): void {
    const rows = (
      author === undefined
        ? this.db
            .prepare('SELECT id, bytes FROM messages WHERE room = ? ORDER BY ts, id LIMIT ?')
            .all(room, n)
        : this.db
            .prepare(
              'SELECT id, bytes FROM messages WHERE room = ? AND author = ? ORDER BY ts, id LIMIT ?',
            )
            .all(room, author, n)
    ) as { id: string; bytes: number }[];
    const del = this.db.prepare('DELETE FROM messages WHERE room = ? AND id = ?');
    let bytes = 0;
    for (const r of rows) {
      del.run(room, r.id);
      bytes += r.bytes;
    }
    this.forget(room, rows.length, bytes, why);
  }

  private forget(room: string, count: number, bytes: number, why: DropReason): void {
    if (count === 0) return;
    const t = this.totals.get(room);
    if (t) {
      t.count -= count;
      t.bytes -= bytes;
      if (t.count <= 0) this.totals.delete(room);
    }
    this.bytes -= bytes;
    this.onDrop({ room, count, why });
  }
}
