/**
 * Opens Parley's IndexedDB database, running the one migration ladder. Tests pass a unique
 * name per test and delete it afterwards with {@link deleteParleyDb}.
 */
import { deleteDB, openDB, type IDBPDatabase } from 'idb';
import { DB_VERSION, type ParleySchema } from './schema.js';

/** An open Parley database. */
export type ParleyDb = IDBPDatabase<ParleySchema>;

/** Set by the upgrade to version 4: the room lists are to be made from the history (rooms.ts). */
export const ROOMS_FROM_HISTORY = 'rooms-from-history';

/** Default database name. */
export const DEFAULT_DB_NAME = 'parley';

/** Opens (creating or upgrading) the database called `name`. */
export function openParleyDb(name: string = DEFAULT_DB_NAME): Promise<ParleyDb> {
  return openDB<ParleySchema>(name, DB_VERSION, {
    upgrade(db, oldVersion, _newVersion, transaction) {
      // One ladder: each step takes the database from version n-1 to n.
      if (oldVersion < 1) {
        db.createObjectStore('accounts', { keyPath: 'key' });
        const messages = db.createObjectStore('messages', { keyPath: ['owner', 'id'] });
        messages.createIndex('by-room-time', ['owner', 'room', 'ts', 'id']);
        const outbox = db.createObjectStore('outbox', { keyPath: ['owner', 'id'] });
        outbox.createIndex('by-room-time', ['owner', 'room', 'ts', 'id']);
        db.createObjectStore('kv');
      }
      if (oldVersion < 2) {
        // Identity keys; accounts made before this step get theirs at their next login.
        db.createObjectStore('identities', { keyPath: 'owner' });
      }
      if (oldVersion < 3) {
        // Keys of encrypted rooms, and the identities of the people one has met.
        db.createObjectStore('roomKeys', { keyPath: ['owner', 'room'] });
        const contacts = db.createObjectStore('contacts', { keyPath: ['owner', 'userId'] });
        contacts.createIndex('by-name', ['owner', 'nameKey']);
      }
      if (oldVersion < 4) {
        const rooms = db.createObjectStore('rooms', { keyPath: ['owner', 'room'] });
        rooms.createIndex('by-activity', ['owner', 'lastActivity']);
        // Accounts with history from before: each one's rooms are listed at its first look.
        if (oldVersion > 0) void transaction.objectStore('kv').put(true, ROOMS_FROM_HISTORY);
      }
      if (oldVersion < 5) {
        // Files and their chunks (Blobs); nothing before this step refers to them.
        const files = db.createObjectStore('files', { keyPath: ['owner', 'id'] });
        files.createIndex('by-room', ['owner', 'room']);
        files.createIndex('by-message', 'messages', { multiEntry: true });
        files.createIndex('by-updated', ['owner', 'updated']);
        files.createIndex('by-pending', ['owner', 'pending']);
        db.createObjectStore('chunks', { keyPath: ['owner', 'id', 'part'] });
      }
      if (oldVersion < 6) {
        // The search index; the history already stored is indexed later (reindexAccount).
        // Short keys: each word's entry repeats the doc's key (a number), not owner and id.
        const docs = db.createObjectStore('searchDocs', { keyPath: 'key' });
        docs.createIndex('by-word', 'words', { multiEntry: true });
        docs.createIndex('by-id', 'idHash');
        docs.createIndex('by-owner', ['tag', 'key']);
        docs.createIndex('by-room', ['tag', 'room', 'key']);
        const pending = db.createObjectStore('searchPending', { keyPath: ['owner', 'target'] });
        pending.createIndex('by-event', 'by', { multiEntry: true });
      }
    },
    blocking(_current, _blocked, event) {
      // A newer tab wants to upgrade: step aside rather than block it forever.
      (event.target as IDBDatabase).close();
    },
  });
}

/** Deletes the database called `name` (tests). */
export function deleteParleyDb(name: string): Promise<void> {
  return deleteDB(name);
}
