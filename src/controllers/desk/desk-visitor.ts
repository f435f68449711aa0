/**
 * `controllers/desk/` — the help desk (protocol 1.5, `protocol/desk.ts`): a visitor's side and
 * an agent's inbox.
 *
 * The visitor's side (`<parley-chat support="SITE" agents="CARD…">`): her conversation is a
 * private room of her own, made in this browser the first time she asks and kept for the site
 * (so it is there when she comes back). She made it, so its charter is hers; its key is wrapped
 * for each agent the page lists, in a knock she posts in the site's desk room after her first
 * message — sent again until a member of the desk (its keeper, an agent) acknowledges it, and
 * again only when the name or email it carries changed. The knock travels under the neutral
 * name "Visitor" (her name is sealed inside it), on a link that is closed once it is
 * acknowledged. Whether an agent is online she learns from the desk's signed hellos, listened to
 * under a throwaway identity made for this page: the desk does not see her come and go.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import {
  carriesKnock,
  deskRoomOf,
  makeKnock,
  rawOfKeyText,
  readAgentCards,
  siteProblem,
  type Agent,
} from '../../protocol/desk.js';
import { newPrivateRoom } from '../../protocol/room-id.js';
import { BotRoom } from '../../node/room.js';
import { createIdentity, type Identity } from '../../protocol/identity.js';
import { identityFor } from '../../store/identities.js';
import { addRoomKey, roomKeysOf } from '../../store/room-keys.js';
import type { ParleyDb } from '../../store/db.js';
import type { Profile } from '../../store/accounts.js';
import { newInviteKey } from '../room/room-keys.js';
import type { SessionController } from '../session/session-controller.js';
import { sameAccount } from './same-account.js';

/** A visitor's conversation with a site, as this browser keeps it. */
interface Conversation {
  room: string;
  nonce: string;
  title: string;
  /** She has written in it: the agents must hear of it. */
  asked?: true;
  /** What the last acknowledged knock said (a change of name or email knocks again). */
  knocked?: string;
}

/** The name a knock and the desk's listener travel under (hers is sealed in the knock). */
const DESK_NAME = 'Visitor';

/** What the visitor's desk needs of its chat. */
export interface DeskVisitorConfig {
  session: SessionController;
  /** The site (`support`). */
  site: () => string;
  /** The page's agent cards (`agents`). */
  agents: () => string;
  /** The relay's address(es), as the chat reaches it. */
  url: () => readonly string[];
  /** A room we just made, before it is entered: its charter is ours to post. */
  made: (room: string, nonce: string, title: string) => void;
}

/** The kv key of `owner`'s conversation with `site`. */
const conversationKey = (owner: string, site: string) => `desk:${owner}:${site}`;

/** Our account, for one site: what the desk works with. */
interface Account {
  profile: Profile;
  db: ParleyDb;
  site: string;
}

