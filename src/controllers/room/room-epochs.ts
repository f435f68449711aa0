/**
 * The roles of a private room as one deterministic function of its control messages (see
 * `room-members.ts`, which holds them): whoever holds the same set of messages reaches the same
 * state, whatever order they arrived in.
 *
 * The room's keys form a chain of epochs. Epoch 0 is the key that sealed the charter; a rekey
 * sealed under a key of epoch e names epoch e + 1 and is valid only if its author was the
 * creator or an admin at epoch e. Because every rekey must be sealed under the key it replaces,
 * a removed member — who never gets the new key — cannot extend the chain from it; and because
 * each rekey restates who stays admin, a grant a removed admin signs afterwards under an older
 * key (dated as early as they like) never reaches the new epoch. Two rekeys at one epoch race:
 * one whose author the other removes is out (two admins removing each other are both out;
 * nobody can remove the creator), then the highest epoch wins, the smallest key id first.
 */
import type { Rekey } from '../../protocol/room-roles.js';

/** An author as the signed envelope names them. */
export interface Author {
  id: string;
  name: string;
  key: string;
}

/** A control message as kept: who signed it, when, and the id of the key that sealed it. */
export interface Held {
  id: string;
  ts: number;
  from: Author;
  kid: string;
}

/** A kept charter. */
export interface HeldCharter extends Held {
  title: string;
}
/** A kept member announcement. */
export interface HeldMember extends Held {
  kx: string;
}
/** A kept admin grant. */
export interface HeldGrant extends Held {
  member: string;
}
/** A kept rekey; `ours` when it was addressed to us and its key opened (the key is not kept). */
export interface HeldRekey extends Held {
  body: Rekey;
  ours?: true;
}

/** One key of the chain and the room's roles under it. */
export interface Epoch {
  kid: string;
  epoch: number;
  parent?: Epoch;
  /** The rekey that made it (none for epoch 0). */
  rekey?: HeldRekey;
  /** Who may manage the room under this key: the creator, and the admins. */
  admins: Set<string>;
  /** Who was removed, and at which epoch (kept along the chain). */
  removed: Map<string, number>;
}

/** What the messages say, as a whole. */
export interface Roles {
  creator?: Author;
  title?: string;
  /** Every valid epoch, by key id. */
  epochs: Map<string, Epoch>;
  /** The epoch in force (highest, then smallest key id). */
  top?: Epoch;
  /** Ids of the messages that are valid. */
  valid: Set<string>;
  /** Ids of the grants that made someone an admin (not a repeat). */
  granted: Set<string>;
}

/** What the fold reads. */
export interface Kept {
  charter?: HeldCharter;
  /** Announcements, per author, oldest first. */
  members: ReadonlyMap<string, readonly HeldMember[]>;
  grants: readonly HeldGrant[];
  rekeys: readonly HeldRekey[];
}

