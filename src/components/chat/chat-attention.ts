/**
 * The chat's side of the unread count, the title badge and notifications: the attention
 * controller comes in a chunk of its own, loaded right after the first render; what arrives
 * before it is kept (bounded) and counted once it is here.
 */
import type { ReactiveElement } from 'lit';
import type {
  AttentionConfig,
  AttentionController,
} from '../../controllers/attention/attention-controller.js';
import type { MessageReport } from '../../controllers/room/message-report.js';

/** Most reports kept while the controller loads (should it never come, this stays bounded). */
const MAX_UNNOTICED = 1000;

/** The attention controller of one chat, once loaded. */
export class ChatAttention {
  private controller: AttentionController | undefined;
  private unnoticed: MessageReport[] = [];

  constructor(
    private readonly host: ReactiveElement,
    private readonly config: AttentionConfig,
  ) {}

  /** Loads the controller (after the chat's first render). */
  load(): void {
    void import('../../controllers/attention/attention-controller.js').then((m) => {
      this.controller = new m.AttentionController(this.host, this.config);
      this.controller.noticed(this.unnoticed.splice(0));
    });
  }

  /** New messages (see `AttentionController.noticed`). */
  noticed(reports: readonly MessageReport[]): void {
    if (this.controller) this.controller.noticed(reports);
    else this.unnoticed = [...this.unnoticed, ...reports].slice(-MAX_UNNOTICED);
  }

  /** Messages that arrived while nobody was looking. */
  get unread(): number {
    return this.controller?.unread ?? 0;
  }

  /** Whether notifications could be turned on now. */
  get canNotify(): boolean {
    return this.controller?.canAskToNotify === true;
  }

  /** Asks the visitor for permission to notify (in a click handler). */
  askToNotify(): void {
    void this.controller?.askToNotify();
  }
}