/** The visitor's side of a help desk; see the module comment. */
export class DeskVisitor implements ReactiveController {
  /** Her conversation room, once known for the logged-in account. */
  room: string | undefined;
  /** Why the desk cannot work (no usable agent, a bad site name, storage): said as it is. */
  problem: string | undefined;
  /** Agents whose own signed word says they are in the desk now. */
  agentsHere = 0;
  private account: Account | undefined;
  private conversation: Conversation | undefined;
  /** The desk, listened to under a throwaway identity (who is online). */
  private desk: BotRoom | undefined;
  /** The desk as her own identity, while a knock waits for its receipt. */
  private knocking: BotRoom | undefined;
  private agents: Agent[] = [];
  private closed = false;
  /** Our identity's id (a knock is bound to its author). */
  private self = '';

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly config: DeskVisitorConfig,
  ) {
    host.addController(this);
  }

  hostUpdate(): void {
    const { profile, db } = this.config.session;
    const site = this.config.site();
    const same =
      this.account !== undefined &&
      sameAccount(this.account.profile, profile) &&
      this.account.site === site;
    if (same) return;
    this.leave();
    if (!profile || !db) return;
    const bad = siteProblem(site);
    if (bad) return void this.fail(`This help desk's site name is unusable: ${bad}.`);
    void db
      .then((d) => this.begin({ profile, db: d, site }))
      .catch((err: unknown) => {
        this.fail(`This browser's storage failed (${String(err)}).`);
      });
  }

  hostDisconnected(): void {
    this.closed = true;
    this.leave();
  }

  /** We wrote in the conversation: the agents are told of it (until a knock is acknowledged). */
  asked(): void {
    const acc = this.account;
    const conv = this.conversation;
    if (!acc || !conv) return;
    if (!conv.asked) {
      conv.asked = true;
      void acc.db.put('kv', { ...conv }, conversationKey(acc.profile.id, acc.site)).catch(() => {});
    }
    void this.knock(acc).catch((err: unknown) => this.unreachable(acc, err));
  }

  private leave(): void {
    this.desk?.close();
    this.desk = undefined;
    this.knocking?.close();
    this.knocking = undefined;
    this.account = undefined;
    this.conversation = undefined;
    this.room = undefined;
    this.agentsHere = 0;
  }

  private fail(message: string): void {
    this.problem = message;
    this.host.requestUpdate();
  }

  /** Finds (or makes) the conversation, then joins the desk. */
  private async begin(acc: Account): Promise<void> {
    this.account = acc;
    const { agents, bad } = await readAgentCards(this.config.agents());
    this.agents = agents;
    if (agents.length === 0) {
      const why = bad ? 'its agent keys are not ones this version can use' : 'it lists no agent';
      return this.fail(`This help desk cannot take questions: ${why}. Tell the site's owner.`);
    }
    const key = conversationKey(acc.profile.id, acc.site);
    const identity = await identityFor(acc.db, acc.profile.id);
    this.self = identity.id;
    let conv = (await acc.db.get('kv', key)) as Conversation | undefined;
    if (!conv?.room) {
      const { room, nonce } = await newPrivateRoom(identity.publicKey);
      await addRoomKey(acc.db, acc.profile.id, room, await newInviteKey());
      conv = { room, nonce, title: acc.profile.name };
      await acc.db.put('kv', conv, key);
      this.config.made(room, nonce, conv.title);
    }
    if (this.account !== acc) return;
    this.conversation = conv;
    this.room = conv.room;
    this.problem = undefined;
    this.host.requestUpdate();
    await this.joinDesk(acc).catch((err: unknown) => this.unreachable(acc, err));
    if (conv.asked) await this.knock(acc).catch((err: unknown) => this.unreachable(acc, err));
  }

  /** The desk refused us for good: said as it is (her conversation itself goes on). */
  private unreachable(acc: Account, err: unknown): void {
    if (this.account !== acc) return;
    const why = err instanceof Error ? err.message : String(err);
    this.fail(`The help desk cannot be reached (${why}), so the agents may not hear of you yet.`);
  }

  /** Joins the desk as `identity` (under the neutral name); it takes knocks only. */
  private openDesk(acc: Account, identity: Identity): Promise<BotRoom> {
    return BotRoom.join(
      deskRoomOf(acc.site),
      { identity, name: DESK_NAME, url: this.config.url() },
      // She needs none of the desk's history: only who is here, and to be heard.
      { historyLimit: 1, maxHistory: 10, only: carriesKnock },
    );
  }

  private async joinDesk(acc: Account): Promise<void> {
    // A throwaway identity: the desk learns that someone is reading the site, not who.
    const desk = await this.openDesk(acc, await createIdentity());
    if (this.account !== acc || this.closed) return desk.close();
    this.desk = desk;
    const ids = new Set(this.agents.map((a) => a.id));
    const count = () => {
      const here = new Set<string>();
      for (const m of desk.members.values())
        if (m.confirmed && ids.has(m.userId)) here.add(m.userId);
      if (here.size !== this.agentsHere) {
        this.agentsHere = here.size;
        this.host.requestUpdate();
      }
    };
    desk.on('members', count);
    desk.on('error', () => {}); // the desk retries by itself; her conversation does not wait
    count();
  }

  /** Posts a knock for her conversation, unless one saying the same was acknowledged. */
  private async knock(acc: Account): Promise<void> {
    const conv = this.conversation;
    const email = acc.profile.email;
    const says = JSON.stringify([acc.profile.name, email ?? '']);
    if (this.knocking || !conv || this.account !== acc || conv.knocked === says) return;
    const identity = await identityFor(acc.db, acc.profile.id);
    const desk = await this.openDesk(acc, identity);
    if (this.account !== acc || this.closed || this.knocking) return desk.close();
    this.knocking = desk;
    desk.on('error', () => {}); // sent again by itself until acknowledged
    const keys = await roomKeysOf(acc.db, acc.profile.id, conv.room);
    // The room's first key: the one its charter was sealed with, which every agent can use.
    const text = keys.findLast((k) => k.invite !== undefined)?.invite;
    const raw = text && rawOfKeyText(text);
    if (!raw) {
      this.stopKnocking(desk);
      return this.fail("Your conversation's key is missing from this browser's storage.");
    }
    const made = await makeKnock(
      desk.name,
      this.self,
      raw,
      { room: conv.room, nonce: conv.nonce, title: acc.profile.name, ...(email ? { email } : {}) },
      this.agents,
    );
    raw.fill(0);
    if (!made) {
      this.stopKnocking(desk);
      return this.fail("None of this help desk's agent keys can be used here.");
    }
    if (this.knocking !== desk) return;
    const id = await desk.post(made.knock).catch(() => undefined);
    // Acknowledged by a member of the desk (its keeper, an agent): said, and kept for them.
    desk.on('delivered', (d) => {
      if (d.id !== id || this.knocking !== desk || this.conversation !== conv) return;
      conv.knocked = says;
      void acc.db.put('kv', { ...conv }, conversationKey(acc.profile.id, acc.site)).catch(() => {});
      this.stopKnocking(desk);
    });
  }

  /** Leaves the desk as herself: the knock was acknowledged, or cannot be made. */
  private stopKnocking(desk: BotRoom): void {
    if (this.knocking === desk) this.knocking = undefined;
    desk.close();
  }
}
