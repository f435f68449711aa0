/**
 * The members of a private room, in Settings' *This room*: who is in it, who made it and who
 * is admin, and — for those allowed (the room controller says so) — "Remove from room", "Make
 * admin" and "Change the room's key". Like everything else in the panel, nothing happens until
 * Save: a press marks the change (the row says what Save will do, and the same button takes it
 * back); Cancel forgets it. A template function rendered inside `<parley-room-lock>`, whose
 * styles it uses; it only renders and reports presses.
 */
import { html, nothing } from 'lit';
import type { MemberEntry } from '../../controllers/room/room-members.js';

/** One member as the room controller lists them (`RoomController.members`). */
export type { MemberEntry };

/** A change to the room's members, held until Save. */
export type MemberChange =
  { kind: 'remove'; id: string } | { kind: 'admin'; id: string } | { kind: 'rekey' };

/** The changes marked so far. */
export interface MarkedChanges {
  remove: readonly string[];
  admin: readonly string[];
  rekey: boolean;
}

/** No changes marked. */
export const NO_CHANGES: MarkedChanges = { remove: [], admin: [], rekey: false };

/** What the list shows, and whom it tells of presses. */
export interface MembersView {
  members: readonly MemberEntry[];
  /** Whether we may make admins and change the key (we made the room, or are admin). */
  canManage: boolean;
  marked: MarkedChanges;
  /**
   * The short fingerprint of each identity key we know a safety code for (those here now), so
   * two members of one name are told apart before one is removed.
   */
  fingerprints: ReadonlyMap<string, string>;
  /** A press: marks the change, or takes a marked one back. */
  toggle: (change: MemberChange) => void;
}

function role(m: MemberEntry): string {
  if (m.creator) return 'made the room';
  return m.admin ? 'admin' : '';
}

/** The member's short fingerprint, as the member list shows it beside the name. */
function fingerprint(m: MemberEntry, v: MembersView) {
  const fp = v.fingerprints.get(m.key);
  return fp
    ? html` <span class="fp" part="fingerprint" title="The start of their safety code">${fp}</span>`
    : nothing;
}

function row(m: MemberEntry, v: MembersView) {
  const removing = v.marked.remove.includes(m.id);
  const promoting = v.marked.admin.includes(m.id);
  const nameId = `member-${m.id}`;
  const said = [m.self ? 'you' : '', role(m)].filter(Boolean).join(', ');
  const will = removing
    ? `Will be removed when you save — a new room key goes to everyone else.`
    : promoting
      ? 'Will be admin when you save.'
      : '';
  return html`<li class="member" part="member">
    <span class="member-name" id=${nameId}
      >${m.name}${fingerprint(m, v)}${
        said ? html` <span class="muted">(${said})</span>` : nothing
      }</span
    >
    ${will ? html`<span class="will" part="member-change">${will}</span>` : nothing}
    <span class="member-actions">
      ${
        m.canRemove && !m.self
          ? html`<button
              part="button"
              type="button"
              aria-describedby=${nameId}
              aria-pressed=${removing ? 'true' : 'false'}
              @click=${() => v.toggle({ kind: 'remove', id: m.id })}
            >
              Remove from room
            </button>`
          : nothing
      }
      ${
        v.canManage && !m.admin && !m.creator && !m.self && !removing
          ? html`<button
              part="button"
              type="button"
              aria-describedby=${nameId}
              aria-pressed=${promoting ? 'true' : 'false'}
              @click=${() => v.toggle({ kind: 'admin', id: m.id })}
            >
              Make admin
            </button>`
          : nothing
      }
    </span>
  </li>`;
}

/**
 * The members list with its heading, and "Change the room's key" for those allowed; nothing
 * when the controller lists nobody (a public room, or before the list is known).
 */
export function membersList(v: MembersView) {
  if (v.members.length === 0) return nothing;
  return html`<div class="members" part="members">
    <h4 id="members-heading">Members (${v.members.length})</h4>
    <ul aria-labelledby="members-heading">
      ${v.members.map((m) => row(m, v))}
    </ul>
    ${
      v.canManage
        ? html`<div class="rekey">
            <button
              part="button"
              type="button"
              aria-pressed=${v.marked.rekey ? 'true' : 'false'}
              aria-describedby="rekey-hint"
              @click=${() => v.toggle({ kind: 'rekey' })}
            >
              Change the room's key
            </button>
            <p class="muted" id="rekey-hint">
              ${
                v.marked.rekey
                  ? 'When you save, a new key goes to every member, sealed to each one.'
                  : 'A new key for everyone here, sealed to each member; anyone who only had the old one reads nothing after.'
              }
            </p>
          </div>`
        : nothing
    }
  </div>`;
}