/** Order of messages: by time, then by id (as every member sorts history). */
export function before(a: Held, b: Held): number {
  return a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Whether `older` is `node` or one of its ancestors. */
function onChain(older: Epoch, node: Epoch): boolean {
  for (let n: Epoch | undefined = node; n; n = n.parent) if (n === older) return true;
  return false;
}

/** Whether `r` may follow `parent`: its author manages the room there; the creator stays. */
function mayRekey(r: HeldRekey, parent: Epoch, creator: string): boolean {
  const by = r.from.id;
  return (
    parent.admins.has(by) &&
    !parent.removed.has(by) &&
    !r.body.removed.includes(creator) &&
    !r.body.removed.includes(by)
  );
}

/** The state the kept messages give. */
export function foldRoles(kept: Kept): Roles {
  const roles: Roles = { epochs: new Map(), valid: new Set(), granted: new Set() };
  const charter = kept.charter;
  if (!charter) {
    // Nothing can be judged before the charter but who announced themselves.
    for (const list of kept.members.values()) for (const a of list) roles.valid.add(a.id);
    return roles;
  }
  const creator = charter.from;
  Object.assign(roles, { creator, title: charter.title });
  roles.valid.add(charter.id);
  const root: Epoch = {
    kid: charter.kid,
    epoch: 0,
    admins: new Set([creator.id]),
    removed: new Map(),
  };
  roles.epochs.set(root.kid, root);
  // Grants by the key that sealed them, each list in order (one pass, whatever the chain).
  const grantsByKey = new Map<string, HeldGrant[]>();
  for (const g of [...kept.grants].sort(before)) {
    const list = grantsByKey.get(g.kid) ?? [];
    list.push(g);
    grantsByKey.set(g.kid, list);
  }
  grantsUnder(root, grantsByKey, kept, roles);

  const byEpoch = new Map<number, HeldRekey[]>();
  for (const r of kept.rekeys) {
    const level = byEpoch.get(r.body.epoch) ?? [];
    level.push(r);
    byEpoch.set(r.body.epoch, level);
  }
  for (let epoch = 1; byEpoch.has(epoch); epoch++) {
    const candidates = byEpoch.get(epoch)!.filter((r) => {
      const parent = roles.epochs.get(r.kid);
      return parent?.epoch === epoch - 1 && mayRekey(r, parent, creator.id);
    });
    // A rekey whose author another one (by someone else) removes is out; never the creator's.
    const standing = candidates
      .filter(
        (r) =>
          r.from.id === creator.id ||
          !candidates.some((o) => o.from.id !== r.from.id && o.body.removed.includes(r.from.id)),
      )
      .sort(before);
    let any = false;
    for (const r of standing) {
      if (roles.epochs.has(r.body.kid)) continue; // a key id already in the chain: a replay
      const parent = roles.epochs.get(r.kid)!;
      const node: Epoch = {
        kid: r.body.kid,
        epoch,
        parent,
        rekey: r,
        admins: new Set([creator.id, ...r.body.admins]),
        removed: new Map(parent.removed),
      };
      for (const id of r.body.removed) node.removed.set(id, epoch);
      for (const k of r.body.keys) node.removed.delete(k.to); // given the key again
      roles.epochs.set(node.kid, node);
      readmit(node, kept, roles);
      roles.valid.add(r.id);
      grantsUnder(node, grantsByKey, kept, roles);
      any = true;
    }
    if (!any) break;
  }
  for (const node of roles.epochs.values()) {
    const top = roles.top;
    if (!top || node.epoch > top.epoch || (node.epoch === top.epoch && node.kid < top.kid))
      roles.top = node;
  }
  // An announcement counts unless its author is removed (and was not given the key again).
  for (const [id, list] of kept.members)
    if (!roles.top?.removed.has(id)) for (const a of list) roles.valid.add(a.id);
  return roles;
}

/**
 * Takes back into `node` removed members who announced themselves under a key of this chain
 * given at or after their removal: someone gave them the key again.
 */
function readmit(node: Epoch, kept: Kept, roles: Roles): void {
  for (const [id, since] of node.removed) {
    const again = kept.members.get(id)?.some((a) => {
      const under = roles.epochs.get(a.kid);
      return under !== undefined && under.epoch >= since && onChain(under, node);
    });
    if (again) node.removed.delete(id);
  }
}

/** Applies the grants sealed under `node`'s key, in order, each by someone admin by then. */
function grantsUnder(
  node: Epoch,
  byKey: ReadonlyMap<string, HeldGrant[]>,
  kept: Kept,
  roles: Roles,
): void {
  for (const g of byKey.get(node.kid) ?? []) {
    const by = g.from.id;
    if (!node.admins.has(by) || node.removed.has(by)) continue;
    if (!kept.members.has(g.member) || node.removed.has(g.member)) continue;
    roles.valid.add(g.id);
    if (!node.admins.has(g.member)) {
      node.admins.add(g.member);
      roles.granted.add(g.id);
    }
  }
}
