/**
 * The virtualized rendering of a long message list, loaded by `<parley-messages>` only the
 * first time a list grows past what it renders in full: `@lit-labs/virtualizer` is a fifth of
 * the element's code, and most chats never need it.
 */
import { virtualize } from '@lit-labs/virtualizer/virtualize.js';
import { FlowLayout } from '@lit-labs/virtualizer/layouts/flow.js';
import type { TemplateResult } from 'lit';
import type { DirectiveResult } from 'lit/directive.js';
import { isMessage, rowKey, type Row } from './message-rows.js';

/** Where the layout should put a row: its index, and its edge at the viewport's top or bottom. */
export type Pin = { index: number; block: 'start' | 'end' };

/**
 * The virtualizer's flow layout with chat settings: a smaller overhang than the default
 * 1000 px (fewer rows in the DOM), a closer first size estimate, and `pinOffset`, which puts a
 * `block: 'start'` pin that many px below the viewport's top, so a prepend can put the
 * reader's first visible message back exactly where it was.
 */
class ChatLayout extends FlowLayout {
  pinOffset = 0;
  constructor(...args: ConstructorParameters<typeof FlowLayout>) {
    super(...args);
    this._overhang = 400;
    this._itemSize = { width: 300, height: 64 };
  }
  protected override _calculateScrollIntoViewPosition(pin: Pin): number {
    const pos = super._calculateScrollIntoViewPosition(pin);
    return pin.block === 'start' ? pos - this.pinOffset : pos;
  }
}
const LAYOUT = { type: ChatLayout };

/** What {@link virtualRows} renders. */
export interface VirtualRows<T> {
  items: readonly T[];
  /** A key per row; rows keep their DOM (and measured size) while their key stays. */
  key: (item: T) => string;
  render: (item: T) => TemplateResult;
  /** Where to put the viewport with this render (the layout keeps it until the reader scrolls). */
  pin?: Pin & { pinOffset: number };
}

/** The rows around the viewport of a list that is its own scroller. */
export function virtualRows<T>({ items, key, render, pin }: VirtualRows<T>): DirectiveResult {
  const layout = pin ? { ...LAYOUT, pin, pinOffset: pin.pinOffset } : LAYOUT;
  return virtualize({
    items: items as T[],
    keyFunction: key,
    renderItem: render,
    layout,
    scroller: true,
  });
}

/**
 * Virtual mode, going to the newest: the `end` pin gets there with estimated sizes, and the
 * layout can settle a few px short once rows are measured. So {@link follow} scrolls to the
 * very bottom on the next frames until it holds for two (at most 10), unless the reader takes
 * over ({@link stop}: wheel, keys, pointer).
 */
export class Follower {
  private frames = 0;
  constructor(private readonly list: () => HTMLElement | null) {}

  follow(): void {
    const idle = this.frames <= 0;
    this.frames = 10;
    if (idle) requestAnimationFrame(() => this.step(0));
  }

  readonly stop = () => (this.frames = 0);

  private step(calm: number): void {
    const list = this.list();
    if (!list || this.frames-- <= 0) return;
    const gap = list.scrollHeight - list.scrollTop - list.clientHeight;
    if (gap > 1) list.scrollTop = list.scrollHeight;
    else if (calm === 1) return void (this.frames = 0);
    requestAnimationFrame(() => this.step(gap > 1 ? 0 : calm + 1));
  }
}

/** The pin a virtual render starts from, and whether rows moved (see {@link planPin}). */
export interface PinPlan {
  pin: (Pin & { pinOffset: number }) | undefined;
  /** Rows moved to other indices (not just appended): the list gives them new keys. */
  moved: boolean;
}

/**
 * Plans a virtual render of `rows` after `oldRows`: without `anchor` (the reader at the
 * bottom, or our own message) the newest row is pinned to the bottom; with it, the anchor's
 * row is pinned where it was — only if rows were added above it, a message above it changed
 * (an edit or a reaction may change its height), or for a new virtualizer (`fresh`), since
 * the virtualizer keeps rows by index.
 */
export function planPin(
  rows: readonly Row[],
  oldRows: readonly Row[],
  anchor: { id: string; offset: number } | undefined,
  fresh: boolean,
): PinPlan {
  const last = oldRows.at(-1);
  const kept = last && rowKey(rows[oldRows.length - 1] ?? last) === rowKey(last);
  const moved = !kept || rows.length < oldRows.length;
  if (!anchor) return { moved, pin: { index: rows.length - 1, block: 'end', pinOffset: 0 } };
  const index = rows.findIndex((r) => isMessage(r) && r.id === anchor.id);
  const before = oldRows.findIndex((r) => isMessage(r) && r.id === anchor.id);
  // A message above it changed (an edit, a reaction): its size may have too.
  const changed = (r: Row, i: number) => isMessage(r) && r !== oldRows[i];
  const pin =
    index >= 0 && (index !== before || fresh || rows.slice(0, index).some(changed))
      ? { index, block: 'start' as const, pinOffset: anchor.offset }
      : undefined;
  return { moved, pin };
}
