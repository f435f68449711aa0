/**
 * Where `<parley-chat launcher>` gets its launcher from: the button and the panel
 * (chat-launcher.ts and its styles) come in a chunk of their own, fetched the first time a
 * chat renders in launcher mode, so an inline chat never downloads them. Until the chunk has
 * arrived the chat renders nothing (not a flash of itself inline); if it cannot be loaded the
 * chat shows inline after all rather than not at all.
 */
import { adoptStyles, nothing, type LitElement, type TemplateResult } from 'lit';
import type { ChatLauncher, LauncherHost } from './chat-launcher.js';

/** The launcher of one chat, once loaded. */
export class LauncherSlot {
  private view: ChatLauncher | undefined;
  private state: 'idle' | 'loading' | 'failed' = 'idle';

  constructor(private readonly host: LauncherHost & LitElement) {}

  /** The button and the panel around `chat` (see `ChatLauncher.render`). */
  render(chat: TemplateResult, unread: number) {
    if (this.view) return this.view.render(chat, unread);
    if (this.state === 'failed') return chat;
    if (this.state === 'idle') void this.load();
    return nothing;
  }

  /** Escape in the chat: closes the panel (see `ChatLauncher.keydown`). */
  keydown(e: KeyboardEvent): void {
    this.view?.keydown(e);
  }

  private async load(): Promise<void> {
    this.state = 'loading';
    try {
      const { ChatLauncher, launcherStyles } = await import('./chat-launcher.js');
      const root = this.host.renderRoot;
      // The element's own styles were adopted when it started: add the launcher's to them.
      if (root instanceof ShadowRoot) {
        const own = (this.host.constructor as typeof LitElement).elementStyles;
        adoptStyles(root, [...own, launcherStyles]);
      }
      this.view = new ChatLauncher(this.host);
    } catch {
      this.state = 'failed';
    }
    this.host.requestUpdate();
  }
}
