/**
 * A message's actions: Reply, React and, on our own messages, Edit and Delete, in a toolbar
 * labelled "Message actions". The list holds ONE toolbar, in the row that is hovered or holds
 * the focus (a tap focuses a row, so touch screens get it too): rows stay lean however long
 * the list. "React" opens a picker of common emoji; "Delete" asks first, in the row.
 *
 * Keyboard: ArrowUp/ArrowDown on the list or on a row go from message to message; in a row,
 * Tab reaches its buttons, Shift+F10 (or the context-menu key) jumps to its toolbar, whose
 * buttons ArrowLeft/ArrowRight walk; Escape closes the picker or the question, then goes back
 * to the row.
 */
import { nothing } from 'lit';
import type { ChatMessage } from '../../controllers/room/message-list.js';
import { loadAfterSettled } from '../../internal/load-order.js';

type BarChunk = typeof import('./message-action-bar.js');
/** The toolbar's chunk, once loaded (one for the page). */
let chunk: BarChunk | undefined;
let loading: Promise<BarChunk> | undefined;
/** Loads the toolbar's chunk (once). */
const loadBar = (): Promise<BarChunk> =>
  (loading ??= import('./message-action-bar.js').then((m) => (chunk = m)));

/** Whether a row offers actions: a readable message, not deleted, not a note or an event. */
export const canAct = (m: ChatMessage) =>
  !m.deleted && !m.unreadable && !m.unknown && m.note === undefined && !m.event;

/** What the actions need of the list element. */
export interface ActionsHost {
  requestUpdate(): void;
  readonly updateComplete: Promise<boolean>;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/** The picker or the question open, and the message it is about. */
export type Open = { id: string; what: 'react' | 'delete' };

/** What the toolbar's chunk needs of {@link RowActions}. */
export interface ActionsState {
  readonly host: ActionsHost;
  readonly open: Open | undefined;
  /** Opens the picker or the question (undefined: closes it, the focus staying). */
  openFor(open: Open | undefined): void;
  /** Closes the picker or question and gives the focus back to the button that opened it. */
  close(from: Action): void;
}

/** The row (a message's `<li>`) that holds `node`, if any. */
const rowOf = (node: EventTarget | null): HTMLElement | null =>
  node instanceof Element ? node.closest<HTMLElement>('li.msg') : null;

/** A toolbar's button. */
export type Action = 'Reply' | 'React' | 'Edit' | 'Delete';

/** The one toolbar of a list, its picker and its question, and the keys that reach them. */
export class RowActions implements ActionsState {
  private hovered: string | undefined;
  private focused: string | undefined;
  /**
   * The keyboard's focus is on the toolbar (or picker, question): hovering elsewhere does not
   * move it from under the keyboard.
   */
  private inBar = false;
  open: Open | undefined;

  constructor(readonly host: ActionsHost) {
    // Loaded once the room is live: well before a first hover or Tab reaches a row, as a rule.
    void loadAfterSettled(loadBar).then(() => this.host.requestUpdate());
  }

  /** The message whose row shows the toolbar. */
  get shown(): string | undefined {
    return this.open?.id ?? (this.inBar ? this.focused : (this.hovered ?? this.focused));
  }

  private set(next: {
    hovered?: string | undefined;
    focused?: string | undefined;
    inBar?: boolean;
    open?: Open | undefined;
  }): void {
    const before = [this.shown, this.open?.what, this.inBar];
    Object.assign(this, next);
    const after = [this.shown, this.open?.what, this.inBar];
    if (before.some((v, i) => v !== after[i])) this.host.requestUpdate();
  }

  /** A mouse or pen over a row shows its toolbar (touch has no hover: a tap focuses the row). */
  readonly over = (e: PointerEvent): void => {
    if (e.pointerType !== 'touch') this.set({ hovered: rowOf(e.target)?.dataset['id'] });
  };
  readonly leave = (): void => this.set({ hovered: undefined });

