/**
 * Settings' *You*: "Export identity" and "Import identity" — carrying this account's identity
 * to another browser or origin in a file sealed with a passphrase of the person's choosing.
 * The view renders and calls its controller (`controllers/settings/identity-port.ts`, made
 * here for the session it is given), which does the sealing, the download and the replacing. Passwords and passphrases go from their
 * fields straight to the controller's methods: never into a DOM event, never into this view's
 * state (only the strength of a passphrase being typed is kept, to show it).
 */
import { css, html, LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import {
  IdentityPortController,
  MIN_FILE_PASSPHRASE,
  passphraseStrength,
  type PortSession,
  type Strength,
} from '../../controllers/settings/identity-port.js';
import { base } from '../shared/theme.styles.js';

type IdentityPort = IdentityPortController;

/**
 * @summary "Export identity" and "Import identity": the identity in a file sealed with a passphrase.
 * @csspart identity-port - The section.
 * @csspart button - Each button.
 * @csspart port-form - The export form, and the import form.
 * @csspart label - Each field's label.
 * @csspart input - Each field.
 * @csspart strength - How strong the new passphrase looks.
 * @csspart file-identity - Whose identity a chosen file holds, and its safety code.
 * @csspart warning - What importing replaces.
 * @csspart hint - Explanations.
 * @csspart error - Why the last step failed.
 * @csspart notice - What the last step did.
 * @csspart agent-key - "Help-desk key": this identity's key for a site's `agents` list, folded.
 * @csspart agent-key-text - The key itself (read-only, to select or copy).
 * @cssproperty --parley-muted - Explanations.
 * @cssproperty --parley-danger - The error and the warning.
 */
export class ParleyIdentityPort extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
        min-width: 0;
        margin-top: 0.6rem;
      }
      section,
      form {
        display: grid;
        gap: 0.45rem;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
      }
      p {
        margin: 0;
        font-size: 0.85rem;
        line-height: 1.4;
      }
      .hint {
        color: var(--_muted);
      }
      label {
        display: grid;
        gap: 0.2rem;
        font-size: 0.85rem;
      }
      .warning,
      .error {
        color: var(--parley-danger, #b3261e);
      }
      details {
        display: grid;
        gap: 0.4rem;
        font-size: 0.85rem;
      }
      details[open] > summary {
        margin-bottom: 0.4rem;
      }
      textarea.code {
        width: 100%;
        box-sizing: border-box;
        font-size: 0.75rem;
        word-break: break-all;
        margin-bottom: 0.4rem;
      }
      .code {
        font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  /** The session of the account whose identity this is (`<parley-chat>`'s). */
  @property({ attribute: false }) session: PortSession | undefined;
  /** Our identity's public key: when it changes (a login, an import), what can be done is looked up again. */
  @property({ attribute: false }) identityKey: string | undefined;
  /** Our current safety code (what an import replaces). */
  @property() code: string | undefined;

  /** Exports and imports; does all the I/O. */
  private readonly port = new IdentityPortController(this, () => this.session);

  /** Which form is open. */
  @state() private open: 'export' | 'import' | undefined;
  /** How strong the new passphrase typed looks (the passphrase itself is not kept). */
  @state() private strength: Strength = 'too short';

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('session') || changed.has('identityKey')) this.port.refresh();
  }

  override render() {
    const port = this.port;
    if (!this.session?.profile) return nothing;
    const none = port.exportable === 'none';
    return html`
      <section part="identity-port" aria-label="Move your identity">
        <div class="actions">
          <button
            type="button"
            part="button"
            aria-expanded=${this.open === 'export' ? 'true' : 'false'}
            aria-describedby=${none ? 'not-exportable' : nothing}
            ?disabled=${none || port.exportable === undefined || port.busy}
            @click=${() => this.toggle('export')}
          >
            Export identity
          </button>
          <button
            type="button"
            part="button"
            aria-expanded=${this.open === 'import' ? 'true' : 'false'}
            ?disabled=${port.busy}
            @click=${() => this.toggle('import')}
          >
            Import identity
          </button>
        </div>
        ${
          none
            ? html`<p id="not-exportable" class="hint" part="hint">
                Your identity was made before export existed (or without a password), so it cannot
                be exported: its secret half never leaves this browser.
              </p>`
            : nothing
        }
        ${this.open === 'export' && !none ? this.exportForm(port) : nothing}
        ${port.agentCard ? this.agentKey(port.agentCard) : nothing}
        ${this.open === 'import' ? this.importForm(port) : nothing}
        <p class="error" part="error" role="alert" ?hidden=${!port.error}>${port.error}</p>
        <p part="notice" role="status" ?hidden=${!port.notice}>${port.notice}</p>
      </section>
    `;
  }

  /** The help-desk key a site owner lists in `agents`, to read or copy. */
  private agentKey(card: string) {
    return html`<details part="agent-key">
      <summary>Help-desk key</summary>
      <p class="hint" part="hint" id="agent-key-hint">
        To answer a site's help desk, give this key to the site's owner: visitors' conversations are
        then sealed to you. It holds only public keys.
      </p>
      <textarea
        part="input agent-key-text"
        class="code"
        readonly
        rows="3"
        aria-label="Help-desk key"
        aria-describedby="agent-key-hint"
        .value=${card}
      ></textarea>
      <button type="button" part="button" @click=${() => void this.port.copyAgentCard()}>
        Copy help-desk key
      </button>
    </details>`;
  }

  private exportForm(port: IdentityPort) {
    return html`<form part="port-form" aria-label="Export identity" @submit=${this.exported}>
      <p class="hint" part="hint">
        The file holds your identity's keys sealed with a passphrase you choose; the passphrase is
        not in it. Anyone with the file and its passphrase can speak as you.
      </p>
      <label part="label"
        >${port.secretLabel()}
        <input
          part="input"
          name="secret"
          type="password"
          autocomplete=${port.exportable === 'file' ? 'off' : 'current-password'}
          required
      /></label>
      <label part="label"
        >New passphrase for the file
        <input
          part="input"
          name="passphrase"
          type="password"
          autocomplete="new-password"
          minlength=${MIN_FILE_PASSPHRASE}
          required
          aria-describedby="strength"
          @input=${(e: Event) =>
            (this.strength = passphraseStrength((e.target as HTMLInputElement).value))}
      /></label>
      <p id="strength" class="hint" part="strength" aria-live="polite">
        ${
          this.strength === 'too short'
            ? `At least ${MIN_FILE_PASSPHRASE} characters.`
            : `Strength: ${this.strength}.`
        }
        Four or more unrelated words are strongest.
      </p>
      <label part="label"
        >Passphrase again
        <input part="input" name="again" type="password" autocomplete="new-password" required
      /></label>
      <div class="actions">
        <button type="submit" part="button" ?disabled=${port.busy}>
          ${port.busy ? 'Sealing…' : 'Save file'}
        </button>
        <button type="button" part="button" @click=${() => this.toggle('export')}>Cancel</button>
      </div>
    </form>`;
  }

  private importForm(port: IdentityPort) {
    const choice = port.choice;
    return html`<form part="port-form" aria-label="Import identity" @submit=${this.imported}>
      <label part="label"
        >Identity file
        <input
          part="input"
          name="file"
          type="file"
          accept=".json,application/json"
          @change=${(e: Event) => {
            const file = (e.target as HTMLInputElement).files?.[0];
            if (file) void port.chooseFile(file);
          }}
      /></label>
      ${
        choice
          ? html`<p part="file-identity">
                This file holds the identity of <strong>${choice.file.name}</strong>, safety code
                <span class="code">${choice.file.safetyCode}</span>.
              </p>
              <p class="warning" part="warning">
                ${
                  choice.same
                    ? 'It is the identity this account has already.'
                    : html`Importing replaces this account's identity on this
                      browser${
                        this.code
                          ? html` (safety code <span class="code">${this.code}</span>)`
                          : nothing
                      }.
                      People who verified you will see a new safety code; private rooms that let in
                      your current identity must let this one in; room keys sealed only to your
                      current identity will no longer open here. Export it first if you may want it
                      back.`
                }
              </p>
              <label part="label"
                >The file's passphrase
                <input part="input" name="passphrase" type="password" autocomplete="off" required
              /></label>
              <div class="actions">
                <button type="submit" part="button" ?disabled=${port.busy}>
                  ${port.busy ? 'Opening…' : 'Replace my identity'}
                </button>
                <button type="button" part="button" @click=${() => this.toggle('import')}>
                  Cancel
                </button>
              </div>`
          : html`<p class="hint" part="hint">
              Choose a file saved with "Export identity". It shows whose identity it is before
              anything changes.
            </p>`
      }
    </form>`;
  }

  /** Opens or closes a form; whatever was typed or chosen is forgotten. */
  private toggle(which: 'export' | 'import'): void {
    this.open = this.open === which ? undefined : which;
    this.strength = 'too short';
    this.port.forget();
  }

  private readonly exported = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const field = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value;
    const ok = await this.port.exportIdentity(field('secret'), field('passphrase'), field('again'));
    if (ok) {
      form.reset();
      this.open = undefined;
    }
  };

  private readonly imported = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const input = form.elements.namedItem('passphrase') as HTMLInputElement;
    const ok = await this.port.importIdentity(input.value);
    if (ok) this.open = undefined;
    else input.value = '';
  };
}
