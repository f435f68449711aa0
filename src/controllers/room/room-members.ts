/**
 * The members and roles of one private room, built from its control messages (charter, member
 * announcements, admin grants, rekeys, prior keys — see `protocol/room-roles.ts`) given in history order or
 * live, each once; what is kept is `room-control-log.ts`'s, the rules `room-epochs.ts`'s. It says what views show (members, who
 * may manage, a quiet line per message), hands over a new room key when a rekey addressed to us
 * opens, and makes the bodies to post: our announcement, a grant, a removal or a new key.
 *
 * Everything is bounded: members, grants, rekeys and messages held while not (yet) valid.
 */
import * as v from 'valibot';
import { fromBase64Url, toBase64Url } from '../../protocol/encoding.js';
import { newRawRoomKey, wrapRoomKey, type AgreementKeys } from '../../protocol/key-agreement.js';
import { madeRoom } from '../../protocol/room-id.js';
import { keyIdOf } from '../../protocol/room-key.js';
import {
  isRoomRoleKind,
  MAX_REKEY_KEYS,
  MAX_REKEY_REMOVED,
  readRoomRole,
  RoomTitleSchema,
  type PriorKey,
  type RoomRoleBody,
} from '../../protocol/room-roles.js';
import { ControlLog, MAX_PENDING, MAX_REKEYS } from './room-control-log.js';
import type { Author, Epoch, Held, Roles } from './room-epochs.js';

/** The bounds of what a room keeps (see `room-control-log.ts`). */
export { MAX_GRANTS, MAX_MEMBERS, MAX_REKEYS } from './room-control-log.js';

/** Most older keys taken before we know where they belong (see `RoomMembers.prior`). */
const MAX_UNPLACED = 8;

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

/**
 * A room key for us: store it; seal with it unless `behind` (another key won a race, or it is
 * an older key passed on to open history with). `epoch` is unknown for an older key whose place
 * in the chain we have not seen yet. The bytes are ours no longer: the caller may zero them.
 */
export interface NewRoomKey {
  raw: Uint8Array;
  kid: string;
  epoch?: number;
  behind?: true;
}

/**
 * What a control message did: a quiet line to show, a new key it brought us, and the keys of
 * earlier rekeys to us that it made valid (they arrived before what proves them).
 */
