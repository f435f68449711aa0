/**
 * End-to-end encryption of one room for the room controller: the keys this account holds for
 * the room, sealing our bodies with the newest (naming it by its id), and opening what arrives
 * or is stored. A message no key opens is shown as one "can't read" line, remembered
 * by id and header only (its body stays in storage; `sealed-held.ts` also bounds what arrives
 * of them), and opened in place as soon as the right key is added — stored envelopes stay sealed, so nothing
 * has to be received again. A sealed message that names a key we do not hold, while we hold
 * one, means the room is split (a mistyped passphrase): that is said at once (`mismatch`).
 */
import type { ChatBody, Envelope } from '../../protocol/chat-events.js';
import { readBody } from '../../protocol/message-body.js';
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
import type { RoomControl } from './room-control.js';
import { isPrivateRoom } from '../../protocol/room-kind.js';
import { reindexLater } from '../search/index-later.js';
import { textOf } from './opened-text.js';
import { HeldLedger, type HeldBudget, type HeldHow, type HeldSealed } from './sealed-held.js';
import { isOtherKey } from './message-marks.js';

/** What the sealing needs of the room controller. */
export interface SealingServices {
  /** Whether `active` is still the room being shown. */
  current: (active: ActiveRoom) => boolean;
  /** Shows messages a new key opened. */
  show: (opened: ChatMessage[]) => void;
  fail: (code: ProblemCode, message: string) => false;
}

