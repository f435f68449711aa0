/**
 * An agent's inbox (`<parley-inbox support="SITE">`, or the app's page at `#inbox=SITE`): the
 * agent stays in the site's desk room, where their signed hellos tell visitors someone is
 * there, and reads its knocks (protocol 1.5, `protocol/desk.ts`) — live, and from the desk's
 * history, which its keeper holds while nobody is there. Each knock addressed to this agent
 * opens to a visitor's conversation: its room key is stored (so the conversation opens and
 * reads like any private room) and the conversation is listed, kept in this browser so the
 * inbox shows it at once next time. Knocks not for us, or that do not open, are passed over.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Envelope } from '../../protocol/chat-events.js';
import {
  agentCard,
  carriesKnock,
  deskRoomOf,
  openKnock,
  siteProblem,
} from '../../protocol/desk.js';
import type { AgreementKeys } from '../../protocol/key-agreement.js';
import { BotRoom } from '../../node/room.js';
import type { BotMessage } from '../../node/events.js';
import { agreementKeysFor } from '../../store/agreement-keys.js';
import type { ParleyDb } from '../../store/db.js';
import { identityFor } from '../../store/identities.js';
import { addRoomKey, clearRoomKeys } from '../../store/room-keys.js';
import { safetyCode } from '../../protocol/identity.js';
import { fingerprintOf } from '../presence/roster.js';
import type { Profile } from '../../store/accounts.js';
import { inviteKey } from '../room/room-keys.js';
import type { SessionController } from '../session/session-controller.js';
import { sameAccount } from './same-account.js';
import type { TransportState } from '../../transport/types.js';

/** One visitor's conversation, as the inbox lists it. */
export interface InboxConversation {
  room: string;
  /** The visitor's name when she last knocked ("Visitor 4821", or the name she gave). */
  title: string;
  /** The visitor's identity id (her words in the room are hers by it). */
  visitor: string;
  /** The first three groups of her safety code, to tell two "Visitor 4821"s apart. */
  fingerprint?: string;
  /** The email she gave for a reply, if the site asked for one (nobody checked it). */
  email?: string;
  /** When she first and last knocked (never later than when it arrived). */
  first: number;
  last: number;
}

/**
 * Conversations an inbox keeps at most (the least recent go first, with their keys unless
 * opened). One per visitor identity: a newer conversation of hers replaces the older.
 */
export const MAX_CONVERSATIONS = 500;
/** Knocks the desk link holds in memory at most (only knocks are taken at all). */
const DESK_HELD = 2000;
/** Knocks the inbox asks the desk's history for when it opens (the protocol's most). */
const DESK_HISTORY = 2000;

/** What the inbox needs of its chat. */
export interface DeskAgentConfig {
  session: SessionController;
  /** The site whose inbox this is. */
  site: () => string;
  /** The relay's address(es), as the chat reaches it. */
  url: () => readonly string[];
  /** A conversation was listed or changed; `fresh`: a new one, knocked just now (live). */
  listed: (conversation: InboxConversation, fresh: boolean) => void;
  /** Whether `room` was opened here (it is in the account's room list: its key stays). */
  opened: (room: string) => boolean;
}

/** The kv key of `owner`'s inbox for `site`. */
const inboxKey = (owner: string, site: string) => `inbox:${owner}:${site}`;

interface Account {
  profile: Profile;
  db: ParleyDb;
  site: string;
  self: string;
  kx: AgreementKeys;
}

