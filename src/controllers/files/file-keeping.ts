/**
 * What this browser keeps of files, apart from moving them: the state a stored record shows when
 * nothing is moving, the cap on the bytes of files an account keeps, and how the room is asked
 * who holds what (one `file:who` for all the files wanted in one turn).
 */
import { MAX_WHO_FILES } from '../../protocol/file-events.js';
import type { ParleyDb } from '../../store/db.js';
import { trimFiles, type FileRecord } from '../../store/files.js';
import type { FileState } from './file-state.js';

/**
 * Most bytes of files one account keeps in this browser (2 GiB): past it, copies fetched from
 * others are removed, least recently used first (see `trimFiles`); the messages stay.
 */
export const FILES_MAX_BYTES = 2 * 1024 * 1024 * 1024;

/** What a stored record says of its file when nothing is moving. */
export function stateOfRecord(rec: FileRecord): FileState {
  const size = rec.manifest.size;
  if (rec.complete) return { id: rec.id, phase: 'held', done: size, size };
  const done = Math.min(size, rec.bytes);
  return { id: rec.id, phase: rec.held > 0 ? 'stopped' : 'missing', done, size };
}

/**
 * Keeps the bytes of files `owner` holds within {@link FILES_MAX_BYTES} (see `trimFiles`:
 * copies fetched from others go first, oldest first; our own never). Never rejects.
 */
export async function trimHeld(where: { db: ParleyDb; owner: string }): Promise<void> {
  try {
    await trimFiles(where.db, where.owner, FILES_MAX_BYTES);
  } catch {
    // Storage gone (logged out) or failing: the next file held tries again.
  }
}

/**
 * Gathers the files wanted in one turn into as few `file:who` as {@link MAX_WHO_FILES} allows
 * (a member joining a room with many wanted files asks once, not once per file).
 */
export class WhoBatch {
  private readonly files = new Set<string>();

  constructor(private readonly ask: (room: string, files: string[]) => void) {}

  /** Names `file` in the next ask of `where`'s room, unless `current()` says we left it. */
  add(where: { room: string }, file: string, current: () => boolean): void {
    this.files.add(file);
    if (this.files.size > 1) return;
    setTimeout(() => {
      const files = [...this.files];
      this.files.clear();
      if (!current()) return;
      for (let at = 0; at < files.length; at += MAX_WHO_FILES) {
        this.ask(where.room, files.slice(at, at + MAX_WHO_FILES));
      }
    });
  }

  /** Forgets what waits (the room was left). */
  clear(): void {
    this.files.clear();
  }
}
