/**
 * `components/connection/` — the Connection details panel, loaded as a chunk of its own with
 * its controller (connection-define.ts) when it is first opened; connection-door.ts is the
 * chat's side of it.
 *
 * The panel: a `<dialog>` (modal, or `inline` filling its host) that shows a
 * {@link ConnectionReport} in plain words — how each member is reached and the round trip to
 * them, the direct links' paths and bytes, the server in use with its round trip and limits,
 * what was refused — with "Test STUN/TURN" and "Copy report". It only renders; its owner
 * measures, tests and copies.
 */
import { inlinePanelStyles } from '../shared/inline-panel.styles.js';
import { escapeInline } from '../shared/dialog-escape.js';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, query } from 'lit/decorators.js';
import {
  bytesWords,
  candidateWords,
  limitsWords,
  linkWords,
  REPORT_CONTENTS,
  rttWords,
  type ConnectionReport,
  type MemberDetails,
} from '../../controllers/connection/connection-report.js';
import type { StunVerdict } from '../../controllers/connection/stun-test.js';
import { fire } from '../shared/events.js';
import { deepActive } from '../shared/focus.js';
import { base, dialogBase } from '../shared/theme.styles.js';
import { connectionStyles } from './parley-connection.styles.js';

/** Transports' names in words. */
const TRANSPORT_WORDS: Record<ConnectionReport['transport'], string> = {
  socketio: 'Server only (Socket.IO): every message goes through the server',
  webrtc: 'Direct links (WebRTC), through the server for members without one',
  broadcast: 'Tabs of this browser only',
  memory: 'In this page (test)',
};

/**
 * @summary Connection details: how each member is reached, round trips, the server, tests.
 * @fires parley-connection-close - `{}` when dismissed with Close or Escape (the panel closes).
 * @fires parley-stun-test - `{}` when "Test STUN/TURN" is pressed.
 * @fires parley-copy-report - `{}` when "Copy report" is pressed.
 * @csspart dialog - The dialog box (also named `connection-dialog`).
 * @csspart connection-dialog - The dialog box (also named `dialog`).
 * @csspart title - The "Connection details" heading.
 * @csspart section - Each section (members, server, refused, tests).
 * @csspart member - Each member's entry.
 * @csspart facts - Each list of facts.
 * @csspart result - The STUN/TURN test's result.
 * @csspart hint - Each explanation.
 * @csspart button - Every button.
 * @csspart stun-test - "Test STUN/TURN".
 * @csspart copy-report - "Copy report".
 * @csspart close - "Close".
 * @cssproperty --parley-bg - Background of the box.
 * @cssproperty --parley-fg - Text colour.
 * @cssproperty --parley-muted - Hints and terms.
 * @cssproperty --parley-surface - Background of the members' entries.
 * @cssproperty --parley-line - Lines between the sections.
 * @cssproperty --parley-radius - Corners of the box (1.6×) and the entries.
 * @cssproperty --parley-spacing - Padding of the box.
 * @cssproperty --parley-focus - Focus ring.
 */
export class ParleyConnection extends LitElement {
  static override styles = [base, dialogBase, inlinePanelStyles, connectionStyles];

  /** Whether the panel is shown. */
  @property({ type: Boolean, reflect: true }) open = false;
  /** Non-modal, filling the host's box (an embedded chat never blocks its page). */
  @property({ type: Boolean, reflect: true }) inline = false;
  /** What to show. */
  @property({ attribute: false }) report: ConnectionReport | undefined;
  /** A STUN/TURN test is running. */
  @property({ type: Boolean, attribute: 'stun-busy' }) stunBusy = false;
  /** The report was copied to the clipboard. */
  @property({ type: Boolean }) copied = false;
  /** The report, shown for copying by hand when the clipboard refused it. */
  @property({ attribute: false }) copyText = '';

  @query('dialog') private dialog!: HTMLDialogElement;
  /** What had the focus before the panel opened, to give it back on close. */
  private returnFocus: HTMLElement | null = null;

  protected override updated(changed: PropertyValues<this>): void {
    // Only a change of `open` shows or closes it: after Escape the browser has closed the
    // dialog but its `close` event is still to come, and a round trip measured in between
    // must not show it again.
    if (!changed.has('open')) return;
    if (this.open && !this.dialog.open) {
      this.returnFocus = deepActive();
      if (this.inline) this.dialog.show();
      else this.dialog.showModal();
      this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
    } else if (!this.open && this.dialog.open) {
      const hadFocus = !!this.shadowRoot?.activeElement;
      this.dialog.close();
      if (hadFocus && this.returnFocus?.isConnected) this.returnFocus.focus();
      this.returnFocus = null;
    }
  }

  /** The browser closed the dialog (Escape on a modal one). */
  private closed(): void {
    if (this.open && !this.dialog.open) this.dismiss();
  }

  /** Escape: the browser handles it for a modal dialog only. */
  private keydown(e: KeyboardEvent): void {
    escapeInline(e, this.inline, () => this.dismiss());
  }

  private dismiss(): void {
    this.open = false;
    fire(this, 'parley-connection-close', {});
  }

