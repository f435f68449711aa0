/**
 * The members and roles of one private room, built from its control messages (charter, member
 * announcements, admin grants, rekeys — see `protocol/room-roles.ts`) given in history order or
 * live, each once; the rules live in `room-epochs.ts`. It says what views show (members, who
 * may manage, a quiet line per message), hands over a new room key when a rekey addressed to us
 * opens, and makes the bodies to post: our announcement, a grant, a removal or a new key.
 *
 * Everything is bounded: members, grants, rekeys and messages held while not (yet) valid.
 */
import * as v from 'valibot';
import { keyIdOf } from '../../protocol/room-key.js';
import { madeRoom } from '../../protocol/room-id.js';
import {
  newRawRoomKey,
  unwrapRoomKey,
  wrapRoomKey,
  type AgreementKeys,
} from '../../protocol/key-agreement.js';
import {
  isRoomRoleKind,
  MAX_REKEY_KEYS,
  MAX_REKEY_REMOVED,
  readRoomRole,
  RoomTitleSchema,
  type RoomRoleBody,
} from '../../protocol/room-roles.js';
import {
  before,
  foldRoles,
  type Author,
  type Epoch,
  type Held,
  type HeldCharter,
  type HeldGrant,
  type HeldMember,
  type HeldRekey,
  type Roles,
} from './room-epochs.js';

/** Most members (distinct announcing authors) one room keeps. */
export const MAX_MEMBERS = 1000;
/** Announcements kept per member (the newest). */
const MAX_ANNOUNCEMENTS = 8;
/** Most admin grants kept. */
export const MAX_GRANTS = 1000;
/** Most valid rekeys kept: a room's key changes at most this many times. */
export const MAX_REKEYS = 100;
/** Most grants and rekeys kept while not valid (waiting for what makes them valid). */
const MAX_PENDING = 64;

/** A control message as the room controller passes it, its body opened. */
export interface ControlMessage {
  id: string;
  room: string;
  ts: number;
  from: Author;
  /** The opened (inner) body. */
  body: unknown;
  /** The id of the room key that opened it; a control message must travel sealed. */
  kid?: string;
}

/** A member as views show them. */
export interface MemberEntry {
  id: string;
  name: string;
  /** The identity's public key. */
  key: string;
  admin: boolean;
  creator: boolean;
  self: boolean;
  /** Whether we may remove them. */
  canRemove: boolean;
}

/** A new room key for us: store it; seal with it unless `behind` (another key won a race). */
export interface NewRoomKey {
  raw: Uint8Array;
  kid: string;
  epoch: number;
  behind?: true;
}

/** What a control message did: a quiet line to show, a new key for us. */
export interface Taken {
  note?: string;
  key?: NewRoomKey;
}

/**
 * A body to post, sealed under the key `sealWith` (the key in force: anything else is not
 * valid); a rekey also gives the new key, to store and seal with at once. Or why not.
 */
export type Posting =
  | { body: RoomRoleBody; sealWith?: string; key?: NewRoomKey; reason?: undefined }
  | { body?: undefined; sealWith?: undefined; key?: undefined; reason: string };

const no = (reason: string): Posting => ({ reason });

