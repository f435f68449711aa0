/**
 * The IndexedDB schema of one browser's Parley data, as a typed `DBSchema`. Everything is
 * partitioned by the owning account's id, so two accounts on one browser never see each
 * other's history.
 */
import type { RoomKeyEntry } from '../protocol/room-key.js';
import type { DBSchema } from 'idb';
import type { Envelope } from '../protocol/chat-events.js';
import type { IdentityAlgorithm } from '../protocol/identity.js';
import type { Manifest } from '../protocol/file-manifest.js';
import type { Seal } from '../protocol/identity-seal.js';

/** Current schema version; `db.ts` upgrades older databases step by step. */
export const DB_VERSION = 6;

/** What every local account has. */
interface AccountBase {
  /** Lookup key: the name, Unicode-normalised and lower-cased (`site:` before a site's name). */
  key: string;
  /** The name as the user typed it (or as the embedding site gave it). */
  name: string;
  /** Stable account id (UUID), used as the message owner and on the wire. */
  id: string;
  created: number;
}

/** An account with a password. The password is never stored, only its PBKDF2 hash. */
export interface PasswordAccount extends AccountBase {
  salt: Uint8Array;
  hash: Uint8Array;
  iterations: number;
  /** An email for a reply, kept from the guest account this once was (see `GuestAccount`). */
  email?: string;
}

/**
 * An identity the embedding site vouches for (`<parley-chat display-name>`): no password,
 * because the site signed its visitor in; it can never be logged into from the popup.
 */
export interface SiteAccount extends AccountBase {
  site: true;
}

/**
 * A visitor's account made by `<parley-chat guest>` at her first message (key `guest:` and its
 * id): no password until she adds one, which makes it a `PasswordAccount` with the same id.
 */
export interface GuestAccount extends AccountBase {
  guest: true;
  /** An email for a reply, where the site asks for one (`ask-email`). */
  email?: string;
}

/** A local account of any kind. */
export type AccountRecord = PasswordAccount | SiteAccount | GuestAccount;

/**
 * Delivery state of a message, as the user sees it. Ours go saving (on screen only, while the
 * write to IndexedDB commits; never stored) → queued (stored, waiting for a link) → sent
 * (handed to the transport) → delivered (acknowledged by at least one other member); `failed`
 * after retries ran out, or when it could not be stored (the user may retry). Others'
 * messages are `received`.
 */
export type MessageStatus =
  | 'saving'
  | 'queued'
  | 'sent'
  /** Held by the server's keeper for those away (protocol 1.5); no person has said so yet. */
  | 'kept'
  | 'delivered'
  | 'failed'
  | 'received';

/** A message in the history of one account. */
export interface StoredMessage extends Envelope {
  owner: string;
  status: MessageStatus;
  /** Account ids of the members who acknowledged our message (ours only). */
  ackedBy?: string[];
  /**
   * Names of the members whose receipt said no key of theirs opens our message (ours only):
   * it reached them, but they cannot read it, so it is never shown as plain *delivered*.
   */
  unreadBy?: string[];
  /**
   * Written or received while the chat used only this browser's tabs: it never leaves this
   * browser through a server or a direct link (outbox and catch-up hold it back).
   */
  local?: 'tabs';
  /**
   * When another member's live message (`chat:message`) arrived in this browser (ms, our
   * clock): never on the wire. One dated well before it shows so (see `late.ts`). Messages
   * from a catch-up, our own, and those stored before this was recorded have none.
   */
  arrived?: number;
}

/** A message of ours that has not gone out yet. */
export interface OutboxEntry {
  owner: string;
  id: string;
  room: string;
  ts: number;
  env: Envelope;
  /**
   * It went out only over direct links while the server was unreachable: members reached
   * through the server have not had it, so a receipt does not end it; it is sent once more
   * when the server is back.
   */
  unrelayed?: true;
  /** Written for this browser's tabs only: sent over the tabs' link and nowhere else. */
  local?: 'tabs';
}

