/**
 * `components/settings/` — the Settings panel: the dialog and its three parts, *This room*
 * (private or public, encryption, invite link, members), *You* (name, safety code, what this
 * browser keeps) and *Connection* (transport, servers, STUN/TURN, what was refused), loaded as
 * a chunk of its own.
 *
 * The settings panel: a `<dialog>` whose parts are headed sections of one scrolling body, with
 * a strip above it that takes the reader to each (settings-strip.ts); modal, or `inline`
 * (non-modal, filling its host) for a chat embedded in another page. The room's part and ours
 * are slotted in by the owner; Save applies what was asked in them too, Cancel forgets it.
 * It edits a copy of the saved settings, made each time it opens, and checks them with the
 * validators of `controllers/settings` before it hands them over. Whether a new server answers
 * is its owner's check, shown here through `checking` and `server-error`.
 */
import { inlinePanelStyles } from '../shared/inline-panel.styles.js';
import { escapeInline } from '../shared/dialog-escape.js';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import {
  DEFAULT_SETTINGS,
  faultyIceField,
  hasProblems,
  serverList,
  settingsProblems,
  type DirectChoice,
  type IceField,
  type ParleySettings as Settings,
  type SettingsProblems,
  type UserTransport,
} from '../../controllers/settings/settings.js';
import { fire } from '../shared/events.js';
import { deepActive } from '../shared/focus.js';
import { connectionPart, historyField } from './settings-connection.js';
import { toRow, type Row } from './settings-ice-list.js';
import {
  partAt,
  partStrip,
  SETTINGS_PART_IDS,
  SETTINGS_SUBMIT,
  showPart,
  type SettingsPart,
} from './settings-strip.js';
import { settingsStyles } from './parley-settings.styles.js';
import { base, dialogBase } from '../shared/theme.styles.js';

export { SETTINGS_PARTS } from './settings-parts.js';

