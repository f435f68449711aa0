/**
 * Where the keyboard focus goes in `<parley-chat>`: to the message box once someone has logged
 * in, joined a room or chosen one in the room list (the next thing to do is to write), back to "Settings" (or, when the
 * narrow layout folded it away, to "Menu") once the settings close. An embedded chat is a
 * guest: it moves the focus only when the visitor is working in it, never on its own.
 */
import type { ReactiveControllerHost } from 'lit';
import { deepActive } from '../shared/focus.js';

/** Moves the focus for one chat element at the moments above. */
export class ChatFocus {
  /** The visitor asked for something after which the message box should take the focus. */
  private wanted = false;
  private signedIn = false;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    /** Whether the chat is the whole page (modal login): then it may focus on its own. */
    private readonly ownsPage: () => boolean,
  ) {}

  /** The message box should take the focus as soon as it can be used. */
  toComposer(): void {
    this.wanted = true;
    this.host.requestUpdate();
  }

  /** After the host rendered: focus the message box if that is due and it can be used. */
  settle(signedIn: boolean): void {
    const justSignedIn = signedIn && !this.signedIn;
    this.signedIn = signedIn;
    if (!signedIn) return;
    // A whole-page chat focuses its message box once someone is in, restored sessions too,
    // unless the visitor is busy elsewhere on the page.
    const idle = this.lost(null);
    if (!this.wanted && !(justSignedIn && this.ownsPage() && idle)) return;
    this.wanted = false;
    void this.focusIn('parley-composer');
  }

  /**
   * The settings closed: back to the button that opened them (or the menu holding it) —
   * unless the focus has already gone somewhere by then (the browser's own dialog restores
   * it, or the visitor moved on): a late move would undo what the visitor just did.
   */
  toSettingsButton(): void {
    void this.host.updateComplete.then(() => {
      const root = this.host.shadowRoot;
      if (!this.lost(root?.querySelector('parley-settings') ?? null)) return;
      const button = root?.querySelector<HTMLElement>('[part~="settings-button"]');
      const visible = button && button.getClientRects().length > 0;
      (visible ? button : root?.querySelector<HTMLElement>('.menu-toggle'))?.focus();
    });
  }

  /**
   * Whether the focus is nowhere (on the page's body), or still inside `within` (a panel that
   * is closing) — the only times moving it helps rather than takes it from the visitor.
   */
  private lost(within: Element | null): boolean {
    const active = deepActive();
    if (active === null || active === document.body) return true;
    return within !== null && (within === active || !!within.shadowRoot?.contains(active));
  }

  private async focusIn(selector: string): Promise<void> {
    const el = this.host.shadowRoot?.querySelector<
      HTMLElement & { updateComplete?: Promise<unknown> }
    >(selector);
    await el?.updateComplete;
    // Only from where the visitor just was in this chat (the login, the room form, the room
    // list) or from nowhere: never out of the page around it, never away from a control they
    // moved to.
    const root = this.host.shadowRoot;
    const from = (tag: string) => this.lost(root?.querySelector(tag) ?? null);
    if (from('parley-login') || from('parley-rooms') || from('parley-new-room')) el?.focus();
  }
}
