/**
 * The help desk's place in `<parley-chat>` (a chunk loaded only when the chat is part of one):
 * for a visitor (`support`), her conversation as the chat's room, and a line under the top bar
 * with the site's greeting and whether an agent is here now — or the away message; for an agent
 * (`<parley-inbox>` or the app at `?inbox=SITE`), the inbox's conversations for the room list
 * and the line that says why it is empty. A view helper: the I/O is the desk controllers'.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { effectiveSettings, linkOptions } from './chat-effective.js';
import type { ChatCore } from './chat-core.js';
import { DeskAgent, type InboxConversation } from '../../controllers/desk/desk-agent.js';
import { DeskVisitor } from '../../controllers/desk/desk-visitor.js';
import type { SessionController } from '../../controllers/session/session-controller.js';
import type { MarkedReport } from '../../controllers/room/message-marks.js';

/** Which side of a help desk a chat is on. */
export interface DeskRole {
  site: string;
  role: 'visitor' | 'agent';
}

/** What the desk needs of its chat. */
export interface ChatDeskConfig {
  session: SessionController;
  role: () => DeskRole;
  /** The page's agent cards (`agents`). */
  agents: () => string;
  /** The site's greeting and away message, in its own words. */
  greeting: () => string | undefined;
  away: () => string | undefined;
  /** The relay's address(es). */
  url: () => readonly string[];
  /** A private room we just made: the chat posts its charter on entering it. */
  made: (room: string, nonce: string, title: string) => void;
  /** Whether `room` is in the account's room list (opened here once). */
  opened: (room: string) => boolean;
  /** A new conversation to count and notify, as a message is (the unread badge, "Notify me"). */
  noticed: (report: MarkedReport) => void;
  /** The room on screen, and how to move to another. */
  room: () => string;
  open: (room: string) => void;
  /** The room the page fixes (`room`), which an agent's chat keeps to. */
  fixedRoom: () => string | undefined;
}

/**
 * The help desk of `core`'s chat: its controllers told of the chat's session, settings, room and
 * room list.
 */
export function deskFor(core: ChatCore): ChatDesk {
  const { host, shell } = core;
  return new ChatDesk(host, {
    session: shell.session,
    role: () => host.desk() ?? { site: '', role: 'agent' },
    agents: () => host.agents,
    greeting: () => host.greeting,
    away: () => host.away,
    url: () => linkOptions(effectiveSettings(core.prefs, host), core.prefs).url,
    made: (room, nonce, title) => core.chat.madeRoom(room, nonce, title),
    opened: (room) => core.roomList.rooms?.list.some((r) => r.room === room) ?? true,
    noticed: (report) => shell.attention.noticed([report]),
    room: () => core.chat.room,
    open: (room) => void core.chat.openRoom(room),
    fixedRoom: () => host.room,
  });
}

/** How the chat's frame shows a help desk's room (see `ChatDesk.frame`). */
export interface DeskFrame {
  /** No room is on screen (an inbox with nothing open). */
  idle: boolean;
  /** The title in the top bar and the message box. */
  title: string;
  /** The title is not a room's name: no "#". */
  plain?: boolean;
  /** The link to show instead of the room's (the inbox's own, while idle). */
  state?: DeskAgent['state'];
}

/** The away message when the site gives none. */
export const DEFAULT_AWAY =
  "Nobody is here right now. Leave your question: we'll answer here, and it waits for you " +
  'in this browser.';

/** One chat's help desk; see the file's comment. */
export class ChatDesk {
  readonly visitor: DeskVisitor | undefined;
  readonly agent: DeskAgent | undefined;
  /** An agent's chat has a conversation on screen (the newest, at first). */
  private showing = false;

  constructor(
    host: ConstructorParameters<typeof DeskVisitor>[0],
    private readonly c: ChatDeskConfig,
  ) {
    const site = () => c.role().site;
    if (c.role().role === 'visitor') {
      this.visitor = new DeskVisitor(host, { ...c, site });
    } else {
      this.agent = new DeskAgent(host, {
        session: c.session,
        site,
        url: c.url,
        listed: (conv, fresh) => {
          this.openFirst();
          // A visitor knocked just now: counted and notified as a message is.
          if (fresh)
            c.noticed({
              id: `knock:${conv.room}`,
              room: site(),
              from: { id: conv.visitor, name: conv.title },
              ts: conv.last,
              text: 'started a conversation: it is waiting for an answer',
              direction: 'in',
              encrypted: true,
              ...(conv.fingerprint ? { fingerprint: conv.fingerprint } : {}),
            });
        },
        opened: c.opened,
      });
    }
  }

