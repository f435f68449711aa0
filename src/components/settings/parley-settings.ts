/**
 * `components/settings/` — the Settings panel: the dialog and its sections (transport choices,
 * STUN/TURN list, our safety code, the room's encryption), loaded as a chunk of its own.
 *
 * The settings panel: a `<dialog>` to choose the transport, the server, whom to connect to
 * directly and the STUN/TURN servers; modal, or `inline` (non-modal, filling its host) for a chat embedded in another page.
 * It edits a copy of the saved settings, made each time it opens, and checks them with the
 * validators of `controllers/settings` before it hands them over. Whether a new server answers
 * is its owner's check, shown here through `checking` and `server-error`.
 */
import { inlinePanelStyles } from '../shared/inline-panel.styles.js';
import { escapeInline } from '../shared/dialog-escape.js';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import {
  DEFAULT_SETTINGS,
  DirectChoices,
  faultyIceField,
  hasProblems,
  serverList,
  settingsProblems,
  UserTransports,
  type DirectChoice,
  type IceField,
  type ParleySettings as Settings,
  type SettingsProblems,
  type UserTransport,
} from '../../controllers/settings/settings.js';
import { fire } from '../shared/events.js';
import { deepActive } from '../shared/focus.js';
import {
  directLabels,
  radios,
  userTransportHints,
  userTransportLabels,
} from './settings-choices.js';
import { fieldError as error, iceList, toRow, type Row } from './settings-ice-list.js';
import { settingsStyles } from './parley-settings.styles.js';
import { base, dialogBase } from '../shared/theme.styles.js';

export { SETTINGS_PARTS } from './settings-parts.js';

/**
 * @summary Settings popup: transport, server, direct connections, STUN/TURN servers.
 * @fires parley-settings-save - `{ settings, force? }` when valid settings are saved; `force` is
 *   true for "Save anyway" (save without checking that the server answers). The panel stays
 *   open: its owner checks and stores the settings, then sets `open = false` once they are saved.
 * @fires parley-settings-close - `{}` when dismissed with Cancel or Escape (the panel closes).
 * @fires parley-connection-open - `{}` when "Connection details" is pressed.
 * @slot room - About the current room (`<parley-chat>` puts `<parley-room-lock>` here).
 * @slot identity - About our identity (`<parley-chat>` puts `<parley-identity-card>` here).
 * @csspart dialog - The dialog box (also named `settings-dialog`).
 * @csspart settings-dialog - The dialog box (also named `dialog`).
 * @csspart title - The "Settings" heading.
 * @csspart notice - The notice at the top.
 * @csspart error - Each inline error message.
 * @csspart label - Each field's label and each transport's or direct-connection choice's name.
 * @csspart input - Each text field.
 * @csspart radio - Each transport's and direct-connection choice's radio button.
 * @csspart hint - Each explanation under a choice or field.
 * @csspart advanced - The "Advanced" disclosure around the STUN/TURN servers.
 * @csspart checking - "Checking…" by the server field while the owner checks the server.
 * @csspart keep-server - "Keep the current server", offered when the server did not answer.
 * @csspart save-anyway - "Save anyway", offered when the server did not answer.
 * @csspart button - Every button.
 * @csspart primary - The Save button.
 * @csspart save - The Save button.
 * @csspart cancel - The Cancel button.
 * @csspart connection-details - "Connection details" (opens that panel).
 * @cssproperty --parley-accent - Colour of the Save button and of the chosen transport.
 * @cssproperty --parley-accent-fg - Text of the Save button.
 * @cssproperty --parley-bg - Background of the box and the fields.
 * @cssproperty --parley-fg - Text colour.
 * @cssproperty --parley-muted - Hints.
 * @cssproperty --parley-danger - Colour of the inline errors.
 * @cssproperty --parley-surface - Background of the STUN/TURN rows and of the notice.
 * @cssproperty --parley-line - Borders of the transport choices, the lines around the body.
 * @cssproperty --parley-field-border - Borders of the fields and buttons.
 * @cssproperty --parley-radius - Corners of the box (1.6×), the choices and the rows.
 * @cssproperty --parley-control-radius - Corners of the fields and buttons.
 * @cssproperty --parley-spacing - Padding of the box.
 * @cssproperty --parley-focus - Focus ring.
 */
