/**
 * `<parley-inbox>`: a help desk's inbox for its agents, to put in a site's own admin page —
 * `<parley-chat>` with its room list made the visitors' conversations (see chat-desk.ts).
 */
import { property } from 'lit/decorators.js';
import { ParleyChat } from './parley-chat.js';
import type { DeskRole } from './chat-desk.js';

/**
 * @summary A help desk's inbox: the visitors' conversations of one site, newest and unanswered
 *   first, each opening as an end-to-end encrypted room shared with the other agents.
 * @fires parley-message - As `<parley-chat>`'s: a message arrived in the open conversation or was sent.
 * @fires parley-status - As `<parley-chat>`'s.
 * @fires parley-error - As `<parley-chat>`'s.
 * @fires parley-login - An agent logged in.
 * @fires parley-logout - The agent logged out.
 * @csspart rooms - The inbox (`<parley-rooms inbox>`): forwards `room-waiting` ("Waiting for an answer") and `room-email` besides `<parley-chat>`'s room-list parts.
 * @csspart banner - As `<parley-chat>`'s; also `inbox-empty` ("No conversations yet…").
 */
export class ParleyInbox extends ParleyChat {
  /** The site whose conversations this inbox lists (the visitors' chats' `support`). */
  @property() override support: string | undefined;

  override desk(): DeskRole | undefined {
    return this.support ? { site: this.support, role: 'agent' } : undefined;
  }
}
