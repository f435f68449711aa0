/**
 * The STUN/TURN part of the settings panel: an "Advanced" disclosure holding one editable row
 * per server, with Add / Use none / Use default. A template function rendered inside
 * `<parley-settings>` (its styles and parts are the panel's); it only renders and calls back.
 */
import { html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import {
  DEFAULT_ICE_SERVERS,
  faultyIceField,
  type IceField,
  type IceServerEntry,
} from '../../controllers/settings/settings.js';

/** One editable STUN/TURN row; `key` keeps a row's fields in place when others are removed. */
export type Row = Required<IceServerEntry> & { key: number };

let nextKey = 0;
/** A row for an entry, with a fresh key. */
export const toRow = (e: IceServerEntry): Row => ({
  key: nextKey++,
  urls: e.urls,
  username: e.username ?? '',
  credential: e.credential ?? '',
});

/** An inline error, announced when it appears. */
export const fieldError = (text: string | undefined, id?: string) =>
  text ? html`<p class="error" part="error" id=${id ?? nothing} role="alert">${text}</p>` : nothing;

/** What the list shows, and whom it tells of edits. */
export interface IceListView {
  rows: readonly Row[];
  /** Whether "Advanced" is open. */
  open: boolean;
  /** Problems per row index (shown for the rows in `checked` only). */
  problems: Record<number, string>;
  /** Rows that existed at the last failed Save; null before any. */
  checked: ReadonlySet<number> | null;
  onToggle: (open: boolean) => void;
  onEdit: (row: Row, field: IceField, value: string) => void;
  onAdd: () => void;
  onRemove: (index: number) => void;
  onReplace: (rows: Row[]) => void;
}

function iceRow(v: IceListView, row: Row, i: number, problem: string | undefined) {
  const n = i + 1;
  const id = (f: string) => `ice-${row.key}-${f}`;
  const bad = problem ? faultyIceField(row) : undefined;
  // Visible labels; the row number is read out for the user name and credential too.
  const field = (f: IceField, label: string, type = 'text', placeholder = 'TURN only') => html`
    <label class=${f} part="label" for=${id(f)}
      >${label}<span class=${f === 'urls' ? '' : 'visually-hidden'}> ${n}</span></label
    >
    <input
      id=${id(f)}
      class=${f}
      part="input"
      type=${type}
      placeholder=${placeholder}
      autocomplete=${type === 'password' ? 'new-password' : 'off'}
      spellcheck="false"
      .value=${live(row[f])}
      aria-invalid=${bad === f ? 'true' : 'false'}
      aria-describedby=${problem ? id('error') : nothing}
      @input=${(e: Event) => v.onEdit(row, f, (e.target as HTMLInputElement).value)}
    />
  `;
  return html`
    <li class="ice-row">
      ${field('urls', 'ICE server', 'text', 'stun:host:port or turn:host:port')}
      <button
        id=${id('remove')}
        part="button"
        type="button"
        class="remove"
        aria-label="Remove ICE server ${n}"
        @click=${() => v.onRemove(i)}
      >
        Remove
      </button>
      ${field('username', 'User name')} ${field('credential', 'Credential', 'password')}
      ${fieldError(problem, id('error'))}
    </li>
  `;
}

/** Renders the "Advanced" disclosure with the STUN/TURN rows. */
export function iceList(v: IceListView) {
  return html`
    <details
      class="advanced"
      part="advanced"
      .open=${v.open}
      @toggle=${(e: Event) => v.onToggle((e.target as HTMLDetailsElement).open)}
    >
      <summary>Advanced</summary>
      <fieldset class="ice">
        <legend>STUN/TURN servers</legend>
        <p class="hint" part="hint">
          Help browsers on different networks find a direct way to each other (WebRTC only).
        </p>
        ${
          v.rows.length === 0
            ? html`<p class="empty">
                No STUN/TURN servers: direct links work only between browsers on the same network.
              </p>`
            : html`<ol class="ice-list">
                ${repeat(
                  v.rows,
                  (r) => r.key,
                  (r, i) => iceRow(v, r, i, v.checked?.has(r.key) ? v.problems[i] : undefined),
                )}
              </ol>`
        }
        <div class="ice-actions">
          <button id="add-ice" part="button" type="button" @click=${v.onAdd}>Add server</button>
          <button part="button" type="button" @click=${() => v.onReplace([])}>Use none</button>
          <button
            part="button"
            type="button"
            @click=${() => v.onReplace(DEFAULT_ICE_SERVERS.map(toRow))}
          >
            Use default
          </button>
        </div>
      </fieldset>
    </details>
  `;
}
