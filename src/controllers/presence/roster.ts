/**
 * The roster: who is in the room, one line per person, ourselves first. It is made from what
 * the live transport reaches (see the transport controller's `reach()`); the presence
 * controller keeps it current and adds what this account knows of each identity (see
 * contacts-controller.ts).
 */
import { OWN_LINK } from '../../transport/index.js';
import type { LinkKind } from '../../transport/types.js';
import type { Reach } from '../connection/transport-controller.js';

/** How we reach one member of the room, as the roster shows it. */
export type { LinkKind };

/** What this account knows of one member's identity (lines with a proven key only). */
export interface MemberTrust {
  /** The safety code of the member's key: 30 digits in six groups of five. */
  code: string;
  /** Its short form, shown beside the name and on each message: see {@link fingerprintOf}. */
  fingerprint: string;
  /** Whether the user compared the safety code and marked it verified (never for us). */
  verified: boolean;
  /**
   * Names of the other identities this account met earlier under the same name (each with
   * another key): the "not the Alice you talked to before" warning. Empty for most.
   */
  namesakes: Lookalike[];
  /**
   * Other identities here now (in the room, or authors in the conversation) whose names look
   * like this one (UTS #39 confusables, see store/name-key.ts), when this one is not the
   * member met before under it: "two people here go by names that look alike". Empty for most.
   */
  alike: Lookalike[];
  /** The scripts the name mixes ("Latin", "Cyrillic"), when no one script covers it. */
  scripts?: string[];
}

/** Another identity whose name is this one's or looks like it. */
export interface Lookalike {
  userId: string;
  name: string;
  fingerprint: string;
  verified: boolean;
}

/**
 * What the conversation shows of one author besides the name (identity id → mark): the
 * Verified mark, or why the name is not to be trusted on sight. Only authors with either.
 */
export type AuthorMark = Pick<MemberTrust, 'verified' | 'namesakes' | 'alike' | 'scripts'> & {
  name: string;
  /** The short flag under the author's messages, and the line before their first (trust-words.ts). */
  flag?: string;
  line?: string;
};

/** How much of the safety code the short fingerprint shows: 3 groups of 5 digits. */
export const FINGERPRINT_GROUPS = 3;

/** One line of the roster: one identity, however many connections it has here. */
export interface RosterMember {
  /** The member's peer id (or ours). */
  id: string;
  /** The identity's network id (the hash of its key): what the line stands for. */
  userId: string;
  name: string;
  /** Whether this line is us. */
  self: boolean;
  /** How we are connected to them (for ourselves: the transport in use). */
  link: LinkKind;
  /**
   * The identity's public key, from the member's own signed hello; without it (a member listed
   * on the server's word alone, see {@link unconfirmed}) the line is an unverified identity and
   * has no code.
   */
  key?: string;
  /** Safety code, verification and warnings, once worked out for `key`. */
  trust?: MemberTrust;
  /** Our own line only: how many of our connections (tabs) are in the room, when more than one. */
  tabs?: number;
  /**
   * Only the server says this member is here: its app is older than signed hellos (protocol 1.3
   * or older: `'older'`), or it has said nothing of itself for a few seconds (`'silent'`: a
   * connection that listens without a hello is still shown). Views say so in plain words.
   */
  unconfirmed?: Unconfirmed;
}

/** Why a member is listed on the server's word alone (see {@link RosterMember.unconfirmed}). */
export type Unconfirmed = 'older' | 'silent';

/** A member's own signed word that it is here (see `here.ts`): whose, and under which name. */
export interface Confirmed {
  userId: string;
  name: string;
  key: string;
}

/**
 * The short fingerprint shown beside every name and on every message: the first half of the
 * safety code (15 digits, log2(10^15) ≈ 49.8 bits), so it is the beginning of what people
 * compare in full. One group (5 digits, ~17 bits) was matched by a ground key in ~88,000 tries;
 * matching 15 takes ~2^49.8 key generations, past the 2^40 a look-alike must cost.
 */
export function fingerprintOf(code: string): string {
  return code.split(' ').slice(0, FINGERPRINT_GROUPS).join(' ');
}

/**
 * The roster for what the live transport reaches: us first, then one line per person. A
 * member is on it while its own signed hello says it is here (`confirmed`), under the name and
 * key it signed; one the server lists without that (`unconfirmed` says why: an older app, or a
 * connection silent for a few seconds) is listed as the server says, marked
 * {@link RosterMember.unconfirmed}; a hello still on its way leaves a member out for a moment.
 */
export function rosterOf(
  reach: Reach,
  confirmed: (peer: string) => Confirmed | undefined,
  unconfirmed: (hello: Reach['members'][number]['hello']) => Unconfirmed | undefined,
): RosterMember[] {
  const byUser = new Map<string, RosterMember>();
  const ours = new Set([reach.selfId]);
  for (const { hello, link } of reach.members) {
    // Our own other tabs are us: the same identity is the same person (counted on our line).
    if (hello.userId === reach.me.userId) {
      ours.add(hello.id);
      continue;
    }
    const own = confirmed(hello.id);
    const said = own?.userId === hello.userId ? own : undefined;
    const why = said ? undefined : unconfirmed(hello);
    if (!said && !why) continue;
    const known = byUser.get(hello.userId);
    // One line per identity (several tabs are one person): a confirmed connection wins over an
    // unconfirmed one, then a direct link over a relayed one.
    const rank = (confirmed: boolean, how: LinkKind) =>
      Number(confirmed) * 2 + Number(how === 'direct');
    if (!known || rank(!!said, link) > rank(!known.unconfirmed, known.link)) {
      const line: RosterMember = {
        id: hello.id,
        userId: hello.userId,
        name: said?.name ?? hello.name,
        self: false,
        link,
      };
      // Only a key that signed a hello: on the server's word alone, no fingerprint and no
      // Verified mark (a relay could keep a verified member "here" by calling them older).
      if (said?.key) line.key = said.key;
      if (why) line.unconfirmed = why;
      byUser.set(hello.userId, line);
    }
  }
  const self: RosterMember = {
    id: reach.selfId,
    userId: reach.me.userId,
    name: reach.me.name,
    self: true,
    // Our own line says which transport carries us.
    link: OWN_LINK[reach.kind],
  };
  if (reach.me.key) self.key = reach.me.key;
  if (ours.size > 1) self.tabs = ours.size;
  return [self, ...byUser.values()];
}
