/**
 * `<parley-chat>`'s side of Connection details: loading the panel and its controller (a chunk
 * of their own, see connection-define.ts) the first time it is opened, opening and closing it.
 * Kept small: it is in the chat's initial download, everything else comes with the chunk.
 */
import { nothing } from 'lit';
import type { ReactiveControllerHost } from 'lit';
import type {
  ConnectionDetails,
  DetailsSources,
} from '../../controllers/connection/connection-details.js';

type Chunk = typeof import('./connection-define.js');

/** Whether Connection details is open, and the ways in and out of it. */
export class ConnectionDoor {
  /** The panel is open. */
  open = false;
  private chunk: Chunk | undefined;
  private details: ConnectionDetails | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & { isConnected: boolean },
    private readonly sources: DetailsSources,
  ) {}

  /** Opens the panel once its chunk is here; measuring starts at once. */
  show(): void {
    void import('./connection-define.js').then((chunk) => {
      this.chunk = chunk;
      this.details ??= new chunk.ConnectionDetails(this.host, this.sources);
      if (!this.host.isConnected) return;
      this.open = true;
      this.details.start();
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
    const { chunk, details } = this;
    return chunk && details
      ? chunk.connectionPanel(details, inline, this.open, () => this.close())
      : nothing;
  }
}
