/**
 * The settings panel: a modal `<dialog>` to choose the transport, the server and the STUN/TURN
 * servers. It edits a copy of the saved settings, made each time it opens, and checks them with
 * the validators of `controllers/settings` before it hands them over.
 */
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import {
  DEFAULT_ICE_SERVERS,
  DEFAULT_SETTINGS,
  hasProblems,
  iceServerProblem,
  serverList,
  settingsProblems,
  UserTransports,
  userTransportLabels,
  type IceServerEntry,
  type ParleySettings as Settings,
  type SettingsProblems,
  type UserTransport,
} from '../controllers/settings.js';
import { fire } from './events.js';
import { settingsStyles } from './parley-settings.styles.js';
import { base, dialogBase } from './theme.styles.js';

/** The parts `<parley-settings>` exposes, for a parent's `exportparts`. */
export const SETTINGS_PARTS =
  'dialog, settings-dialog, title, notice, error, label, input, radio, hint, button, primary, save, cancel';

/** One line under each transport choice. */
const TRANSPORT_HINTS: Record<UserTransport, string> = {
  socketio: 'Messages travel through the server.',
  webrtc: 'Messages travel directly between browsers; the server only introduces peers.',
  broadcast: 'Messages travel between tabs of this browser; no server is used.',
};

/** One editable STUN/TURN row; `key` keeps a row's fields in place when others are removed. */
type Row = Required<IceServerEntry> & { key: number };
type RowField = keyof Required<IceServerEntry>;

/** An inline error, announced when it appears. */
const error = (text: string | undefined, id?: string) =>
  text ? html`<p class="error" part="error" id=${id ?? nothing} role="alert">${text}</p>` : nothing;

let nextKey = 0;
const toRow = (e: IceServerEntry): Row => ({
  key: nextKey++,
  urls: e.urls,
  username: e.username ?? '',
  credential: e.credential ?? '',
});

/**
 * @summary Settings popup: transport, server, STUN/TURN servers.
 * @fires parley-settings-save - `{ settings }` when valid settings are saved; the panel then
 *   closes unless the event is cancelled.
 * @fires parley-settings-close - `{}` when dismissed with Cancel or Escape (the panel closes).
 * @csspart dialog - The dialog box (also named `settings-dialog`).
 * @csspart settings-dialog - The dialog box (also named `dialog`).
 * @csspart title - The "Settings" heading.
 * @csspart notice - The notice at the top.
 * @csspart error - Each inline error message.
 * @csspart label - Each field's label and each transport's name.
 * @csspart input - Each text field.
 * @csspart radio - Each transport's radio button.
 * @csspart hint - Each explanation under a choice or field.
 * @csspart button - Every button.
 * @csspart primary - The Save button.
 * @csspart save - The Save button.
 * @csspart cancel - The Cancel button.
 * @cssproperty --parley-accent - Colour of the Save button and of the chosen transport.
 * @cssproperty --parley-accent-fg - Text of the Save button.
 * @cssproperty --parley-bg - Background of the box and the fields.
 * @cssproperty --parley-fg - Text colour.
 * @cssproperty --parley-muted - Hints.
 * @cssproperty --parley-danger - Colour of the inline errors.
 * @cssproperty --parley-surface - Background of the STUN/TURN rows and of the notice.
 * @cssproperty --parley-line - Borders of the transport choices, the line above the buttons.
 * @cssproperty --parley-field-border - Borders of the fields and buttons.
 * @cssproperty --parley-radius - Corners of the box (1.6×), the choices and the rows.
 * @cssproperty --parley-control-radius - Corners of the fields and buttons.
 * @cssproperty --parley-spacing - Padding of the box.
 * @cssproperty --parley-focus - Focus ring.
 */
export class ParleySettings extends LitElement {
  static override styles = [base, dialogBase, settingsStyles];

  /** Whether the panel is shown. */
  @property({ type: Boolean, reflect: true }) open = false;
  /** The saved settings; the form edits a copy, made each time the panel opens. */
  @property({ attribute: false }) settings: Settings = DEFAULT_SETTINGS;
  /** Text shown at the top, e.g. why WebRTC fell back to the relay. */
  @property() notice = '';

  @state() private transport: string = DEFAULT_SETTINGS.transport;
  @state() private server = '';
  @state() private rows: Row[] = [];
  /** Rows that existed at the last failed Save (their errors show); null before any Save. */
  @state() private checked: ReadonlySet<number> | null = null;

