/**
 * End-to-end encryption of one room for the room controller: the keys this account holds for
 * the room, sealing our bodies with the newest, and opening what arrives or is stored. A
 * message no key opens is kept aside (counted for the "encrypted with a key you don't have"
 * notice) and opened as soon as the right key is added — stored envelopes stay sealed, so
 * nothing has to be received again.
 */
import type { ChatBody, Envelope } from '../../protocol/chat-events.js';
import { readBody, readMessage } from '../../protocol/message-body.js';
import { safetyCode } from '../../protocol/identity.js';
import { seal, type SealedBody } from '../../protocol/room-key.js';
import { sealingHeader, type EnvelopeHeader } from '../../protocol/signed-envelope.js';
import { addRoomKey, roomKeysOf, type RoomKeyEntry } from '../../store/room-keys.js';
import type { StoredMessage } from '../../store/schema.js';
import type { ChatMessage } from './message-list.js';
import { fingerprintOf } from '../presence/roster.js';
import type { ProblemCode } from '../shared/problem.js';
import { dropKeyFromHash } from './room-address.js';
import type { ActiveRoom } from './room-context.js';
import {
  inviteKey,
  inviteLink,
  roomLink,
  newInviteKey,
  passphraseKey,
  passphraseProblem,
} from './room-keys.js';

/** What the sealing needs of the room controller. */
export interface SealingServices {
  /** Whether `active` is still the room being shown. */
  current: (active: ActiveRoom) => boolean;
  /** Shows messages a new key opened. */
  show: (opened: ChatMessage[]) => void;
  fail: (code: ProblemCode, message: string) => false;
}

/** Most sealed messages kept aside per room while no key opens them. */
const MAX_LOCKED = 5000;

// Fingerprints by key: one digest per author, however many of their messages are shown.
const fingerprints = new Map<string, Promise<string>>();
const MAX_FINGERPRINTS = 1024;

/** The short fingerprint of `key`, as the roster shows it (first group of its safety code). */
function fingerprintFor(key: string): Promise<string> {
  let known = fingerprints.get(key);
  if (!known) {
    known = safetyCode(key).then(fingerprintOf);
    if (fingerprints.size >= MAX_FINGERPRINTS)
      fingerprints.delete(fingerprints.keys().next().value!);
    fingerprints.set(key, known);
  }
  return known;
}

function isSealed(body: Envelope['body']): body is SealedBody {
  return readBody(body)?.kind === 'sealed';
}

/** The keys of the room being shown and the messages none of them opens yet. */
export class RoomSealing {
  private keys: RoomKeyEntry[] = [];
  /** Sealed messages we hold but cannot read, by id. */
  private readonly locked = new Map<string, StoredMessage>();
  /** An invite link's key for a room, taken from the address, until that room is entered. */
  private invite: { room: string; key: string } | undefined;

  constructor(private readonly s: SealingServices) {}

  /** Takes the keys of the room just entered (none: the room is in the clear). */
  async load(active: ActiveRoom): Promise<void> {
    this.clear();
    this.keys = await roomKeysOf(active.db, active.owner, active.room);
  }

  /** Whether our messages are sealed. */
  get encrypted(): boolean {
    return this.keys.length > 0;
  }

  /** The newest key's entry (the one an invite link carries, if it came from one). */
  get current(): RoomKeyEntry | undefined {
    return this.keys[0];
  }

  /** How many messages we hold that no key of ours opens. */
  get lockedCount(): number {
    return this.locked.size;
  }

  /** Whether message `id` is held sealed. */
  lockedOne(id: string): StoredMessage | undefined {
    return this.locked.get(id);
  }

  /** `body` as it goes out: sealed under the newest key, bound to `header`; else as is. */
  async seal(header: EnvelopeHeader, body: ChatBody): Promise<Envelope['body']> {
    const key = this.keys[0];
    return key ? seal(key.key, sealingHeader(header), body) : body;
  }

  /**
   * The messages as views show them (opened), in order; those no key opens are kept aside
   * instead (and a sealed body that opens to something not a message is dropped).
   */
  async openAll(msgs: readonly StoredMessage[]): Promise<ChatMessage[]> {
    const opened = await Promise.all(msgs.map((m) => this.openOne(m)));
    const shown: ChatMessage[] = [];
    opened.forEach((msg, i) => {
      if (msg) shown.push(msg);
      else if (isSealed(msgs[i]!.body) && this.locked.size < MAX_LOCKED) {
        this.locked.set(msgs[i]!.id, msgs[i]!);
      }
    });
    return shown;
  }

  /** Derives `active`'s key from `passphrase` and adds it; false when the passphrase is refused. */
  async usePassphrase(active: ActiveRoom, passphrase: string): Promise<boolean> {
    const why = passphraseProblem(passphrase);
    if (why) return this.s.fail('invalid-passphrase', why);
    return this.add(active, await passphraseKey(passphrase, active.room));
  }

