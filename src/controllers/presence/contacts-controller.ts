/**
 * Contacts controller: what the logged-in account knows of the identities in the room. It
 * records every member seen with a proven key (contacts.ts), works out safety codes (WebCrypto,
 * so asynchronously), remembers "Mark as verified", and finds namesakes met before with
 * another key, for the roster's key-change warning. It also has our own safety code, for
 * Settings.
 *
 * The roster is drawn synchronously from what is known now ({@link ContactsController.withTrust});
 * whatever is not known yet is looked up once and `changed` is called when it is, so the roster
 * is drawn again. Nothing is ever merged by name: each identity id is its own record.
 */
import { warningFlag, warningLine } from './trust-words.js';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { isIdOf, safetyCode } from '../../protocol/identity.js';
import { nameCheck, type NameCheck } from '../../store/confusables.js';
import {
  earlierNamesakes,
  recordContact,
  setVerified as storeVerified,
} from '../../store/contacts.js';
import {
  fingerprintOf,
  type AuthorMark,
  type Lookalike,
  type MemberTrust,
  type RosterMember,
} from './roster.js';
import type { SessionController } from '../session/session-controller.js';

/** Configuration of the contacts controller. */
export interface ContactsConfig {
  session: SessionController;
  /** Called when something the roster shows became known or changed (it is drawn again). */
  changed?: () => void;
}

/** Joins and leaves, loaded with the contacts (see comings.ts). */
export { Comings } from './comings.js';

/** A message, as far as its author goes. */
type Authored = { from: { id: string; name: string; key: string } };

/** The name as looked up: a member who takes another name is looked up again. */
const asLookedUp = (name: string) => name.normalize('NFC');

/** Most names whose look-alike key and scripts are kept (each ≤ 32 characters from a hello). */
const MAX_NAME_KEYS = 2000;

/** What is known of one identity, for the owner it was looked up for. */
interface Known {
  /** The name it was looked up under (a new name is looked up again). */
  nameKey: string;
  /** Its key, proven (not for a forged one). */
  key?: string;
  /** Its key does not hash to its id: shown as an unverified identity. */
  forged?: true;
  verified: boolean;
  namesakes: MemberTrust['namesakes'];
}

