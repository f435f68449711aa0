/**
 * `<parley-chat>`'s side of Connection details: loading the panel and its controller (a chunk
 * of their own, see connection-define.ts) the first time it is opened, opening and closing it,
 * and the element bound to the controller. View state only — the controller measures.
 */
import { html, nothing } from 'lit';
import type { ReactiveControllerHost } from 'lit';
import type {
  ConnectionDetails,
  DetailsSources,
} from '../../controllers/connection/connection-details.js';

/** The parts `<parley-connection>` exposes, for `<parley-chat>`'s `exportparts`. */
export const CONNECTION_PARTS =
  'dialog, connection-dialog, title, section, member, facts, result, hint, button, stun-test, copy-report, close';

/** Whether Connection details is open, and the ways in and out of it. */
export class ConnectionDoor {
  /** The panel is open. */
  open = false;
  private details: ConnectionDetails | undefined;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & { isConnected: boolean },
    private readonly sources: DetailsSources,
  ) {}

  /** Opens the panel, once its chunk is here; measuring starts at once. */
  show(): void {
    this.loading ??= import('./connection-define.js').then(({ ConnectionDetails }) => {
      this.details = new ConnectionDetails(this.host, this.sources);
    });
    void this.loading.then(() => {
      if (!this.host.isConnected) return;
      this.open = true;
      this.details?.start();
      this.host.requestUpdate();
    });
  }

  /** Closes it; no more probes. */
  close(): void {
    this.open = false;
    this.details?.stop();
    this.host.requestUpdate();
  }

  /** The panel, or nothing before it was first opened. */
  render(inline: boolean) {
    const d = this.details;
    if (!d) return nothing;
    return html`<parley-connection
      part="connection-details"
      exportparts=${CONNECTION_PARTS}
      ?inline=${inline}
      ?open=${this.open}
      ?stun-busy=${d.stunBusy}
      ?copied=${d.copied}
      .copyText=${d.copyText}
      .report=${this.open ? d.report : undefined}
      @parley-connection-close=${() => this.close()}
      @parley-stun-test=${() => void d.testStun()}
      @parley-copy-report=${() => void d.copyReport()}
    ></parley-connection>`;
  }
}