/** An agent's inbox; see the module comment. */
export class DeskAgent implements ReactiveController {
  /** The conversations, by room. */
  private readonly byRoom = new Map<string, InboxConversation>();
  /** Whether the stored conversations are read (the inbox can show what it has). */
  loaded = false;
  /** Why the inbox cannot work, said as it is. */
  problem: string | undefined;
  /** What the site owner copies into `agents` for this agent (identity and key-agreement key). */
  card: string | undefined;
  /** The desk's link: `open` while the inbox hears knocks as they come. */
  state: TransportState = 'idle';
  private account: Account | undefined;
  private desk: BotRoom | undefined;
  private saving: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly config: DeskAgentConfig,
  ) {
    host.addController(this);
  }

  /** The conversations, the most recent knock first. */
  get conversations(): InboxConversation[] {
    return [...this.byRoom.values()].sort((a, b) => b.last - a.last);
  }

  /** The conversation of `room`, if it is one of this inbox's. */
  conversation(room: string): InboxConversation | undefined {
    return this.byRoom.get(room);
  }

  hostUpdate(): void {
    const { profile, db } = this.config.session;
    const site = this.config.site();
    if (this.account && sameAccount(this.account.profile, profile) && this.account.site === site)
      return;
    this.leave();
    if (!profile || !db) return;
    const bad = siteProblem(site);
    if (bad) return void this.fail(`This inbox's site name is unusable: ${bad}.`);
    void db
      .then((d) => this.begin(profile, d, site))
      .catch((err: unknown) => this.fail(`This browser's storage failed (${String(err)}).`));
  }

  hostDisconnected(): void {
    this.closed = true;
    this.leave();
  }

  private leave(): void {
    this.desk?.close();
    this.desk = undefined;
    this.account = undefined;
    this.byRoom.clear();
    this.loaded = false;
    this.card = undefined;
    this.state = 'idle';
  }

  private fail(message: string): void {
    this.problem = message;
    this.loaded = true;
    this.host.requestUpdate();
  }

  private async begin(profile: Profile, db: ParleyDb, site: string): Promise<void> {
    const identity = await identityFor(db, profile.id);
    const kx = await agreementKeysFor(db, profile.id);
    const acc: Account = { profile, db, site, self: identity.id, kx };
    this.account = acc;
    this.card = agentCard(identity.publicKey, kx.publicKey);
    const stored = (await db.get('kv', inboxKey(profile.id, site))) as
      InboxConversation[] | undefined;
    if (this.account !== acc) return;
    for (const c of Array.isArray(stored) ? stored : []) this.byRoom.set(c.room, c);
    this.loaded = true;
    this.problem = undefined;
    this.host.requestUpdate();
    let desk: BotRoom;
    try {
      desk = await BotRoom.join(
        deskRoomOf(site),
        { identity, name: profile.name, url: this.config.url() },
        // Knocks only: nothing else said in the desk is held, so none of it crowds them out.
        { historyLimit: DESK_HISTORY, maxHistory: DESK_HELD, only: carriesKnock },
      );
    } catch (err) {
      // Refused for good (the link retries anything else by itself): said as it is.
      const why = err instanceof Error ? err.message : String(err);
      if (this.account === acc) this.fail(`The help desk cannot be reached (${why}).`);
      return;
    }
    if (this.account !== acc || this.closed) return desk.close();
    this.desk = desk;
    // One knock at a time: each looks at the list the one before left (one line per visitor).
    let turn = Promise.resolve();
    desk.on('message', (msg) => {
      turn = turn.then(() => this.take(acc, msg)).catch(() => {});
    });
    desk.on('state', (state) => {
      this.state = state;
      this.host.requestUpdate();
    });
    this.state = desk.state;
    this.host.requestUpdate();
    desk.on('error', () => {}); // the desk retries by itself
  }

  /** A message of the desk: a knock for us lists its conversation. */
  private async take(acc: Account, msg: BotMessage): Promise<void> {
    if (msg.kind !== 'knock' || msg.mine) return;
    const env: Envelope = msg.envelope;
    const opened = await openKnock(deskRoomOf(acc.site), env.from, env.body, acc.self, acc.kx);
    if (!opened || this.account !== acc) return;
    const known = this.byRoom.get(opened.room);
    // One conversation per visitor: a newer room of hers replaces the one listed.
    const before = [...this.byRoom.values()].find(
      (c) => c.visitor === env.from.id && c.room !== opened.room,
    );
    if (before && before.last > env.ts) return;
    if (!known) {
      const entry = await inviteKey(opened.key);
      if (!entry || this.account !== acc) return;
      await addRoomKey(acc.db, acc.profile.id, opened.room, entry);
    }
    // Dated no later than it came: a knock from the future cannot sit on top of the inbox.
    const at = Math.min(env.ts, Date.now());
    // The newest knock says her name and email now; the first says when she came.
    const newer = !known || at >= known.last;
    const email = newer ? opened.email : known.email;
    const code = known?.fingerprint ?? fingerprintOf(await safetyCode(env.from.key));
    const conversation: InboxConversation = {
      room: opened.room,
      title: newer ? opened.title : known.title,
      visitor: env.from.id,
      fingerprint: code,
      first: Math.min(known?.first ?? at, at),
      last: Math.max(known?.last ?? at, at),
      ...(email ? { email } : {}),
    };
    if (this.account !== acc) return;
    if (before) this.forget(acc, before);
    this.byRoom.set(opened.room, conversation);
    while (this.byRoom.size > MAX_CONVERSATIONS) this.forget(acc, this.conversations.at(-1)!);
    this.config.listed(conversation, !known && !before && msg.live);
    this.saveSoon(acc);
    this.host.requestUpdate();
  }

  /** Drops `c` from the list, and its key unless the conversation was opened here. */
  private forget(acc: Account, c: InboxConversation): void {
    this.byRoom.delete(c.room);
    if (!this.config.opened(c.room))
      void clearRoomKeys(acc.db, acc.profile.id, c.room).catch(() => {});
  }

  /** Keeps the list in this browser (a burst of knocks is written once). */
  private saveSoon(acc: Account): void {
    if (this.saving) return;
    this.saving = setTimeout(() => {
      this.saving = undefined;
      if (this.account !== acc) return;
      void acc.db.put('kv', this.conversations, inboxKey(acc.profile.id, acc.site)).catch(() => {});
    }, 200);
  }
}