/** Owns contacts, safety codes and verification marks for the logged-in account. */
export class ContactsController implements ReactiveController {
  /** The safety code of the logged-in account's own identity (for Settings). */
  ownCode: string | undefined;
  /** Our own identity's id, or undefined before the account has one. */
  get ownId(): string | undefined {
    return this.config.session.profile?.identity?.id;
  }
  private ownKey: string | undefined;
  // Codes by key: a pure function of the key, so shared by every account.
  private readonly codes = new Map<string, string>();
  private readonly coding = new Set<string>();
  // What is known per identity, for `owner` only: a new login starts afresh.
  private owner: string | undefined;
  private known = new Map<string, Known>();
  private pending = new Set<string>();
  /** What {@link authorMarks} last said, for which messages, at which {@link version}. */
  private lastMarks:
    | { messages: readonly Authored[]; version: number; found: ReadonlyMap<string, AuthorMark> }
    | undefined;
  /** Names compared by Unicode's confusables, once loaded (see store/confusables.ts). */
  private check: NameCheck | undefined;
  private loading = false;
  /** Look-alike keys and mixed scripts by name, once the table is here. */
  private readonly nameKeys = new Map<string, { key: string; scripts?: string[] }>();
  /** The roster last drawn: who is here now, for the look-alikes among them. */
  private present: readonly RosterMember[] = [];
  /** Bumped whenever something known changes. */
  private version = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly config: ContactsConfig,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.followIdentity();
  }

  hostUpdate(): void {
    this.followIdentity();
  }

  /**
   * `members` with what is known of each: the code and fingerprint of a proven key, the
   * verification mark and earlier namesakes (never for us). A line whose key turned out not
   * to hash to its id loses the key. Starts looking up whatever is not known yet.
   */
  withTrust(members: readonly RosterMember[]): RosterMember[] {
    this.followOwner();
    this.present = members;
    const toLearn: RosterMember[] = [];
    const out = members.map((m) => {
      if (!m.key) return m;
      const code = this.codes.get(m.key);
      if (!code) this.code(m.key);
      if (m.self) {
        return code
          ? {
              ...m,
              trust: {
                code,
                fingerprint: fingerprintOf(code),
                verified: false,
                namesakes: [],
                alike: [],
              },
            }
          : m;
      }
      const known = this.known.get(m.userId);
      if (!known || known.nameKey !== asLookedUp(m.name)) {
        toLearn.push(m);
        return m;
      }
      if (known.forged) {
        const { key: _forged, ...rest } = m;
        return rest;
      }
      if (!code) return m;
      const trust: MemberTrust = {
        code,
        fingerprint: fingerprintOf(code),
        verified: known.verified,
        namesakes: known.namesakes,
        alike: this.alikeOf(m.userId, m.name, known, []),
      };
      const scripts = this.nameKey(m.name)?.scripts;
      if (scripts) trust.scripts = scripts;
      return { ...m, trust };
    });
    if (toLearn.length > 0) void this.learn(toLearn);
    return out;
  }

  /**
   * Whether identity `userId` is marked verified in this account's contacts (what "Connect
   * directly to: only people I have verified" asks). Only what was looked up already counts:
   * an identity not met in this session yet is not verified.
   */
  isVerified(userId: string): boolean {
    this.followOwner();
    const known = this.known.get(userId);
    return known?.verified === true && !known.forged;
  }

  /**
   * Marks identity `userId` verified (its safety code was compared out of band) or takes the
   * mark back; remembered in this account's contacts. Resolves once stored.
   */
  async setVerified(userId: string, verified: boolean): Promise<void> {
    const owner = this.followOwner();
    const db = await this.config.session.db;
    if (!owner || !db) return;
    const rec = await storeVerified(db, owner, userId, verified);
    if (!rec || owner !== this.owner) return;
    const known = this.known.get(userId);
    if (known) known.verified = rec.verified;
    // The mark also shows in the warnings of its namesakes.
    for (const k of this.known.values())
      for (const n of k.namesakes) if (n.userId === userId) n.verified = rec.verified;
    this.changed();
  }

  /**
   * What the conversation marks on the messages of each author of `messages` (identity id →
   * mark): Verified, a name met earlier with another key ("This Alice is not the one you
   * talked to before"), a name that looks like another's here (a member, or another author),
   * a name that mixes scripts. Authors not looked up yet are recorded as met (like the roster's
   * members; their key proven against their id) and `changed` is called once they are. The
   * same map while nothing changed, so a view redraws only when it does.
   */
  authorMarks(messages: readonly Authored[]): ReadonlyMap<string, AuthorMark> {
    this.followOwner();
    const last = this.lastMarks;
    if (last && last.messages === messages && last.version === this.version) return last.found;
    const found = new Map<string, AuthorMark>();
    const toLearn = new Map<string, Authored['from']>();
    const authors = new Map<string, Authored['from']>();
    for (const { from } of messages) if (from.id !== this.ownId) authors.set(from.id, from);
    for (const from of authors.values()) {
      const known = this.known.get(from.id);
      if (!known || known.nameKey !== asLookedUp(from.name)) {
        toLearn.set(from.id, from);
        continue;
      }
      if (known.forged) continue;
      const mark: AuthorMark = {
        name: from.name,
        verified: known.verified,
        namesakes: known.namesakes,
        alike: this.alikeOf(from.id, from.name, known, [...authors.values()]),
      };
      const scripts = this.nameKey(from.name)?.scripts;
      if (scripts) mark.scripts = scripts;
      const flag = warningFlag(mark);
      const line = warningLine(from.name, mark);
      if (flag) mark.flag = flag;
      if (line) mark.line = line;
      if (mark.verified || mark.namesakes.length || mark.alike.length || mark.scripts)
        found.set(from.id, mark);
    }
    if (toLearn.size > 0) {
      void this.learn(
        [...toLearn.values()].map(({ id, name, key }) => ({ userId: id, name, key })),
      );
    }
    const same = last && sameMarks(last.found, found);
    this.lastMarks = { messages, version: this.version, found: same ? last.found : found };
    return this.lastMarks.found;
  }

  /**
   * The identities here now (the roster, and `authors`) other than `userId` whose names look
   * like `name`: none once `userId` is verified, and none where `userId` is the one met
   * before under that name (the other is then the newcomer, warned as such).
   */
  private alikeOf(
    userId: string,
    name: string,
    known: Known,
    authors: ReadonlyArray<Authored['from']>,
  ): Lookalike[] {
    const mine = this.nameKey(name)?.key;
    if (mine === undefined || known.verified) return [];
    const others = new Map<string, { name: string; key?: string }>();
    for (const m of this.present) if (m.key) others.set(m.userId, { name: m.name, key: m.key });
    for (const a of authors) if (!others.has(a.id)) others.set(a.id, a);
    const alike: Lookalike[] = [];
    for (const [id, o] of others) {
      if (id === userId || this.nameKey(o.name)?.key !== mine) continue;
      const theirs = this.known.get(id);
      // Only once they are looked up: until then we cannot tell which of the two came first.
      if (id !== this.ownId && (!theirs || theirs.forged)) continue;
      // We are the one they are "not": their warning says so, ours would only add noise.
      if (theirs?.namesakes.some((n) => n.userId === userId)) continue;
      const code = o.key ? this.codes.get(o.key) : undefined;
      if (o.key && !code) this.code(o.key);
      alike.push({
        userId: id,
        name: o.name,
        fingerprint: code ? fingerprintOf(code) : '',
        verified: id === this.ownId ? false : (theirs?.verified ?? false),
      });
    }
    return alike;
  }

  /**
   * The look-alike key and mixed scripts of `name`, or undefined until Unicode's confusables
   * are loaded (loading starts here; `changed` is called once they are).
   */
  private nameKey(name: string): { key: string; scripts?: string[] } | undefined {
    if (!this.check) {
      this.loadCheck();
      return undefined;
    }
    let k = this.nameKeys.get(name);
    if (!k) {
      const scripts = this.check.scripts(name);
      k = { key: this.check.key(name) };
      if (scripts) k.scripts = scripts;
      if (this.nameKeys.size >= MAX_NAME_KEYS) this.nameKeys.clear();
      this.nameKeys.set(name, k);
    }
    return k;
  }

  /** Loads Unicode's confusables (once; again at the next need if it failed). */
  private loadCheck(): void {
    if (this.loading) return;
    this.loading = true;
    nameCheck().then(
      (check) => {
        this.check = check;
        this.changed();
      },
      () => (this.loading = false),
    );
  }

  /**
   * How the typing line names identity `userId` typing as `name`: with its short fingerprint
   * when someone else in `roster` (us included) shows the same name or a look-alike, so
   * namesakes are told apart there too.
   */
  typingName(userId: string, name: string, roster: readonly RosterMember[]): string {
    // Until the comparison is loaded, the same name is the same letters.
    const keyOf = (n: string) => this.nameKey(n)?.key ?? n.normalize('NFKC').toLowerCase();
    const key = keyOf(name);
    const same = roster.filter((m) => keyOf(m.name) === key).length;
    if (same < 2) return name;
    const fp = roster.find((m) => m.userId === userId)?.trust?.fingerprint;
    return fp ? `${name} (${fp})` : name;
  }

  /** The owner whose contacts are known: a new login forgets the previous one's. */
  private followOwner(): string | undefined {
    const owner = this.config.session.profile?.id;
    if (owner !== this.owner) {
      this.owner = owner;
      this.known = new Map();
      this.pending = new Set();
      this.version++;
    }
    return owner;
  }

  /** Works out our own safety code when the logged-in identity changes. */
  private followIdentity(): void {
    const key = this.config.session.profile?.identity?.publicKey;
    if (key === this.ownKey) return;
    this.ownKey = key;
    this.ownCode = key ? this.codes.get(key) : undefined;
    if (key && !this.ownCode) this.code(key);
  }

  /** Starts working out the safety code of `key` (once). */
  private code(key: string): void {
    if (this.coding.has(key)) return;
    this.coding.add(key);
    void safetyCode(key).then((code) => {
      this.codes.set(key, code);
      if (key === this.ownKey) this.ownCode = code;
      this.changed();
    });
  }

  /**
   * Records `members` as seen (one moment for all, so namesakes who arrive together are not
   * "met before" one another) and finds what is known of each.
   */
  private async learn(
    members: Array<Pick<RosterMember, 'userId' | 'name' | 'key'>>,
  ): Promise<void> {
    const owner = this.owner;
    const tag = (m: Pick<RosterMember, 'userId' | 'name'>) => `${m.userId}\n${asLookedUp(m.name)}`;
    const fresh = members.filter((m) => !this.pending.has(tag(m)));
    if (!owner || fresh.length === 0) return;
    for (const m of fresh) this.pending.add(tag(m));
    const now = Date.now();
    const db = await this.config.session.db;
    if (!db) {
      for (const m of fresh) this.pending.delete(tag(m));
      return;
    }
    const found = new Map<string, Known>();
    for (const m of fresh) {
      const nameKey = asLookedUp(m.name);
      try {
        if (!(await isIdOf(m.userId, m.key!))) {
          found.set(m.userId, { nameKey, forged: true, verified: false, namesakes: [] });
          continue;
        }
        const rec = await recordContact(
          db,
          owner,
          { userId: m.userId, key: m.key!, name: m.name },
          now,
        );
        const earlier = await earlierNamesakes(db, owner, m.name, m.userId);
        const namesakes = await Promise.all(
          earlier.map(async (c) => ({
            userId: c.userId,
            name: c.name,
            fingerprint: fingerprintOf(await this.codeNow(c.key)),
            verified: c.verified,
          })),
        );
        found.set(m.userId, { nameKey, key: m.key!, verified: rec?.verified ?? false, namesakes });
      } catch {
        // Storage failed: the code still shows, unverified and without warnings, rather than
        // looking the member up again on every change.
        found.set(m.userId, { nameKey, key: m.key!, verified: false, namesakes: [] });
      }
    }
    if (owner !== this.owner) return; // logged out or in as someone else meanwhile
    for (const [userId, k] of found) this.known.set(userId, k);
    this.changed();
  }

  /** The safety code of `key`, from the cache or worked out now. */
  private async codeNow(key: string): Promise<string> {
    let code = this.codes.get(key);
    if (!code) {
      code = await safetyCode(key);
      this.codes.set(key, code);
    }
    return code;
  }

  private changed(): void {
    this.version++;
    this.config.changed?.();
    this.host.requestUpdate();
  }
}

/** Whether two maps of marks say the same (so the view keeps the map it has). */
function sameMarks(
  a: ReadonlyMap<string, AuthorMark>,
  b: ReadonlyMap<string, AuthorMark>,
): boolean {
  if (a.size !== b.size) return false;
  for (const [id, m] of b) {
    const o = a.get(id);
    if (!o || JSON.stringify(o) !== JSON.stringify(m)) return false;
  }
  return true;
}