/** Held messages whose bodies are read back from storage at once when a key is added. */
const REOPEN_BATCH = 200;

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
  /** Sealed messages we hold but cannot read: ids and headers, never bodies. */
  private readonly locked: HeldLedger;
  /** An invite link's key for a room, taken from the address, until that room is entered. */
  private invite: { room: string; key: string } | undefined;
  /** A private room's members and roles (undefined in a public room). */
  control: RoomControl | undefined;
  /** The room the keys are for. */
  private active: ActiveRoom | undefined;

  /**
   * The author of the newest sealed message none of our keys opens, while we hold a key: the
   * room is split (someone typed the passphrase differently, or holds another link's key).
   */
  mismatch: { name: string } | undefined;

  constructor(
    private readonly s: SealingServices,
    budget?: HeldBudget,
  ) {
    this.locked = new HeldLedger(budget);
  }

  /** Takes the keys of the room just entered (none: the room is in the clear). */
  async load(active: ActiveRoom): Promise<void> {
    this.clear();
    this.active = active;
    this.keys = await roomKeysOf(active.db, active.owner, active.room);
    if (isPrivateRoom(active.room)) {
      // Members, roles and key changes: a chunk of its own, for private rooms only.
      const { RoomControl } = await import('./room-control.js');
      this.control = await RoomControl.open(active);
    }
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

  /** The key named `kid`, if we hold it (a sealed file's chunks are opened with it). */
  keyOf(kid: string): CryptoKey | undefined {
    return this.keys.find((k) => k.kid === kid)?.key;
  }

  /** What is held of message `id`, if it is held sealed (no body: see `sealed-held.ts`). */
  lockedOne(id: string): HeldSealed | undefined {
    return this.locked.get(id);
  }

  /** Drops the bodies kept of `ids` until their write was over (see `sealed-held.ts`). */
  settled(ids: readonly string[]): void {
    this.locked.settle(ids);
  }

  /** Bytes of the sealed bodies held unopened (they are in storage; memory holds headers). */
  get lockedBytes(): number {
    return this.locked.bytes;
  }

  /** `body` as it goes out: sealed under the newest key (named), bound to `header`; else as is. */
  async seal(
    header: EnvelopeHeader,
    body: ChatBody | object,
    kid?: string,
  ): Promise<Envelope['body']> {
    const key = (kid !== undefined && this.keys.find((k) => k.kid === kid)) || this.keys[0];
    return key ? seal(key.key, sealingHeader(header), body, key.kid) : (body as ChatBody);
  }

  /**
   * The messages as views show them (opened), in order. One no key opens shows as a "can't
   * read" line and is remembered, to open in place when the key comes; a sealed body that
   * opens to something not a message is dropped.
   */
  async openAll(msgs: readonly StoredMessage[]): Promise<ChatMessage[]> {
    return (await this.openMany(msgs, 'stored')).shown;
  }

  /**
   * Like {@link openAll}, for messages just arrived (not yet stored): a sealed one no key opens
   * is held only within the budgets (see `sealed-held.ts`: those of a `live` message, or only
   * the overall count for a catch-up answer we asked for); past them it is `refused` (the
   * caller neither stores nor acknowledges it).
   */
  openArriving(msgs: readonly StoredMessage[], live = true) {
    return this.openMany(msgs, live ? 'live' : 'asked');
  }

  private async openMany(
    msgs: readonly StoredMessage[],
    how: HeldHow,
  ): Promise<{ shown: ChatMessage[]; refused: Set<string> }> {
    const refused = new Set<string>();
    const opened = await Promise.all(msgs.map((m) => this.openOne(m)));
    const shown: ChatMessage[] = [];
    // In order, one after another: a private room's control messages build on each other.
    for (const [i, found] of opened.entries()) {
      const stored = msgs[i]!;
      if (found?.ignored) continue;
      if (found) {
        const msg = await this.controlled(found.msg, found.body);
        if (msg) shown.push(msg);
        continue;
      }
      if (!isSealed(stored.body)) continue;
      if (this.locked.hold(stored, this.keys.length > 0, how)) shown.push(unreadable(stored));
      else if (how !== 'stored') refused.add(stored.id);
    }
    this.refreshMismatch();
    this.keepControl();
    // A key one of these brought (a `prior`) may have opened earlier ones meanwhile: those
    // were shown opened, and their "can't read" rows here are stale.
    return { shown: shown.filter((m) => !m.unreadable || this.locked.has(m.id)), refused };
  }

  /** `msg` as shown: in a private room its roles decide (see `room-control.ts`). */
  private controlled(msg: ChatMessage, body: unknown): Promise<ChatMessage | undefined> {
    const control = this.control;
    const active = this.active;
    return control && active ? control.shown(msg, body, this, active) : Promise.resolve(msg);
  }

  /**
   * Takes one of our own control messages (just posted as `row`, its inner `body`) into the
   * room's state, as if it had come back: its quiet line, and the new key a rotation gave us.
   */
  async own(row: ChatMessage, body: unknown): Promise<ChatMessage | undefined> {
    const shown = await this.controlled(row, body);
    this.keepControl();
    return shown;
  }

  /** Notes the control messages just seen as such in storage (never pruned, always served). */
  private keepControl(): void {
    if (this.active) this.control?.keep(this.active);
  }

  /**
   * Finds the latest sealed message by someone else that none of our keys opens while we hold
   * one: the room is split (a passphrase typed differently, another link's key).
   */
  private refreshMismatch(): void {
    let last: HeldSealed | undefined;
    // Without a key of our own nothing is split: no need to look (a public room in the clear).
    if (this.keys.length > 0)
      for (const m of this.locked.values()) if (m.from.id !== this.active?.self.id) last = m;
    this.mismatch = last && { name: last.from.name };
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
    // Only when a link brought a key: loaded then (see `room-links.ts`).
    const { useInvite } = await import('./room-links.js');
    await useInvite(this, active, invite.key, this.s.fail);
    dropKeyFromHash();
  }

  /** The keys we hold for the room, newest (the one we seal with) first. */
  get entries(): readonly RoomKeyEntry[] {
    return this.keys;
  }

  /**
   * Stores `entry` as `active`'s newest key (what we seal with from now on), or `behind` the
   * others (to open with only); what it opens of the messages held aside is shown at once.
   */
  async add(active: ActiveRoom, entry: RoomKeyEntry, behind = false): Promise<boolean> {
    let keys: RoomKeyEntry[];
    try {
      keys = await addRoomKey(active.db, active.owner, active.room, entry, behind);
    } catch (err) {
      return this.s.fail('storage', `Could not keep the room key in this browser: ${String(err)}`);
    }
    if (!this.s.current(active)) return false;
    this.keys = keys;
    const held = [...this.locked.values()].map((m) => m.id);
    const opened: ChatMessage[] = [];
    // Their bodies are read back from storage a batch at a time (or taken from those whose
    // write is still under way).
    for (let i = 0; i < held.length && this.s.current(active); i += REOPEN_BATCH) {
      const bodies = await storedOf(active, held.slice(i, i + REOPEN_BATCH), this.locked);
      const reopened = await Promise.all(bodies.map((m) => this.openOne(m)));
      for (const found of reopened) {
        if (!found || !this.s.current(active)) continue;
        this.locked.delete(found.msg.id);
        if (found.ignored) continue;
        const msg = await this.controlled(found.msg, found.body);
        if (msg) opened.push(msg);
      }
    }
    if (!this.s.current(active)) return false;
    this.keepControl();
    this.refreshMismatch();
    this.s.show(opened);
    // What the new key opens becomes searchable too (only here, where it was opened).
    if (held.length > 0) reindexLater(active.db, active.owner, active.room);
    return true;
  }

  /** Forgets keys and held messages (the room was left). */
  clear(): void {
    this.control = undefined;
    this.active = undefined;
    this.keys = [];
    this.locked.clear();
    this.mismatch = undefined;
  }

  /** `msg` opened (and the inner body of a kind other than text), or undefined: no key opens it. */
  private async openOne(
    msg: StoredMessage,
  ): Promise<{ msg: ChatMessage; body?: unknown; ignored?: true } | undefined> {
    const opening: { by?: RoomKeyEntry } = {};
    const text = await textOf(msg, this.keys, opening);
    if (text === undefined) return undefined;
    const { unreadBy, ...rest } = msg;
    const { body, ignored, ...said } = text;
    // An event nobody may send (an edit of someone else's message): stored, never shown.
    if (ignored) return { msg: { ...rest, text: '' }, ignored };
    const shown: ChatMessage = { ...rest, ...said };
    if (unreadBy?.length) shown.cantRead = unreadBy;
    if (!text.sealed && this.keys.length > 0) shown.inClear = true;
    // Which key opened it, not which one it names: an outsider's link key must not pass.
    const room = this.active?.room ?? msg.room;
    if (opening.by && isOtherKey(opening.by, this.keys, isPrivateRoom(room))) shown.otherKey = true;
    // Messages stored before identity keys have none.
    if (typeof msg.from.key === 'string') shown.fingerprint = await fingerprintFor(msg.from.key);
    return { msg: shown, body };
  }
}

/**
 * How a sealed message no key of ours opens is shown: one quiet "can't read" line. Its row
 * keeps no body (an empty sealed one in its place): the list would hold it otherwise.
 */
function unreadable(msg: StoredMessage): ChatMessage {
  const { body, ...rest } = msg;
  const kid = (body as SealedBody).kid;
  const empty: SealedBody = { enc: (body as SealedBody).enc, iv: '', ct: '' };
  return { ...rest, body: empty, text: '', unreadable: true, kid };
}

/** The messages of `active`'s room with ids `ids`: not stored yet (in `held`), else stored. */
async function storedOf(
  active: ActiveRoom,
  ids: readonly string[],
  held: HeldLedger,
): Promise<StoredMessage[]> {
  const tx = active.db.transaction('messages', 'readonly');
  const found = await Promise.all(
    ids.map((id) => held.unstoredOne(id) ?? tx.store.get([active.owner, id])),
  );
  await tx.done;
  return found.filter((m): m is StoredMessage => m !== undefined);
}

// Where they were first defined: other modules import them from here.
export { textOf, UNKNOWN_KIND_TEXT, type OpenedText } from './opened-text.js';