  @query('dialog') private dialog!: HTMLDialogElement;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('open') && this.open) {
      this.transport = this.settings.transport;
      this.server = this.settings.server;
      this.rows = this.settings.iceServers.map(toRow);
      this.checked = null;
    }
  }

  protected override updated(): void {
    if (this.open && !this.dialog.open) {
      this.dialog.showModal();
      this.field('input[name=transport]:checked')?.focus();
    } else if (!this.open && this.dialog.open) {
      this.dialog.close();
    }
  }

  /** The form's settings: strings trimmed (not the credential), empty user names dropped. */
  private value(): Settings {
    return {
      transport: this.transport as UserTransport,
      server: serverList(this.server).join(' '),
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

  /** Which field of a faulty row most likely needs the fix. */
  private invalidField({ urls, username, credential }: Row): RowField {
    const url = urls.trim();
    const turn = /^turns?:/.test(url);
    if (iceServerProblem(turn ? { urls: url, username: 'u', credential: 'c' } : { urls: url }))
      return 'urls';
    if (turn) return !username.trim() ? 'username' : !credential ? 'credential' : 'urls';
    return username.trim() ? 'username' : credential ? 'credential' : 'urls';
  }

  private async save(e: Event): Promise<void> {
    e.preventDefault();
    const settings = this.value();
    const problems = settingsProblems(settings);
    if (!hasProblems(problems)) {
      if (fire(this, 'parley-settings-save', { settings })) this.open = false;
      return;
    }
    this.checked = new Set(this.rows.map((r) => r.key));
    await this.updateComplete;
    this.firstInvalid(problems)?.focus();
  }

  private firstInvalid(p: SettingsProblems): HTMLElement | null {
    if (p.transport) return this.field('input[name=transport]');
    if (p.server) return this.field('#server');
    const row = this.rows[Math.min(...Object.keys(p.iceServers ?? {}).map(Number))];
    return row ? this.field(`#ice-${row.key}-${this.invalidField(row)}`) : null;
  }

  /** The browser closed the dialog (Escape); a reopen may have come before this event. */
  private closed(): void {
    if (this.open && !this.dialog.open) this.dismiss();
  }

  private dismiss(): void {
    this.open = false;
    fire(this, 'parley-settings-close', {});
  }

  private setRows(rows: Row[], focus?: string): void {
    this.rows = rows;
    if (focus) void this.updateComplete.then(() => this.field(focus)?.focus());
  }

  private edit(row: Row, f: RowField, e: Event): void {
    const value = (e.target as HTMLInputElement).value;
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

  private renderRow(row: Row, i: number, problem: string | undefined) {
    const n = i + 1;
    const id = (f: string) => `ice-${row.key}-${f}`;
    const bad = problem ? this.invalidField(row) : undefined;
    // Visible labels; the row number is read out for the user name and credential too.
    const field = (f: RowField, label: string, type = 'text', placeholder = 'TURN only') => html`
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
        @input=${(e: Event) => this.edit(row, f, e)}
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
          @click=${() => this.removeRow(i)}
        >
          Remove
        </button>
        ${field('username', 'User name')} ${field('credential', 'Credential', 'password')}
        ${error(problem, id('error'))}
      </li>
    `;
  }

  override render() {
    const problems = this.checked ? settingsProblems(this.value()) : {};
    const iceProblems = problems.iceServers ?? {};
    const serverError = problems.server;
    return html`
      <dialog part="dialog settings-dialog" aria-labelledby="title" @close=${this.closed}>
        <form @submit=${this.save} novalidate>
          <h2 id="title" part="title">Settings</h2>
          <p class="notice" part="notice" role="status" ?hidden=${!this.notice}>${this.notice}</p>
          <fieldset class="transports">
            <legend>Transport</legend>
            ${UserTransports.map(
              (t) => html`
                <div class="choice">
                  <input
                    part="radio"
                    type="radio"
                    id="transport-${t}"
                    name="transport"
                    value=${t}
                    .checked=${live(this.transport === t)}
                    aria-describedby="transport-${t}-hint"
                    @change=${() => (this.transport = t)}
                  />
                  <label part="label" for="transport-${t}">${userTransportLabels[t]}</label>
                  <span class="hint" part="hint" id="transport-${t}-hint"
                    >${TRANSPORT_HINTS[t]}</span
                  >
                </div>
              `,
            )}
            ${error(problems.transport)}
          </fieldset>
          <div class="field">
            <label part="label" for="server">Server URLs</label>
            <input
              part="input"
              id="server"
              name="server"
              type="text"
              inputmode="url"
              spellcheck="false"
              placeholder="This page's server"
              .value=${live(this.server)}
              aria-invalid=${serverError ? 'true' : 'false'}
              aria-describedby=${serverError ? 'server-error' : 'server-hint'}
              @input=${(e: Event) => (this.server = (e.target as HTMLInputElement).value)}
            />
            ${error(serverError, 'server-error')}
            <p class="hint" part="hint" id="server-hint" ?hidden=${!!serverError}>
              The relay, which also introduces WebRTC peers. Leave empty for this page's server;
              list several (spaces between) to move to the next when one fails.
            </p>
          </div>
          <fieldset class="ice">
            <legend>STUN/TURN servers</legend>
            <p class="hint" part="hint">
              Help WebRTC peers find a way to each other across networks.
            </p>
            ${
              this.rows.length === 0
                ? html`<p class="empty">
                    No STUN/TURN servers: peers connect directly on the same network only.
                  </p>`
                : html`<ol class="ice-list">
                    ${repeat(
                      this.rows,
                      (r) => r.key,
                      (r, i) =>
                        this.renderRow(r, i, this.checked?.has(r.key) ? iceProblems[i] : undefined),
                    )}
                  </ol>`
            }
            <div class="ice-actions">
              <button id="add-ice" part="button" type="button" @click=${this.addRow}>
                Add server
              </button>
              <button part="button" type="button" @click=${() => this.setRows([])}>Use none</button>
              <button
                part="button"
                type="button"
                @click=${() => this.setRows(DEFAULT_ICE_SERVERS.map(toRow))}
              >
                Use default
              </button>
            </div>
          </fieldset>
          <div class="actions">
            <button part="button cancel" type="button" @click=${this.dismiss}>Cancel</button>
            <button part="button primary save" type="submit" class="primary">Save</button>
          </div>
        </form>
      </dialog>
    `;
  }
}
