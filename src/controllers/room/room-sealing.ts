/**
 * End-to-end encryption of one room for the room controller: the keys this account holds for
 * the room, sealing our bodies with the newest (naming it by its id), and opening what arrives
 * or is stored. A message no key opens is shown as one "can't read" line, remembered, and
 * opened in place as soon as the right key is added — stored envelopes stay sealed, so nothing
 * has to be received again. A sealed message that names a key we do not hold, while we hold
 * one, means the room is split (a mistyped passphrase): that is said at once (`mismatch`).
 */
import type { ChatBody, Envelope } from '../../protocol/chat-events.js';
import { readBody, readMessage } from '../../protocol/message-body.js';
import { safetyCode } from '../../protocol/identity.js';
import { seal, type SealedBody } from '../../protocol/room-key.js';
import { markControl, messagesSince } from '../../store/history.js';
import { sealingHeader, type EnvelopeHeader } from '../../protocol/signed-envelope.js';
import { addRoomKey, roomKeysOf, type RoomKeyEntry } from '../../store/room-keys.js';
import type { StoredMessage } from '../../store/schema.js';
import type { ChatMessage } from './message-list.js';
import { fingerprintOf } from '../presence/roster.js';
import type { ProblemCode } from '../shared/problem.js';
import { dropKeyFromHash } from './room-address.js';
import type { ActiveRoom } from './room-context.js';
import type { RoomControl } from './room-control.js';
import { isPrivateRoom } from '../../protocol/room-id.js';
import { inviteKey, inviteLink, roomLink, passphraseKey, passphraseProblem } from './room-keys.js';

/** What the sealing needs of the room controller. */
export interface SealingServices {
  /** Whether `active` is still the room being shown. */
  current: (active: ActiveRoom) => boolean;
  /** Shows messages a new key opened. */
  show: (opened: ChatMessage[]) => void;
  fail: (code: ProblemCode, message: string) => false;
}