/**
 * An account's identity key pair (one per account, made at its creation or, for an account
 * older than identities, at its next login). The private key is a non-extractable CryptoKey:
 * stored as itself, usable for signing, never readable as bytes.
 */
export interface IdentityRecord {
  /** The account's id. */
  owner: string;
  alg: IdentityAlgorithm;
  privateKey: CryptoKey;
  /** The public key as it travels (`ed25519:<base64url>`). */
  publicKey: string;
  /** The network id derived from the public key. */
  id: string;
  created: number;
  /**
   * Identities made since export exists: a copy of the private keys (signing and key agreement)
   * sealed under the account's password — or, for an imported identity, under the passphrase
   * of the file it came from — so "Export identity" can seal them into a file. Absent for
   * identities made before, or without a password (see identities.ts). An optional field of
   * the existing store: no new schema version.
   */
  escrow?: IdentityEscrow;
}

/** The sealed copy of an identity's private keys kept for export (see `identities.ts`). */
export interface IdentityEscrow extends Seal {
  /** Whose secret seals it: the account's password, or the imported file's passphrase. */
  by: 'password' | 'file';
  /** The key-agreement public key sealed with the identity's (part of what the seal is bound to). */
  agreementKey: string;
}

/**
 * The keys an account holds for one encrypted room (schema version 3): the newest first, each
 * a non-extractable AES-GCM CryptoKey. Earlier keys stay so messages sealed with them still
 * open. `invite` is the text of a random key made for an invite link, kept so the link can be
 * copied again; a passphrase is never stored, only the key derived from it.
 */
export interface RoomKeyRecord {
  owner: string;
  room: string;
  keys: RoomKeyEntry[];
}

/**
 * What an account knows of another member's identity (schema version 3): the key it was seen
 * with, under which name, and whether the user compared the safety code and marked it verified.
 */
export interface ContactRecord {
  owner: string;
  /** The member's identity id (hash of `key`). */
  userId: string;
  key: string;
  /** The display name it was last seen with. */
  name: string;
  /** `name` lower-cased and NFC-normalised: what the `by-name` index looks up. */
  nameKey: string;
  verified: boolean;
  /** First and last time it was seen (ms). */
  first: number;
  last: number;
  /** Since when it has gone by its current name (ms; `first` in records without it). */
  named?: number;
}

/**
 * A room an account has joined (schema version 4), for the room list: the name as typed (its
 * display title), how far the person has read and the text they left unsent there.
 */
export interface RoomRecord {
  owner: string;
  /** The room's name (its slug), as it travels. */
  room: string;
  /** What the person typed for it ("Design Team"); the room's name when nothing else. */
  title: string;
  joinedAt: number;
  /** Time of the newest message the person has seen here (0: none). */
  lastRead: number;
  /** Time of the newest message here, or of the join: what the list is ordered by. */
  lastActivity: number;
  /** The unsent text of the composer in this room ('' for none). */
  draft: string;
}

/**
 * A file this account knows of (schema version 5): from a message in `room` (or several: the
 * ids in `messages`), by its address `id` (the manifest's `list`). Its bytes are in `chunks`;
 * the record says how many of them are here. A file no message refers to any more is deleted
 * with its chunks (retention, "Delete its messages").
 */
export interface FileRecord {
  owner: string;
  /** The file's address: its manifest's `list`. */
  id: string;
  /** The room of the first message that carried it. */
  room: string;
  manifest: Manifest;
  /** The checked hash list (32 bytes a chunk), once known: inline, or fetched as part -1. */
  list?: Uint8Array;
  /** Chunks the file has. */
  parts: number;
  /** Chunks held here, and their bytes as stored (sealed or not). */
  held: number;
  bytes: number;
  /** Every chunk is here and the whole file checked against its SHA-256. */
  complete: boolean;
  /** The person asked for it (Download, or an image shown): fetched, and resumed after a reload. */
  wanted: boolean;
  /** Ids of the messages that carry it (this account's). */
  messages: string[];
  /** We sent it: its bytes are the room's first copy, never trimmed to make room. */
  mine?: true;
  /** When its bytes or state last changed (ms): what trimming goes by, oldest first. */
  updated: number;
  /** 1 while wanted and not complete (what the `by-pending` index finds); absent otherwise. */
  pending?: 1;
}

