/**
 * Showing one message in context (a reply's quote or a search result asked for it): its row
 * is brought into view and given the focus, so screen readers read it. A virtualized list has
 * been pinned to it by then (see `parley-messages.ts`); its row comes once the virtualizer has
 * laid the rows out, a few frames later.
 */

/**
 * The message a list should go to now: the one asked for (`wanted`), once it is among
 * `messages`, unless the list went there already (`placed`).
 */
export const toPlace = (
  wanted: string | undefined,
  placed: string | undefined,
  messages: ReadonlyArray<{ id: string }>,
): string | undefined =>
  wanted !== undefined && wanted !== placed && messages.some((m) => m.id === wanted)
    ? wanted
    : undefined;

/** Frames to wait, at most, for a virtualized list to render the row. */
const MAX_FRAMES = 30;

/** The row of message `id` in `list`, if rendered. */
export const rowIn = (list: ParentNode, id: string) =>
  list.querySelector<HTMLElement>(`li.msg[data-id="${CSS.escape(id)}"]`);

/**
 * Scrolls message `id` to the middle of `list` (in a full list; a virtualized one was pinned)
 * and focuses it without scrolling again. Gives up quietly if the row never comes (`still`
 * says whether it is still the message asked for: another jump may have come meanwhile).
 */
export function placeHighlight(
  list: HTMLElement,
  id: string,
  virtual: boolean,
  still: () => boolean,
): void {
  let frames = 0;
  const step = () => {
    if (!still() || !list.isConnected) return;
    const row = rowIn(list, id);
    if (!row) {
      if (++frames < MAX_FRAMES) requestAnimationFrame(step);
      return;
    }
    if (!virtual) row.scrollIntoView({ block: 'center' });
    row.focus({ preventScroll: true });
  };
  step();
}
