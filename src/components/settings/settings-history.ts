/**
 * Settings' *History*: export the room's history — as JSON, every signed message, to verify
 * and import elsewhere, or as a web page to read — and import a JSON export. The view only
 * renders and asks: the room controller exports and imports (`history-io.ts`) and hands back
 * what happened, in words, through `result`.
 */
import { css, html, LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { fire } from '../shared/events.js';
import { base } from '../shared/theme.styles.js';

/** The formats the History part offers. */
export type HistoryExportFormat = 'json' | 'html';

declare module '../shared/events.js' {
  interface ParleyEventMap {
    /** The user asks for the room's history as a file: `json` (to import) or `html` (to read). */
    'parley-history-export': CustomEvent<{ format: HistoryExportFormat }>;
    /** The user picked a JSON export to take into this account's history. */
    'parley-history-import': CustomEvent<{ file: File }>;
  }
}

/** The parts `<parley-settings-history>` exposes. */
export const HISTORY_PARTS = 'history, history-heading, button, history-import, history-result';

/**
 * @summary History in Settings: "Export history (JSON)", "Export as web page (HTML)", "Import history".
 * @fires parley-history-export - `{ format: 'json' | 'html' }`: an export button was pressed.
 * @fires parley-history-import - `{ file }`: a file was picked to import.
 * @csspart history - The section.
 * @csspart history-heading - The "History" heading.
 * @csspart button - Each export button.
 * @csspart history-import - The "Import history" file field.
 * @csspart history-result - The line that says how the last export or import went.
 * @cssproperty --parley-muted - The explanation and the result line.
 */
export class ParleySettingsHistory extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
        min-width: 0;
      }
      section {
        display: grid;
        gap: 0.5rem;
      }
      h4 {
        margin: 0;
        font-size: 0.9rem;
      }
      p {
        margin: 0;
        font-size: 0.85rem;
        line-height: 1.4;
      }
      .muted {
        color: var(--_muted);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
        align-items: center;
      }
      label {
        display: grid;
        gap: 0.2rem;
        font-size: 0.85rem;
      }
      input[type='file'] {
        max-width: 100%;
        padding: 0.3em;
      }
    `,
  ];

  /** How the last export or import went, in words ('' for nothing yet). */
  @property() result = '';
  /** An export or import is under way: the controls wait. */
  @property({ type: Boolean, reflect: true }) busy = false;

  private export(format: HistoryExportFormat): void {
    if (!this.busy) fire(this, 'parley-history-export', { format });
  }

  private picked(e: Event): void {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    // Cleared, so picking the same file again is a new pick.
    input.value = '';
    if (file && !this.busy) fire(this, 'parley-history-import', { file });
  }

  override render() {
    return html`
      <section part="history" aria-labelledby="history-heading" aria-busy=${this.busy}>
        <h4 id="history-heading" part="history-heading">History</h4>
        <p class="muted">
          Save this room's messages as a file. JSON keeps every message as its author signed it, so
          it can be checked and imported into any account; the web page is for reading, and holds
          the messages as they show here.
        </p>
        <div class="actions">
          <button
            part="button"
            type="button"
            ?disabled=${this.busy}
            @click=${() => this.export('json')}
          >
            Export history (JSON)
          </button>
          <button
            part="button"
            type="button"
            ?disabled=${this.busy}
            @click=${() => this.export('html')}
          >
            Export as web page (HTML)
          </button>
        </div>
        <label>
          Import history
          <input
            part="history-import"
            type="file"
            accept=".json,application/json"
            ?disabled=${this.busy}
            @change=${this.picked}
          />
        </label>
        <p class="muted" part="history-result" role="status" aria-live="polite">${this.result}</p>
      </section>
    `;
  }
}
