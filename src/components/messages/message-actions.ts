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
import { html, nothing, svg } from 'lit';
import { REPLY_EXCERPT, type ChatMessage } from '../../controllers/room/message-list.js';
import { EMOJI_CHOICES } from './emoji-choices.js';
import { emit, excerptOf } from './row-events.js';

/** Whether a row offers actions: a readable message, not deleted, not a note or an event. */
export const canAct = (m: ChatMessage) =>
  !m.deleted && !m.unreadable && !m.unknown && m.note === undefined && !m.event;

/** What the actions need of the list element. */
export interface ActionsHost {
  requestUpdate(): void;
  readonly updateComplete: Promise<boolean>;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

type Open = { id: string; what: 'react' | 'delete' };

/** The row (a message's `<li>`) that holds `node`, if any. */
const rowOf = (node: EventTarget | null): HTMLElement | null =>
  node instanceof Element ? node.closest<HTMLElement>('li.msg') : null;

/** Where each icon's path goes (24×24, stroked). */
const ICONS = {
  Reply: 'M9 14L4 9l5-5M4 9h10a6 6 0 016 6v5',
  React: 'M12 21a9 9 0 100-18 9 9 0 000 18zM8 14s1.5 2 4 2 4-2 4-2M9 9h.01M15 9h.01',
  Edit: 'M4 20h4L19 9l-4-4L4 16v4zM13.5 6.5l4 4',
  Delete: 'M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3',
} as const;
type Action = keyof typeof ICONS;

/** The one toolbar of a list, its picker and its question, and the keys that reach them. */
export class RowActions {
  private hovered: string | undefined;
  private focused: string | undefined;
  /**
   * The keyboard's focus is on the toolbar (or picker, question): hovering elsewhere does not
   * move it from under the keyboard.
   */
  private inBar = false;
  private open: Open | undefined;

  constructor(private readonly host: ActionsHost) {}

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
      row.querySelector<HTMLElement>('.bar button')?.focus();
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

  /** Closes the picker or question and gives the focus back to the button that opened it. */
  private close(from: Action): void {
    const id = this.open?.id;
    this.set({ open: undefined });
    void this.host.updateComplete.then(() => this.button(id, from)?.focus());
  }

  private button(id: string | undefined, name: Action | 'Cancel'): HTMLElement | null {
    if (id === undefined) return null;
    const row = this.host.renderRoot.querySelector(`li.msg[data-id="${CSS.escape(id)}"]`);
    return row?.querySelector<HTMLElement>(`.acts button[aria-label="${name}"]`) ?? null;
  }

  private act(row: ChatMessage, self: string, action: Action, from: HTMLElement): void {
    if (action === 'React' || action === 'Delete') {
      if (this.open?.what === action.toLowerCase()) return this.close(action);
      this.set({ open: { id: row.id, what: action === 'React' ? 'react' : 'delete' } });
      void this.host.updateComplete.then(() => {
        const first = action === 'React' ? '.picker button' : '.confirm button.cancel';
        const el = this.host.renderRoot.querySelector<HTMLElement>(first);
        el?.focus({ preventScroll: true });
        el?.parentElement?.scrollIntoView({ block: 'nearest' });
      });
      return;
    }
    const own = row.from.id === self;
    emit(from, 'parley-compose', {
      mode: action === 'Edit' ? 'edit' : 'reply',
      id: row.id,
      text: row.text,
      name: own ? 'You' : row.from.name,
      // A file sent without a caption is named by its file.
      excerpt: excerptOf(row.text || (row.file ? `File: ${row.file.name}` : ''), REPLY_EXCERPT),
    });
  }

  private react(row: ChatMessage, emoji: string, from: HTMLElement): void {
    const mine = row.reactions?.some((r) => r.emoji === emoji && r.mine) ?? false;
    emit(from, 'parley-react', { id: row.id, emoji, on: !mine });
    this.close('React');
  }

  private remove(row: ChatMessage, from: HTMLElement): void {
    emit(from, 'parley-delete', { id: row.id });
    this.set({ open: undefined });
    void this.host.updateComplete.then(() => from.isConnected || rowFocus(this.host, row.id));
  }

  /** The actions of `row` (our account: `self`) if its row shows them, else nothing. */
  render(row: ChatMessage, self: string) {
    if (row.id !== this.shown || !canAct(row)) return nothing;
    const names: Action[] = [
      'Reply',
      'React',
      ...(row.from.id === self ? (['Edit', 'Delete'] as const) : []),
    ];
    const open = this.open?.id === row.id ? this.open.what : undefined;
    const click = (a: Action) => (e: Event) =>
      this.act(row, self, a, e.currentTarget as HTMLElement);
    // prettier-ignore
    const bar = html`<div class="bar" part="actions" role="toolbar" aria-label="Message actions">${names.map((a) => html`<button type="button" part="button action" aria-label=${a} title=${a} aria-expanded=${a === 'React' || a === 'Delete' ? String(open === a.toLowerCase()) : nothing} @click=${click(a)}><svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">${svg`<path d=${ICONS[a]}/>`}</svg></button>`)}</div>`;
    // prettier-ignore
    const extra = open === 'react'
      ? html`<div class="picker" part="picker" role="group" aria-label="Choose a reaction">${EMOJI_CHOICES.map(([emoji, name]) => html`<button type="button" part="button" aria-label=${name} title=${name} @click=${(e: Event) => this.react(row, emoji, e.currentTarget as HTMLElement)} .textContent=${emoji}></button>`)}</div>`
      : open === 'delete'
        ? html`<div class="confirm" part="confirm" role="group" aria-labelledby="ask"><span id="ask">Delete this message? Others will see “message deleted”.</span><button type="button" class="danger" part="button" @click=${(e: Event) => this.remove(row, e.currentTarget as HTMLElement)}>Delete</button><button type="button" class="cancel" part="button" @click=${() => this.close('Delete')}>Cancel</button></div>`
        : nothing;
    return html`<div class="acts">${bar}</div>
      ${extra}`;
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

/** Focuses the row of message `id` (after its toolbar's button went away). */
function rowFocus(host: ActionsHost, id: string): void {
  host.renderRoot.querySelector<HTMLElement>(`li.msg[data-id="${CSS.escape(id)}"]`)?.focus();
}