  private member(m: MemberDetails) {
    return html`<li class="member" part="member">
      <h4 class="name">${m.name}</h4>
      <dl part="facts">
        <dt>Reached</dt>
        <dd class="how">${linkWords(m.link)}</dd>
        <dt>Round trip</dt>
        <dd class="rtt">${rttWords(m.rttMs, m.noAnswer)}</dd>
        ${
          m.pair
            ? html`<dt>Path, this device</dt>
                <dd>${candidateWords(m.pair.local)}</dd>
                <dt>Path, their device</dt>
                <dd>${candidateWords(m.pair.remote)}</dd>
                <dt>Sent / received</dt>
                <dd>${bytesWords(m.pair.bytesSent)} / ${bytesWords(m.pair.bytesReceived)}</dd>`
            : nothing
        }
      </dl>
    </li>`;
  }

  private members(r: ConnectionReport) {
    return html`<section part="section" aria-labelledby="members-h">
      <h3 id="members-h">Members</h3>
      <p class="hint" part="hint">
        The round trip is the time a small message takes to reach a member and come back.
      </p>
      ${
        r.members.length
          ? html`<ul class="members">
              ${r.members.map((m) => this.member(m))}
            </ul>`
          : html`<p class="empty">Nobody else is here.</p>`
      }
    </section>`;
  }

  private server(r: ConnectionReport) {
    const s = r.server;
    return html`<section part="section" aria-labelledby="server-h">
      <h3 id="server-h">Server</h3>
      <dl part="facts">
        <dt>Transport</dt>
        <dd>${TRANSPORT_WORDS[r.transport]}</dd>
        <dt>Servers listed</dt>
        <dd>${r.servers.length ? r.servers.join(', ') : 'this page’s own'}</dd>
        <dt>In use</dt>
        <dd class="server-url">${s?.url ?? 'none'}</dd>
        ${
          s
            ? html`<dt>Round trip</dt>
                <dd class="server-rtt">${rttWords(s.rttMs, s.rttMs === undefined)}</dd>
                <dt>Limits it announced</dt>
                <dd>${limitsWords(s.limits)}</dd>`
            : nothing
        }
      </dl>
    </section>`;
  }

  private refused(r: ConnectionReport) {
    const { malformed, forged, conflicts, overBudget } = r.refused;
    return html`<section part="section" aria-labelledby="refused-h">
      <h3 id="refused-h">Refused</h3>
      <dl part="facts">
        <dt>Malformed messages</dt>
        <dd>${malformed}</dd>
        <dt>Signature did not check out</dt>
        <dd>${forged}</dd>
        <dt>Conflicting copies</dt>
        <dd>${conflicts}</dd>
        <dt>Over a sender’s budget (too many too fast)</dt>
        <dd>${overBudget}</dd>
        <dt>Direct-link offers we could not verify</dt>
        <dd>${r.unverified}</dd>
        ${
          r.dropped
            ? html`<dt>Frames too large</dt>
                <dd>${r.dropped.oversize}</dd>
                <dt>Frames too fast on a direct link</dt>
                <dd>${r.dropped.rateLimited}</dd>`
            : nothing
        }
      </dl>
    </section>`;
  }

  private tests(stun: StunVerdict | undefined) {
    return html`<section part="section" aria-labelledby="tests-h">
      <h3 id="tests-h">Tests</h3>
      <p class="hint" part="hint">
        STUN tells this device its public address so members on other networks can link to it
        directly; TURN passes the data on when no direct path exists.
      </p>
      <div class="row">
        <button
          part="button stun-test"
          type="button"
          aria-disabled=${this.stunBusy ? 'true' : nothing}
          @click=${() => !this.stunBusy && fire(this, 'parley-stun-test', {})}
        >
          Test STUN/TURN
        </button>
      </div>
      <p class="result" part="result" role="status">
        ${this.stunBusy ? 'Testing… (at most 5 s)' : (stun?.words ?? '')}
      </p>
      <div class="row">
        <button
          part="button copy-report"
          type="button"
          @click=${() => fire(this, 'parley-copy-report', {})}
        >
          Copy report
        </button>
        <span class="copied" role="status">${this.copied ? 'Copied.' : ''}</span>
      </div>
      <p class="hint" part="hint">${REPORT_CONTENTS}</p>
      ${
        this.copyText
          ? html`<label class="manual"
              >The browser did not let us copy; select the report and copy it:
              <textarea readonly rows="6" .value=${this.copyText}></textarea>
            </label>`
          : nothing
      }
    </section>`;
  }

  override render() {
    const r = this.report;
    return html`<dialog
      part="dialog connection-dialog"
      aria-labelledby="title"
      @close=${this.closed}
      @keydown=${this.keydown}
    >
      <h2 id="title" part="title" tabindex="-1">Connection details</h2>
      <div class="body">
        ${r ? [this.members(r), this.server(r), this.refused(r)] : nothing} ${this.tests(r?.stun)}
      </div>
      <div class="actions">
        <button part="button close" type="button" @click=${this.dismiss}>Close</button>
      </div>
    </dialog>`;
  }
}
