/**
 * The roster: who is in the room and how we reach each of them. We come first, the others
 * follow by name. Names are rendered as text only, never as markup.
 */
import { html, LitElement, nothing, svg } from 'lit';
import { property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { LinkKind, RosterMember } from '../controllers/roster.js';
import { rosterStyles } from './parley-roster.styles.js';
import { base } from './theme.styles.js';

/**
 * How we reach each member, in plain words: the link icon's accessible name and tooltip. Both
 * ends of one link say the same thing, since each names how *it* reaches the other.
 */
export const LINK_WORDS: Record<LinkKind, string> = {
  relay: 'via the server',
  direct: 'directly',
  tab: 'another tab',
  memory: 'in this page',
};

/** A small icon per link: a server, two linked dots, a window. */
const LINK_ICONS: Record<LinkKind, ReturnType<typeof svg>> = {
  relay: svg`<rect x="3" y="3" width="10" height="4" rx="1"/><rect x="3" y="9" width="10" height="4" rx="1"/>`,
  direct: svg`<circle cx="4" cy="8" r="2.2"/><circle cx="12" cy="8" r="2.2"/><path d="M6.2 8h3.6"/>`,
  tab: svg`<rect x="2.5" y="3.5" width="11" height="9" rx="1.2"/><path d="M2.5 6.5h11"/>`,
  memory: svg`<rect x="3.5" y="3.5" width="9" height="9" rx="1.5"/>`,
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
 * @csspart badge - The icon saying how we reach a member: "via the server", "directly", "another tab" (its accessible name and tooltip).
 * @csspart alone - The "Nobody else is here yet" line.
 * @cssproperty --parley-fg - Names.
 * @cssproperty --parley-surface - Background of the badges and of a line under the pointer.
 * @cssproperty --parley-muted - Colour of secondary text.
 * @cssproperty --parley-line - Border of the badges.
 * @cssproperty --parley-ok - Colour of the "directly" icon.
 * @cssproperty --parley-accent - Colour of the "via the server" icon.
 */
export class ParleyRoster extends LitElement {
  static override styles = [base, rosterStyles];

  /** Everyone in the room, ourselves included (`self: true`). */
  @property({ attribute: false }) members: readonly RosterMember[] = [];

  private renderMember(m: RosterMember) {
    return html`
      <li class=${m.self ? 'self' : ''} part=${m.self ? 'member self' : 'member'}>
        <span class="name" part="name" title=${m.name}>${m.name}</span>
        ${
          m.self
            ? html`<span class="you">(you)</span>`
            : html`<span
                class="badge ${m.link}"
                part="badge"
                role="img"
                aria-label=${LINK_WORDS[m.link]}
                title=${LINK_WORDS[m.link]}
                ><svg viewBox="0 0 16 16" aria-hidden="true">${LINK_ICONS[m.link]}</svg></span
              >`
        }
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