  readonly focusIn = (e: FocusEvent): void => {
    const target = e.target as Element;
    const id = rowOf(target)?.dataset['id'];
    const open = this.open && this.open.id !== id ? undefined : this.open;
    // Only the keyboard's focus holds the toolbar: after a click, the mouse moves it on.
    const inBar = !!target.closest?.('.acts') && target.matches(':focus-visible');
    this.set({ focused: id, inBar, open });
  };

  /**
   * The focus left a row: once it has settled (a button replaced by the picker or question
   * hands it on after the render), if it is nowhere in the list the toolbar follows the mouse
   * only, and an open picker or question closes.
   */
  readonly focusOut = (): void => {
    requestAnimationFrame(() => {
      const active = (this.host.renderRoot as ShadowRoot).activeElement;
      if (!rowOf(active)) this.set({ focused: undefined, inBar: false, open: undefined });
    });
  };

  /** Keys of the list (see the file's comment). */
  readonly keydown = (e: KeyboardEvent): void => {
    const target = e.target as HTMLElement;
    const row = rowOf(target);
    const list = e.currentTarget as HTMLElement;
    if (e.key === 'Escape' && row && target !== row) {
      const open = this.open;
      e.preventDefault();
      e.stopPropagation();
      if (open) return this.close(open.what === 'react' ? 'React' : 'Delete');
      return row.focus();
    }
    const rows = () => [...list.querySelectorAll<HTMLElement>('li.msg')];
    if ((e.key === 'ArrowUp' || e.key === 'ArrowDown') && (target === row || target === list)) {
      const all = rows();
      const up = e.key === 'ArrowUp';
      const next = row ? all[all.indexOf(row) + (up ? -1 : 1)] : edgeInView(list, all, up);
      if (next) {
        e.preventDefault();
        next.focus({ preventScroll: true });
        next.scrollIntoView({ block: 'nearest' });
      }
      return;
    }
    if (row && target === row && (e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10'))) {
      e.preventDefault();
      const first = () => row.querySelector<HTMLElement>('.bar button')?.focus();
      // Before the toolbar's chunk is here (the first instants in a room), once it is drawn.
      if (chunk) first();
      else void loadBar().then(() => this.host.updateComplete.then(first));
      return;
    }
    const bar = target.closest('.bar');
    if (bar && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
      const buttons = [...bar.querySelectorAll<HTMLElement>('button')];
      const i = buttons.indexOf(target) + (e.key === 'ArrowLeft' ? -1 : 1);
      buttons[(i + buttons.length) % buttons.length]?.focus();
      e.preventDefault();
    }
  };

  openFor(open: Open | undefined): void {
    this.set({ open });
  }

  close(from: Action): void {
    const id = this.open?.id;
    this.set({ open: undefined });
    void this.host.updateComplete.then(() => this.button(id, from)?.focus());
  }

  private button(id: string | undefined, name: Action | 'Cancel'): HTMLElement | null {
    if (id === undefined) return null;
    const row = this.host.renderRoot.querySelector(`li.msg[data-id="${CSS.escape(id)}"]`);
    return row?.querySelector<HTMLElement>(`.acts button[aria-label="${name}"]`) ?? null;
  }

  /**
   * The actions of `row` (our account: `self`) if its row shows them, else nothing. Drawn by
   * the toolbar's chunk (message-action-bar.ts); until it is here, a row that should show them
   * asks for it and draws them when it comes.
   */
  render(row: ChatMessage, self: string) {
    if (row.id !== this.shown || !canAct(row)) return nothing;
    if (chunk) return chunk.actionBar(this, row, self);
    void loadBar().then(() => this.host.requestUpdate());
    return nothing;
  }
}

/** The first (`up`: last) message row wholly in the list's view, else the nearest. */
function edgeInView(list: HTMLElement, rows: HTMLElement[], up: boolean): HTMLElement | undefined {
  const view = list.getBoundingClientRect();
  const inside = rows.filter((r) => {
    const box = r.getBoundingClientRect();
    return box.top >= view.top - 1 && box.bottom <= view.bottom + 1;
  });
  return (up ? inside.at(-1) : inside[0]) ?? (up ? rows.at(-1) : rows[0]);
}
