/**
 * `<parley-chat launcher>`: the chat behind a floating button, the way support widgets are
 * embedded. The button and the panel are fixed to the window from inside the chat's shadow
 * root, so nothing on the host page is restyled, covered (but by the panel itself, and by the
 * whole panel on a phone), locked or trapped: the page stays usable while the panel is open.
 * This file renders the button and the panel around the chat's own layout and moves the
 * focus when the panel opens or closes; the open state is the host's `launcherOpen`.
 */
import { html, nothing, type ReactiveController, type TemplateResult } from 'lit';

export { launcherStyles } from './chat-launcher.styles.js';

/** What the launcher reads from and sets on its `<parley-chat>`. */
export interface LauncherHost extends HTMLElement {
  launcher: boolean;
  launcherOpen: boolean;
  launcherLabel: string;
  readonly renderRoot: HTMLElement | DocumentFragment;
  addController(controller: ReactiveController): void;
}

/** Detail of `parley-launcher-toggle`. */
export interface LauncherToggleDetail {
  open: boolean;
}

/** A chat bubble, drawn for the button (its name comes from the label). */
const bubble = html`<svg viewBox="0 0 24 24" aria-hidden="true">
  <path
    d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"
    fill="currentColor"
  />
</svg>`;

/** The floating button and the panel of one chat in launcher mode. */
export class ChatLauncher implements ReactiveController {
  /** The open state last rendered (`undefined` before the first render in launcher mode). */
  private shown: boolean | undefined;

  constructor(private readonly host: LauncherHost) {
    host.addController(this);
  }

  /** The button and the panel holding `chat`; `unread` goes on the button's badge. */
  render(chat: TemplateResult, unread: number) {
    const { launcherOpen: open, launcherLabel: label } = this.host;
    const name = unread ? `${label}, ${unread} unread` : label;
    return html`<button
        type="button"
        class="launcher primary"
        part="launcher"
        aria-label=${name}
        aria-expanded=${open ? 'true' : 'false'}
        aria-controls="panel"
        @click=${() => this.setOpen(!this.host.launcherOpen)}
      >
        ${bubble}<span class="launcher-label">${label}</span>${
          unread
            ? html`<span class="launcher-badge" part="launcher-badge" aria-hidden="true"
                >${unread > 99 ? '99+' : unread}</span
              >`
            : nothing
        }
      </button>
      <section
        id="panel"
        class="panel"
        part="panel"
        role="dialog"
        aria-labelledby="panel-title"
        ?hidden=${!open}
      >
        <div class="panel-bar">
          <h2 id="panel-title" class="panel-title" part="panel-title">${label}</h2>
          <button
            type="button"
            class="close"
            part="close-button"
            aria-label="Close chat"
            @click=${() => this.setOpen(false)}
          >
            ✕
          </button>
        </div>
        ${chat}
      </section>`;
  }

  /**
   * Escape closes the panel (and the focus goes back to the button) unless something inside
   * used it first (the settings, the narrow layout's menu). Returns whether it did.
   */
  keydown(e: KeyboardEvent): boolean {
    if (e.key !== 'Escape' || e.defaultPrevented || e.isComposing) return false;
    if (!this.host.launcher || !this.host.launcherOpen) return false;
    this.setOpen(false);
    return true;
  }

  hostUpdated(): void {
    const open = this.host.launcher ? this.host.launcherOpen : undefined;
    const before = this.shown;
    this.shown = open;
    if (open === undefined || before === undefined || open === before) return;
    const detail: LauncherToggleDetail = { open };
    this.host.dispatchEvent(
      new CustomEvent('parley-launcher-toggle', { detail, bubbles: true, composed: true }),
    );
    if (open) void this.focusChat();
    else this.focusButton();
  }

  private setOpen(open: boolean): void {
    this.host.launcherOpen = open;
  }

  /** Opened: into the chat — the login's first field, else the message box, else "Close chat". */
  private async focusChat(): Promise<void> {
    const root = this.host.renderRoot;
    const login = root.querySelector<
      HTMLElement & { open?: boolean; updateComplete?: Promise<unknown> }
    >('parley-login');
    await login?.updateComplete;
    const composer = root.querySelector<HTMLElement>('parley-composer:not([hidden])');
    // The login is another element's shadow tree: its first field is the place to start typing.
    const field = login?.open ? login.shadowRoot?.querySelector<HTMLElement>('input') : undefined;
    const target = field ?? (composer?.hasAttribute('disabled') ? null : composer);
    if (this.host.launcherOpen) (target ?? root.querySelector<HTMLElement>('.close'))?.focus();
  }

  /**
   * Closed: back to the button — when the focus was in the panel (now hidden) or nowhere;
   * a page that closed the panel while its visitor works elsewhere keeps its focus.
   */
  private focusButton(): void {
    const active = document.activeElement;
    if (active === null || active === document.body || active === this.host)
      this.host.renderRoot.querySelector<HTMLElement>('.launcher')?.focus();
  }
}