/** `names` as words: "Carol", "Carol and Dave", "Carol, Dave and Eve". */
function listed(names: readonly string[]): string {
  return names.length < 2
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** One private room's members and roles. */
export class RoomMembers {
  private charter: HeldCharter | undefined;
  private readonly announced = new Map<string, HeldMember[]>();
  private grants: HeldGrant[] = [];
  private rekeys: HeldRekey[] = [];
  private readonly seen = new Set<string>();
  private roles: Roles = foldRoles({ members: this.announced, grants: [], rekeys: [] });
  private refusals = 0;

  constructor(
    private readonly opts: {
      room: string;
      /** Our identity: its id and public key. */
      self: { id: string; key: string };
      /** Our key-agreement key pair. */
      kx: AgreementKeys;
    },
  ) {}

  /**
   * Takes one control message (each once; repeats change nothing). Undefined when `msg` is not
   * one; `{ note: undefined }` (counted in {@link refused}) when it is not valid.
   */
  async take(msg: ControlMessage): Promise<Taken | undefined> {
    if (!isRoomRoleKind(msg.body)) return undefined;
    if (this.seen.has(msg.id)) return {};
    const body = readRoomRole(msg.body);
    if (!body || msg.room !== this.opts.room || typeof msg.kid !== 'string') return this.refuse();
    const held: Held = { id: msg.id, ts: msg.ts, from: { ...msg.from }, kid: msg.kid };
    const firstOfAuthor = !this.announced.has(held.from.id);
    const stored = await this.keep(held, body);
    if (!stored) return this.refuse();
    this.seen.add(held.id);
    this.roles = this.fold();
    if (!this.roles.valid.has(held.id)) {
      if (this.pending() > MAX_PENDING) this.forget(held.id);
      return this.refuse();
    }
    return this.noteOf(held, body, firstOfAuthor);
  }

  /** How many control messages were refused (malformed, not allowed, a bad wrapped key). */
  get refused(): number {
    return this.refusals;
  }

  /** The room's title, from its charter. */
  get title(): string | undefined {
    return this.roles.title;
  }

  /** The id of the room's creator (once its charter is known). */
  get creatorId(): string | undefined {
    return this.roles.creator?.id;
  }

  /** The epoch of the key in force (0: the room's first key). */
  get epoch(): number {
    return this.roles.top?.epoch ?? 0;
  }

  /**
   * The id of the key in force, when we hold it: what our messages are sealed with. Undefined
   * before the charter is known, or when the key in force was not given to us.
   */
  get sealWith(): string | undefined {
    const top = this.roles.top;
    return top && this.holds(top) ? top.kid : undefined;
  }

  /** Whether we are the creator or an admin, and hold the key in force. */
  get canManage(): boolean {
    const top = this.roles.top;
    return !!top && this.holds(top) && top.admins.has(this.opts.self.id);
  }

  /** The members: the creator first, then admins, then by name; removed ones left out. */
  get members(): MemberEntry[] {
    const top = this.roles.top;
    const creator = this.roles.creator;
    const ids = new Set(this.announced.keys());
    if (creator) ids.add(creator.id);
    const manage = this.canManage;
    const out: MemberEntry[] = [];
    for (const id of ids) {
      if (top?.removed.has(id)) continue;
      const who = this.authorOf(id)!;
      const isCreator = id === creator?.id;
      const self = id === this.opts.self.id;
      out.push({
        id,
        name: who.name,
        key: who.key,
        admin: isCreator || !!top?.admins.has(id),
        creator: isCreator,
        self,
        canRemove: manage && !isCreator && !self,
      });
    }
    const rank = (m: MemberEntry) => (m.creator ? 0 : m.admin ? 1 : 2);
    return out.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  }

  /** Whether `id` was removed (and not given the key again since). */
  isRemoved(id: string): boolean {
    return this.roles.top?.removed.has(id) ?? false;
  }

  /** The epoch from which `id` is removed, if they are. */
  removedSince(id: string): number | undefined {
    return this.roles.top?.removed.get(id);
  }

  /** Our announcement, unless it is already in the room with our current key-agreement key. */
  memberBody(): Posting {
    const self = this.opts.self.id;
    if (this.isRemoved(self)) return no('You were removed from this room.');
    if (this.announced.get(self)?.some((a) => a.kx === this.opts.kx.publicKey))
      return no('Already announced.');
    return { body: { kind: 'member', kx: this.opts.kx.publicKey }, sealWith: this.sealWith };
  }

  /** The charter of the room we make with `nonce` (our key and it must give the room's id). */
  async charterBody(nonce: string, title: string): Promise<Posting> {
    if (!v.is(RoomTitleSchema, title)) return no('A room title has 1 to 64 characters.');
    if (this.charter) return no('This room has its charter already.');
    if (!(await madeRoom(this.opts.room, this.opts.self.key, nonce)))
      return no('This room was not made with this identity and nonce.');
    return { body: { kind: 'room', nonce, title } };
  }

  /** A grant making `memberId` an admin. */
  adminBody(memberId: string): Posting {
    if (!this.canManage) return no("Only the room's creator and its admins can make admins.");
    const target = this.members.find((m) => m.id === memberId);
    if (!target) return no('They are not a member of this room.');
    if (target.admin) return no(`${target.name} is an admin already.`);
    return { body: { kind: 'admin', member: memberId }, sealWith: this.sealWith };
  }

  /** A new room key for everyone but `memberId`, who is named as removed. */
  removeBody(memberId: string): Promise<Posting> {
    const target = this.members.find((m) => m.id === memberId);
    if (!target) return Promise.resolve(no('They are not a member of this room.'));
    if (target.creator) return Promise.resolve(no("The room's creator can't be removed."));
    if (target.self) return Promise.resolve(no('You cannot remove yourself; leave the room.'));
    return this.rekeyBody([memberId]);
  }

  /** A new room key for every member. */
  changeKeyBody(): Promise<Posting> {
    return this.rekeyBody([]);
  }

  private async rekeyBody(removed: string[]): Promise<Posting> {
    const top = this.roles.top;
    if (!top || !this.canManage)
      return no("Only the room's creator and its admins can change the room's key.");
    if (removed.length > MAX_REKEY_REMOVED) return no('Too many members removed at once.');
    if (this.validRekeys() >= MAX_REKEYS)
      return no(`This room's key has changed ${MAX_REKEYS} times; make a new room.`);
    const recipients = this.members
      .filter((m) => !removed.includes(m.id))
      .map((m) => ({ to: m.id, kx: this.latest(m.id)?.kx ?? '' }))
      .filter((r) => r.kx || r.to === this.opts.self.id);
    const self = recipients.find((r) => r.to === this.opts.self.id);
    if (self) self.kx = this.opts.kx.publicKey;
    else recipients.push({ to: this.opts.self.id, kx: this.opts.kx.publicKey });
    if (recipients.length > MAX_REKEY_KEYS)
      return no(`A room's key can go to at most ${MAX_REKEY_KEYS} members at once.`);
    const epoch = top.epoch + 1;
    const { raw, kid } = await newRawRoomKey();
    const wrapped = await wrapRoomKey(raw, { room: this.opts.room, epoch }, recipients);
    const keyed = new Set(wrapped.keys.map((k) => k.to));
    const admins = [...top.admins].filter((a) => a !== this.roles.creator?.id && keyed.has(a));
    const body: RoomRoleBody = {
      kind: 'rekey',
      epoch,
      kid,
      removed,
      admins: admins.sort(),
      eph: wrapped.eph,
      keys: wrapped.keys,
    };
    return { body, sealWith: top.kid, key: { raw, kid, epoch } };
  }

  /** Keeps a well-formed message; false when it cannot be (forged charter, bounds, bad key). */
  private async keep(held: Held, body: RoomRoleBody): Promise<boolean> {
    switch (body.kind) {
      case 'room': {
        if (!(await madeRoom(this.opts.room, held.from.key, body.nonce))) return false;
        // The creator's charter posted twice (two tabs): the first one counts.
        if (!this.charter || before(held, this.charter) < 0)
          this.charter = { ...held, title: body.title };
        return true;
      }
      case 'member': {
        const list = this.announced.get(held.from.id) ?? [];
        if (!list.length && this.announced.size >= MAX_MEMBERS) return false;
        list.push({ ...held, kx: body.kx });
        list.sort(before);
        if (list.length > MAX_ANNOUNCEMENTS) list.shift();
        this.announced.set(held.from.id, list);
        return true;
      }
      case 'admin':
        if (this.grants.length >= MAX_GRANTS) return false;
        this.grants.push({ ...held, member: body.member });
        return true;
      case 'rekey': {
        if (this.validRekeys() >= MAX_REKEYS) return false;
        const mine = body.keys.find((k) => k.to === this.opts.self.id);
        const rekey: HeldRekey = { ...held, body };
        if (mine) {
          const ctx = { room: this.opts.room, epoch: body.epoch };
          const raw = await unwrapRoomKey(ctx, body.eph, mine, this.opts.self.id, this.opts.kx);
          // A key we cannot open, or not the key its id names: not for us to follow.
          if (!raw || (await keyIdOf(raw)) !== body.kid) return false;
          rekey.raw = raw;
        }
        this.rekeys.push(rekey);
        return true;
      }
    }
  }

  private fold(): Roles {
    return foldRoles({
      charter: this.charter,
      members: this.announced,
      grants: this.grants,
      rekeys: this.rekeys,
    });
  }

  /** The quiet line for a valid message, and the key it brought us. */
  private noteOf(held: Held, body: RoomRoleBody, firstOfAuthor: boolean): Taken {
    const by = held.from.name;
    const top = this.roles.top;
    switch (body.kind) {
      case 'room':
        return this.charter?.id === held.id ? { note: `${by} made this private room` } : {};
      case 'member':
        return firstOfAuthor && held.from.id !== this.roles.creator?.id
          ? { note: `${by} joined the room` }
          : {};
      case 'admin':
        return this.roles.granted.has(held.id)
          ? { note: `${by} made ${this.nameOf(body.member)} an admin` }
          : {};
      case 'rekey': {
        const names = body.removed.map((id) =>
          id === this.opts.self.id ? 'you' : this.nameOf(id),
        );
        const gone =
          names.length === 0
            ? ''
            : ` — ${listed(names)} ${names.length > 1 || names[0] === 'you' ? 'were' : 'was'} removed`;
        const out: Taken = { note: `${by} changed the room's key${gone}` };
        const raw = this.rekeys.find((r) => r.id === held.id)?.raw;
        if (raw) {
          out.key = { raw, kid: body.kid, epoch: body.epoch };
          if (top?.kid !== body.kid) out.key.behind = true;
        }
        return out;
      }
    }
  }

  private refuse(): Taken {
    this.refusals++;
    return { note: undefined };
  }

  /** Whether we hold `node`'s key: the first one (we read the charter), or one given to us. */
  private holds(node: Epoch): boolean {
    return node.epoch === 0 || node.rekey?.raw !== undefined;
  }

  private latest(id: string): HeldMember | undefined {
    const list = this.announced.get(id);
    return list?.[list.length - 1];
  }

  private authorOf(id: string): Author | undefined {
    return (
      this.latest(id)?.from ?? (id === this.roles.creator?.id ? this.roles.creator : undefined)
    );
  }

  private nameOf(id: string): string {
    return this.authorOf(id)?.name ?? 'someone';
  }

  private validRekeys(): number {
    return this.rekeys.filter((r) => this.roles.valid.has(r.id)).length;
  }

  /** Grants and rekeys kept while not valid. */
  private pending(): number {
    const v = this.roles.valid;
    return (
      this.grants.filter((g) => !v.has(g.id)).length +
      this.rekeys.filter((r) => !v.has(r.id)).length
    );
  }

  private forget(id: string): void {
    this.grants = this.grants.filter((g) => g.id !== id);
    this.rekeys = this.rekeys.filter((r) => r.id !== id);
    this.seen.delete(id);
  }
}
