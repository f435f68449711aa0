/**
 * `components/roster/` — the member list: the element, its styles, parts and lazy registration.
 *
 * The roster: who is in the room and how we reach each of them. We come first, the others
 * follow by name. Names are rendered as text only, never as markup. Names are only labels:
 * each line is one identity, shown with the short fingerprint of its key, its full safety code
 * on demand, a "Mark as verified" toggle, and a warning when its name belongs to someone else
 * this account met before.
 */
import { html, LitElement, nothing, svg } from 'lit';
import { property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { LinkKind, MemberTrust, RosterMember } from '../../controllers/presence/roster.js';
import { avatar, avatarStyles } from '../shared/avatar.js';
import { fire } from '../shared/events.js';
import { rosterStyles } from './parley-roster.styles.js';
import { warningText } from '../../controllers/presence/trust-words.js';
import { sideListStyles } from '../shared/side-list.styles.js';
import { base } from '../shared/theme.styles.js';

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

export { ROSTER_PARTS } from './roster-parts.js';

const byName = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** Ourselves first, then the others by name (then by identity, so namesakes keep their order). */
function rosterOrder(members: readonly RosterMember[]): RosterMember[] {
  const self = members.filter((m) => m.self);
  const others = members
    .filter((m) => !m.self)
    .sort(
      (a, b) =>
        byName.compare(a.name, b.name) || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0),
    );
  return [...self, ...others];
}

/** The warning for a member whose name belongs to another identity, or looks like it. */
function warningOf(m: RosterMember): string | undefined {
  return m.trust && !m.self ? warningText(m.name, m.trust) : undefined;
}

/**
 * @summary Lists the people in the room and how each is connected. Our own other tabs (the
 * same identity) are our line, never another member's: "(you, 2 tabs)".
 * @csspart heading - The "In this room (N)" heading.
 * @csspart members - The list of people.
 * @csspart member - One person's line.
 * @csspart self - Our own line (with `member`).
 * @csspart avatar - A person's initial on their colour, both from their identity, not their name (decorative).
 * @csspart name - A person's name.
 * @csspart badge - The icon saying how we reach a member: "via the server", "directly", "another tab" (its accessible name and tooltip).
 * @csspart alone - The "Nobody else is here yet" line.
 * @csspart fingerprint - The short fingerprint beside a name (the first three groups of the safety code).
 * @csspart unproven - "unverified identity", for a member whose hello carried no key.
 * @csspart unconfirmed - "Only the server says … is here": a member listed on the server's word alone — its app is too old to sign its own hello (protocol 1.3 or older), or it has not sent one.
 * @csspart verified - The "Verified" badge of a member whose safety code the user checked.
 * @csspart warning - "Not the Alice you talked to before": the name (or a look-alike of it, Unicode's confusables) belongs to another key met earlier or here now, or mixes scripts.
 * @csspart safety - The "Safety code" disclosure of a member.
 * @csspart code - The full safety code (six groups of five digits).
 * @csspart verify - The "Mark as verified" / "Unmark verified" button.
 * @fires parley-verify - The user marks a member verified or takes the mark back (`detail`: userId, verified).
 * @cssproperty --parley-fg - Names.
 * @cssproperty --parley-surface - Background of the badges and of a line under the pointer.
 * @cssproperty --parley-muted - Colour of secondary text.
 * @cssproperty --parley-line - Border of the badges.
 * @cssproperty --parley-ok - Colour of the "directly" icon.
 * @cssproperty --parley-accent - Colour of the "via the server" icon.
 * @cssproperty --parley-danger - The key-change warning.
 */
export class ParleyRoster extends LitElement {
  static override styles = [base, sideListStyles, avatarStyles, rosterStyles];

  /** Everyone in the room, ourselves included (`self: true`). */
  @property({ attribute: false }) members: readonly RosterMember[] = [];

  private renderMember(m: RosterMember) {
    const warning = warningOf(m);
    const classes = ['member', m.self ? 'self' : '', warning ? 'warned' : ''].join(' ').trim();
    return html`
      <li class=${classes} part=${m.self ? 'member self' : 'member'}>
        <div class="row">
          ${avatar(m.userId, m.name)}<span class="name" part="name" title=${m.name}>${m.name}</span>
          ${m.self ? html`<span class="you">${m.tabs ? `(you, ${m.tabs} tabs)` : '(you)'}</span>` : nothing}
          ${this.renderIdentity(m)}
          ${
            m.trust?.verified
              ? html`<span class="verified" part="verified" title="You compared the safety code"
                  >✓ Verified</span
                >`
              : nothing
          }
          ${
            m.self
              ? nothing
              : html`<span
                  class="badge ${m.link}"
                  part="badge"
                  role="img"
                  aria-label=${LINK_WORDS[m.link]}
                  title=${LINK_WORDS[m.link]}
                  ><svg viewBox="0 0 16 16" aria-hidden="true">${LINK_ICONS[m.link]}</svg></span
                >`
          }
        </div>
        ${warning ? html`<p class="warning" part="warning" role="alert">${warning}</p>` : nothing}
        ${
          m.unconfirmed
            ? html`<p class="unconfirmed" part="unconfirmed">
                Only the server says ${m.name} is here:
                ${
                  m.unconfirmed === 'older'
                    ? 'their app is older and cannot confirm it.'
                    : 'they have not confirmed it.'
                }
              </p>`
            : nothing
        }
        ${m.trust && !m.self ? this.renderSafety(m, m.trust) : nothing}
      </li>
    `;
  }

  /** The short fingerprint, or why there is none. */
  private renderIdentity(m: RosterMember) {
    if (m.trust) {
      return html`<span
        class="fp"
        part="fingerprint"
        title="Short fingerprint: the start of the safety code"
        ><span class="visually-hidden">fingerprint </span>${m.trust.fingerprint}</span
      >`;
    }
    // A key still being checked shows nothing for the moment it takes.
    return m.key
      ? nothing
      : html`<span class="unproven" part="unproven">unverified identity</span>`;
  }

  /** The full safety code on demand, with the button that marks it compared. */
  private renderSafety(m: RosterMember, trust: MemberTrust) {
    const who = `${m.name}, ${trust.fingerprint}`;
    return html`
      <details part="safety">
        <summary>Safety code<span class="visually-hidden"> of ${who}</span></summary>
        <p class="code" part="code">${trust.code.split(' ').map((g) => html`<span>${g}</span>`)}</p>
        <p class="hint">Compare it with ${m.name} in person or by phone.</p>
        <button type="button" part="verify" @click=${() => this.toggle(m.userId, !trust.verified)}>
          ${trust.verified ? 'Unmark verified' : 'Mark as verified'}<span class="visually-hidden">
            (${who})</span
          >
        </button>
      </details>
    `;
  }

  private toggle(userId: string, verified: boolean): void {
    fire(this, 'parley-verify', { userId, verified });
  }

  override render() {
    const members = rosterOrder(this.members);
    const alone = members.every((m) => m.self);
    return html`
      <h2 id="heading" part="heading">In this room (${members.length})</h2>
      <ul part="members" aria-label="People in this room">
        ${repeat(
          members,
          // One line per identity: a member's lines stay put when they switch connection.
          (m) => m.userId,
          (m) => this.renderMember(m),
        )}
      </ul>
      ${alone ? html`<p class="empty" part="alone">Nobody else is here yet.</p>` : nothing}
    `;
  }
}
