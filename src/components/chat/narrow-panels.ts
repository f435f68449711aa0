/**
 * The panels a narrow `<parley-chat>` folds away (a phone, a small embed): the menu with the
 * tools, the member list and the room list. At most one is open; Escape closes it and gives
 * the focus back to its button; the menu also closes when the focus leaves the top bar.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** One of the folded panels. */
export type NarrowPanel = 'menu' | 'members' | 'rooms';

/** The button that opens each panel (its class in the header). */
const TOGGLES: Record<NarrowPanel, string> = {
  menu: '.menu-toggle',
  members: '.members-toggle',
  rooms: '.rooms-toggle',
};

/** Which folded panel is open. */
export class NarrowPanels implements ReactiveController {
  /** The open panel, if any. */
  private current: NarrowPanel | undefined;

  constructor(private readonly host: ReactiveControllerHost & { renderRoot: ParentNode }) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** Whether `panel` is open. */
  isOpen(panel: NarrowPanel): boolean {
    return this.current === panel;
  }

  /** Opens `panel` (closing any other), or closes it when it is open. */
  toggle(panel: NarrowPanel): void {
    this.set(this.current === panel ? undefined : panel);
  }

  /** Closes whatever is open. */
  close(): void {
    this.set(undefined);
  }

  /** Escape: closes the open panel and focuses its button; false when none was open. */
  escape(): boolean {
    const open = this.current;
    if (!open) return false;
    this.close();
    this.host.renderRoot.querySelector<HTMLElement>(TOGGLES[open])?.focus();
    return true;
  }

  /** The focus moved to `to`: the menu folds away once it has left the top bar. */
  focusMoved(to: Node | null): void {
    const header = this.host.renderRoot.querySelector('header');
    if (this.current === 'menu' && !(to && header?.contains(to))) this.close();
  }

  private set(panel: NarrowPanel | undefined): void {
    if (this.current === panel) return;
    this.current = panel;
    this.host.requestUpdate();
  }
}