  /**
   * Adds the key an invite link brought for `active`'s room (`text` from its fragment). A room
   * that has a key already keeps sealing with it: a link (which anyone can send) only adds a
   * key to open what was sealed with it, so it can never make us write in someone else's key.
   */
  async useInvite(active: ActiveRoom, text: string): Promise<boolean> {
    const entry = await inviteKey(text);
    if (entry) return this.add(active, entry, this.keys.length > 0);
    const why = 'The invite link carries a broken room key; ask for a new link.';
    return this.s.fail('invalid-passphrase', why);
  }

  /** Notes the key an invite link in the address brings for `room`, until it is entered. */
  noteInvite(room: string, key: string): void {
    this.invite = { room, key };
  }

  /** Takes the key an invite link brought for `active`'s room, then drops it from the address. */
  async takeInvite(active: ActiveRoom): Promise<void> {
    const invite = this.invite;
    if (invite?.room !== active.room) return;
    this.invite = undefined;
    await this.useInvite(active, invite.key);
    dropKeyFromHash();
  }

  /**
   * Makes `active`'s invite link and puts it on the clipboard; resolves with the link and
   * whether the clipboard took it (else the visitor copies it by hand).
   */
  async copyInviteLink(active: ActiveRoom): Promise<{ link: string; copied: boolean } | undefined> {
    return toClipboard(await this.inviteLink(active, location.href));
  }

  /**
   * Puts `active`'s room link on the clipboard: its invite link when the room has an invite
   * key (never making one: sharing a room must not start encrypting it), else the plain one.
   */
  copyRoomLink(active: ActiveRoom): Promise<{ link: string; copied: boolean } | undefined> {
    const invite = this.keys[0]?.invite;
    const base = location.href;
    return toClipboard(
      invite ? inviteLink(base, active.room, invite) : roomLink(base, active.room),
    );
  }

  /** The invite link to `active`'s room: with its invite key, or a new one (added first). */
  async inviteLink(active: ActiveRoom, base: string): Promise<string | undefined> {
    let text = this.keys[0]?.invite;
    if (!text) {
      const entry = await newInviteKey();
      if (!(await this.add(active, entry))) return undefined;
      text = entry.invite!;
    }
    return inviteLink(base, active.room, text);
  }

  /**
   * Stores `entry` as `active`'s newest key (what we seal with from now on), or `behind` the
   * others (to open with only); what it opens of the messages held aside is shown at once.
   */
  private async add(active: ActiveRoom, entry: RoomKeyEntry, behind = false): Promise<boolean> {
    let keys: RoomKeyEntry[];
    try {
      keys = await addRoomKey(active.db, active.owner, active.room, entry, behind);
    } catch (err) {
      return this.s.fail('storage', `Could not keep the room key in this browser: ${String(err)}`);
    }
    if (!this.s.current(active)) return false;
    this.keys = keys;
    const held = [...this.locked.values()];
    const opened = (await Promise.all(held.map((m) => this.openOne(m)))).filter(
      (m): m is ChatMessage => m !== undefined,
    );
    if (!this.s.current(active)) return false;
    opened.forEach((m) => this.locked.delete(m.id));
    this.s.show(opened);
    return true;
  }

  /** Forgets keys and held messages (the room was left). */
  clear(): void {
    this.keys = [];
    this.locked.clear();
  }

  private async openOne(msg: StoredMessage): Promise<ChatMessage | undefined> {
    const text = await textOf(msg, this.keys);
    if (text === undefined) return undefined;
    const shown: ChatMessage = { ...msg, ...text };
    if (!text.sealed && this.keys.length > 0) shown.inClear = true;
    // Messages stored before identity keys have none.
    if (typeof msg.from.key === 'string') shown.fingerprint = await fingerprintFor(msg.from.key);
    return shown;
  }
}

/** What people see of a message of a kind this version does not know. */
export const UNKNOWN_KIND_TEXT = "A message this version of Parley can't show";

/**
 * What stored message `msg` says: its text, in the clear or opened with one of `keys` (then
 * `sealed`); for a kind this version does not know (in the clear or inside the seal), the quiet
 * line {@link UNKNOWN_KIND_TEXT} with `unknown` set to the kind; undefined when no key opens it
 * (or it opens to something that is not a body).
 */
export async function textOf(
  msg: StoredMessage,
  keys: readonly RoomKeyEntry[],
): Promise<{ text: string; sealed?: true; unknown?: string } | undefined> {
  const read = await readMessage(
    msg,
    keys.map((k) => k.key),
  );
  if (!read) return undefined;
  const sealed = read.sealed ? { sealed: true as const } : {};
  if (read.text !== undefined) return { text: read.text, ...sealed };
  return { text: UNKNOWN_KIND_TEXT, ...sealed, unknown: read.kind };
}

/** Puts `link` on the clipboard; says whether the clipboard took it (else it is shown to copy). */
async function toClipboard(
  link: string | undefined,
): Promise<{ link: string; copied: boolean } | undefined> {
  if (!link) return undefined;
  const copied = await navigator.clipboard?.writeText(link).then(
    () => true,
    () => false,
  );
  return { link, copied: copied === true };
}
