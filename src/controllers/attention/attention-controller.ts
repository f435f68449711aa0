/**
 * `controllers/attention/` — what the visitor has not seen yet.
 *
 * Unread messages while the visitor is not looking: counts new messages that arrive while the
 * page is hidden, the element is scrolled out of view or its launcher panel is closed, shows the count in the tab title when
 * asked to, and — if the visitor allowed it — shows a browser notification. Looking again
 * clears the count.
 */
import type { ReactiveController, ReactiveElement } from 'lit';
import type { MessageReport } from '../room/message-report.js';

/** Configuration of the attention controller. */
export interface AttentionConfig {
  /** Whether to put the unread count in the page's title, e.g. "(3) Parley". */
  title: () => boolean;
  /**
   * In launcher mode, whether the panel is open; `undefined` for an inline chat. The panel is
   * fixed to the window, so when open it is seen wherever the element sits in the page.
   */
  shown?: () => boolean | undefined;
}

/** Owns the unread count, the title badge and notifications of one `<parley-chat>`. */
export class AttentionController implements ReactiveController {
  /** Messages that arrived while nobody was looking. */
  unread = 0;
  private inView = true;
  private observer: IntersectionObserver | undefined;
  private baseTitle: string | undefined;
  /**
   * The notification permission as last read: `Notification.permission` asks the browser
   * process every time (about 1.5 ms here, and the header asks on every render), so it is read
   * once, then again when the visitor answers or the browser says it changed.
   */
  private permission: NotificationPermission | undefined = readPermission();
  private readonly onVisibility = () => this.maybeSeen();

  constructor(
    private readonly host: ReactiveElement,
    private readonly config: AttentionConfig,
  ) {
    host.addController(this);
  }

  /** Whether the page and the element are both visible now. */
  get looking(): boolean {
    return document.visibilityState === 'visible' && (this.config.shown?.() ?? this.inView);
  }

  /** Whether notifications could be turned on (supported, not yet decided by the visitor). */
  get canAskToNotify(): boolean {
    return this.permission === 'default';
  }

  /** Whether notifications are on. */
  get notifying(): boolean {
    return this.permission === 'granted';
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.onVisibility);
    // Changed in the browser's site settings meanwhile: read again.
    void navigator.permissions
      ?.query({ name: 'notifications' })
      .then((status) => {
        status.onchange = () => {
          this.permission = readPermission();
          this.host.requestUpdate();
        };
      })
      .catch(() => {});
    if (typeof IntersectionObserver !== 'undefined') {
      this.observer = new IntersectionObserver((entries) => {
        this.inView = entries.some((e) => e.isIntersecting);
        this.maybeSeen();
      });
      this.observer.observe(this.host);
    }
  }

  /** After each render: a panel that was just opened has been seen. */
  hostUpdated(): void {
    this.maybeSeen();
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.observer?.disconnect();
    this.observer = undefined;
    this.unread = 0;
    this.showTitle();
  }

  /** New messages: count those from others while not looking, and notify if allowed. */
  noticed(reports: readonly MessageReport[]): void {
    if (this.looking) return;
    const incoming = reports.filter((r) => r.direction === 'in');
    if (!incoming.length) return;
    this.unread += incoming.length;
    this.showTitle();
    this.host.requestUpdate();
    const last = incoming.at(-1)!;
    if (this.notifying && document.visibilityState !== 'visible') {
      void import('./notify.js').then(({ notify }) => notify(this.host, last));
    }
  }

  /** Asks the visitor for permission to notify (must run in a click handler). */
  async askToNotify(): Promise<void> {
    if (!this.canAskToNotify) return;
    await Notification.requestPermission();
    this.permission = readPermission();
    this.host.requestUpdate();
  }

  private maybeSeen(): void {
    if (!this.looking || this.unread === 0) return;
    this.unread = 0;
    this.showTitle();
    this.host.requestUpdate();
  }

  private showTitle(): void {
    if (!this.config.title()) return;
    this.baseTitle ??= document.title.replace(/^\(\d+\) /, '');
    document.title = this.unread ? `(${this.unread}) ${this.baseTitle}` : this.baseTitle;
  }
}

/** The page's notification permission, or undefined where notifications do not exist. */
function readPermission(): NotificationPermission | undefined {
  return typeof Notification === 'undefined' ? undefined : Notification.permission;
}