  /** Whether the chat may enter its room: a visitor's is known; an agent has a conversation. */
  get ready(): boolean {
    if (this.visitor) return this.visitor.room !== undefined;
    this.openFirst();
    return this.showing;
  }

  /** An agent's inbox with no conversation open (none yet): no room is on screen. */
  get idle(): boolean {
    return this.agent !== undefined && !this.ready;
  }

  /** The inbox's conversations (an agent's), most recent first. */
  get conversations(): readonly InboxConversation[] {
    return this.agent?.conversations ?? [];
  }

  /** Messages were sent or came: one of ours tells the agents of a visitor's conversation. */
  sent(reports: ReadonlyArray<{ direction: string }>): void {
    if (reports.some((r) => r.direction === 'out')) this.visitor?.asked();
  }

  /** The room the chat is fixed to: a visitor's conversation, an agent's page's `room`. */
  fixed(): string | undefined {
    return this.visitor ? this.visitor.room : this.c.fixedRoom();
  }

  /** Whether a message may go to `room` now: a visitor writes only in her conversation. */
  takes(room: string): boolean {
    return !this.visitor || this.visitor.room === room;
  }

  /** An inbox that has read its list is as settled as a chat in its room. */
  get settled(): boolean {
    return this.agent?.loaded ?? false;
  }

  /** How the top bar and the message box show the room (`title`: the room list's). */
  frame(title: string): DeskFrame {
    // A visitor talks to the site, not in a room named after herself.
    if (this.visitor) return { idle: false, title: this.c.role().site, plain: true };
    if (this.idle) return { idle: true, title, state: this.agent!.state };
    // A conversation is named after its visitor, as the inbox lists it.
    return { idle: false, title: this.agent?.conversation(this.c.room())?.title ?? title };
  }

  /** An agent's chat opens the newest conversation first (never a room outside the inbox). */
  private openFirst(): void {
    const agent = this.agent;
    if (this.showing || !agent?.loaded) return;
    const room = this.c.room();
    if (agent.conversation(room)) {
      this.showing = true;
      return;
    }
    const newest = agent.conversations[0];
    if (!newest) return;
    this.showing = true;
    this.c.open(newest.room);
  }

  /** The line under the top bar. */
  render() {
    const visitor = this.visitor;
    if (visitor) {
      if (visitor.problem)
        return html`<div class="banner" part="banner error" role="alert">${visitor.problem}</div>`;
      if (!visitor.room) return nothing;
      const greeting = this.c.greeting();
      const here = visitor.agentsHere;
      return html`<div class="banner info desk" part="banner desk-status" role="status">
        ${greeting ? html`<span part="desk-greeting">${greeting}</span> ` : nothing}
        ${
          here > 0
            ? html`<span part="desk-online"
                >${here === 1 ? 'An agent is' : `${here} agents are`} online now.</span
              >`
            : html`<span part="desk-away">${this.c.away() || DEFAULT_AWAY}</span>`
        }
      </div>`;
    }
    const agent = this.agent!;
    if (agent.problem)
      return html`<div class="banner" part="banner error" role="alert">${agent.problem}</div>`;
    return nothing;
  }

  /** An idle inbox's middle, where a conversation would be. */
  renderIdle(): TemplateResult {
    const site = this.c.role().site;
    return html`<section class="inbox-idle" part="inbox-empty" aria-label="Inbox">
      <p>
        ${
          this.agent?.loaded
            ? `No conversations yet. Visitors' questions to ${site} appear here as they come, and those asked while you were away when you come back.`
            : 'Opening the inbox…'
        }
      </p>
      <p class="hint">
        Visitors reach you once the site lists your help-desk key (Settings → You → Help-desk key).
      </p>
    </section>`;
  }
}
