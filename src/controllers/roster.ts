/**
 * The roster: who is in the room, one line per person, ourselves first. It is made from what
 * the live transport reaches (see the transport controller's `reach()`); the presence
 * controller keeps it current.
 */
import { OWN_LINK } from '../transport/index.js';
import type { LinkKind } from '../transport/types.js';
import type { Reach } from './transport-controller.js';

/** How we reach one member of the room, as the roster shows it. */
export type { LinkKind };

/** One line of the roster. */
export interface RosterMember {
  /** Connection id (or ours). */
  id: string;
  name: string;
  /** Whether this line is us. */
  self: boolean;
  /** How we are connected to them (for ourselves: the transport in use). */
  link: LinkKind;
}

/** The roster for what the live transport reaches: us first, then one line per person. */
export function rosterOf(reach: Reach): RosterMember[] {
  const byUser = new Map<string, RosterMember>();
  for (const { hello, link } of reach.members) {
    const known = byUser.get(hello.userId);
    // One line per person (several tabs are one person); a direct link wins over a relayed one.
    if (!known || (known.link !== 'direct' && link === 'direct')) {
      byUser.set(hello.userId, { id: hello.id, name: hello.name, self: false, link });
    }
  }
  const self: RosterMember = {
    id: reach.selfId,
    name: reach.me.name,
    self: true,
    // Our own line says which transport carries us.
    link: OWN_LINK[reach.kind],
  };
  return [self, ...byUser.values()];
}