/** The control chunk's class, once loaded (see {@link RoomSealing.load}). */
let RoomControlClass: typeof RoomControl | undefined;

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
  /** A private room's members and roles (undefined in a public room). */
  control: RoomControl | undefined;
  /** The room the keys are for. */
  private active: ActiveRoom | undefined;

  /**
   * The author of the newest sealed message none of our keys opens, while we hold a key: the
   * room is split (someone typed the passphrase differently, or holds another link's key).
   */
  mismatch: { name: string } | undefined;

  constructor(private readonly s: SealingServices) {}

  /** Takes the keys of the room just entered (none: the room is in the clear). */
  async load(active: ActiveRoom): Promise<void> {
    this.clear();
    this.selfId = active.self.id;
    this.active = active;
    this.keys = await roomKeysOf(active.db, active.owner, active.room);
    if (isPrivateRoom(active.room)) {
      // Members, roles and key changes: a chunk of its own, for private rooms only.
      const { RoomControl } = await import('./room-control.js');
      RoomControlClass = RoomControl;
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

  /** Whether message `id` is held sealed. */
  lockedOne(id: string): StoredMessage | undefined {
    return this.locked.get(id);
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
    const opened = await Promise.all(msgs.map((m) => this.openOne(m)));
    const shown: ChatMessage[] = [];
    // In order, one after another: a private room's control messages build on each other.
    for (const [i, found] of opened.entries()) {
      const stored = msgs[i]!;
      if (found) {
        const msg = await this.controlled(found.msg, found.body);
        if (msg) shown.push(msg);
        continue;
      }
      if (!isSealed(stored.body)) continue;
      if (this.locked.size < MAX_LOCKED || this.locked.has(stored.id)) {
        this.locked.set(stored.id, stored);
        shown.push(unreadable(stored));
      }
    }
    this.refreshMismatch();
    this.keepControl();
    // A key one of these brought (a `prior`) may have opened earlier ones meanwhile: those
    // were shown opened, and their "can't read" rows here are stale.
    return shown.filter((m) => !m.unreadable || this.locked.has(m.id));
  }

  /**
   * `msg` as shown in a private room: a control message as its quiet line (or not at all when
   * refused), a new room key it brings stored; words by a member after their removal hidden.
   */
  private async controlled(msg: ChatMessage, body: unknown): Promise<ChatMessage | undefined> {
    const control = this.control;
    if (!control) return msg;
    if (body === undefined || !RoomControlClass?.is(body)) {
      return control.removedWhen(msg.from.id, msg.ts) ? undefined : msg;
    }
    const taken = await control.take(msg, body);
    const active = this.active;
    this.controlSeen.push(msg.id);
    if (taken.key && active) await this.addRotated(active, taken.key);
    for (const text of taken.earlier ?? []) {
      if (active) await this.addRotated(active, { text, behind: true });
    }
    // The key in force can change with any message (a race settled, a rekey made valid late):
    // we seal with the one the room's roles say, once we hold it.
    const inForce = control.members.sealWith;
    const held = inForce === undefined ? undefined : this.keys.find((k) => k.kid === inForce);
    if (active && held && this.keys[0] !== held) await this.add(active, held);
    if (taken.note === undefined) return undefined;
    const { unknown: _u, ...rest } = msg;
    return { ...rest, text: '', note: taken.note };
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

  /** Control messages seen since the last {@link keepControl}. */
  private controlSeen: string[] = [];

  /** Notes the control messages just seen as such in storage (never pruned, always served). */
  private keepControl(): void {
    const active = this.active;
    const ids = this.controlSeen.splice(0);
    if (!active || ids.length === 0) return;
    markControl(active.db, active.owner, active.room, ids).catch(() => {
      // Not noted: retention may prune it one day, like any message — nothing else is lost.
    });
  }

  /** Stores a room key a rotation gave us: sealed with from now on, unless another won. */
  private async addRotated(active: ActiveRoom, key: { text: string; behind: boolean }) {
    const entry = await inviteKey(key.text);
    if (entry) await this.add(active, entry, key.behind);
  }

  /** Our identity id in the room shown (our own sealed words never signal a split). */
  private selfId: string | undefined;

  /**
   * Finds the newest sealed message by someone else that none of our keys opens while we hold
   * one: the room is split (a passphrase typed differently, another link's key).
   */
  private refreshMismatch(): void {
    this.mismatch = undefined;
    if (this.keys.length === 0) return;
    let newest: StoredMessage | undefined;
    for (const m of this.locked.values()) {
      if (m.from.id !== this.selfId && (!newest || m.ts >= newest.ts)) newest = m;
    }
    if (newest) this.mismatch = { name: newest.from.name };
  }

  /**
   * How many of `active`'s stored sealed messages (the newest {@link PREVIEW_SCAN}) the key of
   * `passphrase` opens, before it is used: nothing is stored or changed.
   */
  async previewPassphrase(
    active: ActiveRoom,
    passphrase: string,
  ): Promise<{ opens: number; sealed: number }> {
    if (passphraseProblem(passphrase)) return { opens: 0, sealed: 0 };
    const entry = await passphraseKey(passphrase, active.room);
    const stored = await messagesSince(active.db, active.owner, active.room, 0, PREVIEW_SCAN, {
      local: true,
    });
    const sealed = stored.filter((m) => isSealed(m.body));
    const opened = await Promise.all(
      sealed.map((m) => readMessage(m, [entry]).then((r) => r !== undefined)),
    );
    return { opens: opened.filter(Boolean).length, sealed: sealed.length };
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
   * Puts `active`'s invite link on the clipboard (see {@link inviteLink}); resolves with the
   * link and whether the clipboard took it (else the visitor copies it by hand).
   */
  copyInviteLink(
    active: ActiveRoom,
    title?: string,
  ): Promise<{ link: string; copied: boolean } | undefined> {
    return toClipboard(this.inviteLink(active, location.href, title));
  }

  /**
   * The link to `active`'s room: with the key we seal with (a private room's, a passphrase's,
   * one a link brought) and the room's title, else the plain `#room=` link. It never makes or
   * changes a key: every button copies the same link for the same key (a key stored before
   * keys kept their text gives the plain link; its passphrase typed again gives the full one).
   */
  inviteLink(active: ActiveRoom, base: string, title?: string): string {
    const invite = this.keys[0]?.invite;
    return invite ? inviteLink(base, active.room, invite, title) : roomLink(base, active.room);
  }

  /** The text of our key named `kid`, if we hold it with its text. */
  keyText(kid: string | undefined): string | undefined {
    return kid === undefined ? undefined : this.keys.find((k) => k.kid === kid)?.invite;
  }

  /** Whether the invite link carries the room's key (else whoever follows it needs the key). */
  get linkHasKey(): boolean {
    return this.keys[0]?.invite !== undefined;
  }

  /** Adds a key another member sent us (a rotation), to seal with from now on. */
  async useRotated(active: ActiveRoom, text: string): Promise<boolean> {
    const entry = await inviteKey(text);
    return entry ? this.add(active, entry) : false;
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
    const reopened = await Promise.all(held.map((m) => this.openOne(m)));
    const opened: ChatMessage[] = [];
    for (const found of reopened) {
      if (!found || !this.s.current(active)) continue;
      this.locked.delete(found.msg.id);
      const msg = await this.controlled(found.msg, found.body);
      if (msg) opened.push(msg);
    }
    if (!this.s.current(active)) return false;
    this.keepControl();
    this.refreshMismatch();
    this.s.show(opened);
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
  ): Promise<{ msg: ChatMessage; body?: unknown } | undefined> {
    const text = await textOf(msg, this.keys);
    if (text === undefined) return undefined;
    const { unreadBy, ...rest } = msg;
    const { body, ...said } = text;
    const shown: ChatMessage = { ...rest, ...said };
    if (unreadBy?.length) shown.cantRead = unreadBy;
    if (!text.sealed && this.keys.length > 0) shown.inClear = true;
    // Messages stored before identity keys have none.
    if (typeof msg.from.key === 'string') shown.fingerprint = await fingerprintFor(msg.from.key);
    return { msg: shown, body };
  }
}

/** Sealed messages looked at when a passphrase is previewed (the newest ones). */
const PREVIEW_SCAN = 5000;

/** How a sealed message no key of ours opens is shown: one quiet "can't read" line. */
function unreadable(msg: StoredMessage): ChatMessage {
  const { unreadBy: _u, ...rest } = msg;
  const kid = (msg.body as SealedBody).kid;
  return { ...rest, text: '', unreadable: true, ...(kid ? { kid } : {}) };
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
): Promise<
  { text: string; sealed?: true; kid?: string; unknown?: string; body?: unknown } | undefined
> {
  const read = await readMessage(msg, keys);
  if (!read) return undefined;
  const sealed = read.sealed ? { sealed: true as const } : {};
  const kid = read.kid ? { kid: read.kid } : {};
  if (read.text !== undefined) return { text: read.text, ...sealed, ...kid };
  return { text: UNKNOWN_KIND_TEXT, ...sealed, ...kid, unknown: read.kind, body: read.body };
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
