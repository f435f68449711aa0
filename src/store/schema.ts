/**
 * The IndexedDB schema of one browser's Parley data, as a typed `DBSchema`. Everything is
 * partitioned by the owning account's id, so two accounts on one browser never see each
 * other's history.
 */
import type { DBSchema } from 'idb';
import type { Envelope } from '../transport/protocol.js';

/** Current schema version; `db.ts` upgrades older databases step by step. */
export const DB_VERSION = 1;

/** A local account. The password is never stored, only its PBKDF2 hash. */
export interface AccountRecord {
  /** Lookup key: the name, Unicode-normalised and lower-cased. */
  key: string;
  /** The name as the user typed it. */
  name: string;
  /** Stable account id (UUID), used as the message owner and on the wire. */
  id: string;
  salt: Uint8Array;
  hash: Uint8Array;
  iterations: number;
  created: number;
}

/**
 * Delivery state of a stored message, as the user sees it. Ours go queued → sent (handed to
 * the transport) → delivered (acknowledged by at least one other member); `failed` after
 * retries ran out (the user may retry). Others' messages are `received`.
 */
export type MessageStatus = 'queued' | 'sent' | 'delivered' | 'failed' | 'received';

/** A message in the history of one account. */
export interface StoredMessage extends Envelope {
  owner: string;
  status: MessageStatus;
  /** Account ids of the members who acknowledged our message (ours only). */
  ackedBy?: string[];
}

/** A message of ours that has not gone out yet. */
export interface OutboxEntry {
  owner: string;
  id: string;
  room: string;
  ts: number;
  env: Envelope;
}

/** The whole database. */
export interface ParleySchema extends DBSchema {
  accounts: { key: string; value: AccountRecord };
  messages: {
    key: [string, string];
    value: StoredMessage;
    indexes: { 'by-room-time': [string, string, number, string] };
  };
  outbox: {
    key: [string, string];
    value: OutboxEntry;
    indexes: { 'by-room-time': [string, string, number, string] };
  };
  /** Small named records: the current session, later settings. */
  kv: { key: string; value: unknown };
}
