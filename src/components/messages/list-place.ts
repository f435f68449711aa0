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

/**
 * The first message whose top is in view (else the first at least partly in view: one taller
 * than the view), and its top's distance from the list's. Its top, not a message above cut
 * by the edge: a message above that grows (an edit, a reaction) leaves what is read in place.
 */
export function firstVisible(list: HTMLElement): { id: string; offset: number } | undefined {
  const top = list.getBoundingClientRect().top;
  let partly: { id: string; offset: number } | undefined;
  for (const li of list.querySelectorAll<HTMLElement>('li.msg')) {
    const box = li.getBoundingClientRect();
    if (box.bottom <= top) continue;
    const place = { id: li.dataset['id']!, offset: box.top - top };
    if (box.top >= top - 0.5) return place;
    partly ??= place;
  }
  return partly;
}