/** One chunk of a file as stored (schema version 5): its bytes as a Blob, as sent. */
export interface ChunkRecord {
  owner: string;
  /** The file's address. */
  id: string;
  part: number;
  data: Blob;
  /** `data.size`, kept so counting needs no Blob. */
  size: number;
}

/**
 * One message in the search index (schema version 6): what it says now (after edits), and its
 * words. Only what this account could read is here — in an encrypted room, what its keys
 * opened, locally. Keyed by one number that grows with time (`docKey`, search-index.ts), so a
 * word's entries in `by-word` are short (a word, a number) and its postings sort by time.
 */
export interface SearchDoc {
  /** `ts * 2048` plus a slot from the id's hash (the next free one on a collision). */
  key: number;
  /** The owner's tag (`ownerTag`): stands for the owner in `by-owner` and `by-room`. */
  tag: number;
  /** A hash of `id` (the `by-id` index's key: a number, shorter than the id). */
  idHash: number;
  owner: string;
  ts: number;
  id: string;
  room: string;
  from: { id: string; name: string };
  /** The current text (a file message's caption; '' when it has none). */
  text: string;
  /** A file message's file name. */
  name?: string;
  /** Distinct folded words, each after its owner's tag character (the `by-word` index's keys). */
  words: string[];
  /** The edit whose text this is: the newest by (ts, id). */
  edit?: { ts: number; id: string };
}

/**
 * What the index knows about a message it has not indexed (schema version 6): an edit that
 * arrived before its target (the newest), or that the target was deleted (a tombstone, so the
 * target never comes back when it arrives or is indexed again). `by` lists the event messages
 * that said so (pruning them removes this).
 */
export interface SearchPending {
  owner: string;
  target: string;
  room: string;
  edit?: { ts: number; id: string; text: string };
  deleted?: true;
  by: string[];
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
  /** Identity keys, by account id (schema version 2). */
  identities: { key: string; value: IdentityRecord };
  /** Keys of encrypted rooms, by account and room (schema version 3). */
  roomKeys: { key: [string, string]; value: RoomKeyRecord };
  /**
   * Identities seen, by account and identity id (schema version 3); `by-name` finds who was
   * seen under a display name (its lower-case form), for the key-change warning.
   */
  contacts: {
    key: [string, string];
    value: ContactRecord;
    indexes: { 'by-name': [string, string] };
  };
  /** Joined rooms, by account and room (schema version 4); `by-activity` orders the list. */
  rooms: {
    key: [string, string];
    value: RoomRecord;
    indexes: { 'by-activity': [string, number] };
  };
  /**
   * Files, by account and address (schema version 5): `by-room` lists a room's, `by-message`
   * (multi-entry, every account's) finds the files a message carries, `by-updated` orders
   * trimming, `by-pending` finds what to resume.
   */
  files: {
    key: [string, string];
    value: FileRecord;
    indexes: {
      'by-room': [string, string];
      'by-message': string;
      'by-updated': [string, number];
      'by-pending': [string, number];
    };
  };
  /** Chunks of files, by account, address and part (schema version 5). */
  chunks: { key: [string, string, number]; value: ChunkRecord };
  /**
   * The search index (schema version 6): `by-word` (multi-entry) finds a word's messages,
   * `by-id` a message's docs, `by-owner` an account's docs and `by-room` a room's, in time
   * order. Each holds every account's (owners are told apart by tag, then by `owner`).
   */
  searchDocs: {
    key: number;
    value: SearchDoc;
    indexes: {
      'by-word': string;
      'by-id': number;
      'by-owner': [number, number];
      'by-room': [number, string, number];
    };
  };
  /** Edits waiting for their target, and deletions (schema version 6); `by-event` is multi-entry. */
  searchPending: {
    key: [string, string];
    value: SearchPending;
    indexes: { 'by-event': string };
  };
  /** Small named records: the current session, later settings. */
  kv: { key: string; value: unknown };
}
