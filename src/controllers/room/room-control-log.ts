/**
 * What a private room keeps of its control messages (see `room-members.ts`): the charter, each
 * member's announcements, admin grants and rekeys, each within its bound, and the keys of
 * rekeys to us until they are handed over. A charter is kept only if it proves who made the
 * room; a rekey to us only if our copy of its key opens and is the key it names. Whether the
 * rest is valid is the fold's to say (`room-epochs.ts`), over everything kept.
 */
import { unwrapRoomKey, type AgreementKeys } from '../../protocol/key-agreement.js';
import { madeRoom } from '../../protocol/room-id.js';
import { keyIdOf } from '../../protocol/room-key.js';
import type { RoomRoleBody } from '../../protocol/room-roles.js';
import {
  before,
  foldRoles,
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
export const MAX_PENDING = 64;

/** Who we are, to a room's log: to open the keys wrapped for us. */
export interface LogOwner {
  room: string;
  self: { id: string; key: string };
  kx: AgreementKeys;
}

/** The control messages one private room keeps. */
export class ControlLog {
  charter: HeldCharter | undefined;
  readonly announced = new Map<string, HeldMember[]>();
  private grants: HeldGrant[] = [];
  private rekeys: HeldRekey[] = [];
  /** New keys of rekeys to us, by the rekey's id, until the rekey is valid and they go. */
  private readonly unsent = new Map<string, Uint8Array>();

  constructor(private readonly owner: LogOwner) {}

  /** The roles all that is kept gives. */
  fold(): Roles {
    return foldRoles({
      charter: this.charter,
      members: this.announced,
      grants: this.grants,
      rekeys: this.rekeys,
    });
  }

  /**
   * Keeps a well-formed message; false when it cannot be (a charter that does not prove who
   * made the room, a bound reached, a new key for us that does not open or is not its id's).
   */
  async keep(held: Held, body: RoomRoleBody, roles: Roles): Promise<boolean> {
    switch (body.kind) {
      case 'room': {
        if (!(await madeRoom(this.owner.room, held.from.key, body.nonce))) return false;
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
        if (this.validRekeys(roles) >= MAX_REKEYS) return false;
        const { self, kx, room } = this.owner;
        const mine = body.keys.find((k) => k.to === self.id);
        const rekey: HeldRekey = { ...held, body };
        if (mine) {
          const raw = await unwrapRoomKey({ room, epoch: body.epoch }, body.eph, mine, self.id, kx);
          // A key we cannot open, or not the key its id names: not for us to follow.
          if (!raw || (await keyIdOf(raw)) !== body.kid) return false;
          rekey.ours = true;
          this.unsent.set(held.id, raw);
        }
        this.rekeys.push(rekey);
        return true;
      }
      case 'prior':
        return false; // not kept: a key to open history with (see RoomMembers.take)
    }
  }

  /**
   * The keys of rekeys to us that are valid in `roles` and not handed over yet, by rekey id;
   * each is handed over once, then forgotten here.
   */
  takeKeys(roles: Roles): { id: string; raw: Uint8Array; rekey: HeldRekey }[] {
    const out: { id: string; raw: Uint8Array; rekey: HeldRekey }[] = [];
    for (const [id, raw] of this.unsent) {
      const rekey = this.rekeys.find((r) => r.id === id);
      if (!rekey || !roles.valid.has(id)) continue;
      this.unsent.delete(id);
      out.push({ id, raw, rekey });
    }
    return out;
  }

  /** The newest announcement of member `id`. */
  latest(id: string): HeldMember | undefined {
    const list = this.announced.get(id);
    return list?.[list.length - 1];
  }

  /** How many rekeys are valid in `roles`. */
  validRekeys(roles: Roles): number {
    return this.rekeys.filter((r) => roles.valid.has(r.id)).length;
  }

  /** How many grants and rekeys are kept while not valid in `roles`. */
  pending(roles: Roles): number {
    const v = roles.valid;
    return (
      this.grants.filter((g) => !v.has(g.id)).length +
      this.rekeys.filter((r) => !v.has(r.id)).length
    );
  }

  /** Drops grant or rekey `id` (one not valid, past the pending bound). */
  forget(id: string): void {
    this.unsent.delete(id);
    this.grants = this.grants.filter((g) => g.id !== id);
    this.rekeys = this.rekeys.filter((r) => r.id !== id);
  }
}
