/**
 * The Settings panel's *Connection* part — "Connection details", the transport, the server
 * field with its owner's verdict and two ways out, "Connect directly to", the STUN/TURN rows
 * (settings-ice-list.ts), what was refused (a slot) — and, for *You*, "Messages kept per room"
 * (what this browser keeps). Template functions rendered inside `<parley-settings>` (its styles and parts
 * are the panel's); they only render and call back.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import {
  DirectChoices,
  UserTransports,
  type DirectChoice,
  type SettingsProblems,
  type UserTransport,
} from '../../controllers/settings/settings.js';
import {
  directLabels,
  radios,
  userTransportHints,
  userTransportLabels,
} from './settings-choices.js';
import { fieldError as error, iceList, type IceListView } from './settings-ice-list.js';
import { SETTINGS_PART_IDS } from './settings-strip.js';

/** What the server field shows, and whom it tells of edits. */
export interface ServerFieldView {
  /** The address as typed. */
  value: string;
  /** The form's own problem with it (checked on Save). */
  problem: string | undefined;
  /** The owner's verdict (e.g. it did not answer), unless set aside. */
  verdict: string;
  /** Whether the owner is checking the server. */
  checking: boolean;
  onInput: (value: string) => void;
  onKeep: () => void;
  onSaveAnyway: () => void;
}

/**
 * "Server URLs": the field, then — together, so one scroll shows them — the problem and, for
 * the owner's verdict, "Keep the current server" and "Save anyway" right under it.
 */
export function serverField(v: ServerFieldView) {
  const shown = v.problem ?? (v.verdict || undefined);
  return html`
    <div class="field server-field">
      <div class="field-head">
        <label part="label" for="server">Server URLs</label>
        <span class="checking" part="checking" role="status">${v.checking ? 'Checking…' : ''}</span>
      </div>
      <input
        part="input"
        id="server"
        name="server"
        type="text"
        inputmode="url"
        spellcheck="false"
        placeholder="This page's server"
        .value=${live(v.value)}
        aria-invalid=${shown ? 'true' : 'false'}
        aria-describedby=${shown ? 'server-error' : 'server-hint'}
        @input=${(e: Event) => v.onInput((e.target as HTMLInputElement).value)}
      />
      ${error(shown, 'server-error')}
      ${
        v.verdict && !v.problem
          ? html`<div class="server-actions">
              <button part="button keep-server" type="button" @click=${v.onKeep}>
                Keep the current server
              </button>
              <button part="button save-anyway" type="button" @click=${v.onSaveAnyway}>
                Save anyway
              </button>
            </div>`
          : nothing
      }
      <p class="hint" part="hint" id="server-hint" ?hidden=${!!shown}>
        The server that passes messages on and introduces browsers to each other. Leave empty for
        this page's server; list several, with spaces between, to move on to the next when one
        fails.
      </p>
    </div>
  `;
}

/** "Connect directly to": whom WebRTC may link to, and why one might not want it. */
export function directChoice(
  current: DirectChoice,
  choose: (c: DirectChoice) => void,
  problem: string | undefined,
) {
  return html`
    <fieldset class="direct" aria-describedby="direct-hint">
      <legend>Connect directly to</legend>
      ${radios('direct', DirectChoices, current, choose, directLabels)}
      <p class="hint" part="hint" id="direct-hint">
        With WebRTC, a direct link shows the other person your IP address (and you theirs), which
        can tell roughly where you are. Everyone else gets your messages through the server.
      </p>
      ${error(problem)}
    </fieldset>
  `;
}

/**
 * "Messages kept per room": older ones are deleted from this browser. `fixed` is the page's
 * number (`history-max`), which disables the field.
 */
export function historyField(
  value: string,
  fixed: number | undefined,
  onInput: (value: string) => void,
  problem: string | undefined,
) {
  return html`
    <div class="field">
      <label part="label" for="history-max">Messages kept per room</label>
      <input
        part="input"
        id="history-max"
        type="number"
        inputmode="numeric"
        .value=${live(fixed === undefined ? value : String(fixed))}
        ?disabled=${fixed !== undefined}
        aria-invalid=${problem ? 'true' : 'false'}
        aria-describedby=${problem ? 'history-max-error' : 'history-max-hint'}
        @input=${(e: Event) => onInput((e.target as HTMLInputElement).value)}
      />
      ${error(problem, 'history-max-error')}
      <p class="hint" part="hint" id="history-max-hint" ?hidden=${!!problem}>
        ${fixed === undefined ? 'Older ones are deleted from this browser.' : 'Set by this page.'}
      </p>
    </div>
  `;
}

/** What the *Connection* part shows, and whom it tells of edits. */
export interface ConnectionPartView {
  /** The part's heading (the panel's, focusable from its strip). */
  heading: TemplateResult;
  transport: string;
  onTransport: (t: UserTransport) => void;
  /** The form's problems (after a failed Save). */
  problems: SettingsProblems;
  server: ServerFieldView;
  direct: DirectChoice;
  onDirect: (c: DirectChoice) => void;
  ice: IceListView;
  /** "Connection details" pressed. */
  onDetails: () => void;
}

/** The *Connection* part, a headed section ending with the `diagnostics` slot. */
export function connectionPart(v: ConnectionPartView) {
  const id = SETTINGS_PART_IDS.connection;
  return html`<section class="part" id=${id} aria-labelledby="${id}-heading">
    ${v.heading}
    <div class="connection">
      <button part="button connection-details" type="button" @click=${v.onDetails}>
        Connection details
      </button>
      <span class="hint" part="hint">How each member is reached, round trips, tests.</span>
    </div>
    <fieldset class="transports">
      <legend>Transport</legend>
      ${radios(
        'transport',
        UserTransports,
        v.transport,
        v.onTransport,
        userTransportLabels,
        userTransportHints,
      )}
      ${error(v.problems.transport)}
    </fieldset>
    ${serverField(v.server)} ${directChoice(v.direct, v.onDirect, v.problems.direct)}
    ${iceList(v.ice)}
    <slot name="diagnostics"></slot>
  </section>`;
}