/**
 * @summary Settings in three parts: This room (slotted), You (slotted), Connection.
 * @fires parley-settings-save - `{ settings, force? }` when valid settings are saved; `force` is
 *   true for "Save anyway" (save without checking that the server answers). The panel stays
 *   open: its owner checks and stores the settings, then sets `open = false` once they are saved.
 * @fires parley-settings-close - `{}` when dismissed with Cancel or Escape (the panel closes):
 *   whatever was asked in it, a room passphrase included, is forgotten.
 * @fires parley-connection-open - `{}` when "Connection details" is pressed.
 * @fires parley-history-export - (from *You*'s History) `{ format }`: export the room's history.
 * @fires parley-history-import - (from *You*'s History) `{ file }`: import a JSON export.
 * @slot room - *This room* (`<parley-chat>` puts `<parley-room-lock>` here).
 * @slot identity - *You*: our name and identity (`<parley-chat>` puts `<parley-identity-card>` here).
 * @slot diagnostics - At the end of *Connection*: what was refused in the room.
 * @csspart dialog - The dialog box (also named `settings-dialog`).
 * @csspart settings-dialog - The dialog box (also named `dialog`).
 * @csspart title - The "Settings" heading.
 * @csspart strip - The strip of buttons above the body, one per part.
 * @csspart strip-button - Each of its buttons (the part in view has `aria-current`).
 * @csspart part-heading - Each part's heading: "This room", "You", "Connection".
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
  /** How the last history export or import went (`<parley-settings-history>`'s `result`). */
  @property({ attribute: false }) historyResult = '';
  /** A history export or import is under way. */
  @property({ type: Boolean, attribute: false }) historyBusy = false;

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
  /** The part in view, marked in the strip. */
  @state() private inView: SettingsPart = 'room';

  @query('dialog') private dialog!: HTMLDialogElement;
  @query('details') private details!: HTMLDetailsElement;
  @query('.body') private body!: HTMLElement;
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
      this.inView = 'room';
    }
    // A new verdict, or the same one after another check, shows again.
    if (changed.has('serverError') || (changed.has('checking') && !this.checking))
      this.serverErrorHidden = false;
  }

  constructor() {
    super();
    // Enter in a slotted part's field (the room's passphrase) saves, as Enter in ours does.
    this.addEventListener(SETTINGS_SUBMIT, (e) => {
      e.stopPropagation();
      void this.save();
    });
  }

  protected override updated(changed: PropertyValues<this>): void {
    // Only a change of `open` shows or closes the dialog: after Escape the browser has closed
    // it but its `close` event is still to come, and an update in between (a notice, a
    // verdict) must not show it again.
    if (changed.has('open')) this.showOrClose();
    if (changed.has('serverError') && this.serverError && this.open) this.showServerError();
  }

  /** Shows the dialog (modal, or inline) or closes it, as `open` now says. */
  private showOrClose(): void {
    if (this.open && !this.dialog.open) {
      this.details.open = false; // also when a toggle from last time is still on its way
      if (this.inline) {
        this.returnFocus = deepActive();
        this.dialog.show();
      } else {
        this.dialog.showModal();
      }
      // Each time from the top, at "This room": the strip's first button has the focus.
      this.body.scrollTop = 0;
      this.field('.strip button')?.focus();
    } else if (!this.open && this.dialog.open) {
      const hadFocus = this.hasFocus();
      this.dialog.close();
      if (this.inline && hadFocus && this.returnFocus?.isConnected) this.returnFocus.focus();
      this.returnFocus = null;
    }
  }

  /**
   * The owner's verdict arrived (seconds after Save): the field, its error and the two ways
   * out are scrolled into view together, wherever the reader was; the error is announced
   * (role=alert). The focus goes to the field only if it was in the panel — never pulled back
   * from the host page.
   */
  private showServerError(): void {
    if (this.hasFocus()) this.field('#server')?.focus({ preventScroll: true });
    this.renderRoot.querySelector('.server-field')?.scrollIntoView({ block: 'nearest' });
    this.inView = partAt(this.body);
  }

  /** The strip's button for `p`: its part to the top, the focus on its heading. */
  private showPart(p: SettingsPart): void {
    showPart(this.body, p);
    this.inView = p;
  }

  /** The body scrolled: the strip follows. */
  private scrolled(): void {
    const p = partAt(this.body);
    if (p !== this.inView) this.inView = p;
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

  /** The owner's verdict on the server, unless set aside or the form has its own problem. */
  private verdict(problem: string | undefined): string {
    return !problem && !this.serverErrorHidden ? this.serverError : '';
  }

  /** A heading for a part: focusable (the strip moves the focus there), never in the tab order. */
  private heading(p: SettingsPart, words: string) {
    return html`<h3
      class="part-heading"
      part="part-heading"
      id="${SETTINGS_PART_IDS[p]}-heading"
      tabindex="-1"
    >
      ${words}
    </h3>`;
  }

  /** The *Connection* part: how messages travel, and what was refused on the way. */
  private renderConnection(problems: SettingsProblems) {
    return connectionPart({
      heading: this.heading('connection', 'Connection'),
      transport: this.transport,
      onTransport: (t) => (this.transport = t),
      problems,
      server: {
        value: this.server,
        problem: problems.server,
        verdict: this.verdict(problems.server),
        checking: this.checking,
        onInput: (value) => {
          this.server = value;
          this.serverErrorHidden = true; // checked again on Save
        },
        onKeep: () => this.keepServer(),
        onSaveAnyway: () => void this.save(undefined, true),
      },
      direct: this.direct,
      onDirect: (c) => (this.direct = c),
      ice: {
        rows: this.rows,
        open: this.advanced,
        problems: problems.iceServers ?? {},
        checked: this.checked,
        onToggle: (open) => (this.advanced = open),
        onEdit: (row, f, value) => this.edit(row, f, value),
        onAdd: () => this.addRow(),
        onRemove: (i) => this.removeRow(i),
        onReplace: (rows) => this.setRows(rows),
      },
      onDetails: () => fire(this, 'parley-connection-open', {}),
    });
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
          ${partStrip(this.inView, (p) => this.showPart(p))}
          <div class="body" @scroll=${this.scrolled}>
            <p class="notice" part="notice" role="status" ?hidden=${!this.notice}>${this.notice}</p>
            <section
              class="part"
              id=${SETTINGS_PART_IDS.room}
              aria-labelledby="${SETTINGS_PART_IDS.room}-heading"
            >
              ${this.heading('room', 'This room')}
              <slot name="room"><p class="hint" part="hint">You are in no room.</p></slot>
            </section>
            <section
              class="part"
              id=${SETTINGS_PART_IDS.you}
              aria-labelledby="${SETTINGS_PART_IDS.you}-heading"
            >
              ${this.heading('you', 'You')}
              <slot name="identity"></slot>
              ${historyField(
                this.historyMax,
                this.historyFixed,
                (value) => (this.historyMax = value),
                problems.historyMax,
              )}
              <parley-settings-history
                .result=${this.historyResult}
                .busy=${this.historyBusy}
              ></parley-settings-history>
            </section>
            ${this.renderConnection(problems)}
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
