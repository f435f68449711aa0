/**
 * Where the reader is in the message list (`<parley-messages>`' scrolling `<ol>`): at the
 * bottom or not, which message is first in view, and following the bottom while a virtualized
 * list settles.
 */

/** Within this many px of the bottom counts as "at the bottom". */
const BOTTOM_SLACK = 48;

/** Whether the list is scrolled (about) to its bottom. */
export const atBottom = (list: HTMLElement) =>
  list.scrollHeight - list.scrollTop - list.clientHeight < BOTTOM_SLACK;

/** The first message at least partly in view, and its top's distance from the list's. */
export function firstVisible(list: HTMLElement): { id: string; offset: number } | undefined {
  const top = list.getBoundingClientRect().top;
  for (const li of list.querySelectorAll<HTMLElement>('li.msg')) {
    const box = li.getBoundingClientRect();
    if (box.bottom > top) return { id: li.dataset['id']!, offset: box.top - top };
  }
  return undefined;
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
