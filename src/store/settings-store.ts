/**
 * Where the settings live: one record in the `kv` store, per browser. The settings controller
 * checks what it reads, since an older version of Parley may have written it.
 */
import type { ParleyDb } from './db.js';

const KEY = 'settings';

/** The stored settings as written, unchecked (undefined on a first visit). */
export function readSettings(db: ParleyDb): Promise<unknown> {
  return db.get('kv', KEY);
}

/** Stores the settings. */
export async function writeSettings(db: ParleyDb, settings: object): Promise<void> {
  await db.put('kv', settings, KEY);
}