export interface Taken {
  note?: string;
  key?: NewRoomKey;
  earlier?: NewRoomKey[];
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
  private readonly log: ControlLog;
  private readonly seen = new Set<string>();
  private roles: Roles;
  private refusals = 0;
  /** Ids of the keys we opened control messages with: keys we hold. */
  private readonly held = new Set<string>();
  /** Keys passed on to us whose place in the chain we have not seen yet, and who passed them. */
  private readonly unplaced = new Map<string, string>();
  /** Takes run one at a time, in the order given. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly opts: {
      room: string;
      /** Our identity: its id and public key. */
      self: { id: string; key: string };
      /** Our key-agreement key pair. */
      kx: AgreementKeys;
    },
  ) {
    this.log = new ControlLog(opts);
    this.roles = this.log.fold();
  }

  /**
   * Takes one control message (each once; repeats change nothing). Undefined when `msg` is not
   * one; `{ note: undefined }` (counted in {@link refused}) when it is not valid.
   */
  take(msg: ControlMessage): Promise<Taken | undefined> {
    const run = this.queue.then(() => this.takeNow(msg));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async takeNow(msg: ControlMessage): Promise<Taken | undefined> {
    if (!isRoomRoleKind(msg.body)) return undefined;
    if (this.seen.has(msg.id)) return {};
    const body = readRoomRole(msg.body);
    if (!body || msg.room !== this.opts.room || typeof msg.kid !== 'string') return this.refuse();
    this.holding(msg.kid);
    if (body.kind === 'prior') return this.prior(msg.id, msg.kid, msg.from.id, body);
    const held: Held = { id: msg.id, ts: msg.ts, from: { ...msg.from }, kid: msg.kid };
    const firstOfAuthor = !this.log.announced.has(held.from.id);
    if (!(await this.log.keep(held, body, this.roles))) return this.refuse();
    this.seen.add(held.id);
    this.roles = this.log.fold();
    const keys = this.validKeys();
    const key = keys.find((k) => k.id === held.id)?.key;
    const earlier = keys.filter((k) => k.id !== held.id).map((k) => k.key);
    const out: Taken = this.roles.valid.has(held.id)
      ? this.noteOf(held, body, firstOfAuthor)
      : this.refuse();
    if (key) out.key = key;
    if (earlier.length) out.earlier = earlier;
    if (!this.roles.valid.has(held.id) && this.log.pending(this.roles) > MAX_PENDING) {
      this.log.forget(held.id);
      this.seen.delete(held.id);
    }
    return out;
  }

  /**
   * An older key passed on: ours to open history with, if it is the key its id names and, when
   * we know which key came before the one that sealed it, that key. Before we know (a newcomer
   * holding only the newest key) we take keys not yet placed in the chain one per author at a
   * time, {@link MAX_UNPLACED} in all, so one member cannot bury the room's keys under theirs.
   */
  private async prior(id: string, sealedWith: string, by: string, body: PriorKey): Promise<Taken> {
    const raw = fromBase64Url(body.key)!;
    if (body.kid === sealedWith || (await keyIdOf(raw)) !== body.kid) return this.refuse();
    const under = this.roles.epochs.get(sealedWith);
    if (under && under.parent?.kid !== body.kid) return this.refuse();
    for (const [kid] of this.unplaced) if (this.roles.epochs.has(kid)) this.unplaced.delete(kid);
    if (!under && !this.roles.epochs.has(body.kid)) {
      const authors = new Set(this.unplaced.values());
      if (authors.has(by) || this.unplaced.size >= MAX_UNPLACED) return this.refuse();
      this.unplaced.set(body.kid, by);
    }
    this.seen.add(id);
    this.holding(body.kid);
    const epoch = this.roles.epochs.get(body.kid)?.epoch;
    return { key: { raw, kid: body.kid, ...(epoch === undefined ? {} : { epoch }), behind: true } };
  }

  /** Notes that we hold key `kid` (bounded: the oldest noted is dropped first). */
  private holding(kid: string): void {
    this.held.delete(kid);
    this.held.add(kid);
    if (this.held.size > MAX_REKEYS + MAX_PENDING)
      this.held.delete(this.held.values().next().value!);
  }

  /** The keys of rekeys to us that are valid now and not handed over yet. */
  private validKeys(): { id: string; key: NewRoomKey }[] {
    return this.log.takeKeys(this.roles).map(({ id, raw, rekey }) => {
      const { kid, epoch } = rekey.body;
      const key: NewRoomKey = { raw, kid, epoch };
      if (this.roles.top?.kid !== kid) key.behind = true;
      return { id, key };
    });
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
    const ids = new Set(this.log.announced.keys());
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
    if (this.log.announced.get(self)?.some((a) => a.kx === this.opts.kx.publicKey))
      return no('Already announced.');
    return { body: { kind: 'member', kx: this.opts.kx.publicKey }, sealWith: this.sealWith };
  }

  /** The charter of the room we make with `nonce` (our key and it must give the room's id). */
  async charterBody(nonce: string, title: string): Promise<Posting> {
    if (!v.is(RoomTitleSchema, title)) return no('A room title has 1 to 64 characters.');
    if (this.log.charter) return no('This room has its charter already.');
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

  /**
   * The key before the one in force (`raw`, as the caller holds it), posted under the key in
   * force right after a rekey so members invited later can open what came before.
   */
  async priorBody(raw: Uint8Array): Promise<Posting> {
    const sealWith = this.sealWith;
    const kid = await keyIdOf(raw);
    if (raw.length !== 32 || !sealWith || kid === sealWith)
      return no('Not an older key of this room.');
    return { body: { kind: 'prior', kid, key: toBase64Url(raw) }, sealWith };
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
    if (this.log.validRekeys(this.roles) >= MAX_REKEYS)
      return no(`This room's key has changed ${MAX_REKEYS} times; make a new room.`);
    const recipients = this.members
      .filter((m) => !removed.includes(m.id))
      .map((m) => ({ to: m.id, kx: this.log.latest(m.id)?.kx ?? '' }))
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

  /** The quiet line for a valid message, and the key it brought us. */
  private noteOf(held: Held, body: RoomRoleBody, firstOfAuthor: boolean): Taken {
    const by = held.from.name;

    switch (body.kind) {
      case 'room':
        return this.log.charter?.id === held.id ? { note: `${by} made this private room` } : {};
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
        return { note: `${by} changed the room's key${gone}` };
      }
      case 'prior':
        return {};
    }
  }

  private refuse(): Taken {
    this.refusals++;
    return { note: undefined };
  }

  /** Whether we hold `node`'s key: the first one (we read the charter), or one given to us. */
  private holds(node: Epoch): boolean {
    return node.rekey?.ours === true || this.held.has(node.kid);
  }

  private authorOf(id: string): Author | undefined {
    return (
      this.log.latest(id)?.from ?? (id === this.roles.creator?.id ? this.roles.creator : undefined)
    );
  }

  private nameOf(id: string): string {
    return this.authorOf(id)?.name ?? 'someone';
  }
}