export class ParleySettings extends LitElement {
  static override styles = [base, dialogBase, inlinePanelStyles, settingsStyles];

  /** Whether the panel is shown. */
  @property({ type: Boolean, reflect: true }) open = false;
  /**
   * Non-modal, filling the host's box (give the host one, e.g. `position: absolute; inset: 0`):
   * an embedded chat is a guest and must never make the rest of the page unusable.
   */
  @property({ type: Boolean, reflect: true }) inline = false;
  /** The saved settings; the form edits a copy, made each time the panel opens. */
  @property({ attribute: false }) settings: Settings = DEFAULT_SETTINGS;
  /** Text shown at the top, e.g. why WebRTC fell back to the relay. */
  @property() notice = '';
  /** Whether the owner is checking that the new server answers; Save waits meanwhile. */
  @property({ type: Boolean }) checking = false;
  /** A problem the owner found with the server, e.g. that it did not answer. */
  @property({ attribute: 'server-error' }) serverError = '';
  /** Messages kept per room as the page fixes them (`history-max`): the field is then disabled. */
  @property({ attribute: false }) historyFixed: number | undefined;

  @state() private transport: string = DEFAULT_SETTINGS.transport;
  @state() private server = '';
  @state() private direct: DirectChoice = DEFAULT_SETTINGS.direct;
  @state() private historyMax = '';
  @state() private rows: Row[] = [];
  /** Rows that existed at the last failed Save (their errors show); null before any Save. */
  @state() private checked: ReadonlySet<number> | null = null;
  /** Whether "Advanced" is open; follows the user's toggles, so a render never undoes one. */
  @state() private advanced = false;
  /** Whether `serverError` is set aside: the address was edited or the saved one restored. */
  @state() private serverErrorHidden = false;

