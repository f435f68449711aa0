/**
 * The roster: who is in the room and how we reach each of them. We come first, the others
 * follow by name. Names are rendered as text only, never as markup.
 */
import { html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { LinkKind, RosterMember } from '../controllers/settings.js';
import { rosterStyles } from './parley-roster.styles.js';
import { base } from './theme.styles.js';

/** The longer explanation of each link, shown as the badge's tooltip. */
const LINK_TITLES: Record<LinkKind, string> = {
  relay: 'Connected through the server (Socket.IO relay)',
  direct: 'Connected directly: peer-to-peer data channel (WebRTC)',
  tab: 'Connected between tabs of this browser (no server)',
  memory: 'Connected in memory, within this page (tests and demos)',
};

/** The parts `<parley-roster>` exposes, for a parent's `exportparts`. */
export const ROSTER_PARTS = 'heading, members, member, self, name, badge, alone';

const byName = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** Ourselves first, then the others by name (then by id, so the order is stable). */
function rosterOrder(members: readonly RosterMember[]): RosterMember[] {
  const self = members.filter((m) => m.self);
  const others = members
    .filter((m) => !m.self)
    .sort((a, b) => byName.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return [...self, ...others];
}

/**
 * @summary Lists the people in the room and how each is connected.
 * @csspart heading - The "In this room (N)" heading.
 * @csspart members - The list of people.
 * @csspart member - One person's line.
 * @csspart self - Our own line (with `member`).
 * @csspart name - A person's name.
 * @csspart badge - The link badge ("relay", "direct", "tab" or "memory").
 * @csspart alone - The "Nobody else is here yet" line.
 * @cssproperty --parley-fg - Names.
 * @cssproperty --parley-surface - Background of the badges and of a line under the pointer.
 * @cssproperty --parley-muted - Colour of secondary text.
 * @cssproperty --parley-line - Border of the badges.
 * @cssproperty --parley-ok - Colour of the "direct" badge.
 * @cssproperty --parley-accent - Colour of the "relay" badge.
 */
export class ParleyRoster extends LitElement {
  static override styles = [base, rosterStyles];

  /** Everyone in the room, ourselves included (`self: true`). */
  @property({ attribute: false }) members: readonly RosterMember[] = [];

  private renderMember(m: RosterMember) {
    return html`
      <li class=${m.self ? 'self' : ''} part=${m.self ? 'member self' : 'member'}>
        <span class="name" part="name" title=${m.name}>${m.name}</span>
        ${m.self ? html`<span class="you">(you)</span>` : nothing}
        <span class="badge ${m.link}" part="badge" title=${LINK_TITLES[m.link] ?? m.link}
          >${m.link}</span
        >
      </li>
    `;
  }

  override render() {
    const members = rosterOrder(this.members);
    const alone = members.every((m) => m.self);
    return html`
      <h2 id="heading" part="heading">In this room (${members.length})</h2>
      <ul part="members" aria-label="People in this room">
        ${repeat(
          members,
          (m) => m.id,
          (m) => this.renderMember(m),
        )}
      </ul>
      ${alone ? html`<p class="empty" part="alone">Nobody else is here yet.</p>` : nothing}
    `;
  }
}
