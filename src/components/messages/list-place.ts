/**
 * Where the reader is in the message list (`<parley-messages>`' scrolling `<ol>`): at the
 * bottom or not, and which message is first in view (following the bottom while a virtualized
 * list settles is virtual-list.ts's `Follower`).
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