  @query('dialog') private dialog!: HTMLDialogElement;
  @query('details') private details!: HTMLDetailsElement;
  /**
   * What had the focus before the inline panel opened, to give it back on close: every browser
   * does that for a modal dialog, but older ones not after `show()`.
   */
  private returnFocus: HTMLElement | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('open') && this.open) {
      this.transport = this.settings.transport;
      this.server = this.settings.server;
      this.direct = this.settings.direct;
      this.historyMax = String(this.settings.historyMax);
      this.rows = this.settings.iceServers.map(toRow);
      this.checked = null;
      this.advanced = false;
      this.serverErrorHidden = false;
    }
    // A new verdict, or the same one after another check, shows again.
    if (changed.has('serverError') || (changed.has('checking') && !this.checking))
      this.serverErrorHidden = false;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (this.open && !this.dialog.open) {
      this.details.open = false; // also when a toggle from last time is still on its way
      if (this.inline) {
        this.returnFocus = deepActive();
        this.dialog.show();
      } else {
        this.dialog.showModal();
      }
      this.field('input[name=transport]:checked')?.focus();
    } else if (!this.open && this.dialog.open) {
      const hadFocus = this.hasFocus();
      this.dialog.close();
      if (this.inline && hadFocus && this.returnFocus?.isConnected) this.returnFocus.focus();
      this.returnFocus = null;
    }
    // The verdict arrives seconds after Save: never pull the focus back from the host page.
    if (changed.has('serverError') && this.serverError && this.open && this.hasFocus())
      this.field('#server')?.focus();
  }

  /** Whether the focus is inside the panel. */
  private hasFocus(): boolean {
    return !!this.shadowRoot?.activeElement;
  }

  /** The form's settings: strings trimmed (not the credential), empty user names dropped. */
  private value(): Settings {
    return {
      transport: this.transport as UserTransport,
      server: serverList(this.server).join(' '),
      direct: this.direct,
      // Fixed by the page: the visitor's own number stays as it was.
      historyMax:
        this.historyFixed === undefined ? Number(this.historyMax) : this.settings.historyMax,
      iceServers: this.rows.map(({ urls, username, credential }) => ({
        urls: urls.trim(),
        ...(username.trim() ? { username: username.trim() } : {}),
        ...(credential ? { credential } : {}),
      })),
    };
  }

  private field(selector: string): HTMLInputElement | HTMLButtonElement | null {
    return this.renderRoot.querySelector(selector);
  }

  /** Save (`force`: "Save anyway"): checks the form, then hands the settings to the owner. */
  private async save(e?: Event, force = false): Promise<void> {
    e?.preventDefault();
    if (this.checking) return; // Enter in a field while the server is being checked
    const settings = this.value();
    const problems = settingsProblems(settings);
    if (!hasProblems(problems)) {
      const detail = force ? { settings, force } : { settings };
      fire(this, 'parley-settings-save', detail);
      return;
    }
    this.checked = new Set(this.rows.map((r) => r.key));
    if (problems.iceServers) this.advanced = true; // never leave an error folded away
    await this.updateComplete;
    this.firstInvalid(problems)?.focus();
  }

  private firstInvalid(p: SettingsProblems): HTMLElement | null {
    if (p.transport) return this.field('input[name=transport]');
    if (p.server) return this.field('#server');
    if (p.direct) return this.field('input[name=direct]');
    if (p.historyMax) return this.field('#history-max');
    const row = this.rows[Math.min(...Object.keys(p.iceServers ?? {}).map(Number))];
    return row ? this.field(`#ice-${row.key}-${faultyIceField(row)}`) : null;
  }

  /** "Keep the current server": the saved address again, the owner's problem set aside. */
  private keepServer(): void {
    this.server = this.settings.server;
    this.serverErrorHidden = true;
    void this.updateComplete.then(() => this.field('#server')?.focus());
  }

  /** The browser closed the dialog (Escape); a reopen may have come before this event. */
  private closed(): void {
    if (this.open && !this.dialog.open) this.dismiss();
  }

  /** Escape: the browser handles it for a modal dialog only. */
  private keydown(e: KeyboardEvent): void {
    escapeInline(e, this.inline, () => this.dismiss());
  }

  private dismiss(): void {
    this.open = false;
    fire(this, 'parley-settings-close', {});
  }

  private setRows(rows: Row[], focus?: string): void {
    this.rows = rows;
    if (focus) void this.updateComplete.then(() => this.field(focus)?.focus());
  }

  private edit(row: Row, f: IceField, value: string): void {
    this.rows = this.rows.map((r) => (r === row ? { ...r, [f]: value } : r));
  }

  private addRow(): void {
    const row = toRow({ urls: '' });
    this.setRows([...this.rows, row], `#ice-${row.key}-urls`);
  }

  /** Removes row `i`; the focus moves to the next row's Remove, else to "Add server". */
  private removeRow(i: number): void {
    const next = this.rows[i + 1] ?? this.rows[i - 1];
    const rest = this.rows.filter((_, j) => j !== i);
    this.setRows(rest, next ? `#ice-${next.key}-remove` : '#add-ice');
  }

  private renderServer(problem: string | undefined) {
    const owners = !problem && !this.serverErrorHidden ? this.serverError : '';
    const shown = problem ?? (owners || undefined);
    return html`
      <div class="field">
        <div class="field-head">
          <label part="label" for="server">Server URLs</label>
          <span class="checking" part="checking" role="status"
            >${this.checking ? 'Checking…' : ''}</span
          >
        </div>
        <input
          part="input"
          id="server"
          name="server"
          type="text"
          inputmode="url"
          spellcheck="false"
          placeholder="This page's server"
          .value=${live(this.server)}
          aria-invalid=${shown ? 'true' : 'false'}
          aria-describedby=${shown ? 'server-error' : 'server-hint'}
          @input=${(e: Event) => {
            this.server = (e.target as HTMLInputElement).value;
            this.serverErrorHidden = true; // checked again on Save
          }}
        />
        ${error(shown, 'server-error')}
        ${
          owners
            ? html`<div class="server-actions">
                <button part="button keep-server" type="button" @click=${this.keepServer}>
                  Keep the current server
                </button>
                <button
                  part="button save-anyway"
                  type="button"
                  @click=${() => this.save(undefined, true)}
                >
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
  private renderDirect(problem: string | undefined) {
    return html`
      <fieldset class="direct" aria-describedby="direct-hint">
        <legend>Connect directly to</legend>
        ${radios('direct', DirectChoices, this.direct, (c) => (this.direct = c), directLabels)}
        <p class="hint" part="hint" id="direct-hint">
          With WebRTC, a direct link shows the other person your IP address (and you theirs), which
          can tell roughly where you are. Everyone else gets your messages through the server.
        </p>
        ${error(problem)}
      </fieldset>
    `;
  }

  /** "Messages kept per room": older ones are deleted from this browser. */
  private renderHistory(problem: string | undefined) {
    const fixed = this.historyFixed;
    return html`
      <div class="field">
        <label part="label" for="history-max">Messages kept per room</label>
        <input
          part="input"
          id="history-max"
          type="number"
          inputmode="numeric"
          .value=${live(fixed === undefined ? this.historyMax : String(fixed))}
          ?disabled=${fixed !== undefined}
          aria-invalid=${problem ? 'true' : 'false'}
          aria-describedby=${problem ? 'history-max-error' : 'history-max-hint'}
          @input=${(e: Event) => (this.historyMax = (e.target as HTMLInputElement).value)}
        />
        ${error(problem, 'history-max-error')}
        <p class="hint" part="hint" id="history-max-hint" ?hidden=${!!problem}>
          ${fixed === undefined ? 'Older ones are deleted from this browser.' : 'Set by this page.'}
        </p>
      </div>
    `;
  }

  override render() {
    const problems = this.checked ? settingsProblems(this.value()) : {};
    return html`
      <dialog
        part="dialog settings-dialog"
        aria-labelledby="title"
        @close=${this.closed}
        @keydown=${this.keydown}
      >
        <form @submit=${this.save} novalidate>
          <h2 id="title" part="title">Settings</h2>
          <div class="body">
            <p class="notice" part="notice" role="status" ?hidden=${!this.notice}>${this.notice}</p>
            <div class="connection">
              <button
                part="button connection-details"
                type="button"
                @click=${() => fire(this, 'parley-connection-open', {})}
              >
                Connection details
              </button>
              <span class="hint" part="hint">How each member is reached, round trips, tests.</span>
            </div>
            <slot name="room"></slot>
            <slot name="identity"></slot>
            <fieldset class="transports">
              <legend>Transport</legend>
              ${radios(
                'transport',
                UserTransports,
                this.transport,
                (t) => (this.transport = t),
                userTransportLabels,
                userTransportHints,
              )}
              ${error(problems.transport)}
            </fieldset>
            ${this.renderServer(problems.server)} ${this.renderDirect(problems.direct)}
            ${this.renderHistory(problems.historyMax)}
            ${iceList({
              rows: this.rows,
              open: this.advanced,
              problems: problems.iceServers ?? {},
              checked: this.checked,
              onToggle: (open) => (this.advanced = open),
              onEdit: (row, f, value) => this.edit(row, f, value),
              onAdd: () => this.addRow(),
              onRemove: (i) => this.removeRow(i),
              onReplace: (rows) => this.setRows(rows),
            })}
          </div>
          <div class="actions">
            <button part="button cancel" type="button" @click=${this.dismiss}>Cancel</button>
            <button
              part="button primary save"
              type="submit"
              class="primary"
              aria-disabled=${this.checking ? 'true' : nothing}
            >
              Save
            </button>
          </div>
        </form>
      </dialog>
    `;
  }
}
